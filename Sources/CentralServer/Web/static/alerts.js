// Live alerts: an EventSource on /v1/alerts/stream adds each new alert at the top of the table;
// "acknowledge" posts to /v1/alerts/{id}/acknowledge with the session's CSRF token.
(function () {
  "use strict";
  var table = document.getElementById("alerts");
  if (!table) { return; }
  var body = table.tBodies[0];
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var canAck = table.dataset.canAck === "true";
  var kinds = JSON.parse(table.dataset.kinds || "{}");
  var state = document.getElementById("live-state");

  function cell(row, text) { var td = row.insertCell(-1); td.textContent = text == null ? "" : String(text); return td; }

  function ackCell(td, alert) {
    td.className = "ack";
    if (alert.acknowledgedBy) { td.textContent = alert.acknowledgedBy + " " + alert.acknowledgedAt; return; }
    if (!canAck) { return; }
    var button = document.createElement("button");
    button.className = "ack-button";
    button.dataset.id = alert.id;
    button.textContent = table.dataset.ackLabel;
    td.appendChild(button);
  }

  function add(alert) {
    if (document.getElementById("alert-" + alert.id)) { return; }
    var row = body.insertRow(0);
    row.id = "alert-" + alert.id;
    row.className = "k-" + alert.kind + (alert.acknowledgedBy ? "" : " open") + " fresh";
    cell(row, alert.id);
    cell(row, alert.occurredAt);
    cell(row, kinds[alert.kind] || alert.kind);
    cell(row, alert.gate);
    cell(row, alert.credentialPayload);
    cell(row, alert.celsius == null ? "" : alert.celsius.toFixed(1) + " °C");
    cell(row, alert.detail).className = "detail";
    ackCell(row.insertCell(-1), alert);
  }

  body.addEventListener("click", function (event) {
    var button = event.target.closest(".ack-button");
    if (!button) { return; }
    button.disabled = true;
    fetch("/v1/alerts/" + button.dataset.id + "/acknowledge", {
      method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf }
    }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    }).then(function (alert) {
      var row = document.getElementById("alert-" + alert.id);
      row.classList.remove("open");
      var td = row.cells[row.cells.length - 1];
      td.textContent = "";
      ackCell(td, alert);
    }).catch(function () { button.disabled = false; });
  });

  var source = new EventSource("/v1/alerts/stream?after=" + encodeURIComponent(table.dataset.after));
  source.addEventListener("open", function () { state.textContent = state.dataset.textLive; });
  source.addEventListener("error", function () { state.textContent = state.dataset.textLost; });
  source.addEventListener("alert", function (event) { add(JSON.parse(event.data)); });
}());
