"""Audit: document → pack → checks → Scorecard. Owns crash isolation and the time budget.

The analysis (`analyse_file`, `analyse_raw`) returns an `Audit`: the text as read, the structure
with the pack's roles, the detection and the scorecard, computed once per document; annotate, the
web view and the cross-report checks read it instead of loading and detecting again.
`audit_file` returns only the card. Bad documents become scorecards with verdict "error";
nothing a document contains can raise out of `audit_file` or `analyse_file`.
"""

from __future__ import annotations

from collections import Counter
import contextlib
from dataclasses import dataclass
import signal
import threading
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from auditor import checks
from auditor.checks.contract import CheckKind, Context, Missing, ScopeSpec, Target, whole
from auditor.run.detect import Detection, Refusal, decide, forced
from auditor.errors import BudgetExceeded, DocumentLoadError
from auditor.loaders import load
from auditor.run.options import AuditOptions as AuditOptions  # re-exported: callers import it from here too
from auditor.models import Document, Evidence, Line, Met, Outcome, RawText, RuleResult, Scorecard, Severity, Status, Verdict, replace
from auditor.packs.ruleset import Pack, report_packs
from auditor.run.scoring import score, status_for, verdict
from auditor.document.structure import build

OUT_OF_MEMORY = "文件过大，内存不足，无法读取"
UNKNOWN_TYPE = "未识别为法治政府建设年度报告或第一责任人职责履行情况报告，可用 --pack 指定"


@contextlib.contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded after `seconds` (main thread on POSIX only; elsewhere no limit)."""
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _expired(signum: int, frame: object) -> None:
        raise BudgetExceeded(f"处理超时（超过 {seconds:g} 秒），已跳过")

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: The most characters a finding quotes from the document (evidence, issuing body, where): a
#: report's line may be a whole 20 MB page with no line breaks, and every output format would
#: copy it. A reader needs the start of the line and its number.
MAX_EXCERPT = 300
MAX_MESSAGE = 1000


def excerpt(text: str, limit: int = MAX_EXCERPT) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _capped(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    if all(len(e.text) <= MAX_EXCERPT and len(e.where or "") <= MAX_EXCERPT for e in evidence):
        return evidence  # the usual case: nothing to copy
    return tuple(e._replace(text=excerpt(e.text), where=excerpt(e.where) if e.where else e.where)
                 for e in evidence)


def _ev(line: Line | None) -> Evidence | None:
    if line is None:
        return None
    return Evidence(line=line.no, text=excerpt(line.text.strip()), where=excerpt(line.where) if line.where else None)


def _unique(evidence: tuple[Evidence, ...]) -> tuple[Evidence, ...]:
    """Evidence without repeats (two patterns of a rule may point at the same line and text)."""
    if len(evidence) < 2:
        return evidence
    seen: dict[tuple[Any, ...], Evidence] = {}
    for e in evidence:
        seen.setdefault((e.line, e.text, e.fix), e)  # each place with its own correction stays
    return evidence if len(seen) == len(evidence) else tuple(seen.values())


def _line_text(doc: Document, no: int) -> str | None:
    """The text of line `no` (lines are numbered from 1 in order; searched if not)."""
    lines = doc.lines
    if 0 < no <= len(lines) and lines[no - 1].no == no:
        return lines[no - 1].text
    return next((ln.text for ln in lines if ln.no == no), None)


#: the longest excerpt that merging overlapping excerpts of one line makes (about two windows of
#: context around a match); past it, the next excerpt quotes only what follows the last one
MAX_MERGED = 160
MIN_TAIL = 12  # a tail shorter than this adds nothing worth a second quote: dropped


def _merged(evidence: tuple[Evidence, ...], doc: Document) -> tuple[Evidence, ...]:
    """Evidence that quotes nothing twice: excerpts of one line that overlap (a check's matches
    a few characters apart, each with its window of context) become one excerpt of the line,
    placed where the first of them was; excerpts that do not overlap stay apart."""
    lines = [e.line for e in evidence if e.line is not None and e.fix is None]  # a fix is its own place
    if len(set(lines)) == len(lines):
        return evidence  # the usual case: no line quoted twice
    counts = Counter(lines)
    keep: dict[int, Evidence | None] = {}  # index in evidence -> its replacement (None: dropped)
    for no, n in counts.items():
        text = _line_text(doc, no) if n > 1 else None
        if not text:
            continue
        spans = []
        for i, e in enumerate(evidence):
            body = e.text.removeprefix("…").removesuffix("…") if e.line == no and e.fix is None else ""
            at = text.find(body) if body else -1
            if at >= 0:
                spans.append((at, at + len(body), i))
        groups: list[list[int]] = []  # [lo, hi, first index]
        for lo, hi, i in sorted(spans):
            last = groups[-1] if groups else None
            if last is None or lo >= last[1]:
                groups.append([lo, hi, i])
            elif max(hi, last[1]) - last[0] <= MAX_MERGED:
                last[1], last[2] = max(hi, last[1]), min(i, last[2])
            elif hi - last[1] >= MIN_TAIL:
                groups.append([last[1], hi, i])  # only what the last excerpt did not quote
            keep[i] = None
        for lo, hi, i in groups:
            keep[i] = evidence[i]._replace(
                text=("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else ""))
    if not keep:
        return evidence
    out = (keep.get(i, e) for i, e in enumerate(evidence))
    return tuple(e for e in out if e is not None)


def target_for(doc: Document, scope: ScopeSpec | None, ctx: Context) -> Target | Outcome:
    """What a rule reads: the whole report, or the parts of its scope's role. When that part is
    missing the rule is skipped or failed, as its scope says, for every kind alike."""
    if scope is None:
        return whole(doc)
    title = ctx.role_title(scope.role)
    parts = doc.parts_with_role(scope.role)
    if not parts:
        met = Met.UNMET if scope.missing is Missing.FAIL else Met.NOT_APPLICABLE
        # failing: the rule's own message says what is missing; skipped: say why
        return Outcome(met, "" if met is Met.UNMET else f"没有“{title}”部分，不检查此项")
    return Target(doc, tuple(ln for p in parts for ln in p.lines), parts, scope.role, title)


def evaluate(kind: CheckKind[Any], params: Any, scope: ScopeSpec | None, doc: Document, ctx: Context) -> Outcome:
    """One check on one document, its scope resolved."""
    target = target_for(doc, scope, ctx)
    if isinstance(target, Outcome):
        return target
    return kind.check(target, params, ctx)


class _RulePlan(NamedTuple):
    """What running one rule needs, looked up once per pack and options instead of per document."""

    rule: Any  # RuleSpec
    check: Callable[[Target, Any, Context], Outcome]
    params: Any
    scope: ScopeSpec | None
    severity: Severity
    reference: str


_PLANS: dict[tuple[int, int], tuple[Pack, AuditOptions, tuple[_RulePlan, ...]]] = {}


def _rule_plans(pack: Pack, options: AuditOptions) -> tuple[_RulePlan, ...]:
    """The enabled rules of a pack with their check, compiled params and effective severity."""
    key = (id(pack), id(options))
    found = _PLANS.get(key)
    if found is not None and found[0] is pack and found[1] is options:
        return found[2]
    plans = []
    for rule in pack.rules:
        if rule.id in options.disabled:
            continue
        override = options.severity.get(rule.id)
        plans.append(_RulePlan(rule, checks.get(rule.kind).check, rule.params, rule.scope,
                               Severity(override) if override else rule.severity, rule.reference.cited))
    if len(_PLANS) > 64:  # options made per call (the API, tests): keep the table small
        _PLANS.clear()
    _PLANS[key] = (pack, options, tuple(plans))  # holding both keeps their ids from being reused
    return tuple(plans)


_PASS, _SKIP = Status.PASS, Status.SKIP
_new_result = tuple.__new__  # RuleResult's fields positionally, without its Python-level __new__
if RuleResult._fields != ("rule", "name", "title", "severity", "status", "message", "evidence", "hint",
                          "reference", "addon", "data"):
    raise ImportError("run_rules builds RuleResult positionally: update it with the record")


def _store() -> Any:
    from auditor.packs.store import validated_store  # lazy: only the first load of a data file needs it

    return validated_store()


def run_rules(doc: Document, pack: Pack, options: AuditOptions) -> tuple[RuleResult, ...]:
    """Every enabled rule of the pack on a document whose roles are assigned."""
    ctx = Context(roles=pack.roles, deadline=options.deadline,
                  options={"signature_label": pack.signature_label,  # 署名 in a duty report's findings
                           "store": _store})  # data files (rules/data/) validated once per change
    results = []
    everything = whole(doc)
    for plan in _rule_plans(pack, options):
        rule, severity = plan.rule, plan.severity
        if plan.scope is None:
            outcome = plan.check(everything, plan.params, ctx)
        else:
            target = target_for(doc, plan.scope, ctx)
            outcome = target if isinstance(target, Outcome) else plan.check(target, plan.params, ctx)
        status = status_for(outcome.met, severity)
        shown = status is _PASS or status is _SKIP
        # One statement per finding: what the check found, when it can say more than the rule's
        # message (where a mention is, what a part holds instead); else the rule's message.
        message = outcome.message or ("" if shown else rule.message)
        results.append(_new_result(RuleResult, (
            rule.id, rule.name, rule.title, severity, status,
            message if len(message) <= MAX_MESSAGE else excerpt(message, MAX_MESSAGE),
            _capped(_merged(_unique(outcome.evidence), doc)) if outcome.evidence else (),
            None if shown else rule.hint, plan.reference, None, outcome.data,
        )))
    return tuple(results)


def error_card(path: str, message: str, *, fmt: str | None = None) -> Scorecard:
    # capped too: an internal error's text may quote whatever the document held
    return Scorecard(path=path, pack=None, verdict=Verdict.ERROR, score=None, error=excerpt(message, MAX_MESSAGE),
                     fmt=fmt)


@dataclass(frozen=True)
class Audit:
    """One document's analysis, computed once: the card and what it was computed from.

    `source` is the text as the loader extracted it (None when it could not be read), each line
    with where it came from; `document` its structure with the pack's roles and `detection` the
    pack, confidence and evidence (None when no pack applies: the card then says why)."""

    card: Scorecard
    source: RawText | None = None
    document: Document | None = None
    detection: Detection | None = None

    @property
    def pack(self) -> Pack | None:
        return self.detection.pack if self.detection is not None else None

    @property
    def outcomes(self) -> tuple[RuleResult, ...]:
        return self.card.results


def audit_raw(raw: RawText, packs: Mapping[str, Pack], options: AuditOptions = AuditOptions()) -> Scorecard:
    """Audit extracted text."""
    return analyse_raw(raw, packs, options).card


def analyse_raw(raw: RawText, packs: Mapping[str, Pack], options: AuditOptions = AuditOptions()) -> Audit:
    """Analyse extracted text: structure, report type, every enabled rule."""
    doc = build(raw)
    found: Detection | Refusal | None
    if options.pack != "auto":
        found = forced(doc, packs[options.pack])
    else:
        found = decide(doc, report_packs(packs))
    if isinstance(found, Refusal):  # the document shows it is another kind: say which
        shown = found.evidence.text.strip() if found.evidence else ""
        shown = shown if len(shown) <= 40 else shown[:40] + "…"
        at = f"（第{found.evidence.no}行：{shown}）" if found.evidence else ""
        return Audit(error_card(raw.path, f"{found.reason}{at}；如确为报告，可用 --pack 指定", fmt=raw.fmt), raw)
    if found is None:
        return Audit(error_card(raw.path, UNKNOWN_TYPE, fmt=raw.fmt), raw)
    doc = found.document
    results = run_rules(doc, found.pack, options)
    extra = addon_results(doc, packs, options)
    body_line = doc.signature.body or (doc.title[0] if len(doc.title) > 1 else None)
    addons = [{"id": pid, "name": packs[pid].name} for pid in options.with_packs]
    card = Scorecard(
        # the score stays the report pack's: an add-on's warnings are about form, not content;
        # the verdict counts every rule, so a severity override can make an add-on rule gate
        path=raw.path, pack=found.pack.id, verdict=verdict(results + extra), score=score(results),
        results=results + extra,
        report_year=doc.report_year, fmt=raw.fmt, pack_evidence=_ev(found.evidence),
        pack_confidence=found.confidence,
        year_evidence=_ev(doc.year_evidence), body=excerpt(body_line.text.strip()) if body_line else None,
        meta={"pack_name": found.pack.name, "signature_label": found.pack.signature_label,
              "pack_reason": excerpt(found.reason, MAX_MESSAGE),
              **({"pack_doubts": list(found.doubts)} if found.doubts else {}),
              "encoding": raw.encoding, "traditional": doc.traditional,
              **{k: excerpt(v) if isinstance(v, str) else v for k, v in doc.meta.items()},
              **({"addons": addons} if addons else {})},
    )
    return Audit(card, raw, doc, found)


def addon_results(doc: Document, packs: Mapping[str, Pack], options: AuditOptions) -> tuple[RuleResult, ...]:
    """The rules of the add-on packs asked for (--with), each result marked with its pack."""
    out: list[RuleResult] = []
    for pid in options.with_packs:
        out += [replace(r, addon=pid) for r in run_rules(doc, packs[pid], options)]
    return tuple(out)


def needs_layout(packs: Mapping[str, Pack], options: AuditOptions) -> bool:
    """Whether an enabled add-on rule reads a Word draft's layout (load it only then)."""
    return any(checks.get(r.kind).needs_layout
               for pid in options.with_packs for r in packs[pid].rules if r.id not in options.disabled)


def audit_text(text: str, packs: Mapping[str, Pack], options: AuditOptions = AuditOptions(), *,
               path: str = "<text>", fmt: str = "txt") -> Scorecard:
    """Audit a string (used by rule examples and tests)."""
    from auditor.models import SourceLine

    raw = RawText(path=path, fmt=fmt, lines=tuple(SourceLine(s) for s in text.splitlines()))
    return audit_raw(raw, packs, options)


def audit_file(path: str, packs: Mapping[str, Pack], options: AuditOptions = AuditOptions(), *,
               loader: Callable[..., RawText] | None = None) -> Scorecard:
    """Audit one file; never raises because of what the file contains (see `analyse_file`)."""
    return analyse_file(path, packs, options, loader=loader).card


def analyse_file(path: str, packs: Mapping[str, Pack], options: AuditOptions = AuditOptions(), *,
                 loader: Callable[..., RawText] | None = None) -> Audit:
    """Analyse one file; never raises because of what the file contains.

    `loader` replaces loaders.load (same signature; `ocr=True` is passed only when asked for):
    the batch cache passes one that serves extracted text it has seen before, inside the same
    time budget and crash isolation."""
    extra = {"ocr": True} if options.ocr else {}
    if needs_layout(packs, options):
        extra["layout"] = True
    raw: RawText | None = None
    try:
        with time_budget(options.time_budget):
            raw = (loader or load)(path, max_bytes=options.max_bytes, **extra)
            return analyse_raw(raw, packs, options)
    except DocumentLoadError as exc:
        return Audit(error_card(path, str(exc)), raw)
    except BudgetExceeded as exc:
        hint = "；OCR 每页需数秒，可用 --timeout 放宽时限（0 为不限）" if options.ocr else ""
        return Audit(error_card(path, f"{exc}{hint}"), raw)
    except RecursionError:
        return Audit(error_card(path, "文件结构嵌套过深，无法读取"), raw)
    except MemoryError:
        return Audit(error_card(path, OUT_OF_MEMORY), raw)
    except Exception as exc:  # noqa: BLE001 - the isolation point: a bug must not stop a batch
        return Audit(error_card(path, f"内部错误（{type(exc).__name__}: {exc}），请将此文件反馈给维护者"), raw)
