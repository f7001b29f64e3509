"""A memo for per-token functions that never keeps a giant token.

``functools.lru_cache`` keyed by the token would hold a 1 MB "word" (a run of
punctuation, a base64 blob) as long as the cache lives, several times over when
several layers cache it. :func:`short_memo` caches only short tokens; longer
ones are computed each time (they are rare, so nothing is lost), which bounds
each cache by ``maxsize * MAX_MEMO_CHARS`` characters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final, TypeVar, cast

#: tokens longer than this many characters are never memoised
MAX_MEMO_CHARS: Final = 40

F = TypeVar("F", bound=Callable[..., Any])


def short_memo(maxsize: int) -> Callable[[F], F]:
    """``lru_cache(maxsize)`` for calls whose first argument is at most MAX_MEMO_CHARS long."""

    def decorate(func: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(func)

        @functools.wraps(func)
        def call(key: Any, *args: Any, **kwargs: Any) -> Any:
            if len(key) > MAX_MEMO_CHARS:
                return func(key, *args, **kwargs)
            return cached(key, *args, **kwargs)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        call.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return cast(F, call)

    return decorate
