/* Quiz page, progressive enhancement: save each answer as it is given (so a reload or a lost
   connection keeps it) and show the time left. The page works without this file. */
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form) { return; }
  var template = form.getAttribute("data-autosave");
  var token = form.querySelector("input[name=csrf_token]");
  var status = form.querySelector(".autosave-status");
  var timers = {};

  function answerOf(fieldset) {
    var qid = fieldset.getAttribute("data-question");
    var selected = [];
    fieldset.querySelectorAll("input[name='q" + qid + "']:checked").forEach(function (el) {
      selected.push(parseInt(el.value, 10));
    });
    var text = fieldset.querySelector("input[name='q" + qid + "_text']");
    return { qid: qid, body: { selected: selected, text: text ? text.value : "" } };
  }

  function save(fieldset) {
    var a = answerOf(fieldset);
    var url = template.replace(/\/0$/, "/" + a.qid);
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(a.body)
    }).then(function (resp) {
      if (resp.status === 409) { window.location.reload(); return; }
      if (status) { status.textContent = resp.ok ? status.getAttribute("data-ok") || "" : ""; }
    }).catch(function () { /* offline: the Save button still works once back online */ });
  }

  form.querySelectorAll("fieldset[data-question]").forEach(function (fs) {
    fs.addEventListener("change", function () { save(fs); });
    fs.addEventListener("input", function () {
      var qid = fs.getAttribute("data-question");
      clearTimeout(timers[qid]);
      timers[qid] = setTimeout(function () { save(fs); }, 800);
    });
  });

  var timer = document.querySelector(".quiz-timer[data-deadline]");
  if (timer) {
    var deadline = new Date(timer.getAttribute("data-deadline")).getTime();
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      var m = Math.floor(left / 60), s = left % 60;
      timer.textContent = "(" + m + ":" + (s < 10 ? "0" : "") + s + ")";
      if (left === 0) { clearInterval(handle); }
    };
    var handle = setInterval(tick, 1000);
    tick();
  }
}());
