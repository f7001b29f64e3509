"""What every ``khabar`` subcommand shares: library errors become one line and exit 1."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from khabar.errors import KhabarError

__all__ = ["echo_json", "guard"]

F = TypeVar("F", bound=Callable[..., Any])


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON, Arabic as is (the ``--format json`` of the corpus commands)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def fail(exc: KhabarError) -> None:
    click.echo(exc.one_line(), err=True)


def guard(func: F) -> F:
    """Turn library errors into one line and exit 1 (never a traceback for bad input)."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KhabarError as exc:
            fail(exc)
            sys.exit(1)
        except BrokenPipeError:
            sys.stderr.close()  # `khabar ... | head` is fine
            sys.exit(0)
        except sqlite3.Error as exc:  # a query outside the Store's own wrappers: still a coded store error
            from khabar.store.db import _store_error

            fail(_store_error(exc, "read the store"))
            sys.exit(1)
        except MemoryError:
            click.echo(
                "error K115: out of memory (hint: give smaller articles, fewer --workers, or more memory)", err=True
            )
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug, not bad input: one line, the traceback on request
            if os.environ.get("KHABAR_DEBUG"):
                raise
            click.echo(
                f"error K999: internal error ({exc.__class__.__name__}: {exc}) "
                "(hint: rerun with KHABAR_DEBUG=1 and report the traceback)",
                err=True,
            )
            sys.exit(1)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]
