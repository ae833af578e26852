// The application page's papers: drop scans on a component's box (or pick them), see their names, then upload.
// Without this script the file pickers and buttons do the same.
(function () {
  "use strict";
  document.querySelectorAll("label.dropzone").forEach(function (zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) return;
    var list = document.createElement("span");
    list.className = "dropped muted";
    zone.appendChild(list);

    function show() {
      var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
      list.textContent = names.length ? " " + names.join(", ") : "";
    }

    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) {
        e.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  });
})();
