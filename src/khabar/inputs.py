"""Reading articles from bytes, files, directories and JSONL, with clear errors.

Every failure is an :class:`~khabar.errors.InputError` with a code and a hint:
empty input, binary data, invalid UTF-8, oversized input, unreadable files.
HTML pages are turned into the article they carry (:mod:`khabar.htmlpage`: trafilatura, with
the page's visible text as fallback); ``meta["extracted_from"]`` says so and names the extractor.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from khabar.errors import InputError, KhabarError

MAX_BYTES = 10 * 1024 * 1024  # one article; larger inputs are almost always not one article
#: the most read from one file that is not one article (a conll or gold file; a JSON array): 1 GiB
MAX_FILE_BYTES = 1 << 30
_CHUNK = 1 << 20
_LINE = re.compile(rb"[^\n]+")
# Lone UTF-16 surrogates: JSON may escape them ("\\ud800", half an emoji cut by a scraper),
# but no UTF-8 text can hold one. They are replaced by U+FFFD (see scrub_surrogates).
_SURROGATE = re.compile("[\ud800-\udfff]")
_HTML_START = re.compile(r"^\s*(?:<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.IGNORECASE)
_SVG_START = re.compile(r"^\ufeff?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE\s+svg|<svg[\s>])", re.IGNORECASE | re.DOTALL)
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


class RecordError(InputError):
    """The input error of one record of a batch, and where it stands.

    ``line``: its 1-based line in a JSONL file (None elsewhere); ``record_id``: the record's
    ``"id"`` when it was read; ``lines``: how many input lines it stands for (a run of blank
    lines is one error, so that its message is said once; the batch output gives it a line each).
    """

    def __init__(
        self,
        message: str,
        hint: str = "",
        code: str | None = None,
        *,
        line: int | None = None,
        record_id: Any = None,
        lines: int = 1,
    ) -> None:
        super().__init__(message, hint, code)
        self.line = line
        self.record_id = record_id
        self.lines = lines


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
        if b"\x00" in data:  # a NUL anywhere: text never holds one
            raise InputError(f"{name} is binary data, not text", hint="give a UTF-8 text, HTML or JSONL file", code="K102")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{name} is not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start})",
                hint="convert it first, e.g. iconv -f WINDOWS-1256 -t UTF-8 FILE",
                code="K103",
            ) from exc
    if "\x00" in text:  # UTF-16 text with a NUL
        raise InputError(f"{name} is binary data, not text", hint="give a UTF-8 text, HTML or JSONL file", code="K102")
    if not text.strip():
        raise InputError(f"{name} is empty", hint="give a file that contains an article", code="K101")
    if _SVG_START.match(text[:4096]):
        raise InputError(f"{name} is an SVG image, not an article", hint="give a UTF-8 text, HTML or JSONL file", code="K102")
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
        if page.warning:  # the extractor is missing: said, never silent
            meta["warnings"] = [page.warning]
    return Article(text, meta)


def scrub_surrogates(value: Any) -> tuple[Any, int]:
    """``value`` (a JSON value) with every lone surrogate in its strings replaced by U+FFFD, and how many.

    Offsets do not move: one code point is replaced by one.
    """
    if isinstance(value, str):
        if not _SURROGATE.search(value):
            return value, 0
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        total = 0
        items = []
        for item in value:
            clean, n = scrub_surrogates(item)
            items.append(clean)
            total += n
        return (items, total) if total else (value, 0)
    if isinstance(value, dict):
        total = 0
        pairs = []
        for k, v in value.items():
            ck, nk = scrub_surrogates(k)
            cv, nv = scrub_surrogates(v)
            pairs.append((ck, cv))
            total += nk + nv
        return (dict(pairs), total) if total else (value, 0)
    return value, 0


def surrogate_warning(count: int) -> str:
    """The ``meta["warnings"]`` line of a record whose lone surrogates were replaced."""
    return f"K113: {count} lone surrogate escape(s) (half an emoji?) replaced by U+FFFD"


def open_input(path: str, stdin: Any = None) -> IO[bytes]:
    """A binary stream of a regular file (``-`` is standard input), with coded errors.

    Anything that is not a regular file is refused before it is opened (K107): a FIFO
    would block forever, ``/dev/zero`` (or a link to it) never ends, a socket cannot be read.
    """
    if path == "-":
        if stdin is not None:
            return getattr(stdin, "buffer", stdin)  # type: ignore[no-any-return]
        return os.fdopen(0, "rb", closefd=False)
    try:
        info = os.stat(path)
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file", hint="check the path", code="K106") from exc
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied", hint="check the file's permissions", code="K107") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", hint="check the file", code="K107") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path} is a directory", hint="pass the directory itself to 'khabar analyze'", code="K106")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
        raise InputError(f"{path} is {kind}, not a regular file", hint="give a regular file", code="K107")
    try:
        return open(path, "rb")
    except PermissionError as exc:
        raise InputError(f"{path}: permission denied", hint="check the file's permissions", code="K107") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})", hint="check the file", code="K107") from exc


def read_limited(stream: IO[bytes], name: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``; K104 when there are more (never more than limit + 1 read)."""
    size = _known_size(stream)
    if size is not None and size > limit:
        raise _too_big(name, size, limit)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _too_big(name, None, limit)
    return data


def _known_size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size if stat.S_ISREG(os.fstat(stream.fileno()).st_mode) else None
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None


def _too_big(name: str, size: int | None, limit: int) -> InputError:
    what = f"is {size / 1e6:.1f} MB" if size is not None else "is larger than"
    return InputError(
        f"{name} {what}, over the {limit / 1e6:.0f} MB limit" if size is not None else f"{name} {what} the {limit / 1e6:.0f} MB limit",
        hint="split the corpus into articles (one file each, or JSONL with --jsonl) or raise --max-bytes",
        code="K104",
    )


def read_bytes(path: str, stdin: Any = None, limit: int = MAX_FILE_BYTES) -> bytes:
    """Bytes of a regular file (``-`` is standard input), at most ``limit`` (K104 beyond), with coded errors."""
    stream = open_input(path, stdin)
    try:
        return read_limited(stream, "stdin" if path == "-" else path, limit)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})", hint="check the file", code="K107") from exc
    finally:
        if path != "-":
            stream.close()


def read_article(path: str, max_bytes: int = MAX_BYTES, stdin: Any = None) -> Article:
    """One article from a file (``-`` is standard input): at most ``max_bytes`` read, then decoded."""
    return article_from_bytes(read_bytes(path, stdin, max_bytes), "stdin" if path == "-" else path, max_bytes)


def iter_lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` of the non-empty lines of a stream, read a megabyte at a time.

    A line over ``limit`` bytes comes as ``None``, and the rest of it is skipped without being
    kept; runs of empty lines cost no per-line work (a gzip of newlines is read at full speed).
    """
    line_no = 1  # the number of the line that ``buf`` begins
    buf = b""
    dropping = False  # inside a line already reported as oversized
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            if buf and not dropping:
                yield line_no, buf
            return
        start = 0
        if dropping:
            j = chunk.find(b"\n")
            if j < 0:
                continue
            dropping = False
            line_no += 1
            start = j + 1
        first = chunk.find(b"\n", start)
        if first < 0:
            buf += chunk[start:]
        else:
            head = buf + chunk[start:first]
            if head:
                yield line_no, head if len(head) <= limit else None
            line_no += 1
            last = chunk.rfind(b"\n")
            cur = first + 1
            for m in _LINE.finditer(chunk, first + 1, last):
                line_no += chunk.count(b"\n", cur, m.start())
                cur = m.start()
                yield line_no, m.group() if m.end() - m.start() <= limit else None
            line_no += chunk.count(b"\n", cur, last + 1)
            buf = chunk[last + 1 :]
        if len(buf) > limit:
            yield line_no, None
            buf = b""
            dropping = True


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


def iter_jsonl(path: str, max_bytes: int = MAX_BYTES) -> Iterator[Article | KhabarError]:
    """Records of a JSONL file in the batch contract: ``{"text": ..., "id"?, "title"?, ...}`` a line.

    An empty ``text`` is an error (K101), as in ``khabar ingest``, and so is a blank line between
    records (a :class:`RecordError` whose ``lines`` counts a run of them), so that a batch's
    output keeps one line per input line; blank lines after the last record are ignored. The file
    is streamed a line at a time; a file that cannot be opened is one error.
    """
    try:
        stream = open_input(path)
    except KhabarError as exc:
        yield exc
        return
    try:
        yield from jsonl_records(stream, "stdin" if path == "-" else path, max_bytes, allow_empty=False, blank_lines=True)
    finally:
        if path != "-":
            stream.close()


def jsonl_records(
    data: bytes | IO[bytes], name: str, max_bytes: int = MAX_BYTES, allow_empty: bool = True, blank_lines: bool = False
) -> Iterator[Article | KhabarError]:
    """Records of JSONL content, one Article (or the error naming its line) per non-blank line.

    Args:
        data: the raw bytes, or a binary stream read one line at a time; name: how errors name the source.
        allow_empty: whether an empty ``text`` is a valid (empty) article or an error (K101).
        blank_lines: whether each run of blank lines before a record is an error (K101, a
            :class:`RecordError` counting its ``lines``) rather than skipped.

    A line is at most ``max_bytes`` plus 1 MB of metadata (K104 beyond). Lone surrogate escapes
    (``"\\ud800"``) are replaced by U+FFFD, with warning K113 in the record's ``meta["warnings"]``.
    """
    stream: IO[bytes] = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    line_limit = max_bytes + _CHUNK
    blank_from = 0  # the first line of the run of blank lines before this one (0: none)
    prev = 0
    try:
        for n, raw in iter_lines(stream, line_limit):
            where = f"{name} line {n}"
            if blank_lines and n > prev + 1 and not blank_from:
                blank_from = prev + 1  # (iter_lines skips empty lines: the gap in numbers)
            prev = n
            if raw is not None and not raw.strip():
                if blank_lines and not blank_from:
                    blank_from = n
                continue
            if blank_from:
                count = n - blank_from
                lines = f"line {blank_from} is" if count == 1 else f"lines {blank_from}-{n - 1} are"
                yield RecordError(
                    f"{name} {lines} blank", hint="one JSON record a line; drop blank lines", code="K101",
                    line=blank_from, lines=count,
                )
                blank_from = 0
            if raw is None:
                yield RecordError(
                    f"{where} is over the {line_limit / 1e6:.0f} MB limit of one record", hint="split the article",
                    code="K104", line=n,
                )
                continue
            item = _jsonl_record(raw, where, max_bytes, allow_empty)
            if isinstance(item, RecordError):
                item.line = n
            yield item
    except OSError as exc:  # a stream that fails mid-way (a corrupt gzip member)
        yield InputError(f"{name} cannot be read to its end ({exc})", hint="check the file; it may be truncated or corrupt", code="K170")


def _jsonl_record(raw: bytes, where: str, max_bytes: int, allow_empty: bool) -> Article | KhabarError:
    """One JSONL line as an Article, or its coded error."""
    if b"\x00" in raw:
        return RecordError(f"{where} is binary data, not JSON", hint="one JSON object a line", code="K102")
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return RecordError(f"{where} is not valid UTF-8", hint="convert the file to UTF-8", code="K103")
    except json.JSONDecodeError as exc:
        return RecordError(f"{where} is not JSON ({exc.msg})", hint="one JSON object a line", code="K108")
    except RecursionError:
        return RecordError(f"{where} is nested too deeply", hint="one flat JSON object a line", code="K108")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        record_id = _scalar_id(record.get("id")) if isinstance(record, dict) else None
        return RecordError(
            f"{where} has no string field 'text'", hint='each line: {"text": "...", "id": ...}', code="K109",
            record_id=record_id,
        )
    return record_article(record, where, "text", max_bytes, allow_empty)


def record_article(
    record: dict[str, Any], where: str, text_key: str = "text", max_bytes: int = MAX_BYTES, allow_empty: bool = False
) -> Article | KhabarError:
    """A parsed record (a JSONL object, a DataFrame row) whose ``record[text_key]`` is a string, as
    an Article: lone surrogates replaced by U+FFFD (a warning in meta), the other fields cleaned into
    meta; or its coded error: K101 an empty text (unless ``allow_empty``), K104 over ``max_bytes``
    bytes of UTF-8, K102 a NUL character. ``where`` names the record in the message."""
    record, replaced = scrub_surrogates(record)
    text = record[text_key]
    record_id = _scalar_id(record.get("id"))
    if not allow_empty and not text.strip():
        return RecordError(
            f"{where} has an empty text", hint="drop the record or fill in its text", code="K101", record_id=record_id
        )
    if len(text.encode("utf-8")) > max_bytes:
        return RecordError(
            f"{where}: text over the {max_bytes / 1e6:.0f} MB limit", hint="split the article", code="K104",
            record_id=record_id,
        )
    if "\x00" in text:
        return RecordError(
            f"{where} has a NUL character in its text", hint="the text is binary data", code="K102", record_id=record_id
        )
    meta = clean_meta({k: v for k, v in record.items() if k != text_key})
    if replaced:
        meta["warnings"] = [surrogate_warning(replaced)]
    return Article(text, meta)


def _scalar_id(value: Any) -> str | int | float | None:
    """A record's ``id`` as an error line may repeat it: a string or a number, else None."""
    return value if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def has_arabic(text: str) -> bool:
    """True when ``text`` contains at least one Arabic letter."""
    return bool(_ARABIC.search(text))
