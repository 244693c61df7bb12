// The nomination form (templates/nominations/form.html): DKFDS's radio toggle group shows only the chosen
// alternative's fields (a registered person, or a new one). This starts the groups, and disables the fields of
// the alternatives not chosen, so that what is hidden is not sent either: the form sends what the reader sees.
// Without JavaScript every field shows and is sent, and the server refuses, at the field, anything that does
// not fit the choice. Loaded with defer from the page; no inline script (the Content-Security-Policy forbids it).
"use strict";

(function () {
  function panelOf(radio) {
    var selector = radio.getAttribute("data-controls");
    return selector ? document.querySelector(selector) : null;
  }

  function update(group) {
    var radios = group.querySelectorAll('input[type="radio"]');
    for (var i = 0; i < radios.length; i++) {
      var panel = panelOf(radios[i]);
      if (!panel) {
        continue;
      }
      var fields = panel.querySelectorAll("input, select, textarea, button");
      for (var j = 0; j < fields.length; j++) {
        fields[j].disabled = !radios[i].checked;
      }
    }
  }

  var groups = document.querySelectorAll("form .js-radio-toggle-group");
  for (var k = 0; k < groups.length; k++) {
    // DKFDS.init (static/registry.js) starts the groups too; started here as well, they work even when another
    // component on the page has stopped DKFDS.init midway. Started twice, a group only toggles twice.
    if (window.DKFDS && window.DKFDS.RadioToggleGroup) {
      new window.DKFDS.RadioToggleGroup(groups[k]).init();
    }
    (function (group) {
      group.addEventListener("change", function (event) {
        if (event.target.type === "radio") {
          update(group);
        }
      });
      update(group);
    })(groups[k]);
  }
})();
