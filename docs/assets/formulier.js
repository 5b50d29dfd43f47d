/* Record forms: read the answers back in schema order, check them, and write the record as `kansrijk fmt` would.
   The page (site/forms.py) carries the schema-derived fields and the build-time data in #ks-formulier-gegevens.
   Nothing leaves the browser until the person follows the GitHub link. */
(function () {
  "use strict";
  var form = document.getElementById("ks-formulier");
  var settingsNode = document.getElementById("ks-formulier-gegevens");
  if (!form || !settingsNode) return;
  var S = JSON.parse(settingsNode.textContent);
  var STORE = "kansrijk-formulier-" + S.soort;
  var params = new URLSearchParams(location.search);
  var changeKey = params.get("wijzig");
  var existing = null; // {pad, modeline, gegevens, blokken} when changing a shipped record
  var counter = 0;

  /* ---------- municipalities ---------- */
  var byCode = {};
  var byName = {};
  S.gemeenten.forEach(function (m) { byCode[m[0]] = { code: m[0], naam: m[1], provincie: m[2] }; byName[m[1].toLowerCase()] = m[0]; });
  var ended = {};
  S.opgeheven.forEach(function (m) {
    ended[m[0]] = { code: m[0], naam: m[1], einddatum: m[3], opvolgers: m[4] };
    if (!byName[m[1].toLowerCase()]) byName[m[1].toLowerCase()] = m[0];
  });

  function municipalityCode(text) {
    var value = text.trim();
    var code = value.match(/\b(GM[0-9]{4})\b/);
    if (code) return (byCode[code[1]] || ended[code[1]]) ? code[1] : null;
    return byName[value.toLowerCase()] || null;
  }
  function municipalityText(code) {
    if (byCode[code]) return byCode[code].naam + " (" + code + ")";
    if (ended[code]) return ended[code].naam + " (" + code + ", opgeheven)";
    return code;
  }

  /* ---------- scopes and lists ---------- */
  function scopeOf(el) { return el.parentElement.closest("[data-scope]"); }
  function ownFields(scope) {
    return Array.prototype.filter.call(scope.querySelectorAll("[data-sleutel]"), function (el) { return scopeOf(el) === scope && !el.closest("[hidden][data-blok]"); });
  }
  function items(list) {
    return Array.prototype.filter.call(list.querySelectorAll("[data-item]"), function (li) { return scopeOf(li) === list; });
  }
  function renumber(list) {
    items(list).forEach(function (li, index) {
      li.querySelectorAll("[data-nummer]").forEach(function (n) { if (n.closest("[data-item]") === li) n.textContent = String(index + 1); });
    });
  }
  function addItem(list) {
    var template = Array.prototype.find.call(list.children, function (c) { return c.tagName === "TEMPLATE"; });
    var holder = list.querySelector("[data-items]");
    counter += 1;
    var html = template.innerHTML.replace(/__i__/g, String(counter));
    holder.insertAdjacentHTML("beforeend", html);
    var li = holder.lastElementChild;
    renumber(list);
    return li;
  }

  /* ---------- reading the answers ---------- */
  // The characters the loader refuses in any text (records/loader.py CONTROL_CHARACTERS), handed over by the build.
  var CONTROLS = new RegExp(S.stuurtekens, "g");
  function clean(text, multiline) {
    // Control characters, tabs and odd line breaks would force escapes; they never carry meaning in these fields.
    // Line breaks and tabs are turned into their plain forms first; then every character the loader refuses goes.
    var value = String(text).replace(/\r\n?/g, "\n").replace(/[\u2028\u2029\u0085]/g, multiline ? "\n" : " ")
      .replace(/\t/g, "    ").replace(CONTROLS, "").replace(/\ufeff/g, "");
    if (!multiline) return value.replace(/\n/g, " ").trim();
    value = value.split("\n").map(function (line) { return line.replace(/\s+$/, ""); }).join("\n").trim();
    return value.indexOf("\n") >= 0 ? value + "\n" : value;
  }
  function readValue(el) {
    var kind = el.getAttribute("data-soort");
    if (kind === "groep") return collect(el);
    if (kind === "lijst") return items(el).map(function (li) { return collect(li); });
    if (kind === "tekstlijst" || kind === "gemeenten") {
      return items(el).map(function (li) {
        var input = li.querySelector("[data-waarde]");
        var text = clean(input.value, false);
        return kind === "gemeenten" ? (municipalityCode(text) || text) : text;
      }).filter(function (v) { return v !== ""; });
    }
    if (kind === "vinkjes") {
      // Ticked codes keep the order of the record they came from; new ones follow in page order.
      var before = JSON.parse(el.getAttribute("data-volgorde") || "[]");
      var rank = function (code) { var at = before.indexOf(code); return at < 0 ? before.length : at; };
      var ticked = Array.prototype.filter.call(el.querySelectorAll("input[type=checkbox]"), function (b) { return b.checked; }).map(function (b) { return b.value; });
      return ticked.map(function (code, at) { return [rank(code), at, code]; }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; }).map(function (t) { return t[2]; });
    }
    if (kind === "ja-nee") return el.checked ? true : undefined;
    if (kind === "getal") return el.value.trim() === "" ? undefined : Number(el.value);
    return clean(el.value, kind === "tekst");
  }
  function isEmpty(value) {
    return value === undefined || value === "" || (Array.isArray(value) && value.length === 0) ||
      (value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }
  function collect(scope) {
    var data = {};
    ownFields(scope).forEach(function (el) {
      var value = readValue(el);
      var keepEmpty = el.hasAttribute("data-verplicht") && value && typeof value === "object";
      if (!isEmpty(value) || keepEmpty) data[el.getAttribute("data-sleutel")] = value;
    });
    return data;
  }
  function record() {
    var answers = collect(form);
    if (!existing) return answers;
    var asked = {};
    ownFields(form).forEach(function (el) { asked[el.getAttribute("data-sleutel")] = true; });
    var result = {};
    S.volgorde.forEach(function (key) {
      if (asked[key]) { if (key in answers) result[key] = answers[key]; } else if (key in existing.gegevens) result[key] = existing.gegevens[key];
    });
    Object.keys(existing.gegevens).forEach(function (key) { if (!(key in result) && !asked[key]) result[key] = existing.gegevens[key]; });
    return result;
  }

  /* ---------- filling the form (change, analysetool, autosave) ---------- */
  function fill(scope, data) {
    ownFields(scope).forEach(function (el) {
      var key = el.getAttribute("data-sleutel");
      var kind = el.getAttribute("data-soort");
      var value = data[key];
      if (value === undefined) return;
      if (kind === "groep") fill(el, value || {});
      else if (kind === "lijst" || kind === "tekstlijst" || kind === "gemeenten") {
        items(el).forEach(function (li) { li.remove(); });
        (value || []).forEach(function (entry) {
          var li = addItem(el);
          if (kind === "lijst") fill(li, entry);
          else li.querySelector("[data-waarde]").value = kind === "gemeenten" ? municipalityText(entry) : entry;
        });
      } else if (kind === "vinkjes") {
        el.setAttribute("data-volgorde", JSON.stringify(value));
        el.querySelectorAll("input[type=checkbox]").forEach(function (b) { b.checked = value.indexOf(b.value) >= 0; });
      } else if (kind === "ja-nee") el.checked = value === true;
      else if (kind === "tekst") el.value = String(value).replace(/\n$/, "");
      else {
        if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === String(value); })) {
          el.add(new Option(String(value), String(value)));
        }
        el.value = String(value);
      }
    });
  }
  function ensureMinimumItems() {
    form.querySelectorAll("[data-soort=lijst],[data-soort=tekstlijst],[data-soort=gemeenten]").forEach(function (list) {
      var wanted = Number(list.getAttribute("data-min") || 0);
      if (list.closest("[data-item]")) return;
      while (items(list).length < wanted && !list.hasAttribute("data-gevuld")) addItem(list);
    });
  }

  /* ---------- checking ---------- */
  function fieldLabel(el) {
    var label = el.id && form.querySelector('label[for="' + el.id + '"]');
    return label ? label.textContent.replace(/\s*\(verplicht\)/, "").trim() : el.getAttribute("data-label");
  }
  function constraintMessage(el) {
    var v = el.validity;
    var name = fieldLabel(el);
    if (v.valueMissing) return "Vul ‘" + name + "’ in.";
    if (v.typeMismatch && el.type === "url") return "‘" + name + "’ moet een webadres zijn dat begint met https:// of http://.";
    if (v.typeMismatch && el.type === "email") return "‘" + name + "’ moet een mailadres zijn, zoals kansrijkestart@gemeente.nl.";
    if (v.badInput) return "‘" + name + "’ is geen geldige waarde.";
    if (v.patternMismatch) return "‘" + name + "’ heeft niet de goede vorm. " + (el.getAttribute("data-vorm") || el.getAttribute("data-hulptekst") || "");
    if (v.tooShort) return "‘" + name + "’ moet minstens " + el.getAttribute("minlength") + " tekens hebben.";
    if (v.tooLong) return "‘" + name + "’ mag hoogstens " + el.getAttribute("maxlength") + " tekens hebben.";
    if (v.rangeUnderflow) return "‘" + name + "’ moet minstens " + el.getAttribute("min") + " zijn.";
    if (v.rangeOverflow) return "‘" + name + "’ mag hoogstens " + el.getAttribute("max") + " zijn.";
    if (v.stepMismatch) return "‘" + name + "’ moet een heel getal zijn, zonder punt of komma.";
    return "";
  }
  function lengthCheck(el) {
    // Browsers check minlength/maxlength only on typed text; prefilled values need the same check.
    var min = Number(el.getAttribute("minlength") || 0);
    var max = Number(el.getAttribute("maxlength") || 0);
    var length = Array.from(el.value.trim()).length;
    if (length && min && length < min) return "‘" + fieldLabel(el) + "’ moet minstens " + min + " tekens hebben.";
    if (max && length > max) return "‘" + fieldLabel(el) + "’ mag hoogstens " + max + " tekens hebben.";
    return "";
  }
  function setError(el, message, errors) {
    var slot = document.getElementById(el.id + "-fout");
    if (slot) slot.textContent = message;
    if (message) { el.setAttribute("aria-invalid", "true"); errors.push({ el: el, message: message }); }
    else el.removeAttribute("aria-invalid");
  }
  function setWarning(el, message) {
    var slot = document.getElementById(el.id + "-fout");
    if (slot && message) { slot.textContent = message; slot.classList.add("ks-waarschuwing"); }
    else if (slot) slot.classList.remove("ks-waarschuwing");
  }
  function roundOf(key) { return (S.rondes || []).find(function (r) { return r.kenmerk === key; }); }
  function euro(n) { return "€ " + Number(n).toLocaleString("nl-NL"); }

  function crossChecks(data, errors) {
    form.querySelectorAll("[data-soort=gemeente]").forEach(function (input) {
      if (input.closest("[hidden][data-blok]")) return;
      var text = clean(input.value, false);
      if (!text) return;
      var code = municipalityCode(text);
      if (!code) setError(input, "‘" + text + "’ staat niet in het CBS-gemeenteregister. Kies een gemeente uit de lijst.", errors);
      else if (ended[code]) {
        var next = ended[code].opvolgers.map(municipalityText).join(", ");
        setWarning(input, "Let op: " + ended[code].naam + " is opgeheven op " + ended[code].einddatum + ". Opvolger: " + next + ".");
      }
    });
    form.querySelectorAll("[data-soort=gemeenten]").forEach(function (list) {
      var seen = {};
      items(list).forEach(function (li) {
        var input = li.querySelector("[data-waarde]");
        var code = municipalityCode(input.value);
        if (code && seen[code]) setError(input, municipalityText(code) + " staat al in de lijst; noem elke gemeente één keer.", errors);
        if (code) seen[code] = true;
      });
    });
    var known = {};
    S.interventies.forEach(function (i) { known[i.kenmerk] = true; });
    form.querySelectorAll("[data-soort=interventie]").forEach(function (select) {
      if (select.value && !known[select.value]) setError(select, "De interventie ‘" + select.value + "’ staat niet in de catalogus.", errors);
    });
    if (S.soort === "aanvraag") budgetChecks(data, errors);
  }
  function budgetChecks(data, errors) {
    var amount = form.querySelector('[data-sleutel="bedrag_aangevraagd"]');
    var lines = form.querySelector('[data-sleutel="begroting"]');
    var total = (data.begroting || []).reduce(function (sum, line) { return sum + (line.bedrag || 0); }, 0);
    if (amount && data.bedrag_aangevraagd !== undefined && data.begroting && total !== data.bedrag_aangevraagd) {
      setError(lines, "De begrotingsregels tellen op tot " + euro(total) + ", niet tot het aangevraagde bedrag van " + euro(data.bedrag_aangevraagd) + ".", errors);
    }
    var round = roundOf(data.ronde);
    var count = (data.gemeenten || []).length;
    if (round && round.max && count && data.bedrag_aangevraagd > round.max * count) {
      setError(amount, "Het aangevraagde bedrag is hoger dan het maximum van " + euro(round.max * count) + " (" + euro(round.max) + " per gemeente × " + count + ").", errors);
    }
    if (round) {
      round.onderdeelKenmerken.forEach(function (part, index) {
        var el = form.querySelector('[data-sleutel="' + part + '"]');
        if (el && isEmpty(data[part])) setError(el, "Deze ronde vraagt om ‘" + round.onderdelen[index] + "’. Vul dit onderdeel in.", errors);
      });
    }
  }
  function listChecks(errors) {
    form.querySelectorAll("[data-min]").forEach(function (el) {
      if (el.closest("[hidden][data-blok]")) return;
      var min = Number(el.getAttribute("data-min"));
      var value = readValue(el);
      if (min && Array.isArray(value) && value.length < min) setError(el, "Geef bij ‘" + el.getAttribute("data-label") + "’ minstens " + min + (min === 1 ? " antwoord." : " antwoorden."), errors);
    });
  }
  function inEmptyOptionalGroup(el) {
    // A required field of an optional group (erkenning.herbeoordeling: vermeld_op and bron) is required only once
    // the group has a value, as in the schema; an empty optional group is left out of the record.
    var group = el.parentElement && el.parentElement.closest("[data-soort=groep]");
    while (group && group.hasAttribute("data-verplicht")) group = group.parentElement && group.parentElement.closest("[data-soort=groep]");
    return Boolean(group) && isEmpty(collect(group));
  }
  function check() {
    var errors = [];
    form.querySelectorAll(".ks-fout").forEach(function (slot) { slot.textContent = ""; slot.classList.remove("ks-waarschuwing"); });
    form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    form.querySelectorAll("input,select,textarea").forEach(function (el) {
      if (!el.id || el.closest("template") || el.closest("[hidden][data-blok]") || el.type === "checkbox" && !el.hasAttribute("data-sleutel")) return;
      if (el.validity.valueMissing && inEmptyOptionalGroup(el)) return;
      var message = el.readOnly ? "" : constraintMessage(el) || lengthCheck(el);
      if (message) setError(el, message, errors);
    });
    listChecks(errors);
    var data = record();
    crossChecks(data, errors);
    showSummary(errors);
    return errors.length ? null : data;
  }
  function showSummary(errors) {
    var box = document.getElementById("ks-foutoverzicht");
    var list = box.querySelector("ul");
    list.textContent = "";
    errors.forEach(function (error) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + error.el.id;
      link.textContent = error.message;
      link.addEventListener("click", function (event) { event.preventDefault(); error.el.focus(); error.el.scrollIntoView({ block: "center" }); });
      li.appendChild(link);
      list.appendChild(li);
    });
    box.hidden = errors.length === 0;
    if (errors.length) box.focus();
  }

  /* ---------- the house format of `kansrijk fmt` (ruamel.yaml, YAML 1.2, see scripts/kansrijk/tools/fmt.py) ---------- */
  var OTHER_TYPES = [ // ruamel's YAML 1.2 resolver (without timestamps, as fmt.py sets it up), then the loader's
    /^(?:true|True|TRUE|false|False|FALSE)$/,
    /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/,
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    /^[-+]?(?:0|[1-9][0-9]*)$/, // the strict loader's own int and float (scripts/kansrijk/records/loader.py)
    /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$/, // loader.py _FLOAT, exponent after any form
    /^[-+]?(?:0[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|\.(?:inf|Inf|INF|nan|NaN|NAN))$/, // loader.py _AMBIGUOUS_NUMBER
    /^(?:~|null|Null|NULL|<<|=|!|&|\*)$/
  ];
  var CODE = /^[^\s,\[\]{}#&*!|>'"%@`]+$/;
  var SPACE = "\0 \t\r\n\u0085\u2028\u2029";
  function readsAsOtherType(text) { return OTHER_TYPES.some(function (re) { return re.test(text); }); }
  function plainAllowed(text, flow) {
    // ruamel's Emitter.analyze_scalar, for the characters clean() lets through.
    if (!text || /^\s|\s$/.test(text) || text.indexOf("\n") >= 0) return false;
    if (text.startsWith("---") || text.startsWith("...")) return false;
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) {
      var ch = chars[i];
      var before = i === 0 || SPACE.indexOf(chars[i - 1]) >= 0;
      var after = i + 1 >= chars.length || SPACE.indexOf(chars[i + 1]) >= 0;
      if (i === 0) {
        if ("#,[]{}&*!|>'\"%@`".indexOf(ch) >= 0) return false;
        if ("?:".indexOf(ch) >= 0 && ((flow && chars.length === 1) || after)) return false;
        if (ch === "-" && after) return false;
      } else {
        if (flow && ",[]{}".indexOf(ch) >= 0) return false;
        if (ch === ":" && after) return false;
        if (ch === "#" && before) return false;
      }
    }
    return true;
  }
  function scalar(value, flow) {
    if (typeof value === "boolean" || typeof value === "number") return String(value);
    var text = String(value);
    if (readsAsOtherType(text)) return "'" + text + "'";
    if (plainAllowed(text, flow)) return text;
    if (text.indexOf("'") >= 0) return '"' + text.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
    return "'" + text + "'";
  }
  function literal(text, indent) {
    var body = text.replace(/\n$/, "").split("\n").map(function (line) { return line ? indent + line : ""; }).join("\n");
    return (text.endsWith("\n") ? "|" : "|-") + "\n" + body;
  }
  function isCodeList(list) { return list.length > 0 && list.every(function (v) { return typeof v === "string" && CODE.test(v); }); }
  function mappingLines(data, indent, out) {
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (Array.isArray(value)) {
        if (value.length === 0) out.push(indent + key + ": []");
        else if (isCodeList(value)) out.push(indent + key + ": [" + value.map(function (v) { return scalar(v, true); }).join(", ") + "]");
        else { out.push(indent + key + ":"); sequenceLines(value, indent + "  ", out); }
      } else if (value !== null && typeof value === "object") {
        if (Object.keys(value).length === 0) out.push(indent + key + ": {}");
        else { out.push(indent + key + ":"); mappingLines(value, indent + "  ", out); }
      } else if (typeof value === "string" && value.indexOf("\n") >= 0) {
        out.push(indent + key + ": " + literal(value, indent + "  "));
      } else out.push(indent + key + ": " + scalar(value, false));
    });
  }
  function sequenceLines(list, indent, out) {
    list.forEach(function (item) {
      if (item !== null && typeof item === "object" && !Array.isArray(item)) {
        var inner = [];
        mappingLines(item, indent + "  ", inner);
        inner[0] = indent + "- " + inner[0].slice(indent.length + 2);
        inner.forEach(function (line) { out.push(line); });
      } else if (typeof item === "string" && item.indexOf("\n") >= 0) out.push(indent + "- " + literal(item, indent + "  "));
      else out.push(indent + "- " + scalar(item, false));
    });
  }
  function toYaml(data) {
    var out = [];
    mappingLines(data, "", out);
    return out.join("\n") + "\n";
  }
  window.kansrijkYaml = toYaml; // for the tests that compare with `kansrijk fmt`

  /* ---------- the result ---------- */
  function pruned(value) {
    // The form leaves empty lists and blocks out; a shipped `tijdens: []` is still the same answer.
    if (Array.isArray(value)) return value.map(pruned);
    if (value === null || typeof value !== "object") return value;
    var out = {};
    Object.keys(value).forEach(function (key) { var inner = pruned(value[key]); if (!isEmpty(inner)) out[key] = inner; });
    return out;
  }
  function same(a, b) { return JSON.stringify(pruned(a)) === JSON.stringify(pruned(b)); }
  function filePath(data) {
    return S.bestand.replace(/\{(\w+)\}/g, function (_m, key) { return data[key] || "…"; });
  }
  function recordText(data) {
    if (!existing) return S.modeline + "\n" + toYaml(data);
    var parts = [existing.modeline];
    Object.keys(data).forEach(function (key) {
      var one = {};
      one[key] = data[key];
      parts.push(key in existing.blokken && same(existing.gegevens[key], data[key]) ? existing.blokken[key].replace(/\n$/, "") : toYaml(one).replace(/\n$/, ""));
    });
    return parts.join("\n") + "\n";
  }
  function showResult(data) {
    var text = recordText(data);
    var path = existing ? existing.pad : filePath(data);
    var section = document.getElementById("ks-resultaat");
    document.getElementById("ks-pad").textContent = path;
    document.getElementById("ks-yaml").value = text;
    var download = document.getElementById("ks-download");
    if (download.href.startsWith("blob:")) URL.revokeObjectURL(download.href);
    download.href = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
    download.setAttribute("download", path.split("/").pop());
    var github = document.getElementById("ks-github");
    var explain = document.getElementById("ks-github-uitleg");
    var changes = document.getElementById("ks-wijzigingen");
    changes.textContent = "";
    if (existing) {
      var changed = Object.keys(Object.assign({}, existing.gegevens, data)).filter(function (key) { return !same(existing.gegevens[key], data[key]); });
      var p = document.createElement("p");
      p.textContent = changed.length ? "Gewijzigd: " + changed.map(function (key) { return S.labels[key] || key; }).join(", ") + "." : "U hebt nog niets gewijzigd.";
      changes.appendChild(p);
      github.href = S.repository + "/edit/main/" + path;
      github.hidden = false;
      explain.textContent = "GitHub opent het bestand om te bewerken. Kopieer eerst de nieuwe tekst hierboven, vervang daar de hele inhoud en kies ‘Commit changes’; zonder schrijfrechten maakt GitHub er een voorstel (pull request) van.";
    } else {
      var url = S.repository + "/new/main?filename=" + encodeURIComponent(path) + "&value=" + encodeURIComponent(text);
      if (url.length > S.urlLimiet) {
        github.hidden = true;
        explain.textContent = "Dit record is te lang om in een link mee te geven. Kopieer of download het, en maak op GitHub het bestand " + path + " aan (Add file → Create new file).";
      } else {
        github.href = url;
        github.hidden = false;
        explain.textContent = "GitHub opent een nieuw bestand met deze inhoud. Zonder schrijfrechten biedt GitHub een eigen kopie (fork) en een voorstel (pull request) aan.";
      }
    }
    section.hidden = false;
    document.getElementById("ks-resultaat-kop").focus();
  }

  /* ---------- round information, shown while typing ---------- */
  function roundInfo() {
    var box = document.getElementById("ks-ronde-info");
    if (!box) return;
    var select = form.querySelector('[data-sleutel="ronde"]');
    var round = roundOf(select.value);
    if (!round) { box.textContent = ""; return; }
    var count = items(form.querySelector('[data-sleutel="gemeenten"]')).filter(function (li) { return municipalityCode(li.querySelector("[data-waarde]").value); }).length;
    var open = round.opent <= S.vandaag && S.vandaag <= round.sluit;
    var lines = [
      (open ? "Open" : "Niet open") + ": van " + round.opent + " tot en met " + round.sluit + ".",
      round.max ? "Maximum: " + euro(round.max) + " per gemeente × " + count + (count === 1 ? " gemeente" : " gemeenten") + " = " + euro(round.max * count) + "." : "Geen maximum per gemeente.",
      round.onderdelen.length ? "Verplichte onderdelen: " + round.onderdelen.join(", ") + "." : ""
    ];
    box.textContent = lines.filter(Boolean).join(" ");
  }
  function coalitionChosen() {
    var select = form.querySelector('[data-sleutel="coalitie"]');
    var list = form.querySelector('[data-sleutel="gemeenten"]');
    if (!select || !list || existing) return;
    var coalition = (S.coalities || []).find(function (c) { return c.kenmerk === select.value; });
    var empty = items(list).every(function (li) { return !li.querySelector("[data-waarde]").value.trim(); });
    if (coalition && empty) fill(form, { gemeenten: coalition.gemeenten });
  }

  /* ---------- autosave ---------- */
  var saveTimer = null;
  var cleared = false;
  function saveNow() {
    clearTimeout(saveTimer);
    if (cleared || form.hidden) return;
    try {
      localStorage.setItem(STORE + (changeKey ? ":" + changeKey : ""), JSON.stringify(collect(form)));
      document.getElementById("ks-opslag").textContent = "Opgeslagen in deze browser.";
    } catch (e) { /* private mode or full storage: the form still works */ }
  }
  function save() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveNow, 400);
  }
  window.addEventListener("pagehide", saveNow);
  function restore() {
    try { return JSON.parse(localStorage.getItem(STORE + (changeKey ? ":" + changeKey : "")) || "null"); } catch (e) { return null; }
  }

  /* ---------- wiring ---------- */
  form.addEventListener("click", function (event) {
    var button = event.target.closest("[data-actie]");
    if (!button) return;
    var action = button.getAttribute("data-actie");
    if (action === "toevoegen") {
      var list = button.closest("[data-soort]");
      var li = addItem(list);
      var first = li.querySelector("input,select,textarea");
      if (first) first.focus();
      save();
    } else if (action === "verwijder") {
      var item = button.closest("[data-item]");
      var owner = scopeOf(item);
      item.remove();
      renumber(owner);
      owner.querySelector("[data-actie=toevoegen]").focus();
      save();
      roundInfo();
    } else if (action === "wissen") {
      cleared = true;
      try { localStorage.removeItem(STORE + (changeKey ? ":" + changeKey : "")); } catch (e) { /* nothing stored */ }
      location.reload();
    }
  });
  form.addEventListener("input", function () { save(); roundInfo(); });
  form.addEventListener("change", function (event) {
    if (event.target.matches('[data-sleutel="coalitie"]')) coalitionChosen();
    roundInfo();
    save();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    saveNow();
    var data = check();
    if (data) showResult(data);
    else document.getElementById("ks-resultaat").hidden = true;
  });
  document.getElementById("ks-resultaat").addEventListener("click", function (event) {
    if (!event.target.matches("[data-actie=kopieer]")) return;
    var area = document.getElementById("ks-yaml");
    var status = document.getElementById("ks-kopieer-status");
    function done() { status.textContent = "Gekopieerd."; }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(area.value).then(done, function () { area.select(); status.textContent = "Kopiëren lukte niet; de tekst is geselecteerd, kopieer met Ctrl+C."; });
    else { area.select(); document.execCommand("copy"); done(); }
  });

  function defaults() {
    var first = form.querySelector('[data-sleutel="historie"]');
    if (first && !items(first).length) addItem(first);
    var openRound = (S.rondes || []).find(function (r) { return r.opent <= S.vandaag && S.vandaag <= r.sluit; });
    var round = form.querySelector('[data-sleutel="ronde"]');
    if (round && openRound && !round.value) round.value = openRound.kenmerk;
  }
  function start(prefill) {
    if (prefill) {
      form.querySelectorAll("[data-soort=lijst],[data-soort=tekstlijst],[data-soort=gemeenten]").forEach(function (list) {
        var key = list.getAttribute("data-sleutel");
        if (scopeOf(list) === form && prefill[key] !== undefined) list.setAttribute("data-gevuld", "");
      });
      fill(form, prefill);
    }
    ensureMinimumItems();
    defaults();
    form.hidden = false;
    roundInfo();
  }
  function startChange(payload) {
    existing = payload;
    var notice = document.getElementById("ks-wijzigmodus");
    notice.textContent = "U stelt een wijziging voor in " + payload.pad + ". Het formulier is gevuld met de huidige gegevens.";
    notice.hidden = false;
    S.alleenNieuw.forEach(function (key) { var block = form.querySelector('[data-blok="' + key + '"]'); if (block) block.hidden = true; });
    S.vastBijWijzigen.forEach(function (key) {
      var el = form.querySelector('[data-blok="' + key + '"] [data-sleutel="' + key + '"]');
      if (!el) return;
      if (el.tagName === "SELECT") el.disabled = true;
      else el.readOnly = true;
    });
    start(restore() || payload.gegevens);
  }

  if (changeKey && /^[a-z0-9-]+(\/[a-z0-9-]+)?$/.test(changeKey)) {
    fetch(form.getAttribute("data-bestaand") + changeKey + ".json").then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(startChange, function () {
      var notice = document.getElementById("ks-wijzigmodus");
      notice.textContent = "Het record ‘" + changeKey + "’ is niet gevonden. U kunt hieronder een nieuw record maken.";
      notice.hidden = false;
      changeKey = null;
      start(restore());
    });
  } else {
    var given = null;
    try { given = params.get("vooraf") ? JSON.parse(params.get("vooraf")) : null; } catch (e) { given = null; }
    start(given || restore());
  }
})();
