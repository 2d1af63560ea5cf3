// Progressive enhancement of a background job's page (/lavori/<id>): every 2 seconds it
// reads GET /api/v1/jobs/<id> and updates the progress bar, its text and the items, without
// reloading and without moving the focus; it stops once the job has finished. The page works
// without this file (a "Refresh" link). Screen readers hear the outcome once, at the end,
// through the polite live region, not every change of the counter.
(function () {
  "use strict";
  var INTERVAL = 2000;

  function start() {
    var box = document.getElementById("job-progress");
    if (!box || box.getAttribute("data-finished") === "true" || !window.fetch) { return; }
    var url = box.getAttribute("data-job-url");
    var bar = document.getElementById("job-bar");
    var stateEl = box.querySelector("[data-job-state]");
    var textEl = box.querySelector("[data-job-text]");
    var live = box.querySelector("[data-job-live]");
    var refresh = box.querySelector("[data-job-refresh]");
    var retry = box.querySelector("[data-job-retry]");
    var timer = null;

    function setText(el, value) {
      if (el && el.textContent !== value) { el.textContent = value; }
    }

    function showItems(items) {
      (items || []).forEach(function (item) {
        var row = document.querySelector('tr[data-item="' + item.position + '"]');
        if (!row) { return; }
        setText(row.querySelector("[data-item-state]"), item.state_label);
        setText(row.querySelector("[data-item-attempts]"), String(item.attempts));
        setText(row.querySelector("[data-item-error]"), item.last_error || "");
      });
    }

    function show(job) {
      var processed = job.done + job.failed;
      bar.max = job.total;
      bar.value = processed;
      bar.textContent = processed + " / " + job.total;
      setText(stateEl, job.state_label);
      setText(textEl, job.progress_text);
      showItems(job.items);
      if (job.finished) {
        box.setAttribute("data-finished", "true");
        setText(live, job.state_label + ": " + job.progress_text);
        if (refresh) { refresh.hidden = true; }
        if (retry && job.failed > 0) { retry.hidden = false; }
      }
      return job.finished;
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (resp) {
          if (!resp.ok) { throw new Error("HTTP " + resp.status); }
          return resp.json();
        })
        .then(function (job) {
          if (!show(job)) { timer = window.setTimeout(poll, INTERVAL); }
        })
        .catch(function () {
          // The server did not answer: try again later; the Refresh link stays.
          timer = window.setTimeout(poll, INTERVAL * 5);
        });
    }

    timer = window.setTimeout(poll, INTERVAL);
    window.addEventListener("pagehide", function () { window.clearTimeout(timer); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
