// auditor self-check page. No framework and nothing from the network but this server.
// Every text that comes from a report is put into the page with textContent, never as HTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const MARK = { pass: "✔", warn: "⚠", fail: "✘", skip: "–", waived: "≈" };
  const STATUS = { pass: "通过", warn: "警告", fail: "不合格", skip: "不适用", waived: "豁免" };
  const VERDICT = { pass: "合格", fail: "不合格", error: "无法检查" };
  const ORDER = { fail: 0, warn: 1, waived: 2, pass: 3, skip: 4 };
  let files = [];
  let last = null; // the last /api/view answer
  let limits = null; // /api/limits: the page refuses what the server would refuse, in its words

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setStatus(text, bad) {
    $("status").textContent = text || "";
    $("status").className = bad ? "bad" : "";
  }

  function showChosen() {
    $("chosen").textContent = files.length ? "已选择：" + files.map((f) => f.name).join("、") : "";
  }

  function formData(extra) {
    const data = new FormData();
    files.forEach((f) => data.append("file", f, f.name));
    const text = $("text").value;
    if (!files.length && text.trim()) data.append("text", text);
    data.append("pack", $("pack").value);
    data.append("deadline", $("deadline").value);
    document.querySelectorAll("#addons input:checked").forEach((box) => data.append("with", box.value));
    Object.keys(extra || {}).forEach((k) => data.append(k, extra[k]));
    return data;
  }

  function bytesOf(data) {
    let n = 0;
    data.forEach((v) => { n += typeof v === "string" ? new TextEncoder().encode(v).length : v.size; });
    return n;
  }

  async function post(url, data) {
    // checked before sending: an office network need not carry 60 MB only to hear "too large"
    if (limits && bytesOf(data) > limits.max_request_bytes) throw new Error(limits.too_large);
    const res = await fetch(url, { method: "POST", body: data });
    if (!res.ok) {
      let detail = "服务器返回错误（" + res.status + "）";
      try {
        const body = await res.json();
        if (typeof body.detail === "string") detail = body.detail;
        else if (Array.isArray(body.detail)) detail = "请求参数有误：" + body.detail.map((d) => d.msg).join("；");
      } catch (e) { /* not JSON */ }
      throw new Error(detail);
    }
    return res;
  }

  function scoreText(score) {
    return score === null || score === undefined ? "—" : String(score);
  }

  function place(ev) {
    return ev.where || (ev.line ? "第" + ev.line + "行" : "");
  }

  // ---- one report: checklist beside the text -------------------------------------------
  function summary(report) {
    const box = $("summary");
    box.replaceChildren();
    const verdict = el("div", "verdict " + report.verdict, VERDICT[report.verdict] || report.verdict);
    verdict.id = "verdict";
    box.append(verdict);
    const facts = el("div", "facts");
    facts.append(el("div", "name", report.path));
    if (report.verdict === "error") {
      facts.append(el("div", "reason", "原因：" + (report.error || "")));
    } else {
      const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
      report.results.forEach((r) => { if (r.status in counts) counts[r.status] += 1; });
      facts.append(el("div", "score", "得分：" + scoreText(report.score) + " / 100"));
      facts.append(el("div", "", "报告类型：" + (report.pack_name || report.pack || "—") +
        (report.pack_confidence === "low" ? "（据正文推断，把握不大）" : "") +
        "　报告年度：" + (report.report_year ? report.report_year + "年" : "无法确定")));
      facts.append(el("div", "", "通过 " + counts.pass + "　警告 " + counts.warn + "　不合格 " + counts.fail +
        "　不适用 " + counts.skip));
    }
    box.append(facts);
  }

  function resultRow(r, index) {
    const li = el("li", "row " + r.status);
    li.dataset.rule = r.rule;
    li.dataset.index = String(index);
    const head = el("div", "head");
    head.append(el("span", "mark", MARK[r.status] || "?"), el("span", "st", STATUS[r.status] || r.status),
      el("span", "rid", r.rule), el("span", "title", r.title));
    li.append(head);
    if (r.message) li.append(el("p", "msg", r.message));
    if (r.evidence && r.evidence.length) {
      const ul = el("ul", "ev");
      r.evidence.slice(0, 3).forEach((e) => {
        const item = el("li");
        const at = place(e);
        if (at) item.append(el("span", "where", at));
        item.append(document.createTextNode(e.text));
        ul.append(item);
      });
      if (r.evidence.length > 3) ul.append(el("li", "", "……另有" + (r.evidence.length - 3) + "处"));
      li.append(ul);
    }
    if (r.status !== "pass" && r.status !== "skip") {
      if (r.hint) li.append(el("p", "hint", "修改建议：" + r.hint));
      if (r.reference) li.append(el("p", "ref", "依据：" + r.reference));
    }
    return li;
  }

  function checklist(report, clickable) {
    const ol = $("rows");
    ol.replaceChildren();
    const sorted = report.results.map((r, i) => [r, i])
      .sort((a, b) => (ORDER[a[0].status] - ORDER[b[0].status]) || (a[1] - b[1]));
    sorted.forEach(([r, i]) => {
      const row = resultRow(r, i);
      if (clickable.has(r.rule)) {
        row.classList.add("clickable");
        row.tabIndex = 0;
        row.title = "点击定位到原文";
        row.addEventListener("click", () => focusRule(r.rule));
        row.addEventListener("keydown", (ev) => { if (ev.key === "Enter") focusRule(r.rule); });
      }
      ol.append(row);
    });
  }

  function highlightQuote(p, text, quote) {
    // the evidence quote without its ellipses; the line's text with it marked, else whole
    const core = (quote || "").replace(/^…+|…+$/g, "").trim();
    const at = core ? text.indexOf(core) : -1;
    if (at < 0) {
      p.append(el("mark", "hl", text));
      return;
    }
    p.append(document.createTextNode(text.slice(0, at)), el("mark", "hl", core),
      document.createTextNode(text.slice(at + core.length)));
  }

  function documentView(view) {
    const box = $("doc");
    box.replaceChildren();
    const on = new Map(); // line → marks on it
    const after = new Map(); // line → marks after it
    view.marks.forEach((m) => {
      const map = m.after ? after : on;
      if (!map.has(m.line)) map.set(m.line, []);
      map.get(m.line).push(m);
    });
    view.lines.forEach((line) => {
      if (!line.text.trim()) return;
      const p = el("p", "line" + (line.style ? " " + line.style : "") + (line.chrome ? " chrome" : ""));
      p.dataset.line = String(line.no);
      if (line.where) p.append(el("span", "where", line.where));
      const marks = on.get(line.no);
      if (marks) {
        p.classList.add("marked", marks.some((m) => m.status === "fail") ? "fail" : "warn");
        p.dataset.rules = marks.map((m) => m.rule).join(" ");
        p.title = marks.map((m) => m.rule + " " + m.title).join("\n");
        highlightQuote(p, line.text, marks[0].quote);
      } else {
        p.append(document.createTextNode(line.text));
      }
      box.append(p);
      (after.get(line.no) || []).forEach((m) => {
        const miss = el("div", "missing " + m.status);
        miss.dataset.rules = m.rule;
        miss.append(el("strong", "", "此处应补充（" + m.rule + "）："), document.createTextNode(m.message || m.title));
        box.append(miss);
      });
    });
  }

  function focusRule(rule) {
    document.querySelectorAll("#doc .focus").forEach((n) => n.classList.remove("focus"));
    const targets = Array.from(document.querySelectorAll("#doc [data-rules]"))
      .filter((n) => n.dataset.rules.split(" ").includes(rule));
    targets.forEach((n) => n.classList.add("focus"));
    if (targets.length) targets[0].scrollIntoView({ behavior: "smooth", block: "center" });
  }

  // ---- several reports: the matrix -------------------------------------------------------
  function matrix(reports) {
    const table = $("matrix");
    table.replaceChildren();
    const ids = [];
    const titles = {};
    reports.forEach((c) => c.results.forEach((r) => {
      if (!(r.rule in titles)) { ids.push(r.rule); titles[r.rule] = r.title; }
    }));
    const thead = el("thead");
    const hr = el("tr");
    hr.append(el("th", "", "报告"), el("th", "", "结论"), el("th", "", "得分"));
    ids.forEach((id) => { const th = el("th", "rule", id); th.title = titles[id]; hr.append(th); });
    thead.append(hr);
    const tbody = el("tbody");
    reports.forEach((c, k) => {
      const tr = el("tr", "report " + c.verdict);
      tr.tabIndex = 0;
      tr.title = "点击查看该报告的检查表";
      const byRule = {};
      c.results.forEach((r) => { byRule[r.rule] = r.status; });
      tr.append(el("td", "name", c.path), el("td", "verdict " + c.verdict, VERDICT[c.verdict] || c.verdict),
        el("td", "", scoreText(c.score)));
      ids.forEach((id) => {
        const st = byRule[id];
        const td = el("td", "cell " + (st || "none"), st ? MARK[st] : "");
        if (st) td.title = titles[id] + "：" + STATUS[st];
        tr.append(td);
      });
      tr.addEventListener("click", () => showCard(c));
      tr.addEventListener("keydown", (ev) => { if (ev.key === "Enter") showCard(c); });
      tbody.append(tr);
    });
    const tfoot = el("tfoot");
    const fr = el("tr");
    fr.append(el("th", "", "通过率"), el("td", "", ""), el("td", "", ""));
    ids.forEach((id) => {
      let passed = 0, total = 0;
      reports.forEach((c) => c.results.forEach((r) => {
        if (r.rule === id && r.status !== "skip" && r.status !== "waived") { total += 1; if (r.status === "pass") passed += 1; }
      }));
      fr.append(el("td", "rate", total ? Math.round(100 * passed / total) + "%" : "—"));
    });
    tfoot.append(fr);
    table.append(thead, tbody, tfoot);
  }

  function showCard(report) {
    const box = $("card");
    box.replaceChildren();
    box.append(el("h3", "", report.path + "：" + (VERDICT[report.verdict] || report.verdict) +
      (report.score !== null ? "，得分 " + report.score : "")));
    if (report.verdict === "error") {
      box.append(el("p", "reason", "原因：" + (report.error || "")));
    } else {
      const ol = el("ol", "rows");
      report.results.map((r, i) => [r, i])
        .sort((a, b) => (ORDER[a[0].status] - ORDER[b[0].status]) || (a[1] - b[1]))
        .forEach(([r, i]) => ol.append(resultRow(r, i)));
      box.append(ol);
    }
    box.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // ---- the flow -------------------------------------------------------------------------
  function show(answer) {
    last = answer;
    const reports = answer.report.reports;
    $("result").hidden = false;
    const one = reports.length === 1;
    $("single").hidden = !one;
    $("batch").hidden = one;
    $("dl-docx").hidden = !one || reports[0].verdict === "error";
    if (one) {
      summary(reports[0]);
      const view = answer.views[0];
      const clickable = new Set(view ? view.marks.map((m) => m.rule) : []);
      checklist(reports[0], clickable);
      if (view) documentView(view); else $("doc").replaceChildren(el("p", "small", "（无法显示原文）"));
    } else {
      const s = answer.report.summary;
      $("summary").replaceChildren(el("div", "facts", "共 " + s.reports + " 份：合格 " + s.passed + "，不合格 " +
        s.failed + "，无法检查 " + s.errors));
      matrix(reports);
      $("card").replaceChildren();
    }
    const skipped = answer.skipped || [];
    setStatus(skipped.length ? "压缩包中以下文件不是可检查的格式，已跳过：" + skipped.join("、") : "检查完成。");
  }

  async function run(ev) {
    ev.preventDefault();
    if (!files.length && !$("text").value.trim()) {
      setStatus("请选择要检查的文件，或粘贴报告正文。", true);
      return;
    }
    $("go").disabled = true;
    setStatus("正在检查……");
    try {
      const res = await post("api/view", formData());
      show(await res.json());
    } catch (e) {
      $("result").hidden = true;
      setStatus(e.message, true);
    } finally {
      $("go").disabled = false;
    }
  }

  function save(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = el("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  // the annotated copy's name: X → X.批注, X.批注 → X.批注2 (never X.批注.批注), as the CLI names it
  function roundName(base) {
    const m = /\.批注(\d*)$/.exec(base);
    if (!m) return base + ".批注.docx";
    return base.slice(0, m.index) + ".批注" + ((parseInt(m[1] || "1", 10) || 1) + 1) + ".docx";
  }

  function stem() {
    const name = files.length === 1 ? files[0].name : "报告";
    return name.replace(/\.[^.]*$/, "") || "报告";
  }

  async function download(kind) {
    setStatus("正在生成下载文件……");
    try {
      if (kind === "json") {
        save(new Blob([JSON.stringify(last.report, null, 2)], { type: "application/json" }), "auditor-报告.json");
      } else if (kind === "docx") {
        const res = await post("api/annotate", formData());
        save(await res.blob(), roundName(stem()));
      } else {
        const res = await post("api/report", formData({ format: kind }));
        save(await res.blob(), "auditor-报告." + (extensions[kind] || kind));
      }
      setStatus("已下载。");
    } catch (e) {
      setStatus(e.message, true);
    }
  }

  // each report format's file extension, and the files the server reads, from the server's own lists
  const extensions = {};
  async function formats() {
    try {
      const res = await fetch("api/formats");
      const body = await res.json();
      body.formats.forEach((f) => { extensions[f.name] = f.extension; });
      $("file").accept = body.suffixes.join(",");
    } catch (e) { /* any file may be chosen; the server says which it cannot read */ }
  }

  async function addons() {
    // add-on packs (公文规范 …) offered as check boxes; the page works without them
    try {
      const res = await fetch("api/rules");
      const body = await res.json();
      body.packs.filter((p) => p.addon).forEach((p) => {
        const label = el("label", "addon");
        const box = el("input");
        box.type = "checkbox";
        box.value = p.id;
        label.append(box, document.createTextNode("同时检查：" + p.name));
        $("addons").append(label);
      });
    } catch (e) { /* no add-ons shown */ }
  }

  async function loadLimits() {
    try {
      const res = await fetch("api/limits");
      if (res.ok) limits = await res.json();
    } catch (e) { /* the server still refuses what is too large */ }
  }

  function init() {
    addons();
    formats();
    loadLimits();
    $("file").addEventListener("change", () => { files = Array.from($("file").files); showChosen(); });
    const drop = $("drop");
    ["dragenter", "dragover"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add("over"); }));
    ["dragleave", "drop"].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
    drop.addEventListener("drop", (e) => { files = Array.from(e.dataTransfer.files); showChosen(); });
    $("form").addEventListener("submit", run);
    $("dl-docx").addEventListener("click", () => download("docx"));
    $("dl-html").addEventListener("click", () => download("html"));
    $("dl-xlsx").addEventListener("click", () => download("xlsx"));
    $("dl-json").addEventListener("click", () => download("json"));
  }

  init();
})();
