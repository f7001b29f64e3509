"""The ``khabar`` command: a thin layer over the library.

Exit codes: 0 ok, 1 an input or resource error (reported as one line), 2 usage.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import Any

import click

from khabar.cli.common import echo, fail, guard, printable
from khabar.doc import SCHEMA_VERSION
from khabar.errors import ConfigError, InputError, KhabarError
from khabar.inputs import (
    MAX_BYTES,
    Article,
    RecordError,
    expand_paths,
    has_arabic,
    iter_jsonl,
    read_article,
    read_bytes,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="khabar")
def main() -> None:
    """khabar: offline Arabic news understanding.

    \b
    Example:
      khabar analyze examples/article.txt
    """


_INDENT_MAX_CHARS = 100_000  # a Doc of a longer text is written on one line, a span at a time


def _echo_doc_line(doc: Any) -> None:
    """The Doc's JSON on one line, written in pieces."""
    for piece in doc.iter_json():
        click.echo(piece, nl=False)
    click.echo()


def _components(value: str | None) -> list[str] | None:
    return None if not value else [v for v in value.split(",") if v.strip()]


def _one_line(doc_dict: dict[str, Any]) -> str:
    return json.dumps(doc_dict, ensure_ascii=False)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: a readable view; json: the Doc JSON (JSONL when there are several inputs).",
)
@click.option("--jsonl", is_flag=True, help="Inputs are JSONL files: one {\"text\", \"id\"?, ...} record a line.")
@click.option("--components", help="Comma-separated components to run (and what they require), e.g. repair,segment.")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest article accepted.")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True,
    help="Analysis processes, with --jsonl (output in input order, the same as with 1).",
)
@guard
def analyze(
    inputs: tuple[str, ...], fmt: str, jsonl: bool, components: str | None, max_bytes: int, workers: int
) -> None:
    """Analyse articles: repair, sentences, tokens, clitic-split words.

    INPUTS are files, directories (every file below) or - for standard input, read as
    `khabar ingest` reads them: a text or HTML file is one article; a JSON array (.json), a
    .jsonl file and zip/gzip archives give one output per record (JSONL with --format json,
    a failed record as an {"error": ...} line). An empty text is an error (K101).

    \b
    Examples:
      khabar analyze examples/article.txt
      khabar analyze --format json examples/article.txt
      khabar analyze --format json corpus/ > docs.jsonl
      khabar analyze --jsonl records.jsonl --components repair > docs.jsonl
      printf '{"id": "a1", "text": "قال الوزير إن الاجتماع ناجح."}\\n' > records.jsonl
      khabar analyze --jsonl records.jsonl --workers 2 > docs.jsonl
    """
    from khabar.pipeline import Pipeline

    if workers > 1:
        from khabar.store.ingest import MAX_WORKERS

        if not jsonl:
            raise ConfigError("--workers needs --jsonl", hint="give JSONL records: khabar analyze --jsonl FILE --workers N", code="K304")
        if workers > MAX_WORKERS:
            raise ConfigError(
                f"--workers {workers} is out of range", hint=f"give 1 to {MAX_WORKERS} (twice the cores)", code="K304"
            )
        _analyze_jsonl_parallel(_components(components), inputs, max_bytes, workers)
        return
    nlp = Pipeline(_components(components))
    if jsonl:
        _analyze_jsonl(nlp, inputs, max_bytes)
        return
    from khabar.store.ingest import CONTAINER_SUFFIXES, iter_records

    paths = list(expand_paths(list(inputs)))
    as_json = fmt == "json"
    # one indented Doc only for one plain article; records of a container are JSONL, one line each
    single = len(paths) == 1 and not paths[0].lower().endswith(CONTAINER_SUFFIXES)
    failed = 0
    for path in paths:
        container = path.lower().endswith(CONTAINER_SUFFIXES)
        # the readers of ingest: a JSON array is its records, a .jsonl its lines, an archive its members
        for item in iter_records([path], max_bytes):  # one record at a time: memory bounded by one article
            if isinstance(item, KhabarError):
                fail(item)
                failed += 1
                if as_json and container:  # one output line per record, so the batch stays aligned
                    click.echo(_error_line(item))
                continue
            _warn_about(item)
            try:
                doc = _analyze_one(nlp, item)
            except KhabarError as exc:
                fail(exc)
                failed += 1
                if as_json and container:
                    click.echo(_error_line(exc, item.meta.get("id")))
                continue
            if as_json:
                if single and len(doc.text) <= _INDENT_MAX_CHARS:
                    click.echo(doc.to_json(indent=2))
                else:  # one line a Doc; written a span at a time (a large Doc's JSON is never whole in memory)
                    _echo_doc_line(doc)
            else:
                from khabar.cli.render import render_doc

                render_doc(doc)
    if failed:
        sys.exit(1)


def _error_line(exc: KhabarError, record_id: Any = None, nth: int = 0) -> str:
    """The output line that stands for a record that failed: ``{"schema", "line"?, "id"?, "error"}``.

    ``id`` is the record's id when it has one, ``line`` its line in a JSONL input (``nth`` lines
    after the first line of a run of blank lines).
    """
    out: dict[str, Any] = {"schema": SCHEMA_VERSION}
    if isinstance(exc, RecordError):
        record_id = exc.record_id if record_id is None else record_id
        if exc.line is not None:
            out["line"] = exc.line + nth
    if isinstance(record_id, str | int | float) and not isinstance(record_id, bool):
        out["id"] = record_id
    out["error"] = {"code": exc.code, "message": exc.message}
    return _one_line(out)


def _echo_error_lines(exc: KhabarError, record_id: Any = None) -> None:
    """Say ``exc`` once on stderr and write its error line(s): one per input line it stands for."""
    fail(exc)
    for nth in range(exc.lines if isinstance(exc, RecordError) else 1):
        click.echo(_error_line(exc, record_id, nth))


def _warn_about(article: Article) -> None:
    name = article.meta.get("id", "input")
    if article.meta.get("extracted_from") == "html":
        how = "the article trafilatura extracted" if article.meta.get("extractor") == "trafilatura" else "its visible text"
        echo(f"note: {name} is an HTML page; analysing {how}", err=True)
    if not has_arabic(article.text):
        echo(f"warning K120: {name} has no Arabic letters; khabar is built for Arabic text", err=True)


def _analyze_one(nlp: Any, article: Article, echo_warnings: bool = True) -> Any:
    """The Doc of one article; an unexpected failure is a coded error for this article only (K172).

    With ``echo_warnings``, the warnings of reading (K113, K121) and of the analysis (K131 over
    the work budget, K132) are said on stderr, as K120 is, whatever the output format.
    """
    read = list(article.meta.get("warnings", ()))
    for warning in read if echo_warnings else ():
        echo(f"warning {warning}", err=True)
    try:
        doc = nlp.analyze(article.text, article.meta)
    except KhabarError:
        raise
    except Exception as exc:
        if os.environ.get("KHABAR_DEBUG"):
            raise
        raise InputError(
            f"{article.meta.get('id', 'an article')} could not be analysed ({type(exc).__name__}: {exc})",
            hint="report this article as a bug",
            code="K172",
        ) from exc
    if echo_warnings:
        for line in _analysis_warnings(doc, read, article.meta.get("id", "input")):
            echo(line, err=True)
    return doc


def _analysis_warnings(doc: Any, read: list[Any], name: Any) -> list[str]:
    """``warning CODE: NAME: ...`` for each ``meta["warnings"]`` line the analysis added (not in ``read``)."""
    warnings = doc.meta.get("warnings")
    lines = []
    for warning in warnings if isinstance(warnings, list) else ():
        if isinstance(warning, str) and warning not in read:
            code, _, rest = warning.partition(": ")
            lines.append(f"warning {code}: {name}: {rest}")
    return lines


def _analyze_jsonl(nlp: Any, inputs: Iterable[str], max_bytes: int) -> None:
    failed = 0
    for path in inputs:
        for item in iter_jsonl(path, max_bytes):
            if isinstance(item, KhabarError):
                failed += 1
                # Keep one output line per input line so the batch stays aligned.
                _echo_error_lines(item)
                continue
            try:
                doc = _analyze_one(nlp, item)
            except KhabarError as exc:
                failed += 1
                _echo_error_lines(exc, item.meta.get("id"))
                continue
            _echo_doc_line(doc)
    if failed:
        sys.exit(1)


def _analyze_record(job: tuple[str, dict[str, Any]]) -> tuple[bool, str, list[str]]:
    """In an analysis worker: ``(True, the Doc JSON line, its analysis warnings' stderr lines)`` of one
    record, or ``(False, its error's line, [])``."""
    from khabar.store.ingest import worker_pipeline

    text, meta = job
    read = list(meta.get("warnings", ()))
    try:
        doc = _analyze_one(worker_pipeline(), Article(text, meta), echo_warnings=False)
    except KhabarError as exc:
        return False, json.dumps([exc.code, exc.message, exc.hint, meta.get("id")], ensure_ascii=False), []
    return True, "".join(doc.iter_json()), _analysis_warnings(doc, read, meta.get("id", "input"))


def _analyze_jsonl_parallel(components: list[str] | None, inputs: Iterable[str], max_bytes: int, workers: int) -> None:
    """``_analyze_jsonl`` in ``workers`` processes: the same lines, in input order."""
    from concurrent.futures.process import BrokenProcessPool

    from khabar.store.ingest import run_in_workers

    def items() -> Iterable[tuple[Any, Any]]:
        for path in inputs:
            for item in iter_jsonl(path, max_bytes):
                if isinstance(item, KhabarError):
                    yield None, item  # a record that failed to read: its error line, in its place
                else:
                    for warning in item.meta.get("warnings", ()):
                        echo(f"warning {warning}", err=True)
                    yield _analyze_record, (item.text, item.meta)

    failed = 0
    try:
        for result in run_in_workers(items(), workers, None if components is None else tuple(components)):
            record_id = None
            if isinstance(result, KhabarError):
                exc = result
            elif result[0]:
                for line in result[2]:
                    echo(line, err=True)
                click.echo(result[1])
                continue
            else:
                code, message, hint, record_id = json.loads(result[1])
                exc = KhabarError(message, hint, code)
            failed += 1
            _echo_error_lines(exc, record_id)
    except BrokenProcessPool as exc:
        raise InputError(
            "an analysis worker died (killed, or out of memory); the output stops after the last record written",
            hint="rerun on the records after it, or use fewer --workers",
            code="K173",
        ) from exc
    if failed:
        sys.exit(1)


@main.command()
@click.argument("input_path", metavar="FILE|-", default="-")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest article accepted.")
@guard
def repair(input_path: str, max_bytes: int) -> None:
    """Print the repaired text of one article, nothing else.

    \b
    Example:
      khabar repair examples/article.txt
      echo 'زار الوزير الولاياتالمتحدة».وقال' | khabar repair -
    """
    from khabar.pipeline import Pipeline

    article = read_article(input_path, max_bytes)
    doc = Pipeline(["repair"]).analyze(article.text, article.meta)
    echo(doc.repaired, nl=not doc.repaired.endswith("\n"))


@main.command()
@click.argument("input_path", metavar="FILE|-", default="-")
@click.option(
    "--scheme", type=click.Choice(["farasa", "clitics"]), default="farasa", show_default=True,
    help="farasa: Farasa's scheme (also splits ة, ات, ون...); clitics: khabar's word layer.",
)
@guard
def segment(input_path: str, scheme: str) -> None:
    """Segment whitespace-separated words, one sentence a line.

    Prints each input line's words segmented, '+' between segments, tokens
    separated by one space (punctuation attached to a word becomes a token of
    its own, as Farasa prints it), the same number of lines.  The clitics
    scheme is the `words` layer of `khabar analyze`, the same analysis.

    \b
    Example:
      echo 'والتلفزيون ترشيحاتها وكوريا.' | khabar segment --scheme farasa -
      # و+ال+تلفزيون ترشيح+ات+ها و+كوريا .
    """
    from khabar.components.segment import split_clitics, tokenize
    from khabar.lang.ar.morph import farasa_segment

    def clitics(word: str) -> str:
        return "+".join(form for _s, _e, _role, form in split_clitics(word))

    seg = farasa_segment if scheme == "farasa" else clitics
    out = sys.stdout
    for line in _text_lines(input_path):
        out.write(printable(" ".join(seg(tok) if kind == "arabic" else tok for tok, kind in tokenize(line))) + "\n")


@main.command()
@click.argument("input_path", metavar="FILE|-", default="-")
@click.option("--format", "fmt", type=click.Choice(["conll"]), default="conll", show_default=True,
              help="conll: one token a line (first column), a blank line between sentences.")
@guard
def tag(input_path: str, fmt: str) -> None:
    """Tag named entities in CoNLL input: prints `token TAG` a line (IOB2: PERS, LOC, ORG, MISC).

    Other input columns are ignored; the output keeps the tokens and the
    sentence breaks exactly.

    \b
    Example:
      printf 'قال\nدونالد\nترامب\n' | khabar tag --format conll -
    """
    from khabar.evaluation.ner import read_conll, tag_conll

    name = "stdin" if input_path == "-" else input_path
    sentences = read_conll(_text_lines(input_path), name)
    out = sys.stdout
    for sent, tags in zip(sentences, tag_conll(sentences), strict=True):
        for (token, _gold), label in zip(sent, tags, strict=True):
            out.write(f"{token} {label}\n")
        out.write("\n")


@main.group(name="eval")
def eval_group() -> None:
    """Score khabar against gold data.

    \b
    Example:
      khabar eval ner dev.conll
    """


@eval_group.command(name="ner")
@click.argument("gold_path", metavar="GOLD.conll")
@guard
def eval_ner(gold_path: str) -> None:
    """Entity-level precision/recall/F1 (exact span and type, CoNLL style) per type and micro-averaged.

    GOLD.conll: `token TAG` a line (the tag is the last column), a blank line
    between sentences, IOB2 with PERS, LOC, ORG, MISC.

    \b
    Example:
      khabar eval ner dev.conll
    """
    from khabar.evaluation.ner import entity_scores, format_scores, read_conll, tag_conll

    sentences = read_conll(_text_lines(gold_path), gold_path)
    gold = [[tag for _tok, tag in sent] for sent in sentences]
    echo(format_scores(entity_scores(gold, tag_conll(sentences))))


@main.command()
@click.argument("input_path", metavar="FILE|-", default="-")
@click.option("--sentences", type=click.IntRange(min=1), help="Budget in sentences (default 3).")
@click.option("--words", type=click.IntRange(min=1), help="Budget in words (instead of sentences).")
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest article accepted.")
@guard
def summarize(input_path: str, sentences: int | None, words: int | None, max_bytes: int) -> None:
    """Print the extractive summary: whole sentences, in their original order.

    \b
    Examples:
      khabar summarize examples/article.txt
      khabar summarize --words 60 examples/article.txt
    """
    from khabar.components import summarize as summarizer
    from khabar.pipeline import Pipeline

    article = read_article(input_path, max_bytes)
    doc = Pipeline(["segment"]).analyze(article.text, article.meta)
    for span in summarizer.predict(doc, sentences=sentences, words=words):
        echo(doc.span_text(span))


@eval_group.command(name="summary")
@click.argument("easc_dir", metavar="EASC_DIR", type=click.Path(exists=True, file_okay=False))
@click.option("--rule", type=click.Choice(["skip", "stop", "cross"]), default="skip", show_default=True,
              help="How sentences fill the word budget (the same rule for every system).")
@guard
def eval_summary(easc_dir: str, rule: str) -> None:
    """ROUGE-1/ROUGE-2 F on EASC for khabar, Lead-N, LexRank, TextRank and the human ceiling.

    Arabic-aware ROUGE: alef/hamza, ى, ة and diacritics normalized, punctuation
    stripped. Each article's word budget is the median length of its references.

    \b
    Example:
      khabar eval summary ../shared/data/easc
    """
    from pathlib import Path

    from khabar.evaluation.summary import evaluate_easc, format_report

    echo(format_report(evaluate_easc(Path(easc_dir), rule=rule)))


@eval_group.command(name="topics")
@click.argument("trec_path", metavar="FILE")
@click.option("--outlet/--no-outlet", default=True, show_default=True,
              help="Also score with each record's <SRC> outlet given (when the records name known outlets).")
@guard
def eval_topics(trec_path: str, outlet: bool) -> None:
    """Accuracy, macro-F1, per-label scores and the confusion matrix on a TREC file with <CAT> labels.

    FILE is an ANT-style TREC file (plain or .gz), e.g. ANT v2.1's dev.trec.gz.
    The first report is text only (title and body). When the records carry a
    <SRC> outlet the classifier knows, a second report gives it that outlet too
    (as meta["source"] does for a single article).

    \b
    Example:
      khabar eval topics ../shared/data/ant-multisource-v2.1/dev.trec.gz
    """
    from khabar.evaluation.topics import evaluate, format_report, known_outlets, read_trec

    records = read_trec(trec_path)
    echo("== text only (title + body) ==")
    echo(format_report(evaluate(records)))
    known = known_outlets(records)
    if outlet and known:
        echo(f"\n== outlet given (<SRC>; {known} of {len(records)} records name a known outlet) ==")
        echo(format_report(evaluate(records, with_source=True)))


@main.command()
@click.argument("input_path", metavar="FILE|-", default="-")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True,
              help="table: speaker, kind, cue, content; jsonl: one quotation object a line.")
@click.option("--speaker", help="Corpus mode: quotations by this speaker in the store (--db), not one file; "
              "a name of a corpus referent finds it under any of its names (see khabar entities).")
@click.option("--about", help="Corpus mode: only quotations in documents (or content) mentioning this name.")
@click.option("--db", "db_path", default="khabar.db", show_default=True, help="The store read in corpus mode.")
@click.option("--limit", type=click.IntRange(min=1, max=10000), default=50, show_default=True)
@click.option("--max-bytes", type=int, default=MAX_BYTES, show_default=True, help="Largest article accepted.")
@guard
def quotes(
    input_path: str, fmt: str, speaker: str | None, about: str | None, db_path: str, limit: int, max_bytes: int
) -> None:
    """List quotations: who said what, direct, indirect or mixed.

    With FILE, the quotations of that article; with --speaker, those of a
    speaker across the corpus store.

    \b
    Examples:
      khabar quotes examples/article.txt
      khabar quotes --format jsonl examples/article.txt
      khabar quotes --speaker بومبيو --about كوريا --db news.db
    """
    if speaker:
        from khabar.store import Store
        from khabar.store.analytics import quotes_by

        with Store.open_readonly(db_path) as store:
            rows = quotes_by(store, speaker, about=about, limit=limit)
            if not rows:
                from khabar.store.search import suggest_names

                near = suggest_names(store, speaker)
                guess = f"; did you mean {' or '.join(near)}?" if near else ""
                about_part = f" about {about!r}" if about else ""
                echo(f"no quotation by {speaker!r}{about_part} in the store{guess}", err=True)
                return
        if fmt != "jsonl":
            echo("date ext_id speaker cue: «direct quotation» | cue indirect quotation")
        for row in rows:
            if fmt == "jsonl":
                click.echo(_one_line(row))
            else:
                said = f": «{row['text']}»" if row["kind"] == "direct" else f" {row['text']}"  # indirect: not verbatim
                echo(f"{row['date'] or ''} {row['ext_id'] or row['doc_id']} {row['speaker']} {row['cue'] or ''}{said}")
        return
    from khabar.pipeline import Pipeline

    article = read_article(input_path, max_bytes)
    doc = Pipeline(["quotes"]).analyze(article.text, article.meta)
    if fmt == "jsonl":
        for span in doc["quotes"]:
            click.echo(_one_line(span.to_dict(doc.text)))
        return
    from khabar.cli.render import quotes_table

    quotes_table(doc)


@eval_group.command(name="quotes")
@click.option("--gold", "gold_path", default="bench/gold/quotes_dev.jsonl", show_default=True,
              help="Gold quotations (offsets into articles read from --data).")
@click.option("--data", "data_dir", default="../shared/data", show_default=True,
              help="Folder holding the ANT and SaudiNewsNet corpora the gold points into.")
@guard
def eval_quotes(gold_path: str, data_dir: str) -> None:
    """Direct and indirect precision/recall and speaker accuracy on the quotation gold.

    A predicted quotation matches a gold one when their content spans overlap by
    at least half of the longer; speaker accuracy is over matched quotations.

    \b
    Example:
      khabar eval quotes --gold bench/gold/quotes_dev.jsonl --data ../shared/data
    """
    from pathlib import Path

    from khabar.evaluation.quotes import evaluate, format_report, load_gold

    echo(format_report(evaluate(load_gold(Path(gold_path), Path(data_dir)))))


@main.command()
@click.option("--db", "db_path", default=None,
              help="The SQLite store behind the search, document, referent and quotation pages and their /api twins.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback by default).")
@click.option("--port", default=8000, type=click.IntRange(1, 65535), show_default=True)
@click.option("--create", is_flag=True, help="Create an empty store at --db when there is none (default: refuse).")
@guard
def serve(db_path: str | None, host: str, port: int, create: bool) -> None:
    """Serve the web UI (right-to-left Arabic pages) and the HTTP API (OpenAPI schema at /openapi.json).

    Without --db only the paste-an-article page and /api/analyze work. Needs: pip install 'khabar[web]'.

    \b
    Example:
      khabar serve --db news.db --port 8000
    """
    try:
        import uvicorn

        from khabar.web import create_app
    except ImportError as exc:
        raise ConfigError(
            "the web UI and HTTP API need fastapi, uvicorn and jinja2", hint="pip install 'khabar[web]'", code="K302"
        ) from exc
    if db_path is not None and not os.path.isfile(db_path):
        from khabar.errors import StoreError
        from khabar.store import Store

        if not create:
            raise StoreError(
                f"no store at {db_path}",
                hint="build one with: khabar ingest FILES --db PATH, or pass --create for an empty store",
                code="K413",
            )
        Store(db_path).close()
    uvicorn.run(create_app(db_path), host=host, port=port)


def _text_lines(path: str) -> list[str]:
    """Lines of a UTF-8 file or of stdin, with the usual clear errors."""
    from khabar.inputs import decode

    data = read_bytes(path)
    if not data.strip():
        return []
    return decode(data, "stdin" if path == "-" else path, max_bytes=1 << 34).splitlines()


# The corpus commands live in their own module; registered here so `khabar --help` lists them all.
from khabar.cli import corpus

for _command in corpus.COMMANDS:
    main.add_command(_command)

from khabar.cli.spark import spark as _spark  # imports no pyspark until it runs

main.add_command(_spark)

if __name__ == "__main__":
    main()
