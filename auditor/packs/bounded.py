"""Reading configuration and rule files within bounds: a size cap before parsing, regular files
only, and a YAML loader that refuses alias bombs.

A YAML alias is a reference: "billion laughs" (ten aliases of ten aliases of …) is a few hundred
bytes that compose into a small graph but expand into 10⁹ nodes once constructed, validated or
serialised. So the document is composed first (cheap: aliases stay shared) and its expanded size
counted with each node's size memoised; only a document that expands to a sane size is built.
Recursive aliases (a node containing itself) are refused too: nothing in a config needs them.
"""

from __future__ import annotations

import os
import stat
from typing import Any

#: The largest config or rule file read (the shipped packs are ~25 KB).
MAX_FILE_BYTES = 1024 * 1024
#: The most YAML nodes a file may expand to (aliases counted as often as they are used); the
#: shipped packs have ~5,000.
MAX_NODES = 200_000
MAX_DEPTH = 100


class BoundsError(ValueError):
    """A file beyond the bounds above; the message says which, in English (configuration errors are)."""


def read_regular(path: str, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file no larger than `max_bytes`. /dev/zero, a FIFO or a directory
    is refused before any read (reading one would never end, or block)."""
    st = os.stat(path)  # OSError: the caller says "cannot read"
    if not stat.S_ISREG(st.st_mode):
        raise BoundsError("not a regular file")
    if st.st_size > max_bytes:
        raise BoundsError(f"too large ({st.st_size:,} bytes; at most {max_bytes:,})")
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while we looked
        raise BoundsError(f"too large (more than {max_bytes:,} bytes)")
    return data


def _expanded_size(root: Any) -> int:
    """Nodes the document has once every alias is expanded (BoundsError when beyond bounds)."""
    from yaml import MappingNode, SequenceNode

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Any, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise BoundsError("a YAML alias refers to a node containing itself")
        if depth > MAX_DEPTH:
            raise BoundsError(f"YAML nested deeper than {MAX_DEPTH} levels")
        total = 1
        if isinstance(node, (SequenceNode, MappingNode)):
            active.add(key)
            for child in node.value:
                parts = child if isinstance(child, tuple) else (child,)
                for part in parts:
                    total += size(part, depth + 1)
                    if total > MAX_NODES:
                        raise BoundsError(f"YAML expands to more than {MAX_NODES:,} nodes (an alias bomb?)")
            active.discard(key)
        sizes[key] = total
        return total

    return size(root, 0)


def load_yaml(text: str) -> Any:
    """yaml.safe_load, refusing documents whose aliases expand beyond MAX_NODES, or nest beyond
    MAX_DEPTH. Raises yaml.YAMLError for bad syntax, BoundsError for a bomb."""
    import yaml

    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_cls(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise BoundsError(f"YAML nested deeper than {MAX_DEPTH} levels") from None
        if node is None:
            return None
        _expanded_size(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()
