// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Loaded before the Bootstrap Italia bundle: its video.js would otherwise inject an inline
  // <style> element, which the Content-Security-Policy (style-src 'self') refuses.
  window.VIDEOJS_NO_DYNAMIC_STYLE = true;

  // A table wider than the screen scrolls inside its .table-responsive box: keyboard users
  // must be able to focus the box to scroll it (WCAG 2.1.1), and hear what it holds.
  var boxCount = 0;
  function makeScrollableBoxesFocusable() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.hasAttribute("data-lms-scroll") || !box.hasAttribute("tabindex")) {
        var scrolls = box.scrollWidth > box.clientWidth + 1;
        if (scrolls) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("data-lms-scroll", "");
          var caption = box.querySelector("caption");
          if (!box.hasAttribute("role") && caption) {
            if (!caption.id) { boxCount += 1; caption.id = "lms-table-caption-" + boxCount; }
            box.setAttribute("role", "region");
            box.setAttribute("aria-labelledby", caption.id);
          }
        } else if (box.hasAttribute("data-lms-scroll")) {
          box.removeAttribute("tabindex");
        }
      }
    });
  }

  // Small screens: the main navigation folds behind a "Menu" button (a disclosure: the
  // button says whether the list is open; Escape closes it and gives the focus back).
  function foldMainNavigation() {
    var nav = document.querySelector(".main-nav");
    var button = nav && nav.querySelector(".main-nav-toggle");
    if (!button) { return; }
    button.hidden = false;
    nav.classList.add("main-nav-foldable");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
    });
    nav.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && button.getAttribute("aria-expanded") === "true"
          && window.getComputedStyle(button).display !== "none") {
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldMainNavigation();
    // Move focus to the error summary so screen-reader users hear what went wrong.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    // Buttons that ask for confirmation before a destructive action.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (ev) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { ev.preventDefault(); }
      });
    });
    makeScrollableBoxesFocusable();
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(makeScrollableBoxesFocusable, 150);
    });
  });
})();
