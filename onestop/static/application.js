// The application page: one action at a time (the picker shows only the chosen action's form, without a reload),
// and the officer list follows the agency chosen. Without this script the picker's links do the same by reloading.
(function () {
  "use strict";
  var picker = document.querySelector(".action-picker");
  if (!picker) return;
  var hint = document.getElementById("action-hint");

  function show(action) {
    document.querySelectorAll(".action-form").forEach(function (form) {
      form.hidden = form.id !== "action-" + action;
    });
    picker.querySelectorAll("a[data-action]").forEach(function (link) {
      var chosen = link.dataset.action === action;
      link.classList.toggle("primary", chosen);
      if (chosen) link.setAttribute("aria-current", "true"); else link.removeAttribute("aria-current");
    });
    if (hint) hint.hidden = true;
    var form = document.getElementById("action-" + action);
    var first = form && form.querySelector("select, textarea, input:not([type=hidden])");
    if (first) first.focus();
  }

  picker.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-action]");
    if (!link) return;
    e.preventDefault();
    show(link.dataset.action);
    history.replaceState(null, "", link.href);
  });

  // Officers of the chosen agency only (the server checks the pair too).
  document.querySelectorAll(".action-form").forEach(function (form) {
    var agency = form.querySelector("select.to-agency");
    var officer = form.querySelector("select.to-user");
    if (!agency || !officer) return;
    function sync() {
      officer.querySelectorAll("optgroup").forEach(function (group) {
        var match = group.dataset.agency === agency.value;
        group.hidden = !match;
        group.disabled = !match;
      });
      var picked = officer.selectedOptions[0];
      if (picked && picked.parentNode.tagName === "OPTGROUP" && picked.parentNode.disabled) officer.value = "";
    }
    agency.addEventListener("change", sync);
    sync();
  });
})();
