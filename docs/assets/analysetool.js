/* The analysetool: a set of municipalities and the interventions that run there, against the menu per action line.
   Data comes from the build (site/forms.py, #ks-analyse-gegevens); nothing is sent anywhere. */
(function () {
  "use strict";
  var form = document.getElementById("ks-analyse");
  var node = document.getElementById("ks-analyse-gegevens");
  if (!form || !node) return;
  var S = JSON.parse(node.textContent);
  var out = document.getElementById("ks-analyse-uitkomst");
  var input = document.getElementById("ks-analyse-gemeenten");
  var coalitionSelect = document.getElementById("ks-analyse-coalitie");
  var municipalities = {};
  var byName = {};
  S.gemeenten.forEach(function (m) { municipalities[m[0]] = { naam: m[1], provincie: m[2] }; byName[m[1].toLowerCase()] = m[0]; });
  S.opgeheven.forEach(function (m) { municipalities[m[0]] = municipalities[m[0]] || { naam: m[1], provincie: m[2] }; });
  var interventions = {};
  S.interventies.forEach(function (i) { interventions[i.kenmerk] = i; });

  function codes() {
    var found = [];
    var unknown = [];
    input.value.split(";").map(function (part) { return part.trim(); }).filter(Boolean).forEach(function (part) {
      var code = (part.match(/\bGM[0-9]{4}\b/) || [])[0] || byName[part.toLowerCase()];
      if (code && municipalities[code]) { if (found.indexOf(code) < 0) found.push(code); } else unknown.push(part);
    });
    return { found: found, unknown: unknown };
  }
  function ticked(line) {
    return Array.prototype.map.call(form.querySelectorAll('[data-actielijn="' + line + '"] input:checked'), function (b) { return b.value; });
  }
  function element(tag, text) { var el = document.createElement(tag); if (text !== undefined) el.textContent = text; return el; }

  function coverageTable(used) {
    var table = element("table");
    table.className = "ks-tabel";
    table.appendChild(element("caption", "Dekking per actielijn"));
    var head = table.createTHead().insertRow();
    ["Actielijn", "Aangevinkt", "In het menu"].forEach(function (title) { var th = element("th", title); th.scope = "col"; head.appendChild(th); });
    var body = table.createTBody();
    S.actielijnen.forEach(function (pair) {
      var row = body.insertRow();
      var th = element("th", pair[1]);
      th.scope = "row";
      row.appendChild(th);
      row.insertCell().textContent = String(used[pair[0]].length);
      row.insertCell().textContent = String(S.menu[pair[0]]);
    });
    return table;
  }
  function notYetUsed(used) {
    var box = document.createDocumentFragment();
    S.actielijnen.forEach(function (pair) {
      box.appendChild(element("h4", pair[1]));
      var missing = S.erkendPerLijn[pair[0]].filter(function (key) { return used[pair[0]].indexOf(key) < 0; });
      if (!missing.length) { box.appendChild(element("p", "Alle erkende interventies in deze actielijn zijn aangevinkt.")); return; }
      var list = element("ul");
      list.setAttribute("data-actielijn", pair[0]);
      missing.forEach(function (key) { list.appendChild(element("li", interventions[key].naam + " (" + interventions[key].erkenning + ")")); });
      box.appendChild(list);
    });
    return box;
  }
  function neighbours(chosen, skip) {
    var provinces = {};
    chosen.forEach(function (code) { provinces[municipalities[code].provincie] = true; });
    var box = document.createDocumentFragment();
    var near = S.coalities.filter(function (c) {
      return c.kenmerk !== skip && c.gemeenten.some(function (code) { return municipalities[code] && provinces[municipalities[code].provincie]; });
    });
    if (!near.length) { box.appendChild(element("p", chosen.length ? "Er is nog geen coalitie in dezelfde provincie." : "Kies eerst een gemeente.")); return box; }
    var list = element("ul");
    near.forEach(function (c) {
      var names = [];
      S.actielijnen.forEach(function (pair) {
        c.interventies[pair[0]].forEach(function (key) { var name = interventions[key] ? interventions[key].naam : key; if (names.indexOf(name) < 0) names.push(name); });
      });
      list.appendChild(element("li", c.naam + (c.voorbeeld ? " (voorbeeld)" : "") + ": " + (names.join(", ") || "nog geen interventies")));
    });
    box.appendChild(list);
    return box;
  }
  function update() {
    var picked = codes();
    var error = document.getElementById("ks-analyse-gemeenten-fout");
    error.textContent = picked.unknown.length ? "Niet in het CBS-gemeenteregister: " + picked.unknown.join(", ") + ". Kies een gemeente uit de lijst." : "";
    if (picked.unknown.length) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    var used = {};
    S.actielijnen.forEach(function (pair) { used[pair[0]] = ticked(pair[0]); });
    // Only this one line is announced; the tables below change with every tick and would drown it.
    document.getElementById("ks-analyse-samenvatting").textContent = "Aangevinkt tegenover het menu: " + S.actielijnen.map(function (pair) {
      return pair[1].toLowerCase() + " " + used[pair[0]].length + " van " + S.menu[pair[0]];
    }).join(", ") + ".";
    document.getElementById("ks-analyse-tabel").replaceChildren(coverageTable(used));
    document.getElementById("ks-analyse-nog").replaceChildren(notYetUsed(used));
    document.getElementById("ks-analyse-buren").replaceChildren(neighbours(picked.found, coalitionSelect.value));
    var prefill = { gemeenten: picked.found, interventies: {} };
    S.actielijnen.forEach(function (pair) {
      if (used[pair[0]].length) prefill.interventies[pair[0]] = used[pair[0]].map(function (key) { return { interventie: key, status: "in-uitvoering" }; });
    });
    var link = document.getElementById("ks-analyse-naar-formulier");
    link.href = link.getAttribute("href").split("?")[0] + "?vooraf=" + encodeURIComponent(JSON.stringify(prefill));
    out.hidden = false;
  }
  coalitionSelect.addEventListener("change", function () {
    var coalition = S.coalities.find(function (c) { return c.kenmerk === coalitionSelect.value; });
    if (coalition) {
      input.value = coalition.gemeenten.map(function (code) { return municipalities[code] ? municipalities[code].naam + " (" + code + ")" : code; }).join("; ");
      S.actielijnen.forEach(function (pair) {
        form.querySelectorAll('[data-actielijn="' + pair[0] + '"] input').forEach(function (b) { b.checked = coalition.interventies[pair[0]].indexOf(b.value) >= 0; });
      });
    }
    update();
  });
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.hidden = false;
  update();
})();
