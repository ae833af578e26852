// Behaviour every page shares, kept out of the HTML: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  // <button data-print>: print the page (in place of onclick="window.print()").
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { event.preventDefault(); window.print(); }
  });
})();
