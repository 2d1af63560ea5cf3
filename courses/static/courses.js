// Progressive enhancement for the register and the check-in screen; pages work without it.
(function () {
  "use strict";

  function setupRegister(form) {
    var length = form.getAttribute("data-length");
    form.querySelectorAll("select.register-status").forEach(function (select) {
      select.addEventListener("change", function () {
        var minutes = document.getElementById(select.id.replace("status_", "minutes_"));
        if (!minutes) { return; }
        if (select.value === "absent" || select.value === "excused") { minutes.value = "0"; }
        else if (select.value === "present") { minutes.value = length; }
        else if (select.value === "late" || select.value === "left_early") { minutes.focus(); }
      });
    });
  }

  function setupCheckin(screen) {
    var url = screen.getAttribute("data-state-url");
    var code = document.getElementById("checkin-code");
    var qr = document.getElementById("checkin-qr");
    var list = document.getElementById("checkin-list");
    function render(state) {
      if (code && state.code && code.textContent !== state.code) {
        code.textContent = state.code;
        if (qr && state.qr) { qr.src = state.qr; }
      }
      if (!list) { return; }
      while (list.firstChild) { list.removeChild(list.firstChild); }
      state.checkins.forEach(function (c) {
        var tr = document.createElement("tr");
        [c.name, c.time, c.status, String(c.minutes)].forEach(function (text) {
          var td = document.createElement("td");
          td.textContent = text;
          tr.appendChild(td);
        });
        list.appendChild(tr);
      });
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state) { render(state); } })
        .catch(function () { /* the refresh link still works */ });
    }
    window.setInterval(poll, 10000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("register-form");
    if (form) { setupRegister(form); }
    var screen = document.getElementById("checkin-screen");
    if (screen) { setupCheckin(screen); }
  });
})();
