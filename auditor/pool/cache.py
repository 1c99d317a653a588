"""Every cache auditor keeps, in one place.

1. Validated data (`ValidatedStore`, in auditor/packs/store.py beside the packs it serves): a
   rule pack or config file is validated (YAML + JSON Schema, ~110 ms of imports) only when its
   content changes; the validated plain data is kept as one JSON file per content version.
2. Results and extracted text (`ResultCache`): one SQLite file, `results.sqlite3`, in WAL mode,
   so two runs can share it. A result is keyed by the file's content sha256 and a salt made
   of the tool version, a fingerprint of the installed code, the packs' digests and the options
   that change results; it is stored as the Scorecard's plain data (pool/codec.py), ready for the
   reporters. Extracted text is keyed by content and code only, so editing a rule re-runs the
   checks without re-reading PDFs. Writes are buffered and committed in one transaction per
   batch (and per worker process). A damaged entry is a miss, and is rewritten; a damaged
   database file is replaced. Nothing here is pickle: a cache directory may come from CI storage.

`--no-cache` turns off (2) only; AUDITOR_NO_CACHE=1 turns off both.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from auditor import __version__
from auditor.errors import CardFormatError
from auditor.models import RawText, Scorecard, SourceLine
# the validated-pack store lives beside the packs; re-exported for the callers that take it from here
from auditor.packs.store import ValidatedStore as ValidatedStore
from auditor.packs.store import cache_dir as cache_dir
from auditor.packs.store import validated_store as validated_store
from auditor.pool.codec import card_from_plain, card_to_plain

if TYPE_CHECKING:
    import sqlite3

_FORMAT = 2  # 2: SQLite results, codec plain data
KEEP = 8  # generations (rule/option/code versions) of results kept; older ones are removed
FLUSH_EVERY = 500  # buffered writes committed together
_IN_CHUNK = 500  # digests per SELECT … IN (…): under SQLite's oldest limit of 999 parameters


# ---- pattern analyses, beside the validated packs ------------------------------------------

def _analyses_key() -> str:
    """The store entry of pattern analyses: they depend on the analysing code alone."""
    from auditor.document import search

    try:
        st = os.stat(search.__file__)
        stamp = f"{st.st_size:x}-{st.st_mtime_ns:x}"
    except (OSError, TypeError):
        stamp = "0"
    return f"patterns-{__version__}-{stamp}"


def seed_pattern_analyses(store: ValidatedStore | None) -> None:
    """Each pattern's analysis (how it runs over joined lines, the literals a match needs) as an
    earlier run stored it: a warm start parses no pattern (auditor.document.search)."""
    if store is None:
        return
    from auditor.document import search

    data = store.get(_analyses_key())
    if data is not None:
        search.seed_analyses(data.get("rows"))


def save_pattern_analyses(store: ValidatedStore | None) -> None:
    """Store the analyses held, when this process made new ones (merged with what another
    process may have stored meanwhile)."""
    from auditor.document import search

    if store is None or not search.analyse(()):
        return
    seed_pattern_analyses(store)
    store.put(_analyses_key(), {"rows": search.export_analyses()})


# ---- results and extracted text ---------------------------------------------------------

def code_fingerprint() -> str:
    """Version plus size and mtime of every module of the package: cheap (stat only)."""
    import hashlib  # lazy, like everything only a batch needs: hashlib's OpenSSL costs a cold start ~10 ms

    root = Path(__file__).resolve().parents[1]  # the whole auditor package
    h = hashlib.sha256(f"{__version__}|{_FORMAT}".encode())
    for dirpath, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(dirpath, name))
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                h.update(f"{rel}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def kinds_digest() -> str:
    """Size and mtime (stat only, like the code fingerprint) of the data files that decide a
    result besides the packs: the not-a-report kinds, and rules/data/ (e.g. the dated events
    AR206 reads)."""
    from auditor.packs.kinds import kinds_file

    kinds = kinds_file()
    stamps = []
    for f in (kinds, *sorted(kinds.parents[1].joinpath("data").glob("*"))):
        try:
            st = os.stat(f)
        except OSError:
            continue
        stamps.append(f"{f.name}:{st.st_size}|{st.st_mtime_ns}")
    return ";".join(stamps)


def salt(packs: Mapping[str, Any], options: Any, code: str) -> str:
    """Everything besides the document that a result depends on (not the time budget)."""
    parts = {
        "code": code,
        "packs": sorted((pid, p.digest) for pid, p in packs.items()),
        "pack": options.pack, "deadline": options.deadline, "max_bytes": options.max_bytes,
        "disabled": sorted(options.disabled), "severity": sorted(options.severity.items()),
        "ocr": options.ocr, "with": list(getattr(options, "with_packs", ())),
        "kinds": kinds_digest(),  # the signs of documents that are no report decide refusals
    }
    import hashlib

    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def file_digest(path: str) -> str:
    import hashlib

    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (salt TEXT NOT NULL, digest TEXT NOT NULL, card TEXT NOT NULL,
                                    PRIMARY KEY (salt, digest)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS texts (code TEXT NOT NULL, key TEXT NOT NULL, raw TEXT NOT NULL,
                                  PRIMARY KEY (code, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (kind TEXT NOT NULL, name TEXT NOT NULL, used REAL NOT NULL,
                                        PRIMARY KEY (kind, name)) WITHOUT ROWID;
"""


def _connect(path: str) -> sqlite3.Connection:
    import sqlite3

    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a crash may lose the last commit, never corrupt
    db.executescript(_SCHEMA)
    return db


def _open_db(path: str) -> sqlite3.Connection | None:
    """The database, recreated when the file is damaged; None when it cannot be used at all."""
    import sqlite3

    for attempt in (1, 2):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            db = _connect(path)
            db.execute("SELECT 1 FROM results LIMIT 1").fetchall()
            return db
        except sqlite3.DatabaseError:  # "file is not a database", a malformed image
            if attempt == 2:
                return None
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(path + suffix)
                except OSError:
                    pass
        except OSError:
            return None
    return None


class ResultCache:
    """One run's view of the results database; counters let tests and the benchmark see hits.

    Inherited by the batch's forked workers: the connection is not, each process opens its own,
    and a worker commits what it buffered when the pool closes (the pool's `on_exit`)."""

    def __init__(self, path: str, salt: str, code: str) -> None:
        self.path = path
        self.salt = salt
        self.code = code
        self.hits = 0
        self.misses = 0
        self.text_hits = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _db
        self._broken = False
        self._cards: dict[str, str] = {}  # digest → plain card as JSON, not yet committed
        self._texts: dict[str, str] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "salt": self.salt, "code": self.code}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["salt"], state["code"])  # type: ignore[misc]

    def _conn(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        pid = os.getpid()
        if self._db is None or self._pid != pid:
            self._db = _open_db(self.path)
            self._pid = pid
            self._broken = self._db is None
        return self._db

    def _buffered(self) -> None:
        """After a buffered write: commit once enough have gathered (a worker commits the rest
        when the pool closes: run.batch passes `flush` as the pool's `on_exit`)."""
        if len(self._cards) + len(self._texts) >= FLUSH_EVERY:
            self.flush()

    def _get(self, pending: dict[str, str], sql: str, *key: str) -> str | None:
        import sqlite3

        if key[-1] in pending:
            return pending[key[-1]]
        db = self._conn()
        if db is None:
            return None
        try:
            row = db.execute(sql, key).fetchone()
        except sqlite3.DatabaseError:
            return None
        return row[0] if row and isinstance(row[0], str) else None

    def card(self, digest: str) -> Scorecard | None:
        text = self._get(self._cards, "SELECT card FROM results WHERE salt=? AND digest=?", self.salt, digest)
        card = None
        if text is not None:
            try:
                card = card_from_plain(json.loads(text))
            except (ValueError, CardFormatError):  # damaged: a miss, rewritten by put_card
                card = None
        if card is None:
            self.misses += 1
        else:
            self.hits += 1
        return card

    def cards(self, digests: Sequence[str]) -> dict[str, Scorecard]:
        """The cached cards of many documents (digest → card), read in one query per 500
        digests instead of one per document; a damaged entry is a miss, as in `card`."""
        import sqlite3

        texts = {d: self._cards[d] for d in digests if d in self._cards}
        wanted = [d for d in dict.fromkeys(digests) if d not in texts]
        db = self._conn() if wanted else None
        for k in range(0, len(wanted) if db is not None else 0, _IN_CHUNK):
            chunk = wanted[k:k + _IN_CHUNK]
            try:
                rows = db.execute(  # type: ignore[union-attr]
                    f"SELECT digest, card FROM results WHERE salt=? AND digest IN ({','.join('?' * len(chunk))})",
                    (self.salt, *chunk)).fetchall()
            except sqlite3.DatabaseError:
                break
            texts.update((d, t) for d, t in rows if isinstance(d, str) and isinstance(t, str))
        found: dict[str, Scorecard] = {}
        for d in digests:
            card = found.get(d)
            if card is None and d in texts:
                try:
                    card = card_from_plain(json.loads(texts.pop(d)))
                except (ValueError, CardFormatError):  # damaged: a miss, rewritten by put_card
                    card = None
            if card is None:
                self.misses += 1
            else:
                found[d] = card
                self.hits += 1
        return found

    def put_card(self, digest: str, card: Scorecard) -> None:
        self._cards[digest] = json.dumps(card_to_plain(card), ensure_ascii=False)
        self._buffered()

    def raw(self, key: str) -> RawText | None:
        text = self._get(self._texts, "SELECT raw FROM texts WHERE code=? AND key=?", self.code, key)
        if text is None:
            return None
        try:
            raw = _raw_from_plain(json.loads(text))
        except (ValueError, TypeError, KeyError):
            return None
        self.text_hits += 1
        return raw

    def put_raw(self, key: str, raw: RawText) -> None:
        self._texts[key] = json.dumps(_raw_to_plain(raw), ensure_ascii=False)
        self._buffered()

    def flush(self) -> None:
        """Commit the buffered writes in one transaction (a busy or broken database loses them:
        they are only speed)."""
        import sqlite3

        if not (self._cards or self._texts):
            return
        cards = [(self.salt, k, v) for k, v in self._cards.items()]
        texts = [(self.code, k, v) for k, v in self._texts.items()]
        self._cards, self._texts = {}, {}
        db = self._conn()
        if db is None:
            return
        try:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO results (salt, digest, card) VALUES (?, ?, ?)", cards)
                db.executemany("INSERT OR REPLACE INTO texts (code, key, raw) VALUES (?, ?, ?)", texts)
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


class _transaction:  # noqa: N801 - used as a lower-case context manager
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


def _raw_to_plain(raw: RawText) -> dict[str, Any]:
    return {"path": raw.path, "fmt": raw.fmt, "encoding": raw.encoding, "meta": dict(raw.meta),
            "lines": [[ln.text, ln.where, ln.style] for ln in raw.lines]}


def _raw_from_plain(d: Mapping[str, Any]) -> RawText:
    lines = tuple(SourceLine(str(t), w, s) for t, w, s in d["lines"])
    return RawText(path=str(d["path"]), fmt=str(d["fmt"]), lines=lines, encoding=d["encoding"], meta=dict(d["meta"]))


def open_cache(packs: Mapping[str, Any], options: Any) -> ResultCache | None:
    """The result cache for this run, or None when caching is off or unusable. Generations
    beyond the KEEP most recently used are removed, so the file does not grow with every edit
    of a rule file."""
    import sqlite3
    import time

    root = cache_dir()
    if root is None:
        return None
    code = code_fingerprint()
    c = ResultCache(str(root / "results.sqlite3"), salt(packs, options, code), code)
    db = c._conn()
    if db is None:
        return c  # every lookup is a miss; the audit goes on
    try:
        with _transaction(db):
            now = time.time()
            db.executemany("INSERT OR REPLACE INTO generations (kind, name, used) VALUES (?, ?, ?)",
                           [("results", c.salt, now), ("texts", c.code, now)])
            for kind, column in (("results", "salt"), ("texts", "code")):
                old = [n for (n,) in db.execute(
                    "SELECT name FROM generations WHERE kind=? ORDER BY used DESC LIMIT -1 OFFSET ?", (kind, KEEP))]
                for name in old:
                    db.execute(f"DELETE FROM {kind} WHERE {column}=?", (name,))
                    db.execute("DELETE FROM generations WHERE kind=? AND name=?", (kind, name))
    except sqlite3.Error:
        pass
    return c
