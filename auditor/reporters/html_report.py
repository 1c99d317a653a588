"""`--format html`: one self-contained page for people (a supervisor's batch, a CI artifact).

Inline CSS and JavaScript only: the page loads nothing (a Content-Security-Policy forbids any
request), so it can be mailed or archived as one file. It has
- a summary matrix of reports × rules (✔ 通过 ⚠ 警告 ✘ 不合格 – 不适用 ≈ 豁免) with each report's
  verdict and score and, in the footer, each rule's pass rate (passed / applicable, where skipped
  and waived results are not applicable); clicking 得分 or 文件 sorts it;
- a card per report: type, year, issuing body, and each rule's status, message, evidence
  (line and excerpt), hint and reference: the failed, warned and waived rules first, the passed
  and skipped ones folded below them;
- filters by verdict and by rule ("reports that did not pass this rule": fail or warn), also
  driven by the address: `page.html#verdict=fail&rule=AR105` (or `?verdict=fail`), which is how
  a filtered view is bookmarked or linked; `#sort=score` opens it sorted by ascending score
  (unreadable reports first). Without JavaScript everything is simply shown.
All document text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor import OUTPUT_MARKER, __version__
from auditor.models import RuleResult, Scorecard, Status
from auditor.reporters import _common

NAME = "html"
BINARY = False
EXTENSION = "html"  # a file of this format is called X.html
MEDIA_TYPE = "text/html; charset=utf-8"
DESCRIPTION = "self-contained HTML page: matrix, cards, filters"

TITLE = "法治政府建设报告检查结果"
CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

CSS = """
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;padding:1.5rem 2rem;font:14px/1.6 "Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;color:#1f2328;background:#f6f8fa}
h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.25rem;margin:1.6rem 0 .6rem}h3{font-size:1.05rem;margin:0;word-break:break-all}
.sub{color:#57606a;margin:0 0 1rem}
.filters{position:sticky;top:0;z-index:3;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem .8rem}
.filters select{font:inherit;padding:.15rem .3rem}#shown{color:#57606a}
.wrap{overflow:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
table{border-collapse:collapse}
.matrix th,.matrix td{border-bottom:1px solid #eaeef2;padding:.3rem .4rem;text-align:center;white-space:nowrap}
.matrix td.path,.matrix th.path{text-align:left;max-width:24rem;overflow:hidden;text-overflow:ellipsis}
.matrix thead th{background:#f6f8fa;position:sticky;top:0}
.matrix td.path,.matrix th.path{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 #d0d7de}
.matrix thead th.path,.matrix tfoot th.path{background:#f6f8fa;z-index:2}
.rmark{display:block;font-size:.8rem;color:#9a6700}
.matrix th.rule,.matrix th.sort{cursor:pointer}.matrix th.rule:hover,.matrix th.sort:hover{color:#0969da}
.matrix tfoot th,.matrix tfoot td{background:#f6f8fa;font-weight:600}
.m-pass{color:#1a7f37}.m-warn{color:#9a6700;background:#fff8c5}.m-fail{color:#cf222e;background:#ffebe9;font-weight:700}
.m-skip{color:#8c959f}.m-waived{color:#0969da}
.sel{outline:2px solid #0969da;outline-offset:-2px}
.badge{display:inline-block;white-space:nowrap;padding:.05rem .6rem;border-radius:1rem;font-weight:700;color:#fff}
.v-pass{background:#1a7f37}.v-fail{background:#cf222e}.v-error{background:#8250df}
.legend{color:#57606a;margin:.4rem 0}
.card{background:#fff;border:1px solid #d0d7de;border-left:6px solid #8c959f;border-radius:6px;margin:0 0 1rem;padding:.8rem 1rem}
.card.c-pass{border-left-color:#1a7f37}.card.c-fail{border-left-color:#cf222e}.card.c-error{border-left-color:#8250df}
.card header{display:flex;gap:.8rem;align-items:center;flex-wrap:wrap}.score{color:#57606a;white-space:nowrap}
.tally{font-weight:700;white-space:nowrap}
.facts{color:#57606a;margin:.3rem 0 .6rem}.facts span{margin-right:1.2rem}
.rules{width:100%}.rules th,.rules td{border-top:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top}
.rules td.st{white-space:nowrap}.rules td.t{min-width:6rem}
.rules tr.r-fail{background:#fff5f5}.rules tr.r-warn{background:#fffbe6}
.msg{margin:0}.ev{margin:.2rem 0;padding-left:1.1rem;color:#444}.ln{color:#57606a;margin-right:.4rem}
.hint,.ref{margin:.2rem 0;color:#57606a}.hint b,.ref b{color:#1f2328}
.error{color:#8250df;font-weight:600}.ok{color:#1a7f37;font-weight:600}
.rulelegend{columns:2 24rem;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:.5rem 1rem;margin:.4rem 0}
.rulelegend div{break-inside:avoid}.rulelegend b{margin-right:.5rem}
.run{color:#57606a;margin:0 0 1rem}.run span{margin-right:1.2rem;white-space:nowrap}
.pair{background:#fff;border:1px solid #d0d7de;border-left:6px solid #9a6700;border-radius:6px;margin:0 0 1rem;padding:.8rem 1rem}
.side{width:100%;table-layout:fixed}.side th,.side td{border-top:1px solid #eaeef2;padding:.35rem .5rem;text-align:left;vertical-align:top;word-break:break-all}
details{margin-top:.5rem}summary{cursor:pointer;color:#57606a}
.roster{background:#fff;border:1px solid #d0d7de;border-left:6px solid #cf222e;border-radius:6px;padding:.5rem 1rem;margin:.4rem 0}
.roster li{word-break:break-all}
.filters select{max-width:100%}
@media (max-width:600px){body{padding:.8rem .6rem}.run span{white-space:normal;display:block}
.rules,.rules tbody,.rules tr,.rules td{display:block;width:100%}.rules thead{display:none}
.rules td{border:0;padding:.1rem .3rem}.rules tr{border-top:1px solid #eaeef2;padding:.3rem 0}
.card{padding:.6rem}.matrix td.path,.matrix th.path{max-width:9rem}
.filters{position:static}.filters label{display:block;width:100%}.filters select{width:100%}}
@media print{.filters{display:none}body{background:#fff}}
"""

JS = """
(function(){
var fv=document.getElementById('f-verdict'),fr=document.getElementById('f-rule');
function has(sel,v){for(var i=0;i<sel.options.length;i++){if(sel.options[i].value===v)return true}return false}
function params(){var q={};(location.search.slice(1)+'&'+location.hash.slice(1)).split('&').forEach(function(kv){
 var i=kv.indexOf('=');if(i>0){try{q[decodeURIComponent(kv.slice(0,i))]=decodeURIComponent(kv.slice(i+1))}catch(e){}}});return q}
function apply(){var v=fv.value,r=fr.value,shown=0,total=0;
 document.querySelectorAll('[data-verdict]').forEach(function(el){
  var ok=(!v||el.getAttribute('data-verdict')===v)&&(!r||(' '+el.getAttribute('data-problems')+' ').indexOf(' '+r+' ')>=0);
  el.hidden=!ok;if(el.classList.contains('card')){total++;if(ok)shown++}});
 document.querySelectorAll('[data-rule]').forEach(function(el){el.classList.toggle('sel',!!r&&el.getAttribute('data-rule')===r)});
 document.getElementById('shown').textContent='显示 '+shown+' / '+total+' 份';
 document.getElementById('none').hidden=shown>0}
function fromAddress(initial){if(!initial&&location.hash.indexOf('=')<0)return;var q=params();
 fv.value=has(fv,q.verdict||'')?(q.verdict||''):'';fr.value=has(fr,q.rule||'')?(q.rule||''):'';apply()}
function toAddress(){var p=[];if(fv.value)p.push('verdict='+encodeURIComponent(fv.value));
 if(fr.value)p.push('rule='+encodeURIComponent(fr.value));
 try{history.replaceState(null,'','#'+p.join('&'))}catch(e){location.hash=p.join('&')}apply()}
fv.addEventListener('change',toAddress);fr.addEventListener('change',toAddress);
window.addEventListener('hashchange',function(){fromAddress(false)});
document.querySelectorAll('th.rule').forEach(function(th){th.addEventListener('click',function(){
 fr.value=fr.value===th.getAttribute('data-rule')?'':th.getAttribute('data-rule');toAddress()})});
function sortBy(key,d){function val(el){var s=el.getAttribute('data-'+key);return key==='score'?parseFloat(s):s}
 Array.prototype.slice.call(document.querySelectorAll('.matrix tbody')).concat([document.getElementById('cards')]).forEach(function(box){
  Array.prototype.slice.call(box.children).filter(function(el){return el.hasAttribute('data-verdict')})
  .sort(function(a,b){var x=val(a),y=val(b);return ((x<y?-1:x>y?1:0)*d)||(a.getAttribute('data-i')-b.getAttribute('data-i'))})
  .forEach(function(el){box.appendChild(el)})})}
var dir={};document.querySelectorAll('th.sort').forEach(function(th){th.addEventListener('click',function(){
 var key=th.getAttribute('data-key');dir[key]=-(dir[key]||-1);sortBy(key,dir[key])})});
var q0=params();if(q0.sort==='score'||q0.sort==='path'){dir[q0.sort]=1;sortBy(q0.sort,1)}
fromAddress(true)})();
"""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _result_row(r: RuleResult) -> str:
    body = [f'<p class="msg">{escape(r.message)}</p>'] if r.message else []
    fixes = _common.fixes_line(r)  # 公文规范: every place with its correction
    evidence = [e for e in r.evidence if e.fix is None] if fixes else list(r.evidence)
    if evidence:
        items = "".join(
            f'<li>{f"<span class=ln>{escape(_common.place(e))}</span>" if _common.place(e) else ""}'
            f'{escape(e.text)}</li>'
            for e in evidence[: _common.MAX_EVIDENCE])
        more = len(evidence) - _common.MAX_EVIDENCE
        if more > 0:
            items += f"<li>……另有{more}处</li>"
        body.append(f'<ul class="ev">{items}</ul>')
    if fixes:
        body.append(f'<p class="fixes">{escape(fixes)}</p>')
    if r.status in (Status.FAIL, Status.WARN):
        if r.hint:
            body.append(f'<p class="hint"><b>修改建议：</b>{escape(r.hint)}</p>')
        if r.reference:
            body.append(f'<p class="ref"><b>依据：</b>{escape(r.reference)}</p>')
    s = r.status
    return (f'<tr class="r-{s.value}" data-rule="{_attr(r.rule)}" title="{_attr(r.rule)}"><td class="st m-{s.value}">'
            f'{_common.MARK[s]} {_common.STATUS_ZH[s]}</td>'
            f'<td class="t">{escape(r.title)}</td><td>{"".join(body)}</td></tr>')


def _rules_table(results: Sequence[RuleResult]) -> str:
    return ('<table class="rules"><thead><tr><th>状态</th><th>检查项</th><th>说明与证据</th>'
            f'</tr></thead><tbody>{"".join(_result_row(r) for r in results)}</tbody></table>')


def _problems(card: Scorecard) -> str:
    return " ".join(r.rule for r in _common.with_status(card, Status.FAIL, Status.WARN))


def _row_attrs(card: Scorecard, i: int) -> str:
    score = -1 if card.score is None else card.score
    return (f'data-verdict="{card.verdict}" data-problems="{_attr(_problems(card))}" '
            f'data-score="{score}" data-path="{_attr(card.path)}" data-i="{i}"')


def _section(results: Sequence[RuleResult]) -> str:
    """Findings in a table, the rules passed and not applicable folded away."""
    found = [r for r in results if r.status in _common.FINDING]
    rest = [r for r in results if r not in found]
    out = _rules_table(found) if found else '<p class="ok">全部检查项通过。</p>'
    if rest:
        n_pass = sum(r.status is Status.PASS for r in rest)
        out += (f"<details><summary>通过 {n_pass} 项、不适用 {len(rest) - n_pass} 项</summary>"
                f"{_rules_table(rest)}</details>")
    return out


def _card(card: Scorecard, i: int) -> str:
    head = (f'<header><h3>{escape(card.path)}</h3><span class="badge v-{card.verdict}">'
            f'{_common.VERDICT_ZH[card.verdict]}</span>')
    tally = _common.changes_text(card)
    if tally:
        head += f'<span class="tally">{escape(tally)}</span>'
    if card.score is not None:
        head += f'<span class="score">得分 {_common.score_text(card)}</span>'
    head += "</header>"
    if card.verdict == "error":
        inner = f'<p class="error">无法检查：{escape(card.error or "")}</p>'
    else:
        unsure = f"（{_common.doubt_text(card)}；如有误，请指定报告类型后重新检查）" if card.pack_confidence == "low" else ""
        facts = [f"报告类型：{escape(str(card.meta.get('pack_name') or card.pack))}{escape(unsure)}",
                 f"报告年度：{f'{card.report_year}年' if card.report_year else '无法确定'}"]
        if card.body:
            facts.append(escape(_common.signature_fact(card)))
        from auditor.reporters.scorecard_text import cross_lines

        facts += [escape("".join(text for text, _ in line)) for line in cross_lines(card)]
        inner = f'<p class="facts">{"".join(f"<span>{f}</span>" for f in facts)}</p>'
        inner += _section(_common.report_results(card))
        for pack_id, name, results in _common.addon_sections(card):
            inner += (f'<h4 class="addon" title="{_attr(pack_id)}">{escape(name)}{_common.section_note(results).replace("，", "（", 1) + "）" if _common.section_note(results) else ""}：'
                      f'{escape(_common.section_tally(results))}</h4>' + _section(results))
    return f'<article class="card c-{card.verdict}" id="r{i}" {_row_attrs(card, i)}>{head}{inner}</article>'


def _matrix(cards: Sequence[Scorecard], ids: Sequence[str], titles: dict[str, str], ctx: Any = None,
            number: dict[int, int] | None = None, prefix: str = "") -> str:
    """A row per report (its number in `number`, the card's anchor), a column per rule headed by
    its short title; the folder all the files share (`prefix`) is not repeated on every row."""
    heads = _common.rule_heads(cards, ctx)
    roster = getattr(ctx, "roster", None)
    head = "".join(f'<th class="rule" data-rule="{_attr(rid)}" title="{_attr(titles.get(rid, "") + "（" + rid + "）")}">'
                   f"{escape(heads.get(rid, rid))}</th>" for rid in ids)
    body = []
    copied = any(c.meta.get("similarity") is not None for c in cards)
    for c in cards:
        i = (number or {}).get(id(c), 0)
        st = _common.statuses(c)
        share = c.meta.get("similarity")
        dup = (f'<td title="与其他报告重复的比例">{round(100 * float(share))}%</td>' if share is not None
               else "<td>—</td>") if copied else ""
        cells = "".join(
            f'<td class="m-{st[rid].value}" data-rule="{_attr(rid)}" title="{_attr(titles.get(rid, rid))}：{_common.STATUS_ZH[st[rid]]}">'
            f"{_common.MARK[st[rid]]}</td>" if rid in st else f'<td data-rule="{_attr(rid)}"></td>' for rid in ids)
        note = roster.mark(c.path) if roster is not None else ""
        body.append(f'<tr {_row_attrs(c, i)}><td class="path" title="{_attr(c.path)}"><a href="#r{i}">'
                    f'{escape(c.path[len(prefix):])}</a>{f"<span class=rmark>{escape(note)}</span>" if note else ""}</td><td><span class="badge v-{c.verdict}">{_common.VERDICT_ZH[c.verdict]}'
                    f"</span></td><td>{_common.score_text(c)}</td>{dup}{cells}</tr>")
    dup_head = '<th title="与其他报告重复的比例">重复</th>' if copied else ""
    rates = _common.pass_rates(cards, ids)
    foot = "".join(f'<td data-rule="{_attr(rid)}" title="{rates[rid][0]} / {rates[rid][1]}">'
                   f"{_common.rate_text(*rates[rid])}</td>" for rid in ids)
    return (f'<div class="wrap"><table class="matrix"><thead><tr><th class="path sort" data-key="path">文件 ⇅</th>'
            f'<th>结论</th><th class="sort" data-key="score">得分 ⇅</th>{dup_head}{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody><tfoot><tr><th class="path">通过率</th><td></td><td></td>'
            f'{"<td></td>" if copied else ""}{foot}</tr>'
            f"</tfoot></table></div>")


def _type_name(pack_id: str | None, ctx: Any) -> str:
    pack = _common.packs_of(ctx).get(pack_id or "")
    return str(pack.data.get("short_name") or pack.name) if pack is not None else (pack_id or "")


def _matrices(cards: Sequence[Scorecard], ctx: Any, titles: dict[str, str]) -> str:
    """One matrix per report type, each with that type's rules; with several types the
    unreadable files get a table of their own."""
    number = {id(c): i for i, c in enumerate(cards, 1)}
    prefix = _common.common_prefix([c.path for c in cards])
    where = f'<p class="sub">文件均在“{escape(prefix)}”下（下表省略这一段）</p>' if prefix else ""
    return where + _matrix_tables(cards, ctx, titles, number, prefix)


def _matrix_tables(cards: Sequence[Scorecard], ctx: Any, titles: dict[str, str], number: dict[int, int],
                   prefix: str) -> str:
    types = sorted({c.pack for c in cards if c.pack and c.verdict != "error"})
    if len(types) <= 1:
        return _matrix(cards, _common.rule_ids(cards, ctx), titles, ctx, number, prefix)
    out = []
    for pid in types:
        mine = [c for c in cards if c.pack == pid and c.verdict != "error"]
        out.append(f"<h3>{escape(_type_name(pid, ctx))}（{len(mine)} 份）</h3>"
                   f"{_matrix(mine, _common.rule_ids(mine, ctx), titles, ctx, number, prefix)}")
    errors = [c for c in cards if c.verdict == "error"]
    if errors:
        out.append(f"<h3>无法检查（{len(errors)} 份）</h3>{_matrix(errors, [], titles, ctx, number, prefix)}")
    return "".join(out)


def _legend(ids: Sequence[str], titles: dict[str, str], heads: dict[str, str]) -> str:
    items = "".join(f'<div title="{_attr(rid)}"><b>{escape(heads.get(rid, rid))}</b>'
                    f'{escape(titles.get(rid, "")) if heads.get(rid, rid) != titles.get(rid) else ""}</div>'
                    for rid in ids)
    return f'<div class="rulelegend">{items}</div>'


def _run_info(ctx: Any) -> str:
    import datetime as _dt

    opts = dict(getattr(ctx, "options", None) or {})
    packs = _common.packs_of(ctx)
    facts = [f"检查时间：{_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}", f"auditor {__version__}",
             f"检查规则：{'、'.join(_type_name(pid, ctx) for pid in sorted(packs)) or '—'}",
             f"报告类型：{_common.pack_choice(opts.get('pack'), ctx)}", f"报送期限：{_deadline(opts.get('deadline'))}",
             f"公开期限：{_deadline('04-01')}",
             f"判定标准：{_common.FAIL_ON_ZH.get(str(opts.get('fail_on') or 'error'), str(opts.get('fail_on')))}"]
    if opts.get("min_score") is not None:
        facts.append(f"最低得分：{opts['min_score']} 分")
    if opts.get("disabled"):
        facts.append(f"不检查：{'、'.join(map(str, opts['disabled']))}")
    if opts.get("similarity"):
        facts.append("同批雷同比对：开")
    if opts.get("previous"):
        facts.append(f"上年报告：{' '.join(map(str, opts['previous']))}")
    return f'<p class="run">{"".join(f"<span>{escape(f)}</span>" for f in facts)}</p>'


def _deadline(value: object) -> str:
    month, _, day = str(value or "04-01").partition("-")
    return f"次年{int(month)}月{int(day)}日前" if month.isdigit() and day.isdigit() else str(value)


def _roster(ctx: Any) -> str:
    """--roster: the bodies that sent no report, first on the page."""
    roster = getattr(ctx, "roster", None)
    if roster is None:
        return ""
    items = [f"<li><b>未报送（{len(roster.missing)}）：</b>{escape('、'.join(roster.missing)) or '无'}</li>"]
    items += [f"<li><b>重复报送：</b>{escape(e.name)}（{escape('、'.join(e.paths))}）</li>" for e in roster.duplicates]
    if roster.unlisted:
        items.append("<li><b>不在名单中的报告：</b>" + escape("、".join(
            f"{p}（{roster.bodies.get(p) or '发文单位不明'}）" for p in roster.unlisted)) + "</li>")
    return (f'<section class="roster" id="roster"><h2>报送名单核对</h2><p>{escape(roster.summary())}</p>'
            f'<ul>{"".join(items)}</ul></section>')


def _pairs(ctx: Any) -> str:
    """--similarity: each flagged pair with its shared passages side by side."""
    cross = getattr(ctx, "cross", None)
    result = getattr(cross, "similarity", None)
    if result is None:
        return ""
    threshold = getattr(cross, "similarity_threshold", None)
    head = (f"<h2>雷同报告（{len(result.pairs)} 对）</h2><p class=\"sub\">比较 {result.compared} 份报告，"
            f"候选 {result.candidates} 对；重复比例达到 {round(100 * (threshold or 0))}% 的列出如下"
            "（已去除单位名称、年份、日期、数字、部分标题和固定政治表述）。</p>")
    if not result.pairs:
        return head + "<p class=\"ok\">没有大量雷同的报告。</p>"
    out = [head]
    for pair in result.pairs:
        rows = "".join(
            f"<tr><td><span class=ln>{escape(p.a_where)}</span>"
            f"{f'<span class=ln>{escape(p.a_part)}</span>' if p.a_part else ''}<br>{escape(p.a_text)}</td>"
            f"<td><span class=ln>{escape(p.b_where)}</span>"
            f"{f'<span class=ln>{escape(p.b_part)}</span>' if p.b_part else ''}<br>{escape(p.b_text)}</td></tr>"
            for p in pair.passages)
        out.append(f'<section class="pair"><h3>{escape(pair.a)}（重复{round(100 * pair.share_a)}%）↔ '
                   f'{escape(pair.b)}（重复{round(100 * pair.share_b)}%）</h3>'
                   f'<table class="side"><thead><tr><th>{escape(pair.a)}</th><th>{escape(pair.b)}</th></tr>'
                   f"</thead><tbody>{rows}</tbody></table></section>")
    return "".join(out)


def render(cards: Sequence[Scorecard], ctx: Any = None) -> str:
    cards = _common.ordered(cards, ctx)
    if getattr(ctx, "sort", "path") != "score":  # the reports that need work first
        cards = sorted(cards, key=_common.verdict_order)
    ids = _common.rule_ids(cards, ctx)
    titles = _common.rule_titles(cards, ctx)
    heads = _common.rule_heads(cards, ctx)
    rule_opts = "".join(f'<option value="{_attr(rid)}">{escape(titles.get(rid, ""))}</option>'
                        for rid in ids)
    verdict_opts = "".join(f'<option value="{v}">{label}</option>' for v, label in _common.VERDICT_ZH.items())
    legend = "　".join(f"{_common.MARK[s]} {_common.STATUS_ZH[s]}" for s in Status)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="auditor {__version__}"><meta name="{OUTPUT_MARKER}" content="1">
<title>{TITLE}</title><style>{CSS}</style></head>
<body><h1>{TITLE}</h1><p class="sub">{escape(_common.summary_line(cards))}</p>{_run_info(ctx)}
<nav class="filters"><label>结论 <select id="f-verdict"><option value="">全部</option>{verdict_opts}</select></label>
<label>未通过的规则 <select id="f-rule"><option value="">全部规则</option>{rule_opts}</select></label>
<span id="shown">显示 {len(cards)} / {len(cards)} 份</span></nav>
{_roster(ctx)}
<h2>汇总</h2>{_matrices(cards, ctx, titles)}<p class="legend">{legend}</p>
<h2>列名说明</h2>{_legend(ids, titles, heads)}{_pairs(ctx)}
<p id="none" hidden>没有符合筛选条件的报告。</p>
<h2>各报告详情</h2><div id="cards">{"".join(_card(c, i) for i, c in enumerate(cards, 1))}</div>
<script>{JS}</script></body></html>
"""


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    out.write(render(cards, ctx))


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.html_report as _this

    _contract: Reporter = _this
