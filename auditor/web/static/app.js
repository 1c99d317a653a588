// auditor self-check page. No framework and nothing from the network but this server.
// Every text that comes from a report is put into the page with textContent, never as HTML.
// Written for the browsers offices have: Chromium 69 (360/奇安信/信创 builds) and Firefox ESR 78:
// no optional chaining or ??, no replaceChildren, Array.prototype.at, Object.fromEntries,
// replaceAll or allSettled. Without script (or without fetch) the form posts to the server,
// which answers with a complete result page.
"use strict";

(function () {
  function $(id) { return document.getElementById(id); }

  function setStatus(text, bad) {
    var box = $("status");
    if (!box) return;
    box.textContent = text || "";
    box.className = bad ? "bad" : "";
  }

  // any script error: a Chinese line instead of silence or an English message
  window.onerror = function () {
    setStatus("页面脚本出错，结果可能未能显示。请刷新页面后重试；如仍不行，可在浏览器设置中关闭本站脚本，" +
      "再点击“开始检查”，服务器会直接生成结果页面。", true);
    var go = $("go");
    if (go) go.disabled = false;
  };
  window.addEventListener("unhandledrejection", function () { window.onerror(); });

  var MARK = { pass: "✔", warn: "⚠", fail: "✘", skip: "–", waived: "≈" };
  var STATUS = { pass: "通过", warn: "警告", fail: "不合格", skip: "不适用", waived: "豁免" };
  var VERDICT = { pass: "合格", fail: "不合格", error: "无法检查" };
  var ORDER = { fail: 0, warn: 1, waived: 2, pass: 3, skip: 4 };
  var VORDER = { fail: 0, error: 1, pass: 2 };
  var files = [];
  var last = null; // the last /api/view answer
  var RULES = {}; // rule id → {short, title, hint}, from api/rules
  var lastRow = null; // the checklist row a jump started from
  var limits = null; // /api/limits: the page refuses what the server would refuse, in its words

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function add(parent) {
    for (var i = 1; i < arguments.length; i++) parent.appendChild(arguments[i]);
    return parent;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function showChosen() {
    $("chosen").textContent = files.length ? "已选择：" + files.map(function (f) { return f.name; }).join("、") : "";
  }

  function formData(extra) {
    var data = new FormData();
    files.forEach(function (f) { data.append("file", f, f.name); });
    var text = $("text").value;
    if (!files.length && text.trim()) data.append("text", text);
    data.append("pack", $("pack").value);
    data.append("deadline", $("deadline").value);
    var roster = $("roster").files;
    if (roster && roster.length) data.append("roster", roster[0], roster[0].name);
    Array.prototype.forEach.call(document.querySelectorAll("#addons input:checked"), function (box) {
      data.append("with", box.value);
    });
    Object.keys(extra || {}).forEach(function (k) { data.append(k, extra[k]); });
    return data;
  }

  function bytesOf(data) {
    var n = 0;
    data.forEach(function (v) {
      n += typeof v === "string" ? (window.TextEncoder ? new TextEncoder().encode(v).length : v.length * 3) : v.size;
    });
    return n;
  }

  function post(url, data) {
    // checked before sending: an office network need not carry 60 MB only to hear "too large"
    if (limits && bytesOf(data) > limits.max_request_bytes) return Promise.reject(new Error(limits.too_large));
    return fetch(url, { method: "POST", body: data }).then(function (res) {
      if (res.ok) return res;
      return res.json().then(function (body) {
        if (typeof body.detail === "string") return body.detail;
        if (Array.isArray(body.detail)) return "请求参数有误：" + body.detail.map(function (d) { return d.msg; }).join("；");
        return "服务器返回错误（" + res.status + "）";
      }, function () { return "服务器返回错误（" + res.status + "）"; }).then(function (detail) {
        throw new Error(detail);
      });
    });
  }

  function scoreText(score) {
    return score === null || score === undefined ? "—" : String(score);
  }

  function place(ev) {
    return ev.where || (ev.line ? "第" + ev.line + "行" : "");
  }

  function head(id, fallback) {
    var r = RULES[id];
    return (r && r.short) || fallback || id;
  }

  function changes(report) {
    // “2 处必须修改、1 处建议修改”
    var must = 0, may = 0;
    report.results.forEach(function (r) { if (r.status === "fail") must += 1; if (r.status === "warn") may += 1; });
    var parts = [];
    if (must) parts.push(must + " 处必须修改");
    if (may) parts.push(may + " 处建议修改");
    return parts.join("、") || "无需修改";
  }

  // ---- one report: checklist beside the text -------------------------------------------
  function summary(report) {
    var box = clear($("summary"));
    var verdict = el("div", "verdict " + report.verdict, VERDICT[report.verdict] || report.verdict);
    verdict.id = "verdict";
    add(box, verdict);
    var facts = el("div", "facts");
    if (report.verdict === "error") {
      add(facts, el("div", "name", report.path), el("div", "reason", "原因：" + (report.error || "")));
    } else {
      var line = add(el("div", "headline"), el("span", "changes", changes(report)),
        el("span", "score", "得分 " + scoreText(report.score)));
      line.id = "headline";
      add(facts, line, el("div", "name", report.path));
      add(facts, el("div", "", "报告类型：" + (report.pack_name || report.pack || "—") +
        (report.pack_confidence === "low" ? "（据正文推断，把握不大；如有误，可在上方‘报告类型’中手动选择）" : "") +
        "　报告年度：" + (report.report_year ? report.report_year + "年" : "无法确定")));
    }
    add(box, facts);
  }

  function resultRow(r, index) {
    var li = el("li", "row " + r.status);
    li.setAttribute("data-rule", r.rule);
    li.setAttribute("data-index", String(index));
    li.title = r.rule; // the id only as a tooltip: for whoever asks a maintainer
    add(li, add(el("div", "head"), el("span", "mark", MARK[r.status] || "?"),
      el("span", "st", STATUS[r.status] || r.status), el("span", "title", r.title)));
    if (r.message && r.status !== "pass") add(li, el("p", "msg", r.message));
    if (r.evidence && r.evidence.length && r.status !== "pass" && r.status !== "skip") {
      var ul = el("ul", "ev");
      r.evidence.slice(0, 3).forEach(function (e) {
        var item = el("li");
        var at = place(e);
        if (at) add(item, el("span", "where", at));
        add(item, document.createTextNode(e.text));
        add(ul, item);
      });
      if (r.evidence.length > 3) add(ul, el("li", "", "……另有" + (r.evidence.length - 3) + "处"));
      add(li, ul);
    }
    if (r.status !== "pass" && r.status !== "skip") {
      if (r.hint) add(li, el("p", "hint", "修改建议：" + r.hint));
      if (r.reference) add(li, el("p", "ref", "依据：" + r.reference));
    }
    return li;
  }

  function sortedResults(report) {
    return report.results.map(function (r, i) { return [r, i]; })
      .sort(function (a, b) { return (ORDER[a[0].status] - ORDER[b[0].status]) || (a[1] - b[1]); });
  }

  function checklist(report, clickable) {
    var ol = clear($("rows"));
    var rest = clear($("rows-passed"));
    var passed = 0, skipped = 0;
    sortedResults(report).forEach(function (pair) {
      var r = pair[0];
      var row = resultRow(r, pair[1]);
      if (clickable[r.rule]) {
        row.className += " clickable";
        row.tabIndex = 0;
        row.title = "点击定位到原文（" + r.rule + "）";
        row.addEventListener("click", function () { focusRule(r.rule, row); });
        row.addEventListener("keydown", function (ev) { if (ev.key === "Enter") focusRule(r.rule, row); });
      }
      if (r.status === "pass" || r.status === "skip") {
        if (r.status === "pass") passed += 1; else skipped += 1;
        add(rest, row);
      } else {
        add(ol, row);
      }
    });
    if (!ol.firstChild) add(ol, el("li", "row none", "没有需要修改的问题。"));
    $("passed").hidden = !(passed + skipped);
    $("passed").open = false;
    $("passed-sum").textContent = "已通过 " + passed + " 项" + (skipped ? "、不适用 " + skipped + " 项" : "") + "（点击展开）";
  }

  function highlightQuote(p, text, quote) {
    // the evidence quote without its ellipses; the line's text with it marked, else whole
    var core = (quote || "").replace(/^…+|…+$/g, "").trim();
    var at = core ? text.indexOf(core) : -1;
    if (at < 0) {
      add(p, el("mark", "hl", text));
      return;
    }
    add(p, document.createTextNode(text.slice(0, at)), el("mark", "hl", core),
      document.createTextNode(text.slice(at + core.length)));
  }

  function documentView(view, report) {
    var box = clear($("doc"));
    var hints = {};
    report.results.forEach(function (r) { hints[r.rule] = r.hint; });
    var on = {}; // line → marks on it
    var after = {}; // line → marks after it
    view.marks.forEach(function (m) {
      var map = m.after ? after : on;
      (map[m.line] = map[m.line] || []).push(m);
    });
    view.lines.forEach(function (line) {
      if (!line.text.trim()) return;
      var p = el("p", "line" + (line.style ? " " + line.style : "") + (line.chrome ? " chrome" : ""));
      p.setAttribute("data-line", String(line.no));
      if (line.where) add(p, el("span", "where", line.where));
      var marks = on[line.no];
      if (marks) {
        p.className += " marked " + (marks.some(function (m) { return m.status === "fail"; }) ? "fail" : "warn");
        p.setAttribute("data-rules", marks.map(function (m) { return m.rule; }).join(" "));
        p.title = marks.map(function (m) { return m.title + "（" + m.rule + "）"; }).join("\n");
        highlightQuote(p, line.text, marks[0].quote);
      } else {
        add(p, document.createTextNode(line.text));
      }
      add(box, p);
      (after[line.no] || []).forEach(function (m) {
        // what to add here (the rule's advice), then what is missing
        var miss = el("div", "missing " + m.status);
        miss.setAttribute("data-rules", m.rule);
        miss.title = m.rule;
        add(miss, el("strong", "", "此处应补充："), document.createTextNode(hints[m.rule] || m.title));
        if (m.message) add(miss, el("div", "small", "问题：" + m.message));
        add(box, miss);
      });
    });
  }

  function focusRule(rule, row) {
    Array.prototype.forEach.call(document.querySelectorAll("#doc .focus"), function (n) { n.classList.remove("focus"); });
    var targets = Array.prototype.filter.call(document.querySelectorAll("#doc [data-rules]"), function (n) {
      return n.getAttribute("data-rules").split(" ").indexOf(rule) >= 0;
    });
    targets.forEach(function (n) { n.classList.add("focus"); });
    if (targets.length) {
      targets[0].scrollIntoView({ behavior: "smooth", block: "center" });
      lastRow = row || null;
      $("back").hidden = false; // a way back to the checklist, on a phone far above
    }
  }

  function backToList(ev) {
    ev.preventDefault();
    var target = lastRow || $("checklist");
    target.scrollIntoView({ behavior: "smooth", block: "center" });
    if (target.focus) target.focus();
    $("back").hidden = true;
  }

  // ---- several reports: the matrix -------------------------------------------------------
  function sharedFolder(paths) {
    if (paths.length < 2) return "";
    var first = paths[0].replace(/\\/g, "/");
    var n = first.length;
    paths.forEach(function (p) {
      p = p.replace(/\\/g, "/");
      var i = 0;
      while (i < n && i < p.length && p.charAt(i) === first.charAt(i)) i += 1;
      n = i;
    });
    var prefix = first.slice(0, n);
    return prefix.slice(0, prefix.lastIndexOf("/") + 1);
  }

  var batch = { reports: [], ids: [], titles: {}, sort: null, dir: 1, prefix: "" };

  function matrix(reports) {
    batch.reports = reports.map(function (c, i) { c._i = i; return c; });
    batch.ids = [];
    batch.titles = {};
    batch.sort = null;
    reports.forEach(function (c) {
      c.results.forEach(function (r) {
        if (!(r.rule in batch.titles)) { batch.ids.push(r.rule); batch.titles[r.rule] = r.title; }
      });
    });
    batch.prefix = sharedFolder(reports.map(function (c) { return c.path; }));
    $("prefix").hidden = !batch.prefix;
    $("prefix").textContent = batch.prefix ? "文件均在“" + batch.prefix + "”下（表中省略这一段）" : "";
    var legend = clear($("legend"));
    add(legend, el("h3", "", "列名说明"));
    var dl = el("dl");
    batch.ids.forEach(function (id) {
      var dt = el("dt", "", head(id, batch.titles[id]));
      dt.title = id;
      add(dl, dt, el("dd", "", batch.titles[id]));
    });
    add(legend, dl);
    drawMatrix();
  }

  function compare(a, b) {
    var key = batch.sort;
    var x, y;
    if (key === "path") { x = a.path; y = b.path; }
    else if (key === "score") { x = a.score === null ? -1 : a.score; y = b.score === null ? -1 : b.score; }
    else if (key === "verdict" || !key) { x = VORDER[a.verdict]; y = VORDER[b.verdict]; }
    else {
      var sa = status(a, key), sb = status(b, key);
      x = sa ? ORDER[sa] : 9; y = sb ? ORDER[sb] : 9;
    }
    var d = (x < y ? -1 : x > y ? 1 : 0) * (key ? batch.dir : 1);
    return d || (a._i - b._i);
  }

  function status(report, id) {
    for (var i = 0; i < report.results.length; i++) if (report.results[i].rule === id) return report.results[i].status;
    return null;
  }

  function sortBy(key) {
    batch.dir = batch.sort === key ? -batch.dir : 1;
    batch.sort = key;
    drawMatrix();
  }

  function drawMatrix() {
    var table = clear($("matrix"));
    var ids = batch.ids;
    var hr = el("tr");
    [["path", "文件"], ["verdict", "结论"], ["score", "得分"]].forEach(function (h) {
      var th = el("th", "sort" + (h[0] === "path" ? " name" : ""), h[1] + (batch.sort === h[0] ? (batch.dir > 0 ? " ▲" : " ▼") : ""));
      th.setAttribute("data-key", h[0]);
      th.title = "点击排序";
      th.addEventListener("click", function () { sortBy(h[0]); });
      add(hr, th);
    });
    ids.forEach(function (id) {
      var th = el("th", "rule sort", head(id, batch.titles[id]) + (batch.sort === id ? (batch.dir > 0 ? " ▲" : " ▼") : ""));
      th.setAttribute("data-rule", id);
      th.title = batch.titles[id] + "（" + id + "）；点击排序";
      th.addEventListener("click", function () { sortBy(id); });
      add(hr, th);
    });
    var tbody = el("tbody");
    var fv = $("f-verdict").value, fn = $("f-name").value.trim();
    var shown = 0;
    batch.reports.slice().sort(compare).forEach(function (c) {
      var tr = el("tr", "report " + c.verdict);
      tr.tabIndex = 0;
      tr.setAttribute("data-verdict", c.verdict);
      tr.hidden = !!((fv && c.verdict !== fv) || (fn && c.path.indexOf(fn) < 0));
      if (!tr.hidden) shown += 1;
      var name = el("td", "name", c.path.slice(batch.prefix.length));
      name.title = c.path;
      if (c._roster) add(name, el("span", "rmark", c._roster));
      add(tr, name, el("td", "verdict " + c.verdict, VERDICT[c.verdict] || c.verdict), el("td", "num", scoreText(c.score)));
      ids.forEach(function (id) {
        var st = status(c, id);
        var td = el("td", "cell " + (st || "none"), st ? MARK[st] : "");
        if (st) td.title = batch.titles[id] + "：" + STATUS[st];
        add(tr, td);
      });
      tr.addEventListener("click", function () { showCard(c); });
      tr.addEventListener("keydown", function (ev) { if (ev.key === "Enter") showCard(c); });
      add(tbody, tr);
    });
    var fr = el("tr");
    add(fr, el("th", "name", "通过率"), el("td", "", ""), el("td", "", ""));
    ids.forEach(function (id) {
      var passed = 0, total = 0;
      batch.reports.forEach(function (c) {
        var st = status(c, id);
        if (st && st !== "skip" && st !== "waived") { total += 1; if (st === "pass") passed += 1; }
      });
      add(fr, el("td", "rate", total ? Math.round(100 * passed / total) + "%" : "—"));
    });
    add(table, add(el("thead"), hr), tbody, add(el("tfoot"), fr));
    $("shown").textContent = "显示 " + shown + " / " + batch.reports.length + " 份";
  }

  function rosterView(roster, reports) {
    var box = clear($("roster-result"));
    box.hidden = !roster;
    if (!roster) return;
    var marks = {};
    roster.duplicates.forEach(function (d) {
      d.paths.forEach(function (p) { marks[p] = "同一单位报送 " + d.paths.length + " 份"; });
    });
    roster.unlisted.forEach(function (u) { marks[u.path] = "不在名单中"; });
    reports.forEach(function (c) { c._roster = marks[c.path] || ""; });
    var reported = roster.names - roster.missing.length;
    add(box, el("h2", "", "报送名单核对"),
      el("p", "", "名单 " + roster.names + " 个单位：已报送 " + reported + "，未报送 " + roster.missing.length +
        "，重复报送 " + roster.duplicates.length + "，名单外报告 " + roster.unlisted.length + " 份"));
    var ul = el("ul");
    var miss = el("li", "missing-bodies");
    add(miss, el("strong", "", "未报送（" + roster.missing.length + "）："), document.createTextNode(roster.missing.join("、") || "无"));
    add(ul, miss);
    roster.duplicates.forEach(function (d) {
      add(ul, add(el("li", "dup"), el("strong", "", "重复报送："), document.createTextNode(d.name + "（" + d.paths.join("、") + "）")));
    });
    if (roster.unlisted.length) {
      add(ul, add(el("li", "unlisted"), el("strong", "", "不在名单中的报告："), document.createTextNode(
        roster.unlisted.map(function (u) { return u.path + "（" + (u.body || "发文单位不明") + "）"; }).join("、"))));
    }
    add(box, ul);
  }

  function showCard(report) {
    var box = clear($("card"));
    var h = el("h3", "", report.path + "：" + (VERDICT[report.verdict] || report.verdict) +
      (report.verdict === "error" ? "" : "，" + changes(report)) + (report.score !== null ? "，得分 " + report.score : ""));
    add(box, h);
    if (report.verdict === "error") {
      add(box, el("p", "reason", "原因：" + (report.error || "")));
    } else {
      var ol = el("ol", "rows");
      sortedResults(report).forEach(function (pair) { add(ol, resultRow(pair[0], pair[1])); });
      add(box, ol);
    }
    box.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  // ---- the flow -------------------------------------------------------------------------
  function show(answer) {
    last = answer;
    var reports = answer.report.reports;
    $("result").hidden = false;
    var one = reports.length === 1;
    $("single").hidden = !one;
    $("batch").hidden = one;
    $("back").hidden = true;
    $("dl-docx").hidden = !one || reports[0].verdict === "error";
    $("dl-zip").hidden = one;
    if (one) {
      summary(reports[0]);
      var view = answer.views[0];
      var clickable = {};
      if (view) view.marks.forEach(function (m) { clickable[m.rule] = true; });
      checklist(reports[0], clickable);
      if (view) documentView(view, reports[0]); else add(clear($("doc")), el("p", "small", "（无法显示原文）"));
    } else {
      var s = answer.report.summary;
      add(clear($("summary")), el("div", "facts", "共 " + s.reports + " 份：合格 " + s.passed + "，不合格 " +
        s.failed + "，无法检查 " + s.errors));
      rosterView(answer.roster || null, reports);
      matrix(reports);
      clear($("card"));
    }
    var skipped = answer.skipped || [];
    setStatus(skipped.length ? "压缩包中以下文件不是可检查的格式，已跳过：" + skipped.join("、") : "检查完成。");
  }

  function run(ev) {
    if (!window.fetch || !window.FormData) return; // the server renders the result page
    ev.preventDefault();
    if (!files.length && !$("text").value.trim()) {
      setStatus("请选择要检查的文件，或粘贴报告正文。", true);
      return;
    }
    $("go").disabled = true;
    setStatus("正在检查……");
    post("api/view", formData()).then(function (res) { return res.json(); }).then(show).catch(function (e) {
      $("result").hidden = true;
      setStatus(e.message, true);
    }).then(function () { $("go").disabled = false; });
  }

  function save(blob, name) {
    if (window.navigator && window.navigator.msSaveOrOpenBlob) { window.navigator.msSaveOrOpenBlob(blob, name); return; }
    var url = URL.createObjectURL(blob);
    var a = el("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // the annotated copy's name: X → X.批注, X.批注 → X.批注2 (never X.批注.批注), as the CLI names it
  function roundName(base) {
    var m = /\.批注(\d*)$/.exec(base);
    if (!m) return base + ".批注.docx";
    return base.slice(0, m.index) + ".批注" + ((parseInt(m[1] || "1", 10) || 1) + 1) + ".docx";
  }

  function stem() {
    var name = files.length === 1 ? files[0].name : "报告";
    return name.replace(/\.[^.]*$/, "") || "报告";
  }

  function download(kind) {
    setStatus("正在生成下载文件……");
    var done;
    if (kind === "json") {
      save(new Blob([JSON.stringify(last.report, null, 2)], { type: "application/json" }), "auditor-报告.json");
      done = Promise.resolve();
    } else if (kind === "docx") {
      done = post("api/annotate", formData()).then(function (res) { return res.blob(); })
        .then(function (b) { save(b, roundName(stem())); });
    } else if (kind === "zip") {
      done = post("api/annotate-batch", formData()).then(function (res) { return res.blob(); })
        .then(function (b) { save(b, "全部批注文档.zip"); });
    } else {
      done = post("api/report", formData({ format: kind })).then(function (res) { return res.blob(); })
        .then(function (b) { save(b, "auditor-报告." + (extensions[kind] || kind)); });
    }
    done.then(function () { setStatus("已下载。"); }, function (e) { setStatus(e.message, true); });
  }

  // each report format's file extension, and the files the server reads, from the server's own lists
  var extensions = {};
  function formats() {
    fetch("api/formats").then(function (res) { return res.json(); }).then(function (body) {
      body.formats.forEach(function (f) { extensions[f.name] = f.extension; });
      $("file").accept = body.suffixes.join(",");
    }).catch(function () { /* any file may be chosen; the server says which it cannot read */ });
  }

  function rules() {
    // short column heads for the matrix, and add-on packs (公文规范 …) offered as check boxes;
    // the page works without them
    fetch("api/rules").then(function (res) { return res.json(); }).then(function (body) {
      body.packs.forEach(function (p) {
        p.rules.forEach(function (r) { RULES[r.id] = { short: r.short, title: r.title }; });
        if (!p.addon) return;
        var label = el("label", "addon");
        var box = el("input");
        box.type = "checkbox";
        box.name = "with";
        box.value = p.id;
        add(label, box, document.createTextNode("同时检查：" + p.name));
        add($("addons"), label);
      });
    }).catch(function () { /* no add-ons shown, rule titles as heads */ });
  }

  function loadLimits() {
    fetch("api/limits").then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) { if (body) limits = body; })
      .catch(function () { /* the server still refuses what is too large */ });
  }

  function init() {
    rules();
    formats();
    loadLimits();
    $("file").addEventListener("change", function () { files = Array.prototype.slice.call($("file").files); showChosen(); });
    var drop = $("drop");
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) { files = Array.prototype.slice.call(e.dataTransfer.files); showChosen(); });
    $("form").addEventListener("submit", run);
    $("back").addEventListener("click", backToList);
    $("f-verdict").addEventListener("change", drawMatrix);
    $("f-name").addEventListener("input", drawMatrix);
    ["docx", "zip", "html", "xlsx", "json"].forEach(function (k) {
      $("dl-" + k).addEventListener("click", function () { download(k); });
    });
  }

  init();
})();
