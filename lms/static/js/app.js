// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Loaded before the Bootstrap Italia bundle: its video.js would otherwise inject an inline
  // <style> element, which the Content-Security-Policy (style-src 'self') refuses.
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen-reader users hear what went wrong.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // Buttons that ask for confirmation before a destructive action.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
  });
})();
