"""Fast construction of small frozen dataclasses on hot paths (``Span``, ``Morph``).

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses): about twice the CPU of setting the slots directly. The segmenter
makes half a million spans over 300 articles and two or three morphs per new word, so both
build them with :func:`maker4`: the same objects (equal, hashable, frozen), cheaper.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from types import MemberDescriptorType
from typing import Any, TypeVar

__all__ = ["maker4"]

T = TypeVar("T")


def maker4(cls: type[T]) -> Callable[[Any, Any, Any, Any], T]:
    """A function ``make(a, b, c, d)`` that returns ``cls(a, b, c, d)`` by setting its four slots.

    Raises:
        TypeError: when ``cls`` is not a slotted dataclass of exactly four fields (so a field
            added later cannot be left unset silently).
    """
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
    if len(names) != 4 or not all(isinstance(cls.__dict__.get(n), MemberDescriptorType) for n in names):
        raise TypeError(f"{cls.__name__}: maker4 needs a slotted dataclass of four fields, not {names}")
    set_a, set_b, set_c, set_d = (cls.__dict__[n].__set__ for n in names)
    new = object.__new__

    def make(a: Any, b: Any, c: Any, d: Any) -> T:
        obj = new(cls)
        set_a(obj, a)
        set_b(obj, b)
        set_c(obj, c)
        set_d(obj, d)
        return obj

    return make

