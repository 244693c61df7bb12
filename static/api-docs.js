// Starts Swagger UI (static/vendor/swagger-ui-*/) on /api/v1/docs, so that the page needs no inline script.
// The OpenAPI document's address comes from the page, which has it from the app.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    // Not the default validator.swagger.io badge: an image from another site, which the CSP refuses
    // (and which would tell that site of every visit).
    validatorUrl: null,
    // ?url= and ?configUrl= on the page's address are not read: the page shows this API's document only.
    queryConfigEnabled: false,
    // Deep links put a link inside each operation's button, which screen readers cannot reach (axe-core:
    // nested-interactive).
    deepLinking: false,
    // Its colours (set as inline styles) are too faint on its dark background for WCAG AA.
    syntaxHighlight: false,
  });
  // Swagger UI's lists (the servers, a parameter's values) have no name for screen readers: each gets the
  // name of its parameter, also in an operation opened later.
  function nameTheLists() {
    root.querySelectorAll("select:not([aria-label])").forEach(function (list) {
      var parameter = list.closest("tr[data-param-name]");
      if (parameter) {
        list.setAttribute("aria-label", parameter.dataset.paramName);
      } else if (list.id === "servers") {
        list.setAttribute("aria-label", "Server");
      }
    });
  }
  new MutationObserver(nameTheLists).observe(root, {childList: true, subtree: true});
});
