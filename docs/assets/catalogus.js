/* Interventiecatalogus: facetten, tellingen en zoeken, zonder server.
 * Filters lezen de data-attributen van de lijst; de zoekterm gaat naar de Pagefind-index
 * (de tellingen van het filter "id" geven in één verzoek alle treffers). De toestand staat in het webadres. */
(function () {
  "use strict";
  const form = document.querySelector("form.ks-catalogus");
  const list = document.getElementById("ks-resultaten");
  if (!form || !list) return;
  const items = Array.from(list.querySelectorAll("li.ks-resultaat"));
  const facets = Array.from(form.querySelectorAll("fieldset[data-facet]")).map((fs) => fs.dataset.facet);
  const query = form.querySelector("input[name=q]");
  const counter = document.getElementById("ks-aantal");
  const counterText = document.getElementById("ks-aantal-tekst");
  const activeNote = document.getElementById("ks-actief");
  const empty = document.getElementById("ks-leeg");
  const filters = document.getElementById("ks-filters");
  // De recordsoort van de catalogus (interventies, trainingen): het Pagefind-filter en de woorden voor de teller.
  const kind = form.dataset.soort || "interventie";
  const singular = form.dataset.enkelvoud || "interventie";
  const plural = form.dataset.meervoud || "interventies";
  const values = items.map((li) => {
    const v = {};
    facets.forEach((f) => { v[f] = (li.dataset[f] || "").split(" ").filter(Boolean); });
    return v;
  });
  let pagefind = null;
  let textMatches = null; // null: no query; otherwise Set of ids
  let searchSerial = 0;

  function selected() {
    const s = {};
    facets.forEach((f) => {
      s[f] = Array.from(form.querySelectorAll(`input[name="${f}"]:checked`)).map((i) => i.value);
    });
    return s;
  }

  function matches(index, sel, except) {
    if (textMatches && !textMatches.has(items[index].dataset.id)) return false;
    return facets.every((f) => f === except || sel[f].length === 0 || sel[f].some((v) => values[index][f].includes(v)));
  }

  function render() {
    const sel = selected();
    let shown = 0;
    items.forEach((li, i) => {
      const ok = matches(i, sel, null);
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    const active = facets.reduce((n, f) => n + sel[f].length, 0) + (query.value.trim() ? 1 : 0);
    counter.textContent = String(shown);
    if (counterText) {
      const noun = shown === 1 && !active ? singular : plural;
      counterText.textContent = active ? `van ${items.length} ${noun}` : noun;
    }
    if (activeNote) activeNote.textContent = active ? `(${active} actief)` : "";
    if (empty) empty.hidden = shown > 0;
    // Counts per value: the other facets and the query apply, this facet's own choice not (OR within a facet).
    facets.forEach((f) => {
      const counts = {};
      items.forEach((li, i) => {
        if (matches(i, sel, f)) values[i][f].forEach((v) => { counts[v] = (counts[v] || 0) + 1; });
      });
      form.querySelectorAll(`input[name="${f}"]`).forEach((input) => {
        const span = form.querySelector(`label[for="${CSS.escape(input.id)}"] .ks-aantal`);
        if (span) span.textContent = `(${counts[input.value] || 0})`;
      });
    });
  }

  function writeUrl() {
    const params = new URLSearchParams();
    if (query.value.trim()) params.set("q", query.value.trim());
    const sel = selected();
    facets.forEach((f) => sel[f].forEach((v) => params.append(f, v)));
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    query.value = params.get("q") || "";
    facets.forEach((f) => {
      const wanted = params.getAll(f);
      form.querySelectorAll(`input[name="${f}"]`).forEach((input) => { input.checked = wanted.includes(input.value); });
    });
  }

  async function loadPagefind() {
    if (!pagefind) {
      const bundle = new URL(form.dataset.pagefind, location.href);
      pagefind = await import(bundle.href);
      await pagefind.options({ baseUrl: new URL("../", bundle).pathname });
      await pagefind.filters(); // search results only count filters whose index is loaded
    }
    return pagefind;
  }

  async function runQuery() {
    const term = query.value.trim();
    const serial = ++searchSerial;
    if (!term) {
      textMatches = null;
      render();
      return;
    }
    try {
      const pf = await loadPagefind();
      const result = await pf.search(term, { filters: { soort: kind } });
      if (serial !== searchSerial) return;
      const ids = (result && result.filters && result.filters.id) || {};
      textMatches = new Set(Object.keys(ids).filter((id) => ids[id] > 0));
    } catch (err) {
      // Without the index (for example opened from disk) fall back to plain text matching.
      const needle = term.toLowerCase();
      textMatches = new Set(items.filter((li) => li.textContent.toLowerCase().includes(needle)).map((li) => li.dataset.id));
    }
    render();
  }

  let timer = null;
  form.addEventListener("submit", (event) => { event.preventDefault(); runQuery(); });
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { writeUrl(); runQuery(); }, 200);
  });
  form.addEventListener("change", (event) => {
    if (event.target.type === "checkbox") { writeUrl(); render(); }
  });
  const clear = document.getElementById("ks-wis");
  if (clear) {
    clear.addEventListener("click", () => {
      form.reset();
      searchSerial += 1; // a search still under way must not bring its matches back
      textMatches = null;
      writeUrl();
      render();
      query.focus();
    });
  }
  // On a phone the folded-out filters push the results down: this button folds them and moves to the results.
  const show = document.getElementById("ks-toon");
  const heading = document.getElementById("ks-teller");
  if (show && filters && heading) {
    show.addEventListener("click", () => {
      filters.open = false;
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    });
  }
  window.addEventListener("popstate", () => { readUrl(); runQuery(); });
  readUrl();
  if (query.value.trim()) runQuery(); else render();
})();
