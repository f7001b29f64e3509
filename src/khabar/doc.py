"""The stand-off data model: Doc, Span, Edit.

``Doc.text`` is the article exactly as received and never changes. Repairs are
``Edit`` records; the repaired and normalized texts are *views* computed from
them, each with an offset map back to ``Doc.text``. Every annotation is a
``Span`` of code-point offsets into ``Doc.text`` in a named layer, so
``doc.text[s.start:s.end]`` is always the annotated text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.errors import InputError
from khabar.lang.ar.normalize import normalize
from khabar.offsets import ComposedMap, OffsetMap, Replacement

SCHEMA_VERSION = 1

# Layers in the order the JSON lists them; others follow alphabetically.
LAYER_ORDER = ("paragraphs", "sentences", "tokens", "words", "quote_pairs")
# Top-level JSON values that are not span layers (referents, category scores...).
VALUE_KEYS = ("referents", "categories", "topic")
# Keys of a span object that are not attributes.
_SPAN_KEYS = frozenset({"start", "end", "text", "label"})
#: A layer writes its spans' texts until they add up to the document's length plus this
#: slack; past that, a span longer than LONG_SPAN_CHARS is written without ``text``
#: (slice ``text[start:end]``). Overlapping spans (each unclosed quotation mark runs to the
#: end of its paragraph) would otherwise repeat the document once per span: JSON output
#: quadratic in the input.
SPAN_TEXT_SLACK = 100_000
LONG_SPAN_CHARS = 200


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch ``[start, end)`` of ``Doc.text`` with an optional label and attributes.

    Attribute values must be JSON-native (str, int, float, bool, None, list, dict)
    so that a Doc round-trips through JSON unchanged.
    """

    start: int
    end: int
    label: str = ""
    attrs: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self, text: str, with_text: bool = True) -> dict[str, Any]:
        """The JSON object for this span: start, end, text (unless ``with_text`` is false), label (if any),
        attributes."""
        out: dict[str, Any] = {"start": self.start, "end": self.end}
        if with_text:
            out["text"] = text[self.start : self.end]
        if self.label:
            out["label"] = self.label
        out.update(self.attrs)
        return out

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Span:
        """Inverse of :meth:`to_dict` (the ``text`` key is checked by the Doc, not stored)."""
        attrs = {k: v for k, v in obj.items() if k not in _SPAN_KEYS}
        return cls(int(obj["start"]), int(obj["end"]), str(obj.get("label", "")), attrs)


@dataclass(frozen=True, slots=True)
class Edit:
    """A repair: ``text[start:end]`` reads as ``replacement`` in the repaired view."""

    start: int
    end: int
    replacement: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON object for this edit."""
        return {"start": self.start, "end": self.end, "replacement": self.replacement, "rule": self.rule}


def _layer_dicts(spans: list[Span], text: str) -> list[dict[str, Any]]:
    """The JSON objects of one layer, long span texts left out once they repeat the document."""
    return list(_iter_layer_dicts(spans, text))


def _iter_layer_dicts(spans: list[Span], text: str) -> Iterator[dict[str, Any]]:
    budget = len(text) + SPAN_TEXT_SLACK
    for s in spans:
        length = s.end - s.start
        with_text = length <= LONG_SPAN_CHARS or length <= budget
        if with_text and length > LONG_SPAN_CHARS:
            budget -= length
        yield s.to_dict(text, with_text)


class Doc:
    """One article: the original text, its repairs, its annotation layers and metadata.

    Args:
        text: the article exactly as received; it is never modified.
        meta: pass-through fields such as ``id``, ``title``, ``date``, ``source``.
    """

    __slots__ = ("_repaired", "_text", "edits", "layers", "meta", "values")

    def __init__(self, text: str, meta: Mapping[str, Any] | None = None) -> None:
        if not isinstance(text, str):
            raise InputError(
                f"Doc text must be str, got {type(text).__name__}",
                hint="decode bytes as UTF-8 first (khabar.read_text does this with clear errors)",
                code="K110",
            )
        self._text = text
        self.meta: dict[str, Any] = dict(meta or {})
        self.edits: list[Edit] = []
        self.layers: dict[str, list[Span]] = {}
        # JSON-native values that are not spans, e.g. "referents" (see VALUE_KEYS).
        self.values: dict[str, Any] = {}
        self._repaired: tuple[str, OffsetMap] | None = None

    @property
    def text(self) -> str:
        """The original text (read-only)."""
        return self._text

    # ----------------------------------------------------------------- views
    def set_edits(self, edits: Iterable[Edit]) -> None:
        """Replace the repairs (sorted, non-overlapping) and drop the cached views."""
        ordered = sorted(edits, key=lambda e: (e.start, e.end))
        pos = 0
        for e in ordered:
            if e.start < pos or not 0 <= e.start <= e.end <= len(self._text):
                raise ValueError(f"edit {e} overlaps another edit or lies outside the text")
            pos = max(e.start, e.end)
        self.edits = ordered
        self._repaired = None

    def _repaired_view(self) -> tuple[str, OffsetMap]:
        if self._repaired is None:
            reps = [Replacement(e.start, e.end, e.replacement) for e in self.edits]
            self._repaired = OffsetMap.apply(self._text, reps)
        return self._repaired

    @property
    def repaired(self) -> str:
        """The repaired view: the original with every edit applied."""
        return self._repaired_view()[0]

    @property
    def repaired_map(self) -> OffsetMap:
        """Offset map from the repaired view back to the original."""
        return self._repaired_view()[1]

    def normalized(self) -> tuple[str, ComposedMap]:
        """The matching view (repaired, then orthographically folded) and its map to the original."""
        folded, fold_map = normalize(self.repaired)
        return folded, fold_map.compose(self.repaired_map)

    def span_from_repaired(self, start: int, end: int, label: str = "", **attrs: Any) -> Span:
        """Build a Span in original offsets from a ``[start, end)`` span of the repaired view."""
        s, e = self.repaired_map.span_to_original(start, end)
        return Span(s, e, label, attrs)

    # ---------------------------------------------------------------- layers
    def span_text(self, span: Span) -> str:
        """The original characters under ``span``."""
        return self._text[span.start : span.end]

    def repaired_text(self, span: Span) -> str:
        """The repaired view's characters under ``span`` (glued words apart, presentation forms
        folded); the original characters when no edit was made."""
        if not self.edits:
            return self._text[span.start : span.end]
        to_derived = self.repaired_map.to_derived
        return self.repaired[to_derived(span.start) : to_derived(span.end)]

    def __getitem__(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON object (schema 1): text, meta, edits, repaired, layers."""
        out: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "text": self._text,
            "meta": self.meta,
            "edits": [e.to_dict() for e in self.edits],
            "repaired": self.repaired,
        }
        names = [n for n in LAYER_ORDER if n in self.layers]
        names += sorted(n for n in self.layers if n not in LAYER_ORDER)
        for name in names:
            out[name] = _layer_dicts(self.layers[name], self._text)
        for key in VALUE_KEYS:
            if key in self.values:
                out[key] = self.values[key]
        return out

    def to_json(self, indent: int | None = None) -> str:
        """Serialize to JSON text (UTF-8, Arabic kept readable)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def iter_json(self) -> Iterator[str]:
        """``to_json()`` in pieces, a span at a time: a large Doc written without its whole JSON in memory."""
        names = [n for n in LAYER_ORDER if n in self.layers]
        names += sorted(n for n in self.layers if n not in LAYER_ORDER)
        head = {"schema": SCHEMA_VERSION, "text": self._text, "meta": self.meta}
        yield json.dumps(head, ensure_ascii=False)[:-1]
        yield ', "edits": ' + json.dumps([e.to_dict() for e in self.edits], ensure_ascii=False)
        yield ', "repaired": ' + json.dumps(self.repaired, ensure_ascii=False)
        for name in names:
            yield f", {json.dumps(name, ensure_ascii=False)}: ["
            for i, item in enumerate(_iter_layer_dicts(self.layers[name], self._text)):
                yield (", " if i else "") + json.dumps(item, ensure_ascii=False)
            yield "]"
        for key in VALUE_KEYS:
            if key in self.values:
                yield f", {json.dumps(key)}: {json.dumps(self.values[key], ensure_ascii=False)}"
        yield "}"

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Doc:
        """Rebuild a Doc from :meth:`to_dict` output, checking every span against the text."""
        if obj.get("schema") != SCHEMA_VERSION:
            raise InputError(
                f"unsupported Doc schema {obj.get('schema')!r}",
                hint=f"this khabar reads schema {SCHEMA_VERSION}",
                code="K111",
            )
        doc = cls(obj["text"], obj.get("meta"))
        doc.set_edits(Edit(int(e["start"]), int(e["end"]), e["replacement"], e["rule"]) for e in obj.get("edits", []))
        fixed = {"schema", "text", "meta", "edits", "repaired"}
        for name, items in obj.items():
            if name in fixed:
                continue
            if name in VALUE_KEYS:
                doc.values[name] = items
                continue
            spans = [Span.from_dict(item) for item in items]
            for item, span in zip(items, spans, strict=True):
                if "text" in item and doc.text[span.start : span.end] != item["text"]:
                    raise InputError(
                        f"span {span.start}:{span.end} of layer {name!r} does not match the text",
                        hint="the JSON was edited or belongs to another text",
                        code="K112",
                    )
            doc.layers[name] = spans
        return doc

    @classmethod
    def from_json(cls, data: str) -> Doc:
        """Parse JSON text produced by :meth:`to_json`."""
        return cls.from_dict(json.loads(data))

    def __repr__(self) -> str:
        layers = ", ".join(f"{k}={len(v)}" for k, v in self.layers.items())
        return f"Doc({len(self._text)} chars, {len(self.edits)} edits, {layers})"
