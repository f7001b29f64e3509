"""Export the corpus to Parquet: one row a document, its annotations as typed nested columns.

Parquet is what pandas, Polars, DuckDB and Spark read without a parser; nested lists of structs keep
each document's entities, referents, quotations, keywords and summary next to its text, with the
original offsets. Needs pyarrow (``pip install 'khabar[parquet]'``), imported only here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from khabar.errors import ConfigError, StoreError
from khabar.store.db import Store, unpack_doc_json

__all__ = ["export_parquet"]

_BATCH = 500  # documents per row group: bounded memory on million-document stores


def _schema() -> Any:
    """The Parquet schema (pyarrow), built on first use so that importing khabar needs no pyarrow."""
    import pyarrow as pa

    span = [("start", pa.int32()), ("end", pa.int32()), ("text", pa.string())]
    return pa.schema(
        [
            ("id", pa.int64()),
            ("ext_id", pa.string()),
            ("title", pa.string()),
            ("date", pa.string()),
            ("source", pa.string()),
            ("url", pa.string()),
            ("text", pa.string()),
            ("repaired", pa.string()),
            ("topic", pa.string()),
            ("categories", pa.map_(pa.string(), pa.float64())),
            ("summary", pa.list_(pa.struct(span))),
            ("keywords", pa.list_(pa.struct([*span, ("key", pa.string()), ("score", pa.float64())]))),
            ("entities", pa.list_(pa.struct([*span, ("label", pa.string()), ("referent", pa.int32())]))),
            (
                "referents",
                pa.list_(
                    pa.struct(
                        [
                            ("id", pa.int32()),
                            ("label", pa.string()),
                            ("name", pa.string()),
                            ("mentions", pa.list_(pa.int32())),
                            ("descriptions", pa.list_(pa.struct(span))),
                        ]
                    )
                ),
            ),
            (
                "quotes",
                pa.list_(
                    pa.struct(
                        [
                            *span,
                            ("kind", pa.string()),
                            ("cue", pa.string()),
                            ("speaker", pa.string()),
                            ("speaker_start", pa.int32()),
                            ("speaker_end", pa.int32()),
                            ("speaker_referent", pa.int32()),
                            ("speaker_implicit", pa.bool_()),
                        ]
                    )
                ),
            ),
        ]
    )


def _spans(items: list[dict[str, Any]], *extra: str, text: str | None = None) -> list[dict[str, Any]]:
    """Span dicts cut down to start/end/text and the ``extra`` keys; a span written without its
    text (longer than the Doc JSON writes, issue 15) gets its slice of ``text``."""
    out = [{k: item.get(k) for k in ("start", "end", "text", *extra)} for item in items]
    if text is not None:
        for span in out:
            if span["text"] is None:
                span["text"] = text[span["start"] : span["end"]]
    return out


def _quote(q: dict[str, Any], text: str) -> dict[str, Any]:
    """One quotation, its cue and speaker flattened to columns."""
    cue = q.get("cue") or {}
    who = q.get("speaker") or {}
    return {
        "start": q["start"],
        "end": q["end"],
        "text": q.get("text", text[q["start"] : q["end"]]),  # a long span's text may be left out of the Doc JSON
        "kind": q.get("kind"),
        "cue": cue.get("text"),
        "speaker": who.get("text"),
        "speaker_start": who.get("start"),
        "speaker_end": who.get("end"),
        "speaker_referent": who.get("referent"),
        "speaker_implicit": who.get("implicit"),
    }


def _referent(r: dict[str, Any]) -> dict[str, Any]:
    """One referent; its descriptions are spans (older stores may hold bare strings)."""
    descriptions = [
        {"start": None, "end": None, "text": d} if isinstance(d, str) else _spans([d])[0]
        for d in r.get("descriptions") or []
    ]
    return {**{k: r.get(k) for k in ("id", "label", "name", "mentions")}, "descriptions": descriptions}


def _row(columns: tuple[Any, ...]) -> dict[str, Any]:
    """One Parquet row from a ``documents`` row."""
    doc_id, ext_id, title, date, source, url, topic, doc_json = columns
    doc = json.loads(unpack_doc_json(doc_json))
    return {
        "id": doc_id,
        "ext_id": ext_id,
        "title": title,
        "date": date,
        "source": source,
        "url": url,
        "text": doc["text"],
        "repaired": doc.get("repaired"),
        "topic": topic,
        "categories": list((doc.get("categories") or {}).items()),
        "summary": _spans(doc.get("summary", []), text=doc["text"]),
        "keywords": _spans(doc.get("keywords", []), "key", "score", text=doc["text"]),
        "entities": _spans(doc.get("entities", []), "label", "referent", text=doc["text"]),
        "referents": [_referent(r) for r in doc.get("referents", [])],
        "quotes": [_quote(q, doc["text"]) for q in doc.get("quotes", [])],
    }


def export_parquet(store: Store, path: str | Path) -> int:
    """Write every stored document to the Parquet file ``path`` (in id order); return the count.

    Raises:
        ConfigError: K302 when pyarrow is not installed.
        StoreError: K425 when the file cannot be written.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError("Parquet export needs pyarrow", hint="pip install 'khabar[parquet]'", code="K302") from exc
    schema = _schema()
    sql = "SELECT id, ext_id, title, date, source, url, topic, doc_json FROM documents ORDER BY id"
    count = 0
    target = Path(path)
    # write beside the target and rename at the end: a failed export leaves no half-written file
    part = target.with_name(target.name + ".part")
    try:
        with pq.ParquetWriter(str(part), schema, compression="zstd") as writer:
            batch: list[dict[str, Any]] = []
            for columns in store.execute(sql, (), "export documents"):
                batch.append(_row(tuple(columns)))
                if len(batch) == _BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    count += len(batch)
                    batch = []
            # An empty store still gets a valid file with the schema.
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
        part.replace(target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise StoreError(
            f"cannot write {path}: {exc}", hint="check the output path and free space", code="K425"
        ) from exc
    except (pa.ArrowException, ValueError, TypeError) as exc:
        part.unlink(missing_ok=True)
        raise StoreError(
            f"cannot convert a document to Parquet: {exc}",
            hint="export --format jsonl works for every document; please report this",
            code="K426",
        ) from exc
    return count
