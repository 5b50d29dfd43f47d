/* De zoekpagina: Pagefind UI, geladen van deze site zelf. De basis-URL wordt uit de plek van de
 * bundel afgeleid, zodat de site ook onder een submap werkt. ?q=... start een zoekopdracht. */
(function () {
  "use strict";
  const element = document.getElementById("ks-zoeken");
  if (!element || typeof PagefindUI === "undefined") return;
  const bundle = new URL(element.dataset.bundle, location.href);
  const ui = new PagefindUI({
    element: "#ks-zoeken",
    bundlePath: bundle.pathname,
    baseUrl: new URL("../", bundle).pathname,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    translations: { placeholder: "Zoek in de kennisbank" },
  });
  const input = element.querySelector("input");
  if (input && !input.id) {
    input.id = "ks-zoekterm";
    input.setAttribute("aria-label", "Zoekterm");
  }
  const term = new URLSearchParams(location.search).get("q");
  if (term) ui.triggerSearch(term);
  element.addEventListener("input", (event) => {
    if (event.target === input) {
      const value = input.value.trim();
      history.replaceState(null, "", value ? `?q=${encodeURIComponent(value)}` : location.pathname);
    }
  });
})();
