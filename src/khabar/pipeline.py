"""The pipeline: named components run in order, with requirements checked up front.

Each component module exposes ``NAME``, ``predict(doc)`` and
``set_annotations(doc, result)``. A pipeline is built from component names;
asking for one pulls in what it requires, and an unknown name is a
:class:`~khabar.errors.ConfigError` raised before any text is touched.
"""

from __future__ import annotations

import importlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from operator import attrgetter, methodcaller
from typing import Any

from khabar.doc import Doc
from khabar.errors import ConfigError
from khabar.gcpause import gc_paused


@dataclass(frozen=True, slots=True)
class ComponentInfo:
    """What a component needs and what it adds to a Doc."""

    name: str
    module: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]


COMPONENTS: dict[str, ComponentInfo] = {
    info.name: info
    for info in (
        ComponentInfo("repair", "khabar.components.repair", (), ("edits", "repaired", "quote_pairs")),
        ComponentInfo(
            "segment", "khabar.components.segment", ("repair",), ("paragraphs", "sentences", "tokens", "words")
        ),
        ComponentInfo("ner", "khabar.components.ner", ("segment",), ("entities",)),
        ComponentInfo("referents", "khabar.components.referents", ("ner",), ("referents",)),
        ComponentInfo("quotes", "khabar.components.quotes", ("referents",), ("quotes",)),
        ComponentInfo("summarize", "khabar.components.summarize", ("segment",), ("summary",)),
        ComponentInfo("keywords", "khabar.components.keywords", ("segment",), ("keywords",)),
        ComponentInfo("classify", "khabar.components.classify", ("repair",), ("categories", "topic")),
        ComponentInfo("dates", "khabar.components.dates", (), ("dates",)),
    )
}
DEFAULT_COMPONENTS = tuple(COMPONENTS)

#: The work budget of one article. A text longer than MAX_WORK_CHARS characters, or with
#: more than MAX_WORK_TOKENS tokens (words and punctuation marks), is analysed on its first
#: part only (cut at a line break or a space), with warning K131 in ``meta["warnings"]``:
#: the rest stays in ``doc.text`` unannotated. A long news article is 2,000-20,000
#: characters; the budget keeps one analysis within seconds and a few hundred MB.
MAX_WORK_CHARS = 500_000
MAX_WORK_TOKENS = 100_000
#: The sequence taggers (``ner`` and what reads its entities) read a sentence at a time, in
#: memory that grows with its length: a "sentence" longer than this many tokens (text with no
#: full stop and no line break, 30,000 characters and more) is not prose, and they are skipped
#: for the article, with warning K132.
MAX_SENTENCE_TOKENS = 5_000
_SEQUENCE_COMPONENTS = frozenset({"ner", "referents", "quotes"})
_TOKEN = re.compile(r"\w+|[^\w\s]")

#: A short article of our own that reaches every model of every component (a name, a place, an
#: organisation, a direct and an indirect quotation, dates, a glued word for repair, a title):
#: :meth:`Pipeline.warm_up` analyses it so that every lazily loaded model is in memory.
WARM_UP_TEXT = (
    "أعلن وزير الخارجية محمد العلي يوم الأحد 12 مارس 2023 في الرياض أن المملكة ستستضيف مؤتمرا "
    "اقتصاديا كبيرا.\n"
    "وقال العلي في مؤتمر صحفي: «نريد أن نبني شراكات جديدة مع الدول المجاورة». وأضاف أن "
    "الأمم المتحدة ستشارك في الاجتماعات التي تبدأ في الأول من رمضان 1444 هـ.\n"
    "وأكدت منظمة الصحة العالمية أن الوضع الصحي مستقر فيالمنطقة، بينما ارتفعت أسعار النفط "
    "في الأسواق العالمية.\n"
)
WARM_UP_META: Mapping[str, Any] = {"id": "warm-up", "title": "وزير الخارجية يعلن عن مؤتمر اقتصادي في الرياض"}
#: the same article from an outlet the topic classifier knows: loads its outlet-aware model too
WARM_UP_SOURCE_META: Mapping[str, Any] = {"id": "warm-up-2", "source": "BBC Arabic"}


def work_prefix(text: str) -> int | None:
    """Where the analysed part of ``text`` ends under the work budget; None when it all fits."""
    end = min(len(text), MAX_WORK_CHARS)
    if end == len(text) and end <= MAX_WORK_TOKENS:
        return None  # (every token has a character at least: no token count to read)
    for n, m in enumerate(_TOKEN.finditer(text, 0, end), 1):
        if n > MAX_WORK_TOKENS:
            end = m.start()
            break
    if end >= len(text):
        return None
    floor = end * 3 // 4
    for sep in ("\n", " "):
        cut = text.rfind(sep, floor, end)
        if cut > 0:
            return cut
    return end


def budget_warning(length: int, cut: int) -> str:
    """The ``meta["warnings"]`` line of a text analysed on its first ``cut`` characters."""
    return (
        f"K131: the text has {length} characters, over the work budget of one article "
        f"({MAX_WORK_CHARS} characters or {MAX_WORK_TOKENS} tokens); only its first {cut} characters were analysed"
    )


def resolve(names: Iterable[str]) -> tuple[str, ...]:
    """The components to run, in pipeline order, including everything they require."""
    wanted: set[str] = set()

    def add(name: str) -> None:
        if name not in COMPONENTS:
            raise ConfigError(
                f"unknown component {name!r}",
                hint=f"choose from: {', '.join(COMPONENTS)}",
                code="K301",
            )
        if name not in wanted:
            wanted.add(name)
            for req in COMPONENTS[name].requires:
                add(req)

    for name in names:
        add(name.strip())
    return tuple(n for n in COMPONENTS if n in wanted)


def _warn(doc: Doc, warning: str) -> None:
    """Add ``warning`` to ``doc.meta["warnings"]``."""
    warnings = doc.meta.get("warnings")
    doc.meta["warnings"] = [*(warnings if isinstance(warnings, list) else []), warning]


def _longest_sentence(doc: Doc) -> int:
    """The token count of the longest sentence of ``doc`` (0 before segmentation)."""
    # (counted in C: no Python step per token)
    counts = Counter(map(_SENTENCE_OF, map(_ATTRS, doc["tokens"])))
    return max(counts.values(), default=0)


_ATTRS = attrgetter("attrs")
_SENTENCE_OF = methodcaller("get", "sentence", 0)


class Pipeline:
    """Run components over Docs.

    Args:
        components: component names; defaults to all. Requirements are added.
    """

    def __init__(self, components: Iterable[str] | None = None) -> None:
        self.names = resolve(DEFAULT_COMPONENTS if components is None else components)
        self._modules = [importlib.import_module(COMPONENTS[n].module) for n in self.names]

    def __call__(self, doc: Doc) -> Doc:
        cut = work_prefix(doc.text)
        if cut is not None:
            return self._call_on_prefix(doc, cut)
        return self._run(doc)

    # The collector waits for the whole article (the components pause it each on its own too):
    # one collection after the article instead of one after each component, each walking what the
    # components made; it frees next to nothing (their objects form no cycles), and its rarer
    # collections of the older generations walk the loaded models and caches less often.
    @gc_paused
    def _run(self, doc: Doc) -> Doc:
        skip = False
        longest = -1
        counted: object = None  # the tokens layer whose longest sentence is ``longest``
        for name, module in zip(self.names, self._modules, strict=True):
            if name in _SEQUENCE_COMPONENTS:
                if not skip and counted is not doc["tokens"]:  # (counted once: ner and after keep the tokens)
                    counted = doc["tokens"]
                    longest = _longest_sentence(doc)
                if not skip and longest > MAX_SENTENCE_TOKENS:
                    skip = True
                    skipped = ", ".join(n for n in self.names if n in _SEQUENCE_COMPONENTS)
                    _warn(
                        doc,
                        f"K132: a sentence of {longest} tokens, over the {MAX_SENTENCE_TOKENS} a sentence can have "
                        f"for {skipped}; they were skipped",
                    )
                if skip:
                    continue
            module.set_annotations(doc, module.predict(doc))
        return doc

    def _call_on_prefix(self, doc: Doc, cut: int) -> Doc:
        """Analyse ``doc.text[:cut]`` and give its annotations (valid offsets into the whole) to ``doc``."""
        part = self._run(Doc(doc.text[:cut], doc.meta))
        doc.set_edits(part.edits)
        doc.layers.update(part.layers)
        doc.values.update(part.values)
        doc.meta.update(part.meta)
        _warn(doc, budget_warning(len(doc.text), cut))
        return doc

    def warm_up(self) -> Pipeline:
        """Load every model of this pipeline's components now, and return the pipeline.

        The components load their models lazily, on the first article that needs them; a
        process that forks analysis workers calls this first, so that the workers share the
        loaded (read-only) model pages instead of each loading its own copy. Analyses
        :data:`WARM_UP_TEXT` twice, without and with an outlet (about a second on a cold process, nothing on a warm one).
        """
        self.analyze(WARM_UP_TEXT, WARM_UP_META)
        self.analyze(WARM_UP_TEXT, WARM_UP_SOURCE_META)
        return self

    def analyze(self, text: str, meta: Mapping[str, Any] | None = None) -> Doc:
        """Analyse one text and return its Doc."""
        return self(Doc(text, meta))

    def pipe(self, records: Iterable[Mapping[str, Any]]) -> Iterator[Doc]:
        """Analyse ``{"text": ..., "id": ..., ...}`` records lazily, one Doc each."""
        for record in records:
            meta = {k: v for k, v in record.items() if k != "text"}
            yield self.analyze(record["text"], meta)
