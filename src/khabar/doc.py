"""The stand-off data model: Doc, Span, Edit.

``Doc.text`` is the article exactly as received and never changes. Repairs are
``Edit`` records; the repaired and normalized texts are *views* computed from
them, each with an offset map back to ``Doc.text``. Every annotation is a
``Span`` of code-point offsets into ``Doc.text`` in a named layer, so
``doc.text[s.start:s.end]`` is always the annotated text.

The JSON (``Doc.to_json``, schema 2) writes every layer as a list of span objects
``{"start", "end", "text", "label"?, ...attributes}``, except the layers with a span per token
or per quotation mark, ``tokens``, ``words`` and ``quote_pairs`` (ROW_LAYERS), written as a table
without span texts: ``{"fields": ["start", "end", "kind", "sentence"], "rows": [[0, 5, "arabic",
0], ...]}`` (a row may end with an object of the attributes that not every span of the layer has).
As objects with texts they cost ~80 bytes a token and as much again a word: a news article's JSON
was 29x its size and 1 MB of ``"`` 26x; as rows (~25-30 bytes a span) 15x and 13x, and every
hostile input of issue 15 stays within 20x (``bench/bench_hostile.py --json-size``). Text made only of
one-character tokens still costs 60-70x (a token, a word and a pair row, 25-30 bytes each, per
byte of input). ``repaired`` is still written (1x the input) for readers of the JSON and rebuilt
from ``edits`` when read. ``Doc.from_json`` reads schema 1 (every layer as span objects, as the
stores written before hold it) and schema 2.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from khabar.errors import InputError
from khabar.lang.ar.normalize import normalize
from khabar.offsets import ComposedMap, OffsetMap, Replacement

SCHEMA_VERSION = 2
#: Doc JSON schemas that :meth:`Doc.from_dict` reads: 1 (every layer as span objects) and 2.
READ_SCHEMAS = (1, 2)

# Layers in the order the JSON lists them; others follow alphabetically.
LAYER_ORDER = ("paragraphs", "sentences", "tokens", "words", "quote_pairs")
# Top-level JSON values that are not span layers (referents, category scores...).
VALUE_KEYS = ("referents", "categories", "topic")
# Keys of a span object that are not attributes.
_SPAN_KEYS = frozenset({"start", "end", "text", "label"})
#: Layers written as ``{"fields": [...], "rows": [[start, end, ...], ...]}`` (schema 2): a span
#: per token or per quotation mark, the bulk of the JSON; their texts are one slice of ``text`` away.
ROW_LAYERS = frozenset({"tokens", "words", "quote_pairs"})
#: A layer writes its spans' texts until they add up to twice the document's length (at most
#: its length plus this slack); past that, a span longer than LONG_SPAN_CHARS is written without ``text``
#: (slice ``text[start:end]``). Overlapping spans (each unclosed quotation mark runs to the
#: end of its paragraph) would otherwise repeat the document once per span: JSON output
#: quadratic in the input.
SPAN_TEXT_SLACK = 100_000
LONG_SPAN_CHARS = 200
#: A span longer than this is always written without ``text``: no paragraph, sentence or
#: quotation of a news article is this long, and a text without breaks (one "sentence" of
#: the whole document) would otherwise be written once more in each layer that spans it.
MAX_SPAN_TEXT_CHARS = 10_000


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
    budget = len(text) + min(len(text), SPAN_TEXT_SLACK)
    for s in spans:
        length = s.end - s.start
        with_text = length <= LONG_SPAN_CHARS or length <= min(budget, MAX_SPAN_TEXT_CHARS)
        if with_text and length > LONG_SPAN_CHARS:
            budget -= length
        yield s.to_dict(text, with_text)


def _row_fields(spans: list[Span]) -> list[str]:
    """The columns of a row layer: start, end, label (when a span has one), then the attributes
    every span has, in the first span's order."""
    fields = ["start", "end"]
    if any(s.label for s in spans):
        fields.append("label")
    if spans:
        common = [k for k in spans[0].attrs if k not in _SPAN_KEYS]
        for s in spans:
            if len(common) != len(s.attrs) or any(k not in s.attrs for k in common):
                common = [k for k in common if k in s.attrs]
        fields += common
    return fields


def _rows(spans: list[Span], fields: list[str]) -> Iterator[list[Any]]:
    """The rows of a row layer: ``[start, end, label?, *values]``, then an object of the other
    attributes when the span has any."""
    labelled = "label" in fields
    keys = fields[3:] if labelled else fields[2:]
    for s in spans:
        row: list[Any] = [s.start, s.end]
        if labelled:
            row.append(s.label)
        attrs = s.attrs
        row += [attrs[k] for k in keys]
        if len(attrs) > len(keys):
            extra = {k: v for k, v in attrs.items() if k not in keys and k not in _SPAN_KEYS}
            if extra:
                row.append(extra)
        yield row


def _bad_span(name: str, detail: str) -> InputError:
    return InputError(
        f"layer {name!r}: {detail}",
        hint="the JSON was edited or belongs to another text",
        code="K112",
    )


def _spans_from_rows(name: str, table: Mapping[str, Any]) -> list[Span]:
    """Inverse of :func:`_rows`: the spans of a ``{"fields", "rows"}`` layer."""
    fields = table.get("fields")
    rows = table.get("rows")
    if not isinstance(fields, list) or fields[:2] != ["start", "end"] or not isinstance(rows, list):
        raise _bad_span(name, 'a table layer needs "fields" starting with "start", "end" and "rows"')
    labelled = len(fields) > 2 and fields[2] == "label"
    keys = fields[3:] if labelled else fields[2:]
    width = len(fields)
    spans = []
    for row in rows:
        if not isinstance(row, list) or len(row) not in (width, width + 1):
            raise _bad_span(name, f"a row of {len(row) if isinstance(row, list) else 'no'} values, fields are {fields}")
        attrs = dict(zip(keys, row[width - len(keys) : width], strict=True))
        if len(row) > width:
            if not isinstance(row[-1], dict):
                raise _bad_span(name, "a row's value past its fields must be an object of attributes")
            attrs.update(row[-1])
        spans.append(Span(int(row[0]), int(row[1]), str(row[2]) if labelled else "", attrs))
    return spans


# A JSON string (on one line: indented JSON has raw line breaks only between values), number,
# true, false or null.
_SCALAR = r'(?:"(?:[^"\\\n]|\\.)*"|[-+.\w]+)'
_SCALAR_LIST = re.compile(rf"\[\s*{_SCALAR}(?:\s*,\s*{_SCALAR})*\s*\]")


def _one_line(match: re.Match[str]) -> str:
    found = match.group()
    if "\n" not in found:  # already on one line (or inside a string: strings hold no raw line break)
        return found
    return "[" + re.sub(r"\n\s*", " ", found[1:-1]).strip() + "]"


def _scalar_lists_on_one_line(indented: str) -> str:
    """Indented JSON with every list of plain values (a row, a field list, an ``open`` span) on one line."""
    return _SCALAR_LIST.sub(_one_line, indented)


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
        repaired, mapping = self._repaired or self._repaired_view()  # (called per token: no property calls)
        to_derived = mapping.to_derived
        return repaired[to_derived(span.start) : to_derived(span.end)]

    def __getitem__(self, layer: str) -> list[Span]:
        return self.layers.get(layer, [])

    # ------------------------------------------------------------------ JSON
    def _layer_names(self) -> list[str]:
        names = [n for n in LAYER_ORDER if n in self.layers]
        return names + sorted(n for n in self.layers if n not in LAYER_ORDER)

    def to_dict(self) -> dict[str, Any]:
        """The versioned JSON object (schema 2): schema, text, meta, edits, repaired, then the layers
        (``paragraphs``, ``sentences``, ``tokens``, ``words``, ``quote_pairs``, the others by name)
        and the values (``referents``, ``categories``, ``topic``).

        A layer is a list of span objects ``{"start", "end", "text", "label"?, ...attributes}``
        (a long span's ``text`` is left out once the layer's texts add up to the document:
        SPAN_TEXT_SLACK), except ROW_LAYERS (``tokens``, ``words``): ``{"fields": ["start", "end",
        "label"?, ...attributes every span has], "rows": [[start, end, ...values, {other
        attributes}?], ...]}``, no texts (slice ``text[start:end]``).
        """
        out: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "text": self._text,
            "meta": self.meta,
            "edits": [e.to_dict() for e in self.edits],
            "repaired": self.repaired,
        }
        for name in self._layer_names():
            spans = self.layers[name]
            if name in ROW_LAYERS:
                fields = _row_fields(spans)
                out[name] = {"fields": fields, "rows": list(_rows(spans, fields))}
            else:
                out[name] = _layer_dicts(spans, self._text)
        for key in VALUE_KEYS:
            if key in self.values:
                out[key] = self.values[key]
        return out

    def to_json(self, indent: int | None = None) -> str:
        """Serialize to JSON text (UTF-8, Arabic kept readable); with ``indent``, a list of plain
        values (a token's row) stays on one line."""
        if indent is None:
            return json.dumps(self.to_dict(), ensure_ascii=False)
        return _scalar_lists_on_one_line(json.dumps(self.to_dict(), ensure_ascii=False, indent=indent))

    def iter_json(self) -> Iterator[str]:
        """``to_json()`` in pieces, a span at a time: a large Doc written without its whole JSON in memory."""
        head = {"schema": SCHEMA_VERSION, "text": self._text, "meta": self.meta}
        yield json.dumps(head, ensure_ascii=False)[:-1]
        yield ', "edits": ' + json.dumps([e.to_dict() for e in self.edits], ensure_ascii=False)
        yield ', "repaired": ' + json.dumps(self.repaired, ensure_ascii=False)
        for name in self._layer_names():
            spans = self.layers[name]
            yield f", {json.dumps(name, ensure_ascii=False)}: "
            if name in ROW_LAYERS:
                fields = _row_fields(spans)
                yield f'{{"fields": {json.dumps(fields, ensure_ascii=False)}, "rows": ['
                items: Iterator[Any] = _rows(spans, fields)
            else:
                yield "["
                items = _iter_layer_dicts(spans, self._text)
            for i, item in enumerate(items):
                yield (", " if i else "") + json.dumps(item, ensure_ascii=False)
            yield "]}" if name in ROW_LAYERS else "]"
        for key in VALUE_KEYS:
            if key in self.values:
                yield f", {json.dumps(key)}: {json.dumps(self.values[key], ensure_ascii=False)}"
        yield "}"

    @classmethod
    def from_dict(cls, obj: Mapping[str, Any]) -> Doc:
        """Rebuild a Doc from :meth:`to_dict` output of schema 1 or 2, checking every span against
        the text.

        Raises:
            InputError: K111 for another schema; K112 for a span outside the text, a span whose
                ``text`` is not the text's slice, or a malformed row layer.
        """
        if obj.get("schema") not in READ_SCHEMAS:
            raise InputError(
                f"unsupported Doc schema {obj.get('schema')!r}",
                hint=f"this khabar reads schemas {', '.join(map(str, READ_SCHEMAS))}",
                code="K111",
            )
        doc = cls(obj["text"], obj.get("meta"))
        doc.set_edits(Edit(int(e["start"]), int(e["end"]), e["replacement"], e["rule"]) for e in obj.get("edits", []))
        fixed = {"schema", "text", "meta", "edits", "repaired"}
        size = len(doc.text)
        for name, items in obj.items():
            if name in fixed:
                continue
            if name in VALUE_KEYS:
                doc.values[name] = items
                continue
            if isinstance(items, Mapping):  # a row layer (schema 2)
                spans = _spans_from_rows(name, items)
            else:
                spans = [Span.from_dict(item) for item in items]
                for item, span in zip(items, spans, strict=True):
                    if "text" in item and doc.text[span.start : span.end] != item["text"]:
                        raise _bad_span(name, f"span {span.start}:{span.end} does not match the text")
            for span in spans:
                if not 0 <= span.start <= span.end <= size:
                    raise _bad_span(name, f"span {span.start}:{span.end} lies outside the text of {size} characters")
            doc.layers[name] = spans
        return doc

    @classmethod
    def from_json(cls, data: str) -> Doc:
        """Parse JSON text produced by :meth:`to_json`."""
        return cls.from_dict(json.loads(data))

    def __repr__(self) -> str:
        layers = ", ".join(f"{k}={len(v)}" for k, v in self.layers.items())
        return f"Doc({len(self._text)} chars, {len(self.edits)} edits, {layers})"
