// Starts DKFDS's components once the page is parsed. Loaded with defer, after
// dkfds.min.js; every page works without it. No inline scripts anywhere, so a
// Content-Security-Policy without 'unsafe-inline' can be used.
"use strict";

if (window.DKFDS) {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { window.DKFDS.init(); });
  } else {
    window.DKFDS.init();
  }
}
