"""The contract between the engine and a check kind.

A kind declares, once, in a `NamedTuple` of parameters, each parameter's type and default:

    class Params(NamedTuple):
        patterns: Patterns                          # required: no default
        min_count: Annotated[int, Schema(minimum=1)] = 1
        found_label: str = "符合要求的内容"

From that one declaration the pack's JSON Schema (`params_schema`) and the compiler
(`compile_params`) both work: `Patterns` is a list of regular expressions, `Groups` a mapping
of label → regular expressions, `Names` a list of plain names, `Pattern` one regular
expression; `int`, `float`, `bool`, `str` and `Literal[...]` are what they say; another
NamedTuple is an object of such fields and `tuple[ThatNamedTuple, ...]` a list of them (a term
list's entries, each with its own patterns); `X | None = None` is optional;
`Annotated[T, Schema(...)]` adds JSON Schema keywords.

Wherever a kind takes patterns, a rule may give plain words instead of (or besides) regular
expressions: `patterns: {words: [原因, 根源], patterns: ["究其.{0,4}原因"]}` (a `Pattern` takes
`{words: [...]}`). Each word is matched literally, after the normalisation the document's text
gets (full-width marks → ASCII, spaces, Traditional → Simplified), so `原因：` finds “原因：”; the
words become one regular expression (escaped, longest first), so a long list costs one search.
Patterns of a kind that reads the original text (`Annotated[Patterns, ORIGINAL]`: where
full-width and half-width marks differ) take their words as written.
The kind's `check` then receives that NamedTuple, typed, with the defaults filled in.

The engine resolves a rule's `scope:` (which part it reads, what happens when that part is
missing) once, for every kind alike, and hands the kind a `Target`: the lines it checks.
"""

from __future__ import annotations

import builtins
import enum
import re
import types
import typing
from typing import Any, Callable, Generic, Literal, Mapping, NamedTuple, Protocol, TypeVar

from auditor.errors import RuleFileError
from auditor.document.patterns import Rx, lazy
from auditor.models import Document, Line, Outcome, Part

if typing.TYPE_CHECKING:
    from auditor.document.roles import RoleSpec

#: a parameter holding regular expressions (YAML: a list of strings), each compiled when first searched
Patterns = tuple[Rx, ...]
#: a parameter holding groups of regular expressions (YAML: label → list of strings)
Groups = Mapping[str, Patterns]
#: a parameter holding plain names (YAML: a list of strings), e.g. role names
Names = tuple[str, ...]
#: a parameter holding one regular expression (YAML: a string)
Pattern = re.Pattern[str]


class _Original:
    """`Annotated[Patterns, ORIGINAL]`: the kind matches these patterns against the original text
    (not the normalised one), so their words are not normalised and full-width marks in them are meant."""

    def __repr__(self) -> str:
        return "ORIGINAL"


ORIGINAL = _Original()

P = TypeVar("P", bound=tuple[Any, ...])


class Schema(dict[str, Any]):
    """Extra JSON Schema keywords for one parameter: `Annotated[int, Schema(minimum=1)]`."""

    def __init__(self, **keywords: Any) -> None:
        super().__init__(keywords)


class Scoping(enum.Enum):
    """Whether a kind reads a part of the report that the rule's `scope:` names."""

    NONE = "none"  # the kind looks at the document's structure (title, parts, signature)
    OPTIONAL = "optional"  # the whole report unless the rule names a part
    REQUIRED = "required"  # the rule must name a part


class Missing(enum.Enum):
    """What a scoped rule does when its part is absent (`scope: {missing: ...}`)."""

    SKIP = "skip"
    FAIL = "fail"


class Placement(enum.Enum):
    """Where a failing rule of a kind is marked when it has no evidence to point at (annotate's
    Word comments, the web view's markers): something missing belongs somewhere."""

    PART = "part"  # on the heading of the part the rule reads (its scope, or the part it names), else the title
    ORDER = "order"  # after the last present part that the pack's part order puts before the part it names
    END = "end"  # after the issuing body, else after the report's last line (a signature, a date)


class ScopeSpec(NamedTuple):
    """A rule's `scope:`: the role of the parts it reads, and what their absence means."""

    role: str
    missing: Missing = Missing.SKIP


class Context(NamedTuple):
    """What a check may know besides its target and its own parameters."""

    roles: tuple[RoleSpec, ...] = ()
    deadline: str | None = None  # MM-DD from --deadline / config; overrides a rule's default
    options: Mapping[str, object] = {}

    def role_title(self, name: str) -> str:
        return next((r.title for r in self.roles if r.name == name), name)


class Target(NamedTuple):
    """What a kind checks: the whole report, or the parts of one role (resolved by the engine)."""

    doc: Document
    lines: tuple[Line, ...]  # the lines in scope, part headings included
    parts: tuple[Part, ...]  # the parts in scope (every part when the scope is the whole report)
    role: str | None = None  # the scope's role; None = the whole report
    title: str = "报告"  # the role's title for messages

    @property
    def body(self) -> tuple[Line, ...]:
        """The lines in scope without the part headings."""
        if self.role is None:
            heads = {p.heading.no for p in self.parts}
            return tuple(ln for ln in self.lines if ln.no not in heads)
        return tuple(ln for p in self.parts for ln in p.body)

    @property
    def where(self) -> str:
        """“成效”部分 or 报告, for messages."""
        return "报告" if self.role is None else f"“{self.title}”部分"


def whole(doc: Document) -> Target:
    return Target(doc, doc.content, doc.parts)


class CheckKind(Protocol[P]):
    """A check kind: what the registry's `get()` returns."""

    @property
    def name(self) -> str: ...

    @property
    def params(self) -> type[P]: ...

    @property
    def scoping(self) -> Scoping: ...

    @property
    def doc(self) -> str: ...

    @property
    def needs_layout(self) -> bool:
        """Whether the kind reads a Word draft's layout (the engine asks the loader for it only then)."""

    @property
    def placement(self) -> Placement:
        """Where a failure without evidence is marked."""

    @property
    def marks_gap(self) -> bool:
        """Whether a failure is always something missing (its evidence is context, not the fault)."""

    def part_named(self, params: P) -> str | None:
        """The part role a rule of this kind is about by its parameters (part_present's `role`)."""

    def part_order(self, params: P) -> tuple[str, ...] | None:
        """The order of part roles a rule of this kind declares (part_order's `order`)."""

    def check(self, target: Target, params: P, ctx: Context) -> Outcome: ...


class Kind(Generic[P]):
    """The usual implementation of CheckKind: a name, a Params NamedTuple and a function.

    `KIND = Kind("pattern_present", Params, check, Scoping.OPTIONAL, __doc__)` at the end of a kind's
    module; mypy checks that `check` takes exactly that Params. The keywords declare what the
    engine and annotate must know of the kind besides its check: whether it reads a Word
    draft's layout, where a failure without evidence is marked (`placement`, `marks_gap`) and
    which part its parameters name (`part_named`) or order (`part_order`)."""

    __slots__ = ("name", "params", "_check", "scoping", "doc", "needs_layout", "placement", "marks_gap",
                 "_part_named", "_part_order")

    def __init__(self, name: str, params: type[P], check: Callable[[Target, P, Context], Outcome],
                 scoping: Scoping = Scoping.NONE, doc: str | None = None, *, needs_layout: bool = False,
                 placement: Placement = Placement.PART, marks_gap: bool = False,
                 part_named: Callable[[P], str | None] | None = None,
                 part_order: Callable[[P], tuple[str, ...] | None] | None = None) -> None:
        self.name = name
        self.params = params
        self._check = check
        self.scoping = scoping
        self.doc = doc or ""
        self.needs_layout = needs_layout
        self.placement = placement
        self.marks_gap = marks_gap
        self._part_named = part_named
        self._part_order = part_order

    def check(self, target: Target, params: P, ctx: Context) -> Outcome:
        return self._check(target, params, ctx)

    def part_named(self, params: P) -> str | None:
        return self._part_named(params) if self._part_named is not None else None

    def part_order(self, params: P) -> tuple[str, ...] | None:
        return self._part_order(params) if self._part_order is not None else None


# ---- reading a Params declaration: the schema and the compiler share this ----

class ParamType(enum.Enum):
    PATTERNS = "patterns"
    GROUPS = "groups"
    NAMES = "names"
    PATTERN = "pattern"
    RECORD = "record"  # another NamedTuple: an object of typed fields
    RECORDS = "records"  # tuple[NamedTuple, ...]: a list of such objects
    PLAIN = "plain"  # int, float, bool, str, Literal: kept as the YAML gives it


class ParamSpec(NamedTuple):
    name: str
    type: ParamType
    schema: Mapping[str, Any]
    required: bool
    default: Any
    record: builtins.type | None = None  # the NamedTuple of a RECORD or RECORDS parameter
    original: bool = False  # its patterns run on the original text (Annotated[..., ORIGINAL])


_PATTERN_ITEM: dict[str, Any] = {"type": "string", "minLength": 1}
_PATTERN_LIST: dict[str, Any] = {"type": "array", "minItems": 1, "items": _PATTERN_ITEM}
_WORDS: dict[str, Any] = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
# patterns: a list of regular expressions, or {words: [plain words], patterns: [regular expressions]}
_PATTERNS_SCHEMA: dict[str, Any] = {"anyOf": [
    _PATTERN_LIST,
    {"type": "object", "minProperties": 1, "additionalProperties": False,
     "properties": {"words": _WORDS, "patterns": _PATTERN_LIST}},
]}
# one pattern: a regular expression, or {words: [...]} (any of the words)
_ONE_PATTERN_SCHEMA: dict[str, Any] = {"anyOf": [
    _PATTERN_ITEM,
    {"type": "object", "required": ["words"], "additionalProperties": False, "properties": {"words": _WORDS}},
]}
_SPECS: dict[type, tuple[ParamSpec, ...]] = {}


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")


def _describe(hint: Any) -> tuple[ParamType, dict[str, Any], type | None]:
    extra: dict[str, Any] = {}
    if typing.get_origin(hint) is typing.Annotated:
        hint, *meta = typing.get_args(hint)
        for m in meta:
            if isinstance(m, Schema):
                extra.update(m)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):  # X | None: optional
        kept = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(kept) == 1:
            ptype, schema, record = _describe(kept[0])
            return ptype, {**schema, **extra}, record
    if _is_record(hint):
        return ParamType.RECORD, {**_object_schema(hint), **extra}, hint
    if typing.get_origin(hint) is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis and _is_record(args[0]):
            return ParamType.RECORDS, {"type": "array", "items": _object_schema(args[0]), **extra}, args[0]
    if hint == Pattern:
        return ParamType.PATTERN, {**_ONE_PATTERN_SCHEMA, **extra}, None
    ptype, schema = _describe_flat(hint, extra)
    return ptype, schema, None


def _describe_flat(hint: Any, extra: dict[str, Any]) -> tuple[ParamType, dict[str, Any]]:
    if hint == Patterns:
        return ParamType.PATTERNS, {**_PATTERNS_SCHEMA, **extra}
    if hint == Groups:
        return ParamType.GROUPS, {"type": "object", "minProperties": 1, "additionalProperties": _PATTERNS_SCHEMA, **extra}
    if hint == Names:
        return ParamType.NAMES, {"type": "array", "items": {"type": "string", "minLength": 1}, **extra}
    if typing.get_origin(hint) is Literal:
        return ParamType.PLAIN, {"enum": list(typing.get_args(hint)), **extra}
    simple = {int: "integer", float: "number", bool: "boolean", str: "string"}
    if hint in simple:
        return ParamType.PLAIN, {"type": simple[hint], **extra}
    raise TypeError(f"unsupported parameter type {hint!r}: use Patterns, Groups, Names, Pattern, int, float, "
                    "bool, str, Literal, a NamedTuple or a tuple of them")


def _is_original(hint: Any) -> bool:
    if typing.get_origin(hint) is typing.Annotated:
        hint, *meta = typing.get_args(hint)
        if any(m is ORIGINAL for m in meta):
            return True
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return any(_is_original(a) for a in typing.get_args(hint))
    return False


def param_specs(params: type) -> tuple[ParamSpec, ...]:
    """A Params NamedTuple's parameters, read once from its annotations."""
    specs = _SPECS.get(params)
    if specs is None:
        hints = typing.get_type_hints(params, include_extras=True)
        defaults: Mapping[str, Any] = getattr(params, "_field_defaults", {})
        fields: tuple[str, ...] = getattr(params, "_fields")  # noqa: B009 - `type` has no _fields for mypy
        out = []
        for name in fields:
            ptype, schema, record = _describe(hints[name])
            out.append(ParamSpec(name, ptype, schema, name not in defaults, defaults.get(name), record,
                                 _is_original(hints[name])))
        specs = _SPECS[params] = tuple(out)
    return specs


def params_schema(kind: CheckKind[Any]) -> dict[str, Any]:
    """The JSON Schema of a rule's `params:` for this kind."""
    return _object_schema(kind.params)


def _object_schema(params: type) -> dict[str, Any]:
    specs = param_specs(params)
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [s.name for s in specs if s.required],
        "properties": {
            s.name: {**s.schema, **({} if s.required or s.default is None else {"default": _plain(s.default)})}
            for s in specs
        },
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def compile_params(kind: CheckKind[P], params: Mapping[str, Any], *, where: str = "<params>",
                   rule: str | None = None) -> P:
    """Validated raw params → the kind's Params with regular expressions compiled; a bad one
    raises RuleFileError naming the key."""
    built: P = _build(kind.params, params, where, rule, "params", kind.name)
    return built


def _build(declared: type, params: Mapping[str, Any], where: str, rule: str | None, prefix: str,
           kind: str) -> Any:
    values: dict[str, Any] = {}
    for spec in param_specs(declared):
        if spec.name not in params:
            continue
        value = params[spec.name]
        key = f"{prefix}.{spec.name}"
        if spec.type is ParamType.PATTERNS:
            value = _compile_source(value, where, rule, key, spec.original)
        elif spec.type is ParamType.PATTERN:
            value = _compile_source(value if isinstance(value, dict) else [value], where, rule, key, spec.original)[0]
        elif spec.type is ParamType.GROUPS:
            value = {g: _compile_source(xs, where, rule, f"{key}.{g}", spec.original) for g, xs in value.items()}
        elif spec.type is ParamType.NAMES:
            value = tuple(value)
        elif spec.type is ParamType.RECORD and spec.record is not None and value is not None:
            value = _build(spec.record, value, where, rule, key, kind)
        elif spec.type is ParamType.RECORDS and spec.record is not None:
            value = tuple(_build(spec.record, item, where, rule, f"{key}.{i}", kind) for i, item in enumerate(value))
        values[spec.name] = value
    unknown = set(params) - set(values)
    if unknown:
        name = sorted(unknown)[0]
        raise RuleFileError(where, f"unknown parameter '{name}' for kind {kind}", rule=rule, key=f"{prefix}.{name}")
    return declared(**values)


def words_pattern(words: Any, *, original: bool = False) -> str:
    """One regular expression matching any of `words` literally: each in the form the text it is
    matched against has (normalised, unless `original`), escaped, longest first (so that of 法治
    and 法治政府 at one place the longer is found)."""
    if not original:
        from auditor.document.normalize import matching_form

        words = [matching_form(w) for w in words]
    unique = sorted(dict.fromkeys(w for w in words if w), key=len, reverse=True)
    return "|".join(re.escape(w) for w in unique)


def _compile_source(value: Any, where: str, rule: str | None, key: str, original: bool) -> Patterns:
    """A list of regular expressions, or {words, patterns}: the words become one more expression."""
    if not isinstance(value, dict):
        return _compile(value, where, rule, key)
    compiled = _compile(value.get("patterns", []), where, rule, f"{key}.patterns")
    words = value.get("words")
    if not words:
        return compiled
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise RuleFileError(where, "words must be a list of plain strings", rule=rule, key=f"{key}.words")
    joined = words_pattern(words, original=original)
    return (*compiled, *_compile([joined], where, rule, f"{key}.words")) if joined else compiled


def _compile(patterns: Any, where: str, rule: str | None, key: str) -> Patterns:
    """The patterns, each compiled when first searched (a pack's patterns were compiled when it
    was validated; the words' expression is escaped words)."""
    if isinstance(patterns, str) or not all(isinstance(x, str) for x in patterns):
        raise RuleFileError(where, "invalid regular expression: a list of strings is expected", rule=rule, key=key)
    return tuple(lazy(x) for x in patterns)

