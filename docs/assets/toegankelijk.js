// Material wraps wide tables in a scrolling box once the page has loaded. Keyboard users must be able to
// reach and scroll that box (WCAG 2.1.1), so every box becomes a focusable region named after its table.
(function () {
  "use strict";

  function markScrollBoxes() {
    document.querySelectorAll(".md-typeset__scrollwrap:not([tabindex])").forEach(function (box) {
      var caption = box.querySelector("caption");
      var header = box.querySelector("th");
      var name = caption ? caption.textContent : header ? header.textContent : "";
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", ("Tabel " + name.trim()).trim());
    });
  }

  new MutationObserver(markScrollBoxes).observe(document.documentElement, { childList: true, subtree: true });
  markScrollBoxes();
})();
