"""khabar: offline Arabic news understanding with offset-true annotations.

Public API::

    import khabar
    doc = khabar.analyze("قال الوزير فى مؤتمر صحفى ...")
    doc.repaired, doc["sentences"], doc.to_json()

Importing khabar does no I/O: models load on first use.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from khabar.doc import Doc, Edit, Span
from khabar.errors import ConfigError, InputError, KhabarError, ResourceError, StoreError
from khabar.pipeline import Pipeline

__version__ = "0.1.0"
__all__ = [
    "ConfigError",
    "Doc",
    "Edit",
    "InputError",
    "KhabarError",
    "Pipeline",
    "ResourceError",
    "Span",
    "StoreError",
    "analyze",
    "load",
]


def load(components: Iterable[str] | None = None) -> Pipeline:
    """Build a pipeline with the named components (default: all) and their requirements."""
    return Pipeline(components)


def analyze(text: str, meta: Mapping[str, Any] | None = None, components: Iterable[str] | None = None) -> Doc:
    """Analyse one article.

    Args:
        text: the article as received (it is kept unchanged in ``doc.text``).
        meta: pass-through fields (id, title, date, source...).
        components: which components to run (default: all).

    Returns:
        The annotated :class:`Doc`.
    """
    return Pipeline(components).analyze(text, meta)
