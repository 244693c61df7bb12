// The meetings' forms, a little easier with JavaScript; each works without it, as the server does the same.
// Loaded by the pages that need it (no inline scripts: the Content-Security-Policy allows 'self' only).
//
// 1. An agenda form's "Nyt møde" fieldset is shown only while "Nyt møde" is chosen in the list of meetings;
//    hidden, it is also disabled, so what it holds is not sent.
// 2. The text of KKR's decision follows the outcome chosen, as long as it is one of the drafted texts (or
//    empty): a text the secretariat has written itself is never replaced.
// 3. A text area marked data-fit (the agenda item's drafted text) gets the rows its text needs at the width
//    it has, none cut off and none empty; the server's count of rows, for a phone's width, is the fallback.
"use strict";

(function () {
  function same(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function newMeeting(select) {
    var fieldset = document.getElementById(select.getAttribute("data-new-meeting"));
    if (!fieldset) {
      return;
    }
    var newValue = fieldset.getAttribute("data-new-value");
    select.setAttribute("aria-controls", fieldset.id);
    function update() {
      var chosen = select.value === newValue;
      fieldset.hidden = !chosen;
      fieldset.disabled = !chosen;
    }
    select.addEventListener("change", update);
    update();
  }

  function decisionText(textarea) {
    var list = document.getElementById(textarea.getAttribute("data-drafts"));
    var outcome = document.getElementById(textarea.getAttribute("data-outcome-field"));
    if (!list || !outcome) {
      return;
    }
    var drafts = {};
    list.querySelectorAll("[data-outcome]").forEach(function (entry) {
      drafts[entry.getAttribute("data-outcome")] = same(entry.textContent);
    });
    function drafted(text) {
      var key;
      if (text === "") {
        return true;
      }
      for (key in drafts) {
        if (Object.prototype.hasOwnProperty.call(drafts, key) && drafts[key] === text) {
          return true;
        }
      }
      return false;
    }
    outcome.addEventListener("change", function () {
      if (drafted(same(textarea.value)) && drafts[outcome.value] !== undefined) {
        textarea.value = drafts[outcome.value];
      }
    });
  }

  function fit(textarea) {
    var rows = 1;
    textarea.rows = rows;
    while (textarea.scrollHeight > textarea.clientHeight && rows < 200) {
      rows += 1;
      textarea.rows = rows;
    }
  }

  function fitAll() {
    document.querySelectorAll("textarea[data-fit]").forEach(fit);
  }

  function start() {
    document.querySelectorAll("select[data-new-meeting]").forEach(newMeeting);
    document.querySelectorAll("textarea[data-drafts]").forEach(decisionText);
    fitAll();
    window.addEventListener("resize", fitAll);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
