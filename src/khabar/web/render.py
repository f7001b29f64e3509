"""HTML for the web UI, built from offsets into the original text and escaped throughout.

:func:`highlight` wraps spans of a text in elements, nesting them properly even when
they cross (a quotation boundary inside an entity splits the entity into two pieces);
every character of the text is escaped, so an article containing ``<script>`` shows as
text. :func:`doc_view` turns a Doc's JSON (schema 1 or 2: the span-object layers it reads
are the same in both) into what the document and analysis pages show.
"""

from __future__ import annotations

import html
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from markupsafe import Markup

from khabar.store.db import norm_name
from khabar.store.search import TOPIC_ARABIC

__all__ = [
    "KIND_NAMES",
    "LABEL_NAMES",
    "SNIPPET_MARKS",
    "TOPIC_NAMES",
    "DocView",
    "Mark",
    "doc_marks",
    "doc_view",
    "highlight",
    "snippet_html",
]

LABEL_NAMES: Final = {"PERS": "شخص", "PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "أخرى"}
KIND_NAMES: Final = {"direct": "مباشر", "indirect": "غير مباشر", "mixed": "مختلط"}
TOPIC_NAMES: Final = TOPIC_ARABIC  # one table: search reads topic:رياضة by it
SNIPPET_MARKS: Final = ("\ue000", "\ue001")
"""Private-use characters the search puts around a match, turned into ``<mark>`` here."""

_CLASS_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True, slots=True)
class Mark:
    """An element around ``text[start:end]``: outer marks have a lower ``depth``."""

    start: int
    end: int
    depth: int
    tag: str
    classes: str
    attrs: tuple[tuple[str, str], ...] = ()
    anchor: str | None = None  # an ``id`` for the first piece, so pages can link to it


def _open_tag(mark: Mark, first: bool) -> str:
    parts = [mark.tag, f'class="{html.escape(mark.classes)}"']
    if first and mark.anchor:
        parts.append(f'id="{html.escape(mark.anchor)}"')
    parts += [f'{name}="{html.escape(value)}"' for name, value in mark.attrs]
    return "<" + " ".join(parts) + ">"


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    """``text`` escaped, with each mark's span wrapped in its element.

    Marks outside the text or empty are ignored. Where marks cross, the inner one (higher
    depth, or later start, or shorter) is closed and reopened around the outer one's edge.
    """
    valid = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, m in enumerate(valid):
        starts[m.start].append(i)
        ends[m.end].append(i)
    bounds = sorted({0, len(text), *starts, *ends})

    def nesting(i: int) -> tuple[int, int, int, int]:
        m = valid[i]
        return (m.depth, m.start, -m.end, i)

    out: list[str] = []
    active: set[int] = set()
    stack: list[int] = []
    opened: set[int] = set()
    for lo, hi in itertools.pairwise(bounds):
        active.difference_update(ends.get(lo, ()))
        active.update(starts.get(lo, ()))
        wanted = sorted(active, key=nesting)
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] == wanted[keep]:
            keep += 1
        out.extend(f"</{valid[i].tag}>" for i in reversed(stack[keep:]))
        for i in wanted[keep:]:
            out.append(_open_tag(valid[i], i not in opened))
            opened.add(i)
        stack = wanted
        out.append(html.escape(text[lo:hi], quote=False))
    out.extend(f"</{valid[i].tag}>" for i in reversed(stack))
    return Markup("".join(out))


def snippet_html(snippet: str) -> Markup:
    """A search snippet escaped, its match (between :data:`SNIPPET_MARKS`) in ``<mark class="hit">``."""
    open_mark, close_mark = SNIPPET_MARKS
    out: list[str] = []
    rest = snippet
    while open_mark in rest:
        before, _, rest = rest.partition(open_mark)
        match, _, rest = rest.partition(close_mark)
        out.append(html.escape(before, quote=False))
        out.append('<mark class="hit">' + html.escape(match, quote=False) + "</mark>")
    out.append(html.escape(rest.replace(close_mark, ""), quote=False))
    return Markup("".join(out))


def _safe_class(value: object) -> str:
    return _CLASS_UNSAFE.sub("", str(value)) or "X"


def _span(obj: object) -> tuple[int, int] | None:
    """``(start, end)`` of a nested span object, or None."""
    if isinstance(obj, Mapping):
        start, end = obj.get("start"), obj.get("end")
        if isinstance(start, int) and isinstance(end, int):
            return start, end
    return None


def doc_marks(doc: Mapping[str, Any]) -> list[Mark]:
    """The marks of a Doc's JSON: quotations (outermost), their speakers and cues, entities."""
    marks: list[Mark] = []
    referents = {r.get("id"): r for r in doc.get("referents") or [] if isinstance(r, Mapping)}
    seen: set[tuple[int, int, str]] = set()
    for i, quote in enumerate(doc.get("quotes") or []):
        kind = str(quote.get("kind", ""))
        speaker = quote.get("speaker") if isinstance(quote.get("speaker"), Mapping) else None
        who = str(speaker.get("text", "")) if speaker else ""
        attrs = (("data-quote", str(i)), ("title", f"{who or 'متحدث غير معروف'} · {KIND_NAMES.get(kind, kind)}"))
        marks.append(Mark(quote["start"], quote["end"], 0, "span", f"quote quote-{_safe_class(kind)}", attrs, f"q{i}"))
        for role, obj in (("speaker", speaker), ("cue", quote.get("cue"))):
            where = _span(obj)
            if where is not None and (*where, role) not in seen:
                seen.add((*where, role))
                marks.append(Mark(where[0], where[1], 1, "span", role, (("data-quote", str(i)),)))
    for i, ent in enumerate(doc.get("entities") or []):
        label = str(ent.get("label", ""))
        ref = referents.get(ent.get("referent"))
        title = LABEL_NAMES.get(label, label) + (f" · {ref.get('name')}" if ref else "")
        attrs = (("data-label", label), ("title", title))
        marks.append(Mark(ent["start"], ent["end"], 2, "mark", f"ent ent-{_safe_class(label)}", attrs, f"e{i}"))
    return marks


@dataclass(frozen=True, slots=True)
class DocView:
    """What a document or analysis page shows."""

    text_html: Markup
    title: str
    meta: dict[str, str]
    quotes: list[dict[str, Any]] = field(default_factory=list)
    referents: list[dict[str, Any]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    topic: str | None = None
    categories: list[tuple[str, str, float]] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)
    edit_count: int = 0


def doc_view(doc: Mapping[str, Any], doc_id: int | None = None) -> DocView:
    """The page model of a Doc's JSON; ``doc_id`` (a stored document) gives referents corpus links."""
    text = str(doc.get("text", ""))
    meta = {str(k): str(v) for k, v in (doc.get("meta") or {}).items() if v is not None and not isinstance(v, dict)}
    entities = [e for e in doc.get("entities") or [] if isinstance(e, Mapping)]
    quotes = []
    for i, quote in enumerate(doc.get("quotes") or []):
        speaker = quote.get("speaker") if isinstance(quote.get("speaker"), Mapping) else None
        cue = quote.get("cue") if isinstance(quote.get("cue"), Mapping) else None
        kind = str(quote.get("kind", ""))
        quotes.append(
            {
                "index": i,
                "text": text[quote["start"] : quote["end"]],
                "kind": kind,
                "kind_name": KIND_NAMES.get(kind, kind),
                "speaker": str(speaker.get("text", "")) if speaker else "",
                "implicit": bool(speaker.get("implicit")) if speaker else False,
                "cue": str(cue.get("text", "")) if cue else "",
            }
        )
    referents: list[dict[str, Any]] = []
    for ref in doc.get("referents") or []:
        if not isinstance(ref, Mapping):
            continue
        label = str(ref.get("label", ""))
        mentions = [m for m in ref.get("mentions") or [] if isinstance(m, int) and 0 <= m < len(entities)]
        referents.append(
            {
                "name": str(ref.get("name", "")),
                "label": label,
                "label_name": LABEL_NAMES.get(label, label),
                "class": _safe_class(label),
                "mentions": len(mentions),
                "first": mentions[0] if mentions else None,
                "key": norm_name(str(ref.get("name", ""))),
                "ident": f"{doc_id}:{ref.get('id')}" if doc_id is not None else None,
            }
        )
    referents.sort(key=lambda r: (-r["mentions"], r["name"]))
    label_counts: dict[str, int] = defaultdict(int)
    for ent in entities:
        label_counts[str(ent.get("label", ""))] += 1
    raw_categories = doc.get("categories") or {}
    categories: list[tuple[str, str, float]] = [
        (str(k), TOPIC_NAMES.get(str(k), str(k)), float(v)) for k, v in raw_categories.items()
    ]
    categories.sort(key=lambda c: -c[2])
    topic = doc.get("topic")
    return DocView(
        text_html=highlight(text, doc_marks(doc)),
        title=meta.get("title", ""),
        meta=meta,
        quotes=quotes,
        referents=referents,
        summary=[text[s["start"] : s["end"]] for s in doc.get("summary") or []],
        keywords=[k.get("form") or text[k["start"] : k["end"]] for k in doc.get("keywords") or []],
        topic=TOPIC_NAMES.get(str(topic), str(topic)) if topic else None,
        categories=categories,
        label_counts=dict(label_counts),
        edit_count=len(doc.get("edits") or []),
    )
