"use strict";
// ckptlint HTML report: filters, and one syscall's wiring rendered on click.
// Every piece of tree content is inserted as text (textContent), never as markup.
(function () {
  const data = JSON.parse(document.getElementById("ckptlint-data").textContent);
  const W = data.wiring;
  const str = (i) => (i === null || i === undefined ? null : W.strings[i]);
  const at = (l) => (l ? W.strings[l[0]] + ":" + l[1] : null);

  // The same object as `ckptlint matrix --syscall NAME --format json`, without "edges".
  function unpack(name) {
    const p = W.syscalls[name];
    const abis = {};
    for (const [i, number, numberAt, entry, compat, slotAt] of p.a) {
      const [label, srcarch, kconfigArch] = W.abis[i];
      abis[label] = { number: number, number_at: at(numberAt), entry: str(entry), compat: str(compat),
                      slot_at: at(slotAt), srcarch: srcarch, kconfig_arch: kconfigArch };
    }
    const builtIf = (gates) => Object.fromEntries(W.srcarches.map((a, k) => [a, str(gates[k])]));
    const gates = {};
    W.labels.forEach((label, k) => { if (p.g[k] !== null) gates[label] = str(p.g[k]); });
    return {
      syscall: name, abis: abis,
      definitions: p.d.map(([f, kind, loc, g]) => ({ function: str(f), kind: str(kind), at: at(loc), built_if: builtIf(g) })),
      prototypes: p.p.map(([f, loc]) => ({ function: str(f), at: at(loc) })),
      cond_syscalls: p.c.map(([f, loc]) => ({ function: str(f), at: at(loc) })),
      gates: gates,
    };
  }

  function el(tag, cls, ...kids) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    for (const kid of kids) node.append(kid === null || kid === undefined ? "" : kid);
    return node;
  }
  const loc = (text) => el("span", "loc", text || "\u2014");

  function section(title, items) {
    if (!items.length) return [el("h3", null, title), el("p", "hint", "none")];
    return [el("h3", null, title), el("ul", null, ...items.map((kids) => el("li", null, ...kids)))];
  }

  const panel = document.getElementById("wiring");
  const rowsByName = new Map();
  for (const tr of document.querySelectorAll("#matrix tbody tr")) rowsByName.set(tr.dataset.name, tr);
  let selected = null;

  function show(name, abi) {
    if (!Object.prototype.hasOwnProperty.call(W.syscalls, name)) return;
    const info = unpack(name);
    if (selected) selected.classList.remove("selected");
    selected = rowsByName.get(name) || null;
    if (selected) selected.classList.add("selected");
    // ABIs whose number, entry and locations agree are listed together.
    const groups = new Map();
    for (const [label, r] of Object.entries(info.abis)) {
      const key = JSON.stringify([r.number, r.entry, r.compat, r.number_at, r.slot_at]);
      if (!groups.has(key)) groups.set(key, { row: r, labels: [] });
      groups.get(key).labels.push(label);
    }
    const abiItems = Array.from(groups.values()).map(({ row: r, labels }) => {
      const where = r.number_at === r.slot_at ? ["at ", loc(r.number_at)]
        : ["number at ", loc(r.number_at), el("br"), "slot at ", loc(r.slot_at)];
      const entry = r.entry ? r.entry + (r.compat ? " (compat " + r.compat + ")" : "") : "no table slot";
      const item = [el("strong", null, r.number === null ? "no number" : String(r.number)), " " + entry + " \u2014 ",
        el("span", "abis", labels.join(", ")), el("br"), ...where];
      return labels.includes(abi) ? [el("mark", null, ...item)] : item;
    });
    const srcarches = new Set(Object.values(info.abis).map((r) => r.srcarch));
    const defs = info.definitions.map((d) => {
      const built = Object.entries(d.built_if).filter(([a]) => srcarches.has(a))
        .map(([a, g]) => a + ": " + (g || "not built")).join(", ");
      return [el("strong", null, d.function), " (" + d.kind + ") at ", loc(d.at), el("br"), "built if " + (built || "\u2014")];
    });
    const findings = (data.rowFindings[name] || []).map((i) => {
      const [rule, fname, severity, where, message] = data.findings[i];
      const link = el("a", null, rule + " " + fname);
      link.href = "#f-" + i;
      return [el("span", "sev " + severity, severity), " ", link, " at ", loc(where), ": " + message];
    });
    panel.replaceChildren(
      el("h2", null, "syscall " + name),
      ...section("Number and table slot per ABI", abiItems),
      ...section("Definitions", defs),
      ...section("Prototypes", info.prototypes.map((p) => [p.function + " at ", loc(p.at)])),
      ...section("cond_syscall() fallbacks", info.cond_syscalls.map((c) => [c.function + " at ", loc(c.at)])),
      ...section("Gate per Kconfig arch", Object.entries(info.gates).map(([k, v]) => [el("strong", null, k), ": " + v])),
      ...section("Findings", findings));
  }

  document.getElementById("matrix").addEventListener("click", (event) => {
    const cell = event.target.closest("td, th");
    const tr = event.target.closest("tbody tr");
    if (!tr) return;
    event.preventDefault();
    const abi = cell && cell.tagName === "TD" ? W.abis[cell.cellIndex - 1][0] : "";
    history.replaceState(null, "", "#" + encodeURIComponent(tr.dataset.name));
    show(tr.dataset.name, abi);
  });

  // Filters: syscall name (substring, or a regular expression), problem rows, arches.
  const search = document.getElementById("filter");
  const onlyProblems = document.getElementById("only-problems");
  function applyRows() {
    const q = search.value.trim();
    let test = (name) => name.includes(q.toLowerCase());
    if (/[\^$|*+?()\[\]\\]/.test(q)) {
      try { const re = new RegExp(q, "i"); test = (name) => re.test(name); } catch (e) { /* substring */ }
    }
    let shown = 0;
    for (const [name, tr] of rowsByName) {
      const visible = (!q || test(name.toLowerCase())) &&
        (!onlyProblems.checked || tr.querySelector("td.inconsistent") !== null);
      tr.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    document.getElementById("row-count").textContent = shown + " / " + rowsByName.size;
  }
  search.addEventListener("input", applyRows);
  onlyProblems.addEventListener("change", applyRows);

  const hideStyle = document.getElementById("hidden-columns");
  const boxes = Array.from(document.querySelectorAll(".archlist input[type=checkbox]"));
  function applyArches() {
    const rules = [];
    boxes.forEach((box, k) => { if (!box.checked) rules.push("#matrix tr > :nth-child(" + (k + 2) + ")"); });
    hideStyle.textContent = rules.length ? rules.join(",") + "{display:none}" : "";
    document.getElementById("arch-count").textContent = (boxes.length - rules.length) + " / " + boxes.length;
  }
  for (const box of boxes) box.addEventListener("change", applyArches);
  for (const button of document.querySelectorAll(".archlist button")) {
    button.addEventListener("click", () => {
      const mode = button.dataset.set;
      boxes.forEach((box) => { box.checked = mode === "all"; });
      applyArches();
    });
  }

  function fromHash() {
    let name = "";
    try { name = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    if (Object.prototype.hasOwnProperty.call(W.syscalls, name)) {
      show(name, "");
      const tr = rowsByName.get(name);
      const wrap = document.querySelector(".matrix-wrap");
      if (tr) wrap.scrollTop = Math.max(0, tr.offsetTop - wrap.clientHeight / 2);
    }
  }
  window.addEventListener("hashchange", fromHash);
  applyRows();
  applyArches();
  fromHash();
})();
