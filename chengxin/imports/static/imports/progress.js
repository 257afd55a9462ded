// Polls an import batch's status and moves the progress bar until the batch has finished.
(function () {
  "use strict";
  var box = document.getElementById("batch-status");
  if (!box || box.dataset.finished === "1") { return; }
  var bar = document.getElementById("progress");
  var text = document.getElementById("progress-text");
  var label = document.getElementById("status-label");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        label.textContent = data.status_label;
        text.textContent = box.dataset.readTemplate
          .replace("{read}", data.rows_read).replace("{total}", data.rows_total || "?");
        if (data.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
