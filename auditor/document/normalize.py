"""Text normalization for matching; evidence always quotes the original.

Why per character and not NFKC on the whole text: NFKC turns ，：；（） and U+3000 into ASCII but
also rewrites other characters reports use; we want exactly one canonical form for punctuation
(ASCII), spaces (U+0020) and ideographs (Simplified, no Kangxi radicals), with the length of each
line kept so a match offset is also an offset into the original line. The one exception: spaces
that PDF producers put between an ideograph and a digit or Latin letter (“2024 年 3 月 4 日”,
“ICP 备案”) are removed (`close_gaps`); `original_span` maps a match back to the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from auditor.document.patterns import LazyPattern

# Full-width ASCII variants → ASCII; every kind of space → U+0020; Traditional corner quotes →
# the mainland curly quotes (no OpenCC config converts punctuation).
_TABLE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update({cp: " " for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F, 0xFEFF)})
_TABLE.update({ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", ord("\t"): " "})
_TABLE.update({0x200B: " ", 0x200C: " ", 0x200D: " "})

# Characters common in Traditional text that never occur in Simplified text. Cheap gate so that
# OpenCC (import + dictionary load ≈ 40 ms) runs only on documents that need it.
_TRADITIONAL_MARKERS = frozenset(
    "這們國會來說時個對於與為發經關區實現進問題務機體點當項質設計過應處員學業從動將並還門間長條開頭"
    "報議論總規劃權義傳統較據導師觀歷雖廣興舉辦強調護黨領營環態變價幫聽親覽綜織職責視聯網絡歲製嚴審"
    "認識請讀訴訟範執訓練級繼續彙覈數據縣鄉鎮區廳員戶頁專題講檢監計劃構劃貫徹獲謀優環務氣"
)




def _compat_folds() -> dict[int, str]:
    """Kangxi radicals and CJK compatibility ideographs (from some PDF producers) → their
    unified ideographs, via NFKC per character, built into the folding table so that no
    per-document scan (nor a costly big-range regex) is needed."""
    out: dict[int, str] = {}
    for cp in (*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)):
        folded = unicodedata.normalize("NFKC", chr(cp))
        if len(folded) == 1 and folded != chr(cp):
            out[cp] = folded
    return out


_TABLE.update(_compat_folds())
_REPLACEMENT = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _TABLE.items()}

# Why regexes here: str.translate, set(text) and frozenset.intersection(text) all walk the
# text in Python-object steps (~50 ns a character, ~0.2 ms for a report), while a compiled
# character class scans it in C. Each class costs ~0.5 ms to compile, once per process.
_FOLD_CLASS = ("[\uff01-\uff5e\u3000\u00a0\u2002\u2003\u2009\u200a\u202f\u205f\ufeff\u200b-\u200d"
               "「」『』\t\u2e80-\u2fdf\uf900-\ufaff]")
# (lazy: `fold` scans for these and the markers at once, below; the markers alone are searched
# only in a text with two)
_TO_FOLD = LazyPattern(_FOLD_CLASS)
_MARKERS = LazyPattern("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")
_CJK = LazyPattern("[\u4e00-\u9fff]")


def fold(text: str) -> str:
    """Apply the table: one str.replace per distinct character that needs it (a handful)."""
    return _fold_counting(text)[0]


# What `fold` replaces and the Traditional markers, in one class: `_fold_counting` folds a text
# and counts the markers of its folded form in one scan (`re` scans for a set of characters at
# ~60 instructions a character: ~170,000 a report).
_FOLD_OR_MARKER = re.compile(_FOLD_CLASS[:-1] + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")
# the characters that fold into a marker (a compatibility ideograph of one)
_TO_MARKER = frozenset(ch for ch in _TRADITIONAL_MARKERS | set(_REPLACEMENT)
                       if _REPLACEMENT.get(ch, ch) in _TRADITIONAL_MARKERS)


def _fold_counting(text: str) -> tuple[str, int]:
    """(`fold(text)`, how many Traditional markers it holds: `len(_MARKERS.findall(fold(text)))`).
    Folding is one str.replace per distinct character that needs it (a handful)."""
    found = _FOLD_OR_MARKER.findall(text)
    hits = 0
    for ch in set(found):
        if ch in _TO_MARKER:
            hits += found.count(ch)
        to = _REPLACEMENT.get(ch, ch)
        if to != ch:
            text = text.replace(ch, to)
    return text, hits


def looks_traditional(text: str) -> bool:
    """True when enough Traditional-only characters appear to be worth converting."""
    return _traditional(text, len(_MARKERS.findall(text)))


def _traditional(text: str, hits: int) -> bool:
    """`looks_traditional(text)`, the markers of `text` counted already."""
    if hits < 3:
        return False
    cjk = len(_CJK.findall(text))  # in C: a generator over the characters cost 0.6 ms a report
    return hits * 100 >= cjk  # ≥ 1 % of the ideographs


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc  # lazy: most reports are Simplified

    # tw2s, not t2s: t2s leaves 著力/隨著 unconverted (formats.md §7).
    return opencc.OpenCC("tw2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC tw2s; keeps the original when lengths would differ."""
    converted: str = _converter().convert(text)  # type: ignore[attr-defined]
    return converted if len(converted) == len(text) else text


# Ideographs (and the Kangxi/compatibility blocks, folded later) next to ASCII letters or digits.
_IDEO = "\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Each alternative starts by consuming the space (its lookbehind then checks the character
# before it): a pattern that starts with a literal is one `re` skips through fast, while a
# leading lookbehind is tried at every position (~80 µs a report).
_GAP = LazyPattern(rf" (?:(?<=[{_IDEO}] ) *(?=[0-9A-Za-z])|(?<=[0-9A-Za-z] ) *(?=[{_IDEO}]))")


def close_gaps(text: str) -> str:
    """Delete the spaces between an ideograph and a digit or Latin letter, either order.

    PDF producers (LibreOffice, Word, WPS) space CJK from Latin runs, and text copied out of a
    PDF keeps those spaces: “2024 年 3 月 4 日”, “渝 ICP 备 2021011583 号”. Runs on folded text
    (every space already U+0020), never across a line break. Whole runs are deleted, which is
    what `original_span` relies on."""
    return _GAP.sub("", text) if " " in text else text


def _is_space(ch: str) -> bool:
    return ch.isspace() or _REPLACEMENT.get(ch) == " "


# the characters `_is_space` holds (re's \s is str.isspace), to skip to the next in C
_SPACE_LIKE = LazyPattern("[\\s" + "".join(re.escape(ch) for ch, to in _REPLACEMENT.items() if to == " ") + "]")


def original_span(text: str, norm: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span of `text` that a span of its normalized form `norm` came from (normalization may
    have deleted spaces, see `close_gaps`, or noise, see `drop_noise`)."""
    if len(text) == len(norm):
        return span
    if _noisy(fold(text)):  # _NOISE.search(…) is not None, by searches re can skip through
        return _aligned_span(text, norm, span)
    return _gap_span(text, norm, span)


def _gap_span(text: str, norm: str, span: tuple[int, int]) -> tuple[int, int]:
    """`norm` is `text` folded character for character, minus the spaces `close_gaps` deleted:
    walking both, a space of `text` facing a non-space of `norm` is a deleted one."""
    if len(text) == len(norm):
        return span
    a, b = span
    need = min(max(a, b - 1) + 1, len(norm))  # the walk stops past the span
    at: list[int] = []  # at[j]: index in text of norm[j]
    i = 0
    while len(at) < need:
        # up to the next space of text, the characters map one for one (no per-character step)
        m = _SPACE_LIKE.search(text, i)
        run = max(0, min((m.start() if m else len(text)) - i, need - len(at)))
        at.extend(range(i, i + run))
        i += run
        if len(at) < need:  # at a space of text, or past its end
            ch = norm[len(at)]
            while i < len(text) and _is_space(text[i]) and ch != " ":
                i += 1
            at.append(min(i, len(text)))
            i += 1
    if len(at) == len(norm):
        at.append(min(i, len(text)))  # the end of norm
    start = at[a] if a < len(at) else len(text)
    end = at[b - 1] + 1 if 0 < b <= len(norm) else start
    return start, max(start, min(end, len(text)))


def normalize_line(text: str) -> str:
    """The matching form of one line (same length as the input unless `close_gaps` applied)."""
    return close_gaps(fold(text))


def matching_form(text: str) -> str:
    """A plain word of a rule (`words:`) in the form the document's text is matched in: folded
    (full-width marks → ASCII, spaces), gaps closed, and Simplified when it has a Traditional-only
    character (a Traditional document is converted; a word is converted on one such character)."""
    norm = normalize_line(text)
    return norm if _TRADITIONAL_MARKERS.isdisjoint(norm) else to_simplified(norm)


def normalize_lines(lines: list[str]) -> tuple[list[str], bool]:
    """Normalize every line; returns (normalized lines, whether Traditional was converted)."""
    # one pass over the whole text instead of one per line; folding counts the markers too
    # (spaces closed or lines joined change no count of them)
    joined, hits = _fold_counting("\n".join(lines))
    joined = close_gaps(joined)
    normed = joined.split("\n")
    if len(normed) != len(lines):  # a line holding a line break itself: keep the loader's lines
        normed = [normalize_line(s) for s in lines]
        joined = "\n".join(normed)
    if not _traditional(joined, hits):
        # a Simplified text may still carry a Traditional line or two (a title copied from a
        # mirror site): convert those lines alone
        # (a line with two markers needs two in the whole text: the count spares most reports
        # a search per line)
        mixed = [i for i, n in enumerate(normed) if len(_MARKERS.findall(n)) >= 2] if hits >= 2 else []
        for i in mixed:
            normed[i] = to_simplified(normed[i])
        # unconverted, the lines are still `joined`: the noise gate scans it as it is
        return _drop_noise_lines(normed, "\n".join(normed) if mixed else joined), bool(mixed)
    converted = to_simplified(joined).split("\n")
    if len(converted) != len(normed):  # never lose the line mapping
        return drop_noise(normed), False
    return drop_noise([c if len(c) == len(n) else n for c, n in zip(converted, normed)]), True


# Text that went through a Big5 round trip, or a mirror site, carries noise inside words: the
# pinyin of a character after it (報(bào)告), doubled punctuation (“,,”, “一,、”), and gambling-site
# watermarks inserted into sentences or tacked onto headings (…县政府皇冠足球比分:《…》). Matching
# sees the text without them; evidence still quotes the original (see `original_span`).
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# (lazy: only a line that `_noisy` finds noise in, or evidence in such a line, needs these)
_PINYIN = LazyPattern(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[" + _TONED + r"])[a-zü" + _TONED + r"]{1,7}\)")
_WATERMARK = LazyPattern(r"[\u4e00-\u9fff]{0,2}(足球|体育|彩票|博彩|棋牌|电竞|娱乐)(比分|平台|官网|网址|网站|app|APP|"
                        r"注册|登录|下载|投注|竞猜|直播)|(https?://)?www\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[\w./-]*)?")
# Document-sharing and template sites stamp their own lines into the text (仅供学习与交流，如有侵权请联系
# 网站删除; 【精品文档】; word版可编辑; a converter's evaluation warning): words no report says of itself.
_SITE_MARK = LazyPattern(
    r"[(\[【]?(仅供(个人)?(学习|参考)(与|和|及)?(交流|参考|使用)?(之用)?|如有侵权,?(请)?(联系|告知)(网站|本站|我们)?(删除|处理)|"
    r"(word|Word|WORD)(版|文档|格式)?(可|下载后可)?(编辑|修改)|(本文档|文档)下载后可(任意)?(编辑|修改)|(精品|优质)(文档|范文)|"
    r"[\u4e00-\u9fff]{0,4}范文(网|大全)|欢迎下载|Evaluation Warning[^\n]*?Spire\.[A-Za-z.]+)[)\]】]?[,。.;]?")
_DOUBLED = LazyPattern(r"([,、。;:])\1+|,(?=、)|(?<=、),")
# one group of its own for the doubled mark: inside a joined alternation `\1` would name the
# first group of another branch and never match
_NOISE = LazyPattern(_PINYIN.pattern + "|" + _WATERMARK.pattern + "|" + _SITE_MARK.pattern
                    + r"|(?P<mark>[,、。;:])(?P=mark)+|,(?=、)|(?<=、),")


def _drop_noise(norm: str) -> str:
    norm = _PINYIN_AT.sub("", norm)  # _PINYIN, starting with its literal “(” (the same matches)
    norm = _WATERMARK.sub("", norm)
    norm = _SITE_MARK.sub("", norm)
    return _DOUBLED.sub(lambda m: m.group(1) or "", norm)


# `_NOISE.search(text) is not None`, answered by `in` for the doubled marks and one search `re`
# can skip through for the rest: every branch starts with a literal character, so `re` skips to
# the characters that can start one (_NOISE starts with a lookbehind, so it was tried at every
# position: ~0.3 ms a report; a branch starting with a group or a class would too). Scanning for a
# set of characters costs `re` ~60 instructions a character, `in` for two characters ~5: the
# doubled marks (whose first characters , 、 。 would make every sentence a place to try the
# alternation at) are asked with `in`, the rest in one scan. A test holds the two equal.
_DOUBLED_PAIRS = (",,", "、、", "。。", ";;", "::", ",、", "、,")
_PINYIN_AT = LazyPattern(r"\((?<=[\u4e00-\u9fff]\()(?=[a-zü]*[" + _TONED + r"])[a-zü" + _TONED + r"]{1,7}\)")
# A gloss holds a toned vowel (its lookahead finds one before the closing bracket, inside the
# match): text without one holds no gloss, and _PINYIN_AT (an ideograph class: ~1 ms to compile
# at every start) is asked only of text with one.
_TONED_AT = LazyPattern("[" + _TONED + "]")  # (the noise gate below holds it)
_WM_WHAT = "比分|平台|官网|网址|网站|app|APP|注册|登录|下载|投注|竞猜|直播"
_WATERMARK_CORE = ("|".join(f"{w}(?:{_WM_WHAT})" for w in ("足球", "体育", "彩票", "博彩", "棋牌", "电竞", "娱乐"))
                   + r"|www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# _SITE_MARK without what cannot change whether it occurs (the optional brackets around it, the
# optional words after a required part, the ideographs before 范文网)
_SITE_MARK_CORE = (
    r"仅供(?:个人)?(?:学习|参考)|如有侵权,?(?:请)?(?:联系|告知)(?:网站|本站|我们)?(?:删除|处理)|"
    + "|".join(f"{w}(?:版|文档|格式)?(?:可|下载后可)?(?:编辑|修改)" for w in ("word", "Word", "WORD"))
    + r"|文档下载后可(?:任意)?(?:编辑|修改)|精品(?:文档|范文)|优质(?:文档|范文)|范文(?:网|大全)|欢迎下载|"
    r"Evaluation Warning[^\n]*?Spire\.[A-Za-z.]")
# watermarks, site marks and a toned vowel in one scan (a toned vowel is the only match one
# character long; a gloss needs _PINYIN_AT besides, asked once)
_NOISE_AT = re.compile("|".join((_WATERMARK_CORE, _SITE_MARK_CORE, "|".join(_TONED))))


def _noisy(text: str) -> bool:
    for pair in _DOUBLED_PAIRS:
        if pair in text:
            return True
    m = _NOISE_AT.search(text)
    asked = False  # whether _PINYIN_AT was asked (no gloss, then: only the other gates count)
    while m is not None:
        if m.end() - m.start() > 1:
            return True
        if not asked:
            if _PINYIN_AT.search(text) is not None:
                return True
            asked = True
        m = _NOISE_AT.search(text, m.end())
    return False


def drop_noise(lines: list[str]) -> list[str]:
    """Each normalized line without pinyin glosses, watermarks and doubled punctuation (the
    lines then may be shorter than the originals; most have none and are returned as they are)."""
    return _drop_noise_lines(lines, "\n".join(lines))


def _drop_noise_lines(lines: list[str], joined: str) -> list[str]:
    """`drop_noise(lines)`, the lines joined by line breaks already (`joined`)."""
    if not _noisy(joined):
        return lines
    return [_drop_noise(s) if _noisy(s) else s for s in lines]


def _aligned_span(text: str, norm: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span of `text` (an original line) that a span of its matching form covers, when noise
    (not only spaces) was dropped: aligned by difflib, which the rare noisy line can afford."""
    import difflib  # lazy: only for the rare line that lost noise

    a, b = span
    ops = difflib.SequenceMatcher(None, fold(text), norm, autojunk=False).get_opcodes()

    def to_text(pos: int, end: bool) -> int:
        for tag, i1, i2, j1, j2 in ops:
            if j1 <= pos < j2 or (end and pos == j2 and j2 > j1):
                return i1 + min(pos - j1, i2 - i1) if tag != "insert" else i1
        return len(text) if pos >= len(norm) else 0

    return to_text(a, False), max(to_text(b, True), to_text(a, False))
