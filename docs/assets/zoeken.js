/* De zoekpagina: de Pagefind-index van deze site, zonder Pagefinds eigen UI (die botste met de stijl van Material
 * en liet ook het technische filter "id" zien). Alleen pagefind.js, de WebAssembly en de index-stukken die een
 * zoekopdracht nodig heeft worden geladen. Filters: soort, actielijn, erkenning, doelgroep; OF binnen een filter,
 * EN tussen filters. De zoekterm en de filters staan in het webadres, zodat een zoekopdracht te delen is. */
(function () {
  "use strict";
  const root = document.getElementById("ks-zoeken");
  const form = document.getElementById("ks-zoekformulier");
  if (!root || !form) return;
  const input = document.getElementById("ks-zoekterm");
  const facetBox = document.getElementById("ks-zoekfacetten");
  const status = document.getElementById("ks-zoekstatus");
  const list = document.getElementById("ks-zoekresultaten");
  const more = document.getElementById("ks-meer");
  const moreLine = document.getElementById("ks-meer-regel"); // Material's .md-button would override [hidden] on the button
  const activeNote = document.getElementById("ks-zoekactief");
  const FACETS = [
    ["soort", "Soort"],
    ["actielijn", "Actielijn"],
    ["erkenning", "Erkenning"],
    ["doelgroep", "Doelgroep"],
  ];
  const LINE_ORDER = ["Voor de zwangerschap", "Tijdens de zwangerschap", "Na de geboorte"];
  const PAGE_SIZE = 5; // each result fetches its fragment: five fill a phone screen and keep the page light
  // The weights of the hidden search words (site/search.py): a hit only there shows the summary, not the word list.
  const KEYWORD_WEIGHTS = root.dataset.keywordWeights.split(" ").map(Number);
  const bundle = new URL(root.dataset.bundle, location.href);
  let pagefind = null;
  // The label of every "soort" value, written by the site build from the kinds table (site/sections/search.py).
  let kindLabels = {};
  let results = [];
  let shown = 0;
  let serial = 0;

  async function load() {
    if (!pagefind) {
      const labels = fetch(new URL(root.dataset.kindLabels, location.href)).then((r) => r.json()).catch(() => ({}));
      pagefind = await import(new URL("pagefind.js", bundle).href);
      kindLabels = await labels; // without them a kind shows its code: the search still works
      // noWorker: this small index searches fast on the main thread; the worker script would add 12 KB.
      await pagefind.options({ baseUrl: new URL("../", bundle).pathname, excerptLength: 24, noWorker: true });
    }
    return pagefind;
  }

  function label(facet, value) {
    return facet === "soort" ? (kindLabels[value] || value) : value;
  }

  function ordered(facet, counts) {
    const values = Object.keys(counts);
    if (facet === "actielijn") return values.sort((a, b) => LINE_ORDER.indexOf(a) - LINE_ORDER.indexOf(b));
    return values.sort((a, b) => counts[b] - counts[a] || a.localeCompare(b, "nl"));
  }

  function buildFacets(all, wanted) {
    facetBox.textContent = "";
    FACETS.forEach(([facet, legendText], f) => {
      const counts = all[facet];
      if (!counts) return;
      const fieldset = document.createElement("fieldset");
      fieldset.className = "ks-facet";
      fieldset.dataset.facet = facet;
      const legend = document.createElement("legend");
      legend.textContent = legendText;
      const ul = document.createElement("ul");
      ordered(facet, counts).forEach((value, v) => {
        const li = document.createElement("li");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.id = `z-${f}-${v}`;
        box.name = facet;
        box.value = value;
        box.checked = (wanted[facet] || []).includes(value);
        const lab = document.createElement("label");
        lab.htmlFor = box.id;
        lab.append(label(facet, value) + " ");
        const count = document.createElement("span");
        count.className = "ks-aantal";
        count.textContent = `(${counts[value]})`;
        lab.append(count);
        li.append(box, lab);
        ul.append(li);
      });
      fieldset.append(legend, ul);
      facetBox.append(fieldset);
    });
  }

  function selected() {
    const chosen = {};
    FACETS.forEach(([facet]) => {
      const values = Array.from(form.querySelectorAll(`input[name="${facet}"]:checked`)).map((i) => i.value);
      if (values.length) chosen[facet] = values;
    });
    return chosen;
  }

  function writeUrl(term, chosen) {
    const params = new URLSearchParams();
    if (term) params.set("q", term);
    Object.entries(chosen).forEach(([facet, values]) => values.forEach((v) => params.append(facet, v)));
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  function updateCounts(counts) {
    form.querySelectorAll("fieldset[data-facet] input").forEach((box) => {
      const span = box.nextElementSibling && box.nextElementSibling.querySelector(".ks-aantal");
      const n = counts && counts[box.name] ? counts[box.name][box.value] || 0 : 0;
      if (span) span.textContent = `(${n})`;
    });
  }

  function resultItem(data) {
    const li = document.createElement("li");
    li.className = "ks-resultaat";
    const h3 = document.createElement("h3");
    h3.className = "ks-resultaat__naam";
    const a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    h3.append(a);
    const excerpt = document.createElement("p");
    excerpt.className = "ks-resultaat__samenvatting";
    excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text; only its <mark> tags are markup
    const locations = data.weighted_locations || [];
    const summary = data.meta && data.meta.samenvatting;
    if (summary && locations.length && locations.every((l) => KEYWORD_WEIGHTS.includes(l.weight))) {
      // Found through a synonym only: the list of search words is no excerpt; show the summary and the word.
      const words = Array.from(excerpt.querySelectorAll("mark"), (m) => m.textContent.replace(/[,.]$/, ""));
      excerpt.textContent = summary;
      li.append(h3, excerpt);
      const via = document.createElement("p");
      via.className = "ks-meta ks-resultaat__via";
      via.append("Gevonden via het zoekwoord ");
      const mark = document.createElement("mark");
      mark.textContent = Array.from(new Set(words)).join(", ");
      via.append(mark);
      li.append(via);
    } else {
      li.append(h3, excerpt);
    }
    const kinds = (data.filters && data.filters.soort) || [];
    if (kinds.length) {
      const p = document.createElement("p");
      p.className = "ks-resultaat__kenmerken";
      kinds.forEach((k) => {
        const badge = document.createElement("span");
        badge.className = "ks-badge";
        badge.textContent = label("soort", k);
        p.append(badge);
      });
      li.append(p);
    }
    return li;
  }

  async function showMore(mine) {
    const batch = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (mine !== serial) return;
    data.forEach((d) => list.append(resultItem(d)));
    shown += batch.length;
    moreLine.hidden = shown >= results.length;
  }

  async function run() {
    const mine = ++serial;
    const term = input.value.trim();
    const chosen = selected();
    const active = Object.values(chosen).reduce((n, v) => n + v.length, 0);
    activeNote.textContent = active ? `(${active} actief)` : "";
    writeUrl(term, chosen);
    if (!term && !active) {
      results = [];
      list.textContent = "";
      moreLine.hidden = true;
      status.textContent = "Typ een zoekterm of kies een filter";
      return;
    }
    const pf = await load();
    const filters = {};
    Object.entries(chosen).forEach(([facet, values]) => { filters[facet] = { any: values }; });
    const search = await pf.search(term || null, { filters });
    if (mine !== serial || !search) return;
    results = search.results;
    shown = 0;
    list.textContent = "";
    updateCounts(search.filters);
    const n = results.length;
    status.textContent = n === 0 ? "Geen resultaten. Probeer een ander woord of wis een filter."
      : `${n} ${n === 1 ? "resultaat" : "resultaten"}${term ? ` voor "${term}"` : ""}`;
    await showMore(mine);
  }

  async function start() {
    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    const wanted = {};
    FACETS.forEach(([facet]) => { wanted[facet] = params.getAll(facet); });
    try {
      const pf = await load();
      buildFacets(await pf.filters(), wanted);
    } catch (err) {
      status.textContent = "De zoekindex kon niet worden geladen.";
      return;
    }
    if (input.value || Object.values(wanted).some((v) => v.length)) run();
  }

  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(timer); run(); });
  form.addEventListener("change", (event) => { if (event.target.type === "checkbox") run(); });
  more.addEventListener("click", () => showMore(serial));
  start();
})();
