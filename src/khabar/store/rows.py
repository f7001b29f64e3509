"""An analysed Doc turned into the rows the store writes, before any database is touched.

:func:`prepare_doc` does all the per-article work of storing -- the compressed Doc JSON,
the matching view for the full-text index and its original offsets, the layer rows, the
names for the name filters -- so that ingest workers can do it in parallel and the single
writer only inserts. A :class:`PreparedDoc` is plain data: it pickles cheaply between
processes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from khabar.dates import parse_date
from khabar.doc import Doc
from khabar.errors import StoreError
from khabar.store.matching import content_hash, index_terms, norm_name, pack_term_spans, text_terms

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class PreparedDoc:
    """Everything :meth:`khabar.store.Store.add_prepared` writes for one article.

    Layer rows lack their leading ``doc_id``, known only once the document row is inserted.
    """

    content_hash: str
    document: Row  # ext_id, title, date, source, url, text, repaired, topic, doc_json, edits, term_spans
    sentences: list[Row]
    referents: list[Row]
    entities: list[Row]
    quotes: list[Row]
    keywords: list[Row]
    names: Row  # entities, referents, speakers of document_names
    fts: Row  # title, body of documents_fts
    warnings: tuple[str, ...] = ()  # the Doc's meta["warnings"] (K131 over the work budget...), for the report


def normalize_date(meta: dict[str, Any]) -> None:
    """Give ``meta`` an ISO 8601 ``date`` (khabar.dates), keeping the string as written in ``date_raw``.

    A date that names no full day (``يوليو 2015``) is dropped from ``date`` rather than guessed;
    its text stays in ``date_raw``. A date already in ISO form is left as it is.
    """
    raw = meta.get("date")
    if raw is None or raw == "":
        return
    parsed = parse_date(raw)
    iso = parsed.iso if parsed else None
    if iso == raw:
        return
    meta.setdefault("date_raw", raw if isinstance(raw, str) else str(raw))
    if iso is None:
        meta.pop("date", None)
    else:
        meta["date"] = iso


def prepare_doc(doc: Doc) -> PreparedDoc:
    """The rows that store ``doc`` (see :class:`PreparedDoc`); its ``meta["date"]`` is made ISO first."""
    normalize_date(doc.meta)
    meta, text = doc.meta, doc.text
    terms = index_terms(doc)
    document = (
        _opt_str(meta.get("id")),
        _opt_str(meta.get("title")),
        _opt_str(meta.get("date")),
        _opt_str(meta.get("source")),
        _opt_str(meta.get("url")),
        text,
        doc.repaired,
        _opt_str(doc.values.get("topic")),
        pack_doc_json(doc.to_json()),
        json.dumps([e.to_dict() for e in doc.edits], ensure_ascii=False),
        pack_term_spans(terms),
    )
    referents = [r for r in doc.values.get("referents") or [] if isinstance(r, dict)]
    referent_rows = [
        (int(r["id"]), str(r.get("label", "")), str(r.get("name", "")), norm_name(str(r.get("name", ""))))
        for r in referents
        if isinstance(r.get("id"), int)
    ]
    entity_rows = [
        (
            i,
            s.start,
            s.end,
            s.label,
            text[s.start : s.end],
            norm_name(text[s.start : s.end]),
            _opt_int(s.attrs.get("referent")),
        )
        for i, s in enumerate(doc["entities"])
    ]
    quote_rows: list[Row] = []
    for i, s in enumerate(doc["quotes"]):
        speaker_obj = s.attrs.get("speaker")
        speaker = _sub_text(text, speaker_obj)
        quote_rows.append(
            (
                i,
                s.start,
                s.end,
                str(s.attrs.get("kind", "")),
                text[s.start : s.end],
                _sub_text(text, s.attrs.get("cue")),
                speaker,
                norm_name(speaker) if speaker else None,
                _opt_int(speaker_obj.get("referent")) if isinstance(speaker_obj, dict) else None,
            )
        )
    names_of_referents = {row[0]: row[3] for row in referent_rows}
    names = (
        _names(row[5].replace(" ", "") for row in entity_rows),
        _names(norm_name(str(r.get("name", ""))) for r in referents),
        _names(n for row in quote_rows for n in (row[7] or "", names_of_referents.get(row[8], ""))),
    )
    title = _opt_str(meta.get("title")) or ""
    return PreparedDoc(
        content_hash=content_hash(text),
        document=document,
        sentences=[(i, s.start, s.end) for i, s in enumerate(doc["sentences"])],
        referents=referent_rows,
        entities=entity_rows,
        quotes=quote_rows,
        keywords=[
            (i, str(s.attrs.get("key", "")), float(s.attrs.get("score", 0.0)), s.start, s.end)
            for i, s in enumerate(doc["keywords"])
        ],
        names=names,
        fts=(" ".join(k for k, _s, _e in text_terms(title)), " ".join(t.key for t in terms)),
        warnings=tuple(w for w in meta.get("warnings") or () if isinstance(w, str)),
    )


def pack_doc_json(doc_json: str) -> bytes:
    """The Doc JSON as stored: UTF-8, zlib-compressed (about 7x smaller)."""
    return zlib.compress(doc_json.encode("utf-8"), 6)


def unpack_doc_json(value: object) -> str:
    """The Doc JSON of a stored ``doc_json`` value: compressed BLOB (schema 2) or TEXT (schema 1 rows).

    Raises:
        StoreError: K401 when the value is neither (the file is not a khabar store or is damaged).
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        try:
            return zlib.decompress(value).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as exc:
            raise StoreError(
                f"a stored Doc cannot be read ({exc})", hint="the database is damaged; re-ingest it", code="K401"
            ) from exc
    raise StoreError("a stored Doc is missing", hint="the database is damaged; re-ingest it", code="K401")


def _names(names: Iterable[str]) -> str | None:
    """Names joined as ``document_names`` stores them ('|'-separated), None when there are none."""
    joined = "|".join(names)
    return joined if joined.strip("|") else None


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _sub_text(text: str, obj: object) -> str | None:
    """The original text under a nested ``{"start", "end"}`` object (cue, speaker), or None."""
    if not isinstance(obj, dict):
        return None
    s, e = obj.get("start"), obj.get("end")
    if isinstance(s, int) and isinstance(e, int) and 0 <= s <= e <= len(text):
        return text[s:e]
    return None
