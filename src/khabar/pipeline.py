"""The pipeline: named components run in order, with requirements checked up front.

Each component module exposes ``NAME``, ``predict(doc)`` and
``set_annotations(doc, result)``. A pipeline is built from component names;
asking for one pulls in what it requires, and an unknown name is a
:class:`~khabar.errors.ConfigError` raised before any text is touched.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from khabar.doc import Doc
from khabar.errors import ConfigError


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


class Pipeline:
    """Run components over Docs.

    Args:
        components: component names; defaults to all. Requirements are added.
    """

    def __init__(self, components: Iterable[str] | None = None) -> None:
        self.names = resolve(DEFAULT_COMPONENTS if components is None else components)
        self._modules = [importlib.import_module(COMPONENTS[n].module) for n in self.names]

    def __call__(self, doc: Doc) -> Doc:
        for module in self._modules:
            module.set_annotations(doc, module.predict(doc))
        return doc

    def analyze(self, text: str, meta: Mapping[str, Any] | None = None) -> Doc:
        """Analyse one text and return its Doc."""
        return self(Doc(text, meta))

    def pipe(self, records: Iterable[Mapping[str, Any]]) -> Iterator[Doc]:
        """Analyse ``{"text": ..., "id": ..., ...}`` records lazily, one Doc each."""
        for record in records:
            meta = {k: v for k, v in record.items() if k != "text"}
            yield self.analyze(record["text"], meta)
