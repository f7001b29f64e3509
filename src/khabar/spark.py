"""The khabar pipeline over a Spark DataFrame: one row an article, the Doc JSON and flat columns out.

Needs ``pip install 'khabar[spark]'`` (pyspark, pandas, pyarrow) and a Java runtime (e.g. Debian's
``openjdk-17-jre-headless``); nothing here imports pyspark until it is called, so ``import khabar``
never needs it. The analysis runs in the Python workers with ``mapInPandas``: each worker process
loads the pipeline (its models come from the installed khabar wheel) once and keeps it for every
task it runs -- never once per row. A record that cannot be analysed gets an ``error`` column with
the one-line ``error Kxxx: ...`` message and the job goes on.

The flat columns have the shape of the Parquet export (:mod:`khabar.store.parquet`), so Spark's
output and ``khabar export --format parquet`` are read the same way; ``khabar ingest`` loads the
Parquet that ``khabar spark`` writes into the store from its ``doc_json`` column, analysing nothing
again.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from khabar.errors import ConfigError, InputError, KhabarError
from khabar.inputs import MAX_BYTES, Article, article_from_bytes, record_article

__all__ = ["ANALYSIS_COLUMNS", "analyze", "analyze_files", "output_schema", "require_spark", "spark_session"]

#: the columns :func:`analyze` adds to the record's own: the Doc JSON, the error line, then the Parquet
#: export's flat columns
ANALYSIS_COLUMNS = (
    "doc_json",
    "error",
    "repaired",
    "topic",
    "categories",
    "summary",
    "keywords",
    "entities",
    "referents",
    "quotes",
)
_FLAT = ANALYSIS_COLUMNS[2:]
#: the column Spark's JSON reader fills with a line that is not JSON (its PERMISSIVE mode)
CORRUPT_COLUMN = "_corrupt_record"
#: the record fields of a file read from a directory (the rest of an HTML page's metadata is in doc_json)
FILE_FIELDS = ("id", "title", "date", "source", "url", "author")
#: records analysed before an output frame is handed back: a Spark batch is up to 10,000 rows, and
#: 10,000 Docs' JSON at once would be gigabytes in one worker
_ROWS_PER_FRAME = 64
_INSTALL_HINT = "pip install 'khabar[spark]'"
_JAVA_HINT = "install a Java runtime, e.g. apt install openjdk-17-jre-headless, or set JAVA_HOME"


# ------------------------------------------------------------------ setup
def require_spark() -> None:
    """Check that pyspark, pandas and pyarrow import and that a Java runtime is on hand.

    Raises:
        ConfigError: K305 when pyspark, pandas or pyarrow is missing; K306 when there is no ``java``
            (neither ``$JAVA_HOME/bin/java`` nor one on ``PATH``).
    """
    for module in ("pyspark", "pandas", "pyarrow"):
        try:
            __import__(module)
        except ImportError as exc:
            raise ConfigError(
                f"khabar spark needs {module}, which is not installed", hint=_INSTALL_HINT, code="K305"
            ) from exc
    home = os.environ.get("JAVA_HOME")
    if not (home and os.access(os.path.join(home, "bin", "java"), os.X_OK)) and shutil.which("java") is None:
        raise ConfigError("khabar spark needs Java, and no java was found", hint=_JAVA_HINT, code="K306")


def spark_session(master: str = "local[2]", app_name: str = "khabar", shuffle_partitions: int | None = None) -> Any:
    """A SparkSession for khabar jobs (``getOrCreate``: inside ``spark-submit`` the cluster's own).

    ``shuffle_partitions`` defaults to twice the local cores (local mode) or Spark's own setting.

    Raises:
        ConfigError: K305/K306 as :func:`require_spark`; K306 also when the JVM does not start.
    """
    require_spark()
    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the workers import this khabar

    builder = SparkSession.builder.appName(app_name).master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    if shuffle_partitions is None and master.startswith("local"):
        shuffle_partitions = 2 * (os.cpu_count() or 1)
    if shuffle_partitions is not None:
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    # Analysis costs seconds per 10 kB, not reading: split input files finely (a 2 MB JSONL over both
    # cores of local[2], not one task; a large one into tasks of about 2,000 articles, not 15,000)
    builder = builder.config("spark.sql.files.openCostInBytes", str(256 * 1024))
    builder = builder.config("spark.sql.files.maxPartitionBytes", str(16 * 1024**2))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # py4j's "Java gateway process exited" and the like
        raise ConfigError(f"Spark could not start ({exc.__class__.__name__}: {exc})", hint=_JAVA_HINT, code="K306") from exc
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# ------------------------------------------------------------------ schema
def output_schema(input_schema: Any) -> Any:
    """The StructType of :func:`analyze`'s output: the input's fields, then :data:`ANALYSIS_COLUMNS`.

    ``doc_json`` and ``error`` are strings; the flat columns are typed as in the Parquet export.
    """
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import StringType, StructField, StructType

    from khabar.store.parquet import _schema

    flat = {f.name: f for f in from_arrow_schema(_schema()).fields if f.name in _FLAT}
    added = [StructField("doc_json", StringType()), StructField("error", StringType())]
    added += [StructField(name, flat[name].dataType) for name in _FLAT]
    return StructType([*input_schema.fields, *added])


def _check_columns(columns: Sequence[str], text_col: str) -> None:
    if text_col not in columns:
        raise ConfigError(
            f"the DataFrame has no column {text_col!r}",
            hint=f"pass text_col= one of: {', '.join(columns)}",
            code="K307",
        )
    taken = [c for c in columns if c in ANALYSIS_COLUMNS]
    if taken:
        raise ConfigError(
            f"the DataFrame already has column(s) {', '.join(taken)}, which the analysis adds",
            hint="rename or drop them first (df.withColumnRenamed)",
            code="K307",
        )


# ------------------------------------------------------------------ the job
def analyze(df: Any, text_col: str = "text", components: Iterable[str] | None = None) -> Any:
    """Analyse every row of ``df`` (a pyspark DataFrame, one article a row); lazy, like any transformation.

    Args:
        df: one article a row; ``text_col`` holds its text (a string), every other column is a field of
            the record and goes into the Doc's ``meta`` (null fields are left out; HTML entities and outer
            whitespace of string fields are cleaned as the JSONL reader does). A ``_corrupt_record``
            column (Spark's JSON reader, a line that is not JSON) turns its rows into K108 errors.
        text_col: the column holding the text.
        components: pipeline components (default: all), as ``khabar analyze --components``.

    Returns:
        A DataFrame with ``df``'s columns, then ``doc_json`` (string: the Doc JSON, as ``khabar analyze
        --format json`` prints it), ``error`` (string: ``error Kxxx: message (hint: ...)`` when the record
        failed, null otherwise -- a failed row has null analysis columns and never stops the job), and the
        Parquet export's flat columns: ``repaired`` (string), ``topic`` (string), ``categories``
        (map<string,double>), ``summary``, ``keywords``, ``entities``, ``referents``, ``quotes`` (arrays of
        structs; offsets are character offsets into the text as received). Row order within a
        partition is kept.

    Raises:
        ConfigError: K301 for an unknown component, K307 when ``text_col`` is missing or ``df`` already has
            a column the analysis adds (checked here, before any Spark job).
    """
    from khabar.pipeline import resolve

    comps = None if components is None else resolve(components)  # K301 now, not in a task
    columns = list(df.columns)
    _check_columns(columns, text_col)
    int_columns = frozenset(f.name for f in df.schema.fields if f.dataType.typeName() in ("long", "integer", "short", "byte"))

    def to_article(record: dict[str, Any]) -> Article | KhabarError:
        return _article_from_record(record, text_col, int_columns)

    return df.mapInPandas(_frames_function(comps, to_article, columns), output_schema(df.schema))


def analyze_files(
    spark: Any,
    path: str,
    components: Iterable[str] | None = None,
    max_bytes: int = MAX_BYTES,
    partitions: int | None = None,
) -> Any:
    """Analyse every text or HTML file under the directory ``path``, one row a file (``khabar spark DIR``).

    Files are read as ``khabar analyze`` reads them (an HTML page gives its article and metadata);
    files whose names start with ``.`` or ``_`` are skipped (Spark's rule). The record's fields are
    :data:`FILE_FIELDS` (strings; ``id`` is the file's path as ``khabar analyze DIR`` names it), then
    :data:`ANALYSIS_COLUMNS` as in :func:`analyze`. ``partitions`` spreads the files over that many
    partitions before they are analysed (default: as Spark lists them).
    """
    from pyspark.sql.types import StringType, StructField, StructType

    from khabar.pipeline import resolve

    comps = None if components is None else resolve(components)
    files = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(path).select("path", "content")
    if partitions:
        files = files.repartition(partitions)
    prefix = "file:" + os.path.abspath(path).rstrip("/") + "/"
    shown = path.rstrip("/") + "/"

    def to_article(record: dict[str, Any]) -> Article | KhabarError:
        name = str(record["path"])
        name = shown + name[len(prefix) :] if name.startswith(prefix) else name
        record["id"] = name  # an error row is named too
        try:
            article = article_from_bytes(bytes(record["content"]), name, max_bytes)
        except KhabarError as exc:
            return exc
        record.update({k: article.meta.get(k) for k in FILE_FIELDS})
        return article

    fields = StructType([StructField(k, StringType()) for k in FILE_FIELDS])
    return files.mapInPandas(_frames_function(comps, to_article, list(FILE_FIELDS)), output_schema(fields))


# A Python worker keeps its pipelines for its life (Spark reuses workers across tasks by default).
_PIPELINES: dict[tuple[str, ...] | None, Any] = {}


def _pipeline(components: tuple[str, ...] | None) -> Any:
    nlp = _PIPELINES.get(components)
    if nlp is None:
        from khabar.pipeline import Pipeline

        nlp = _PIPELINES[components] = Pipeline(components)
    return nlp


def _frames_function(
    components: tuple[str, ...] | None,
    to_article: Callable[[dict[str, Any]], Article | KhabarError],
    keep: list[str],
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The ``mapInPandas`` function: pandas frames of records in, frames of analysed rows out."""

    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        nlp = _pipeline(components)
        out_columns = [*keep, *ANALYSIS_COLUMNS]
        for frame in frames:
            records = frame.to_dict("records")
            for start in range(0, len(records), _ROWS_PER_FRAME):
                rows = [_analyse_row(nlp, record, to_article, keep) for record in records[start : start + _ROWS_PER_FRAME]]
                yield pd.DataFrame(rows, columns=out_columns)

    return run


def _analyse_row(
    nlp: Any, record: dict[str, Any], to_article: Callable[[dict[str, Any]], Article | KhabarError], keep: list[str]
) -> dict[str, Any]:
    """One output row: the record's fields and its analysis, or its error line."""
    try:
        item = to_article(record)
        if isinstance(item, KhabarError):
            raise item
        row = doc_columns(nlp.analyze(item.text, item.meta).to_json())
    except Exception as exc:  # noqa: BLE001 -- one bad record must not stop the job
        meta = record if isinstance(record, dict) else {}
        error = exc if isinstance(exc, KhabarError) else _analysis_error(exc, meta)
        row = {name: None for name in ANALYSIS_COLUMNS}
        row["error"] = error.one_line()
    return {**{k: record.get(k) for k in keep}, **row}


def doc_columns(doc_json: str) -> dict[str, Any]:
    """The analysis columns of one Doc JSON (``error`` null), as the Parquet export builds them."""
    from khabar.store.parquet import _row

    doc = json.loads(doc_json)
    topic = doc.get("topic")
    flat = _row((None, None, None, None, None, None, topic, doc_json))
    row: dict[str, Any] = {"doc_json": doc_json, "error": None}
    row.update({name: flat[name] for name in _FLAT})
    row["categories"] = dict(row["categories"])  # Spark's map from pandas is a dict
    return row


def _analysis_error(exc: Exception, meta: Mapping[str, Any]) -> KhabarError:
    return InputError(
        f"{_record_name(meta)} could not be analysed ({type(exc).__name__}: {exc})",
        hint="report this article as a bug",
        code="K172",
    )


def _record_name(record: Mapping[str, Any]) -> str:
    ident = record.get("id")
    return "a record" if ident is None else f"record {ident}"


def _plain(value: Any) -> Any:
    """A pandas/numpy cell as a JSON value: arrays as lists, numpy scalars as Python, NaN/NaT as None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "asDict"):  # a pyspark Row
        return _plain(value.asDict(recursive=True))
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return _plain(value.tolist())
    if isinstance(value, bytes | bytearray):
        return value.decode("utf-8", "replace")
    if hasattr(value, "isoformat"):
        return None if str(value) == "NaT" else value.isoformat()
    return value


def _article_from_record(record: dict[str, Any], text_col: str, int_columns: frozenset[str]) -> Article | KhabarError:
    """A DataFrame row as an Article, under the rules of the JSONL reader (khabar.inputs.jsonl_records)."""
    fields: dict[str, Any] = {}
    for key, value in record.items():
        plain = _plain(value)
        if key in int_columns and isinstance(plain, float) and plain.is_integer():
            plain = int(plain)  # pandas has no null int: a bigint column with nulls arrives as floats
        if plain is not None and key not in (text_col, CORRUPT_COLUMN):
            fields[key] = plain
    where = _record_name(fields)
    if _plain(record.get(CORRUPT_COLUMN)) is not None:
        return InputError(f"{where} is not JSON", hint="one JSON object a line", code="K108")
    text = _plain(record.get(text_col))
    if not isinstance(text, str):
        return InputError(f"{where} has no string field {text_col!r}", hint='each record: {"text": "...", "id": ...}', code="K109")
    return record_article({**fields, text_col: text}, where, text_col)
