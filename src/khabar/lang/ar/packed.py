"""Packed model tables: string keys in a marisa trie, values in flat arrays, one gzip file.

A table of 100,000+ words built into a Python ``dict`` at load time costs tenths of a
second and tens of MB (one ``str`` object and one ``int``/``tuple`` per entry); the same
table as a marisa trie (``marisa_trie.Trie``: every key gets an id in ``[0, n)``) and
``array.array`` values indexed by that id loads with two memcpys and stays a few MB, in
pages that forked worker processes share. Used by the segmenter
(:mod:`khabar.lang.ar.morph`) and the NER word clusters (:mod:`khabar.components.ner`).

File layout (before gzip): ``MAGIC``, a 4-byte little-endian length, a UTF-8 JSON header
``{"sections": [[name, typecode, n_bytes], ...], ...metadata}``, then the sections' bytes
in that order. Typecode ``"trie"`` is a marisa trie (``Trie.tobytes``), any other is an
``array.array`` typecode, stored little-endian.
"""

from __future__ import annotations

import array
import gzip
import json
import struct
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Final

import marisa_trie  # type: ignore[import-not-found, unused-ignore]  # no type information

from khabar.memo import MEMO_MAXSIZE

MAGIC: Final = b"KHABAR-PACKED-1\n"


class PackError(ValueError):
    """A packed file that cannot be read (truncated, wrong magic, inconsistent sections)."""


def pack(sections: Mapping[str, marisa_trie.Trie | array.array[Any]], meta: Mapping[str, Any] | None = None) -> bytes:
    """The gzip-compressed bytes of a packed file (deterministic: gzip mtime 0).

    Args:
        sections: name -> a ``marisa_trie.Trie`` or an ``array.array``, written in this order.
        meta: extra JSON-serialisable header fields (not ``sections``).
    """
    head: dict[str, Any] = dict(meta or {})
    parts: list[bytes] = []
    listed: list[list[Any]] = []
    for name, value in sections.items():
        if isinstance(value, marisa_trie.Trie):
            data, code = value.tobytes(), "trie"
        else:
            copy = array.array(value.typecode, value)
            if sys.byteorder == "big":
                copy.byteswap()
            data, code = copy.tobytes(), value.typecode
        listed.append([name, code, len(data)])
        parts.append(data)
    head["sections"] = listed
    header = json.dumps(head, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    body = b"".join([MAGIC, struct.pack("<I", len(header)), header, *parts])
    return gzip.compress(body, compresslevel=9, mtime=0)


def unpack(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, name -> ``marisa_trie.Trie`` or ``array.array``) of a file written by :func:`pack`.

    Raises:
        PackError: when the bytes are not such a file.
    """
    try:
        body = gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise PackError(f"not gzip ({exc.__class__.__name__})") from exc
    if not body.startswith(MAGIC) or len(body) < len(MAGIC) + 4:
        raise PackError("not a packed table file")
    at = len(MAGIC)
    (n_header,) = struct.unpack_from("<I", body, at)
    at += 4
    try:
        head = json.loads(body[at : at + n_header].decode("utf-8"))
        listed = head["sections"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PackError("unreadable header") from exc
    at += n_header
    view = memoryview(body)
    out: dict[str, Any] = {}
    try:
        for name, code, size in listed:
            chunk = view[at : at + size]
            if len(chunk) != size:
                raise PackError(f"section {name} is truncated")
            at += size
            if code == "trie":
                trie = marisa_trie.Trie()
                trie.frombytes(bytes(chunk))
                out[name] = trie
            else:
                values = array.array(code)
                values.frombytes(chunk)
                if sys.byteorder == "big":
                    values.byteswap()
                out[name] = values
    except (ValueError, TypeError, RuntimeError) as exc:  # a bad typecode, an odd size, a corrupt trie
        raise PackError(f"corrupt section ({exc})") from exc
    if at != len(body):
        raise PackError("trailing bytes after the last section")
    return head, out


_UNSEEN: Final = object()  # TrieCounts' cache miss (None is a cached "absent")


class TrieCounts(Mapping[str, int]):
    """A read-only ``str -> int`` mapping: a marisa trie of the keys and their values by key id.

    ``get`` is the hot path (the segmenter asks tens of counts per new word): a trie look-up
    costs ~1-4 µs against ~0.05 µs for a dict, so the answers of the most recent
    ``cache_size`` distinct keys are kept in a small dict, cleared when it is full.
    Keys whose value is ``missing`` (when given) count as absent: several tables can share
    one trie, each listing only some of its keys. ``positive`` says that every key of the trie
    has a value above 0 (no ``missing``): then ``key in trie`` is ``get(key, 0) > 0``.
    """

    __slots__ = ("_cache", "_cache_size", "_missing", "positive", "table", "trie")

    def __init__(
        self, trie: marisa_trie.Trie, values: array.array[int], missing: int | None = None, cache_size: int = 2 * MEMO_MAXSIZE
    ) -> None:
        if len(values) != len(trie):
            raise PackError(f"{len(values)} values for {len(trie)} keys")
        self.trie = trie
        self.table = values  # (not "values": that is Mapping.values())
        self._missing = missing
        self.positive = missing is None and min(values, default=1) > 0
        self._cache: dict[str, int | None] = {}
        self._cache_size = cache_size

    def id(self, key: str) -> int | None:
        """The trie id of ``key`` (None when the trie lacks it)."""
        found: int | None = self.trie.get(key)
        return found

    def get(self, key: str, default: Any = None) -> Any:
        cache = self._cache
        value = cache.get(key, _UNSEEN)  # (not try/except: a miss, half the calls, raised and caught costs more)
        if value is _UNSEEN:
            idx = self.trie.get(key)
            value = None if idx is None else self.table[idx]
            if value == self._missing:
                value = None
            if len(cache) >= self._cache_size:
                cache.clear()
            cache[key] = value
        return default if value is None else value

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return int(value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        if self._missing is None:
            return iter(self.trie.keys())
        missing, values = self._missing, self.table
        return (key for key, idx in self.trie.items() if values[idx] != missing)

    def __len__(self) -> int:
        if self._missing is None:
            return len(self.trie)
        return len(self.table) - self.table.count(self._missing)
