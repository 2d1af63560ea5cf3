// The framework-item picker (macros/item_picker.html): progressive enhancement only, the
// checkboxes work without it. Adds a search by code or words (accent-insensitive), a live
// count of the items shown and a summary of the selected items with remove buttons.
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\s+/g, " ").trim();
  }

  function setUp(picker) {
    var tools = picker.querySelector("[data-picker-tools]");
    var search = picker.querySelector("[data-picker-search]");
    var status = picker.querySelector("[data-picker-status]");
    var list = picker.querySelector("[data-picker-selected]");
    var empty = picker.querySelector("[data-picker-empty]");
    var groups = Array.prototype.slice.call(picker.querySelectorAll("[data-picker-group]"));
    if (!tools || !search || !groups.length) { return; }
    tools.hidden = false;

    var entries = groups.map(function (group) {
      var legend = group.querySelector("legend");
      return {
        group: group,
        text: fold(legend ? legend.textContent : ""),
        items: Array.prototype.slice.call(group.querySelectorAll("[data-picker-item]")).map(
          function (el) {
            var label = el.querySelector("label.form-check-label");
            return { el: el, box: el.querySelector("input[type=checkbox]"),
                     text: fold(label ? label.textContent : "") };
          })
      };
    });

    function announce(shown) {
      var msg;
      if (shown === 0) { msg = picker.getAttribute("data-shown-none"); }
      else if (shown === 1) { msg = picker.getAttribute("data-shown-one"); }
      else { msg = picker.getAttribute("data-shown-many").replace("{n}", String(shown)); }
      status.textContent = msg;
    }

    function filter() {
      var words = fold(search.value).split(" ").filter(Boolean);
      var shown = 0;
      entries.forEach(function (g) {
        var groupHits = words.length > 0 && words.every(function (w) {
          return g.text.indexOf(w) !== -1;
        });
        var visible = 0;
        g.items.forEach(function (it) {
          var hit = groupHits || words.every(function (w) { return it.text.indexOf(w) !== -1; });
          it.el.hidden = !hit;
          if (hit) { visible += 1; }
        });
        g.group.hidden = visible === 0;
        shown += visible;
      });
      announce(shown);
    }

    function renderSummary() {
      list.textContent = "";
      var count = 0;
      entries.forEach(function (g) {
        g.items.forEach(function (it) {
          if (!it.box || !it.box.checked) { return; }
          count += 1;
          var li = document.createElement("li");
          li.className = "list-inline-item mb-1";
          var button = document.createElement("button");
          button.type = "button";
          button.setAttribute("data-code", it.box.getAttribute("data-code"));
          button.className = "btn btn-outline-primary btn-sm item-picker-remove";
          var hidden = document.createElement("span");
          hidden.className = "visually-hidden";
          hidden.textContent = picker.getAttribute("data-remove") + " ";
          var cross = document.createElement("span");
          cross.setAttribute("aria-hidden", "true");
          cross.textContent = " \u00d7";
          button.appendChild(hidden);
          button.appendChild(document.createTextNode(it.box.getAttribute("data-code")));
          button.appendChild(cross);
          button.addEventListener("click", function () {
            it.box.checked = false;
            renderSummary();
            // Focus stays in the summary (the next button) or returns to the search box.
            var next = list.querySelector("button");
            (next || search).focus();
          });
          li.appendChild(button);
          list.appendChild(li);
        });
      });
      list.hidden = count === 0;
      empty.hidden = count !== 0;
    }

    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && search.value !== "") {
        ev.preventDefault();
        search.value = "";
        filter();
      } else if (ev.key === "Enter") {
        ev.preventDefault(); // Enter in the search box must not send the form.
      }
    });
    picker.addEventListener("change", function (ev) {
      if (ev.target && ev.target.type === "checkbox") { renderSummary(); }
    });
    renderSummary();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-item-picker]").forEach(setUp);
  });
})();
