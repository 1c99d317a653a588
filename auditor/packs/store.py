"""The validated-pack store: a rule pack, the not-a-report kinds or a config file is validated
(YAML + JSON Schema, ~110 ms of imports) only when its content changes; the validated plain data
is kept as one JSON file per content version in the cache directory. Read on every cold start,
so it stays plain files. AUDITOR_NO_CACHE=1 turns it off (and every other cache).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Mapping


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is off (AUDITOR_NO_CACHE)."""
    if os.environ.get("AUDITOR_NO_CACHE"):
        return None
    base = os.environ.get("AUDITOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "auditor"
    )
    return Path(base)


class ValidatedStore:
    """JSON files `<dir>/<key>.json`, written atomically (temp file + rename, the temp file
    removed if anything fails); an unreadable or unwritable entry is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            with open(self.root / f"{key}.json", encoding="utf-8") as fh:
                data = json.load(fh)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def put(self, key: str, data: Mapping[str, Any]) -> None:
        import tempfile

        tmp = None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.root)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(data, ensure_ascii=False))
            os.replace(tmp, self.root / f"{key}.json")
            tmp = None
        except (OSError, TypeError, ValueError):
            pass  # a read-only home must not stop an audit; we simply validate again next time
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def validated_store() -> ValidatedStore | None:
    """The store of validated packs and configs, or None when caching is off."""
    root = cache_dir()
    return ValidatedStore(root) if root is not None else None
