"""A bounded memo for per-token functions that never keeps a giant token.

``functools.lru_cache`` keyed by the token would hold a 1 MB "word" (a run of
punctuation, a base64 blob) as long as the cache lives, several times over when
several layers cache it. :func:`short_memo` caches only short tokens; longer
ones are computed each time (they are rare, so nothing is lost).

Every cache is also capped at :data:`MEMO_MAXSIZE` entries, whatever size its
decorator asks for: a long run (an ingest of many thousand articles) meets a
new word in almost every article, and seven caches of 100,000-200,000 entries
each grew one process by hundreds of MB. The cap keeps the frequent words,
where the hits are (the few tens of thousands most frequent words are almost
every token of news text); ``bench/bench_memory.py`` prints the cost of the
cap in RSS and the ``KHABAR_MEMO_MAXSIZE`` environment variable (read at
import) sets another one. Each cache thus holds at most
``share * MEMO_MAXSIZE * MAX_MEMO_CHARS`` characters of keys (``share`` is 1 but for the
segmenter's word layouts, 4: small entries, dear misses).

The other per-word caches (glue's lru_caches, the packed tables' look-up caches, the
segmenter's stem statistics, the NER feature cache, keywords' keys) are sized from
:data:`MEMO_MAXSIZE` too (1x or 2x), so the one setting bounds them all.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

#: tokens longer than this many characters are never memoised
MAX_MEMO_CHARS: Final = 40
#: the default cap on the entries of one :func:`short_memo` cache. 16,384 keeps the full pipeline
#: under 200 MB over 3,000 articles and ``ingest --workers 2`` under 400 MB (PSS) for ~6% more CPU
#: than 32,768 (``bench/bench_memory.py``, ``--memo-cost ... --caps 16384,32768``)
DEFAULT_MEMO_MAXSIZE: Final = 16_384


def _maxsize_from_env(default: int) -> int:
    """``KHABAR_MEMO_MAXSIZE`` when it is a whole number >= 0, else ``default``."""
    value = os.environ.get("KHABAR_MEMO_MAXSIZE", "").strip()
    return int(value) if value.isdigit() else default


#: the most entries any :func:`short_memo` cache keeps (``KHABAR_MEMO_MAXSIZE`` at import, else 16,384)
MEMO_MAXSIZE: Final = _maxsize_from_env(DEFAULT_MEMO_MAXSIZE)

F = TypeVar("F", bound=Callable[..., Any])

#: every function decorated by :func:`short_memo`, in decoration order (for :func:`memo_sizes`)
_MEMOS: list[Any] = []


def short_memo(maxsize: int, share: float = 1.0) -> Callable[[F], F]:
    """``lru_cache(min(maxsize, share * MEMO_MAXSIZE))`` for calls whose first argument is at most
    MAX_MEMO_CHARS long (``share``: this cache's part of the budget, for a cache whose entries
    are small and whose misses are dear, or the reverse)."""

    def decorate(func: F) -> F:
        cached = functools.lru_cache(maxsize=min(maxsize, int(share * MEMO_MAXSIZE)))(func)

        @functools.wraps(func)
        def call(key: Any, *args: Any, **kwargs: Any) -> Any:
            if len(key) > MAX_MEMO_CHARS:
                return func(key, *args, **kwargs)
            return cached(key, *args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        _MEMOS.append(call)
        return cast(F, call)

    return decorate


def memo_sizes() -> dict[str, tuple[int, int]]:
    """``{"module.function": (entries, maxsize)}`` of every short_memo cache imported so far."""
    return {f"{f.__module__}.{f.__qualname__}": (f.cache_info().currsize, f.cache_info().maxsize) for f in _MEMOS}
