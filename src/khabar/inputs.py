"""Reading articles from bytes, files, directories and JSONL, with clear errors.

Every failure is an :class:`~khabar.errors.InputError` with a code and a hint:
empty input, binary data, invalid UTF-8, oversized input, unreadable files.
HTML pages are turned into the article they carry (:mod:`khabar.htmlpage`: trafilatura, with
the page's visible text as fallback); ``meta["extracted_from"]`` says so and names the extractor.
"""

from __future__ import annotations

import codecs
import html
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from khabar.errors import InputError, KhabarError

MAX_BYTES = 10 * 1024 * 1024  # one article; larger inputs are almost always not one article
_HTML_START = re.compile(r"^\s*(?:<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Arabic letters, and their presentation forms (text copied out of PDFs is still Arabic).
_ARABIC = re.compile(r"[\u0621-\u064a\ufb50-\ufdff\ufe70-\ufefc]")
# Metadata fields kept exactly as given: identifiers must match the caller's own records.
_VERBATIM_META = frozenset({"id"})


@dataclass
class Article:
    """One input text with its pass-through metadata."""

    text: str
    meta: dict[str, Any] = field(default_factory=dict)


def decode(data: bytes, name: str = "input", max_bytes: int = MAX_BYTES) -> str:
    """Decode raw bytes as UTF-8 text (UTF-16 with a BOM is accepted), or raise InputError."""
    if len(data) > max_bytes:
        raise InputError(
            f"{name} is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit for one article",
            hint="split the corpus into articles (one file each, or JSONL with --jsonl) or raise --max-bytes",
            code="K104",
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name} has a UTF-16 mark but is not valid UTF-16", hint="re-save it as UTF-8", code="K103") from exc
    else:
        if b"\x00" in data[:8192]:
            raise InputError(f"{name} is binary data, not text", hint="give a UTF-8 text, HTML or JSONL file", code="K102")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} is not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start})",
                hint="convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8 FILE",
                code="K103",
            ) from exc
    if not text.strip():
        raise InputError(f"{name} is empty", hint="give a file that contains an article", code="K101")
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 20):
        raise InputError(f"{name} is binary data, not text", hint="give a UTF-8 text, HTML or JSONL file", code="K102")
    return text


def clean_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """Metadata with HTML entities decoded and whitespace trimmed in its string values.

    Scraped titles and bylines carry ``&quot;``, ``&#8220;`` or ``&amp;quot;`` and stray
    spaces or newlines at their ends. ``id`` is kept verbatim; values that are not strings pass.
    """
    return {k: clean_meta_value(v) if isinstance(v, str) and k not in _VERBATIM_META else v for k, v in meta.items()}


def clean_meta_value(value: str) -> str:
    """One metadata string: entities decoded (also when escaped twice), whitespace trimmed at both ends."""
    for _ in range(3):  # &amp;amp;quot; -> &amp;quot; -> &quot; -> "
        escaped_twice = "&amp;" in value
        value = html.unescape(value)
        if not escaped_twice:
            break
    return value.strip()


def looks_like_html(text: str) -> bool:
    """True when ``text`` is a whole HTML page rather than an article."""
    return bool(_HTML_START.match(text[:2048]))


def article_from_bytes(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> Article:
    """Decode ``data`` into an Article; an HTML page becomes the article it carries, with its metadata."""
    text = decode(data, name, max_bytes)
    meta: dict[str, Any] = {"id": name}
    if looks_like_html(text):
        from khabar.htmlpage import extract_article

        page = extract_article(text)
        if not page.text.strip():
            raise InputError(f"{name} is an HTML page with no visible text", hint="give the article text", code="K105")
        text = page.text
        meta.update(clean_meta(page.meta))
        meta["extracted_from"] = "html"
        meta["extractor"] = page.extractor
    return Article(text, meta)


def read_bytes(path: str, stdin: Any = None) -> bytes:
    """Bytes of a file (``-`` is standard input), with clear errors for missing or unreadable files."""
    if path == "-":
        stream = stdin if stdin is not None else os.fdopen(0, "rb", closefd=False)
        data: bytes = stream.read()
        return data
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file", hint="check the path", code="K106") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory", hint="pass the directory itself to 'khabar analyze'", code="K106") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied", hint="check the file's permissions", code="K107") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", hint="check the file", code="K107") from exc


def expand_paths(paths: list[str]) -> Iterator[str]:
    """Files named directly, and every regular file under each named directory, in sorted order."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith("."):
                        yield os.path.join(root, f)
        else:
            yield path


def iter_articles(paths: list[str], max_bytes: int = MAX_BYTES) -> Iterator[Article | KhabarError]:
    """One Article (or the error that stopped it) per input file."""
    for path in expand_paths(paths):
        try:
            yield article_from_bytes(read_bytes(path), "stdin" if path == "-" else path, max_bytes)
        except KhabarError as exc:
            yield exc


def iter_jsonl(path: str, max_bytes: int = MAX_BYTES) -> Iterator[Article | KhabarError]:
    """Records of a JSONL file in the batch contract: ``{"text": ..., "id"?, "title"?, ...}`` a line."""
    yield from jsonl_records(read_bytes(path), "stdin" if path == "-" else path, max_bytes)


def jsonl_records(
    data: bytes, name: str, max_bytes: int = MAX_BYTES, allow_empty: bool = True
) -> Iterator[Article | KhabarError]:
    """Records of JSONL content, one Article (or the error naming its line) per non-blank line.

    Args:
        data: the raw bytes; name: how errors name the source.
        allow_empty: whether an empty ``text`` is a valid (empty) article or an error (K101).
    """
    if b"\x00" in data[:8192]:
        yield InputError(f"{name} is binary data, not JSONL", hint="one JSON object a line", code="K102")
        return
    for n, raw in enumerate(data.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{name} line {n}"
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield InputError(f"{where} is not valid UTF-8", hint="convert the file to UTF-8", code="K103")
            continue
        except json.JSONDecodeError as exc:
            yield InputError(f"{where} is not JSON ({exc.msg})", hint="one JSON object a line", code="K108")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputError(f"{where} has no string field 'text'", hint='each line: {"text": "...", "id": ...}', code="K109")
            continue
        text = record["text"]
        if not allow_empty and not text.strip():
            yield InputError(f"{where} has an empty text", hint="drop the record or fill in its text", code="K101")
            continue
        if len(text.encode("utf-8")) > max_bytes:
            yield InputError(f"{where}: text over the {max_bytes / 1e6:.0f} MB limit", hint="split the article", code="K104")
            continue
        yield Article(text, clean_meta({k: v for k, v in record.items() if k != "text"}))


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter."""
    return bool(_ARABIC.search(text))
