"""Pause Python's cyclic garbage collector while a component builds its layers.

A component's predict makes many small objects (Spans, terms, cache entries) that
all outlive the call and form no reference cycle. With the collector on, every 700
new objects set off a collection, and every 10th/100th of those walks the older
generations too: the loaded models, the caches and the Docs the caller holds. Over
SaudiNewsNet articles that was a third to half of the segment component's CPU
(``bench/bench_segment.py``). :func:`gc_paused` lets the collector wait until the
call returns; the objects made meanwhile are counted then, so nothing leaks.

The pause is process-wide: calls in several threads share one pause (a count under
a lock), and the collector's earlier state (on or off) comes back when the last
paused call returns, after an error too.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])

_LOCK = threading.Lock()
_state = [0, False]  # paused calls running, whether the collector was on when the first began


def gc_paused(func: F) -> F:
    """Decorate ``func`` so that the cyclic garbage collector waits while it runs."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            if _state[0] == 0:
                _state[1] = gc.isenabled()
                gc.disable()
            _state[0] += 1
        try:
            return func(*args, **kwargs)
        finally:
            with _LOCK:
                _state[0] -= 1
                if _state[0] == 0 and _state[1]:
                    gc.enable()

    return cast(F, call)
