"""The commands besides `check`: rules, explain, validate-rules, init. Plain text out, so the
output reads the same in a terminal, a CI log and a test."""

from __future__ import annotations

import difflib
import os
from typing import Any, Iterator, Mapping, Sequence

from auditor.errors import count
from auditor.models import Status

KIND_LABEL = {"pass": "合格示例", "fail": "不合格示例", "warn": "警告示例", "skip": "不适用示例"}


def rules_listing(packs: Mapping[str, Any], pack: str | None = None) -> Iterator[str]:
    """Lines of `auditor rules`: per pack, each rule's id, severity and title."""
    for pid in sorted(packs) if pack is None else [pack]:
        p = packs[pid]
        yield f"{p.id}  {p.name}  ({count(len(p.rules), 'rule')}; {p.source})"
        for r in p.rules:
            yield f"  {r.id:<7} {r.severity.value:<8} {r.title}"
    if pack is None:
        from auditor.cross import crossrules

        cross = crossrules.load()
        yield f"cross  跨报告检查，--similarity / --previous 时运行，适用于各类报告  ({len(cross)} rules; {crossrules.rules_file()})"
        for c in cross:
            yield f"  {c.id:<7} {c.severity.value:<8} {c.title}"


def find_cross(rule_id: str) -> Any:
    """The cross-report rule with this id (case-insensitive), or None."""
    from auditor.cross import crossrules

    want = rule_id.strip().upper()
    return next((r for r in crossrules.load() if r.id == want), None)


CROSS_HOW = {
    "similarity": "auditor check DIR --similarity（--summary 且多于1份报告时默认开启）：与同批其他报告比较，"
                  "去除单位名称、年份、日期、数字、部分标题和固定政治表述后，重复比例达到阈值的两份报告各得一条警告",
    "carryover": "auditor check DIR --previous 上年报告目录：与同一发文单位上一年度的报告比较，"
                 "沿用原文的比例超过阈值时警告；同一句中数字未变的也列出",
    "plan_uptake": "auditor check DIR --previous 上年报告目录：上一年度报告“主要安排”中列举的措施（一是…二是…），"
                   "在本年度“主要举措和成效”中找不到对应内容的比例超过阈值时警告",
}


def explain_cross(rule: Any) -> str:
    return "\n".join([
        f"{rule.id}  {rule.title}",
        f"跨报告检查　严重程度：{rule.severity.value}　检查方式：{rule.check}　名称：{rule.name}　阈值：{rule.threshold:g}"
        "（配置 thresholds 可改）",
        "",
        f"要求：{rule.title}",
        f"不满足时：{rule.message}",
        f"如何检查：{CROSS_HOW.get(rule.check, rule.check)}",
        f"依据：{rule.reference}",
        *(citation_lines(rule.citation) if rule.citation is not None else ()),
        f"如何修改：{rule.hint}",
    ])


def find_rule(packs: Mapping[str, Any], rule_id: str) -> list[tuple[Any, Any]]:
    """(pack, rule) for every pack that defines the id (ids are per pack; case-insensitive)."""
    want = rule_id.strip().upper()
    return [(p, r) for p in packs.values() for r in p.rules if r.id.upper() == want]


def suggest(packs: Mapping[str, Any], rule_id: str) -> list[str]:
    ids = sorted({r.id for p in packs.values() for r in p.rules})
    return difflib.get_close_matches(rule_id.upper(), ids, n=3, cutoff=0.5)


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.splitlines())


SEVERITY_ZH = {"error": "错误（不满足时报告判为不合格）", "warning": "警告（不满足时提醒，不影响结论）"}


def _quote(text: str) -> str:
    return text if text.startswith("“") else f"“{text}”"


PRACTICE_LABEL = "参考（地方做法，不是全国性规定；本省有规定的以本省为准）"


def _clause_lines(ref: Any) -> list[str]:
    """The document's particulars, each cited clause's confirmed wording in quotation marks (or
    what it is about, in our words, when only the clause is confirmed), and the note."""
    out = [f"    文件信息：{ref.details}"] if ref.details else []
    for c in ref.clauses:
        label = f"{c.article} " if c.article and len(ref.clauses) > 1 else ""
        if c.text:
            out.append(f"    {label}原文：“{c.text}”")
        else:
            out.append(f"    {label}内容（概述，非原文）：{c.about}")
    if ref.note:
        out.append(f"    说明：{ref.note}")
    return out


def citation_lines(ref: Any) -> list[str]:
    """The lines under 依据 in `auditor explain`: from the source registry (rules/data/sources.yaml)
    for a `{source, clause}` reference; the quoted `text` of the old form otherwise."""
    if ref.source is not None:
        out = _clause_lines(ref)
        if ref.practice:
            out.append(f"{PRACTICE_LABEL}：{ref.practice.document}{ref.practice.article or ''}")
            out += _clause_lines(ref.practice)
        return out
    out = [f"    原文：{_quote(ref.text)}"] if ref.text else []
    if ref.practice:
        out.append(f"{PRACTICE_LABEL}：{ref.practice.document}")
        if ref.practice.text:
            out.append(f"    原文：{_quote(ref.practice.text)}")
    return out


def explain(pack: Any, rule: Any) -> str:
    """What the rule requires, why, the regulation's text, how to fix it, and its examples,
    in the words of the report's readers (no internal kind names or English severities)."""
    ref = rule.reference
    out = [
        f"{rule.id}  {rule.title}",
        f"规则包：{pack.id}（{pack.name}）",
        f"严重程度：{SEVERITY_ZH.get(rule.severity.value, rule.severity.value)}",
        "",
        f"要求：{rule.title}",
        f"不满足时：{rule.message}",
        f"为什么：{rule.rationale}",
        f"依据：{ref.document}{ref.article or ''}",
    ]
    out += citation_lines(ref)
    out.append(f"如何修改：{rule.hint}")
    for kind in ("pass", "fail", "warn", "skip"):
        for i, text in enumerate(rule.examples.get(kind, ()), 1):
            shown = text if isinstance(text, str) else f"（示例文件 {text.name}，随规则包发布）"
            out += ["", f"{KIND_LABEL[kind]} {i}：", _indent(shown)]
    return "\n".join(out)


def _expected(kind: str, severity: str) -> set[Status]:
    if kind == "fail":  # a warning-severity rule that is not met warns
        return {Status.FAIL} if severity == "error" else {Status.WARN}
    return {{"pass": Status.PASS, "warn": Status.WARN, "skip": Status.SKIP}[kind]}


def example_document(example: Any, pack: Any) -> Any:
    """The Document of a rule example: its text as a .txt file, or a shipped sample file read
    with its layout (a Word draft), with the pack's roles assigned."""
    from auditor.document.roles import assign
    from auditor.document.structure import build
    from auditor.models import RawText, SourceLine

    if isinstance(example, str):
        raw = RawText(path="<example>", fmt="txt", lines=tuple(SourceLine(s) for s in example.splitlines()))
    else:
        from auditor import loaders

        raw = loaders.load(example.path, layout=True)
    return assign(build(raw), pack.roles, pack.year)


def run_examples(pack: Any, rule_ids: Sequence[str] | None = None) -> Iterator[tuple[str, str, int, bool, str]]:
    """(rule, kind, n, ok, detail) for each example of the pack's rules (all, or `rule_ids`)."""
    from auditor.run.engine import run_rules
    from auditor.run.options import AuditOptions

    for rule in pack.rules:
        if rule_ids is not None and rule.id not in rule_ids:
            continue
        for kind, texts in rule.examples.items():
            for n, text in enumerate(texts, 1):
                try:
                    doc = example_document(text, pack)
                    result = next(r for r in run_rules(doc, pack, AuditOptions()) if r.rule == rule.id)
                except Exception as exc:  # noqa: BLE001 - a crashing check is a failed example, not a crash
                    yield rule.id, kind, n, False, f"check raised {type(exc).__name__}: {exc}"
                    continue
                ok = result.status in _expected(kind, rule.severity.value)
                detail = "" if ok else f"expected {kind}, got {result.status.value}: {result.message}"
                yield rule.id, kind, n, ok, detail


STARTER = """\
# auditor 配置文件（auditor.yaml）。auditor 从当前目录向上查找本文件；也可用 --config 指定。
# 同样的键也可以写在 pyproject.toml 的 [tool.auditor] 下。各项都可省略；命令行参数优先。
# 查看全部规则：auditor rules　　查看某条规则：auditor explain AR203

# 报告类型：auto（自动识别）或规则包 id（annual 年度报告，duty 第一责任人履职报告 …）
pack: auto

# 附加规则包：与报告类型一并检查，如 gongwen（公文规范：成文日期、层次序数、标点、数字、规范表述、Word 版式）
# with: [gongwen]

# 报送期限（月-日，须加引号）：成文日期不晚于次年此日（AR303；如政府部门 "03-01"）。
# 公开期限（AR304，网页发布日期）一律为次年4月1日，不随此项改变
# deadline: "04-01"

# 不检查的规则
# disable: [AR106]

# 调整规则的严重程度（error 不合格 / warning 警告）
# severity:
#   AR001: error

# 本地规则文件（相对本文件）。pack 与已有规则包相同时，其规则追加到该包；
# 用新的 pack id 则是一种新的报告类型（须自带 roles 和 detect）。
# rule_files: [rules/our-province.yaml]

# 不带路径运行 `auditor check` 时审查的文件（glob，相对本文件）
# include: ["reports/**/*.docx", "reports/**/*.pdf"]

# 始终排除的文件（glob；不含 / 的模式匹配任意层级的文件名或目录名）
# exclude: ["drafts", "*.bak.docx"]

# 判定失败的标准：error（有不合格项才失败）或 warning（有警告也失败）；最低得分
# fail_on: error
# min_score: 80

# 豁免：无法在文档中加注释时，经批准对某份文档免除某条规则。
# path（glob，相对本文件）与 sha256（文档内容的哈希，文件改名也有效）二选一；
# reason 与 approved_by 必填；expires 为最后有效日，过期后不再生效并在结果中注明。
# waivers:
#   - rule: AR303
#     path: reports/2023/某街道2023年法治政府建设情况报告.pdf
#     reason: 经区委依法治区办同意延期公开
#     approved_by: 区司法局 张三
#     expires: 2025-06-30
"""


def write_starter(path: str, *, force: bool = False) -> None:
    """Write the commented starter config; FileExistsError unless `force`."""
    if os.path.exists(path) and not force:
        raise FileExistsError(path)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(STARTER)


def annotate_to(path: str, output: str | None, packs: Any, cfg: Any, *, pack: str | None, deadline: str | None,
                timeout: float, with_packs: Sequence[str] = (), max_memory: int | None = None,
                author: str | None = None) -> int:
    """`auditor annotate`: write the annotated .docx, say what was written; the exit status."""
    import click

    from auditor.annotate import AnnotateError, annotate_isolated, default_output
    from auditor.run.policy import EXIT_ERROR, EXIT_FAILED, EXIT_OK
    from auditor.run.settings import SettingError, audit_options

    try:  # the same settings, checked the same way, as `check`
        options = audit_options(cfg, packs, pack=pack, with_packs=with_packs, deadline=deadline, time_budget=timeout)
    except SettingError as exc:
        raise click.BadParameter(str(exc), param_hint=f"--{exc.key}") from None
    out = output or default_output(path)
    if os.path.exists(out) and os.path.exists(path) and os.path.samefile(out, path):
        raise click.UsageError("the output would overwrite the input; auditor never writes to the documents it reads")
    from auditor.errors import DocumentLoadError

    try:
        done = annotate_isolated(path, packs, options, max_memory_mb=max_memory,  # limits as for check
                                 author=(author or cfg.comment_author or "").strip())
    except (AnnotateError, DocumentLoadError) as exc:  # (the latter where there is no worker: Windows)
        click.echo(f"{path}: 无法检查：{exc}", err=True)
        return EXIT_ERROR
    from auditor.reporters import atomic_write

    try:
        atomic_write(out, done.data)  # a reader never sees half a .docx, an interrupted run leaves none
    except OSError as exc:
        click.echo(f"auditor: cannot write {out}: {exc.strerror or exc}", err=True)
        return EXIT_ERROR
    from auditor.reporters._common import VERDICT_ZH, score_text

    card = done.card
    revised = f"、{done.changes} 处修订（可在“审阅”中接受或拒绝）" if done.changes else ""
    click.echo(f"已写入 {out}：{done.comments} 条批注{revised}；结论：{VERDICT_ZH.get(card.verdict, card.verdict)}，"
               f"得分 {score_text(card)}")
    return EXIT_FAILED if card.verdict == "fail" else EXIT_OK
