// Reads a chosen CSV file into the upload form's text area (the server validates and previews it).
(function () {
  "use strict";
  var input = document.getElementById("csv-file");
  if (!input) { return; }
  input.addEventListener("change", function () {
    var file = input.files[0];
    if (!file) { return; }
    var reader = new FileReader();
    reader.onload = function () { document.getElementById("csv").value = String(reader.result).replace(/^\uFEFF/, ""); };
    reader.readAsText(file, "utf-8");
  });
}());
