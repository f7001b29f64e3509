"""OffsetMap: positions in a derived text (repaired, normalized) <-> the original.

A derived view is the original with a set of non-overlapping replacements
applied. The map is stored piecewise: each piece is either an unchanged run
(positions map one to one) or a replaced run (the derived chars all come from
the whole original run). Lookups are a bisect over the piece starts, so
mapping a span costs O(log pieces).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Replacement:
    """Replace ``original[start:end]`` by ``text`` (``start == end`` inserts)."""

    start: int
    end: int
    text: str


class OffsetMap:
    """Map spans of a derived text back to the original it was made from."""

    __slots__ = ("_covering", "_d_starts", "_o_starts", "_pieces", "derived_length", "original_length")

    def __init__(self, pieces: list[tuple[int, int, int, int, bool]], original_length: int) -> None:
        # piece = (derived_start, derived_end, original_start, original_end, identity)
        self._pieces = pieces
        self._d_starts = [p[0] for p in pieces]
        # Pieces that cover original characters (not pure insertions), for original -> derived lookups.
        self._covering = [p for p in pieces if p[3] > p[2]]
        self._o_starts = [p[2] for p in self._covering]
        self.original_length = original_length
        self.derived_length = pieces[-1][1] if pieces else 0

    @classmethod
    def apply(cls, original: str, replacements: Iterable[Replacement]) -> tuple[str, OffsetMap]:
        """Apply sorted, non-overlapping replacements; return the derived text and its map."""
        parts: list[str] = []
        pieces: list[tuple[int, int, int, int, bool]] = []
        pos = 0  # in original
        dpos = 0  # in derived
        for rep in replacements:
            if rep.start < pos or rep.end < rep.start or rep.end > len(original):
                raise ValueError(f"replacement {rep} overlaps or is out of range")
            if rep.start > pos:
                run = rep.start - pos
                parts.append(original[pos : rep.start])
                pieces.append((dpos, dpos + run, pos, rep.start, True))
                dpos += run
            if rep.text or rep.end > rep.start:
                parts.append(rep.text)
                pieces.append((dpos, dpos + len(rep.text), rep.start, rep.end, False))
                dpos += len(rep.text)
            pos = rep.end
        if pos < len(original) or not pieces:
            run = len(original) - pos
            parts.append(original[pos:])
            pieces.append((dpos, dpos + run, pos, len(original), True))
        return "".join(parts), cls(pieces, len(original))

    def start_to_original(self, d: int) -> int:
        """Original position of the derived char at ``d`` (a span start)."""
        if d >= self.derived_length:
            return self.original_length
        # Empty pieces (deletions) come before the run that starts at the same
        # derived position, so the last piece starting at or before d holds d.
        i = bisect_right(self._d_starts, d) - 1
        ds, _de, os_, _oe, identity = self._pieces[i]
        return os_ + (d - ds) if identity else os_

    def end_to_original(self, d: int) -> int:
        """Original position just after the derived char at ``d - 1`` (a span end)."""
        if d <= 0:
            return 0
        i = bisect_right(self._d_starts, d - 1) - 1
        ds, _de, os_, oe, identity = self._pieces[i]
        return os_ + (d - ds) if identity else oe

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a derived span ``[start, end)`` to the smallest original span that produced it."""
        if end <= start:
            pos = self.start_to_original(start)
            return pos, pos
        # Fast path: the span lies inside one unchanged run (most tokens do).
        i = bisect_right(self._d_starts, start) - 1
        if i >= 0:
            ds, de, os_, _oe, identity = self._pieces[i]
            if identity and end <= de:
                return os_ + (start - ds), os_ + (end - ds)
        return self.start_to_original(start), self.end_to_original(end)

    def to_derived(self, o: int) -> int:
        """Derived position of original position ``o`` (start of its piece if it was replaced)."""
        if o >= self.original_length:
            return self._covering[-1][1] if self._covering else 0
        ds, de, os_, _oe, identity = self._covering[max(bisect_right(self._o_starts, o) - 1, 0)]
        if identity:
            return ds + (o - os_)
        return ds if o == os_ else de

    def compose(self, inner: OffsetMap) -> ComposedMap:
        """A map for a view derived from ``inner``'s derived text (self over inner)."""
        return ComposedMap(self, inner)


class ComposedMap:
    """``outer`` maps view -> intermediate, ``inner`` maps intermediate -> original."""

    __slots__ = ("inner", "outer")

    def __init__(self, outer: OffsetMap, inner: OffsetMap) -> None:
        self.outer = outer
        self.inner = inner

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a view span to the original text through both maps."""
        mid = self.outer.span_to_original(start, end)
        return self.inner.span_to_original(*mid)
