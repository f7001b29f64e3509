"""What every ``khabar`` subcommand shares: library errors become one line and exit 1."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from khabar.errors import KhabarError

__all__ = ["echo", "echo_json", "guard", "printable"]

F = TypeVar("F", bound=Callable[..., Any])


# What a terminal would obey rather than show: C0 controls but \n and \t (ESC starts colour, clear-screen
# and OSC title sequences, BEL rings, CR overwrites a line), DEL, the C1 controls (U+009B is a one-byte CSI)
# and the bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder the rest
# of the line on screen ("Trojan Source"). The marks U+200E, U+200F and U+061C only set a direction: kept.
# A CR before a LF is a Windows line end: dropped, so CRLF text prints as lines.
_UNSAFE = re.compile("(\r(?=\n))|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(match: re.Match[str]) -> str:
    return "" if match.group(1) else f"<U+{ord(match.group()):04X}>"


def printable(text: str) -> str:
    """``text`` safe to print on a terminal: each control character (but ``\\n``, ``\\t``) and bidi
    override shown as ``<U+XXXX>`` (``\\r\\n`` as ``\\n``).

    For the human-readable views only: the JSON outputs keep the text exact (offsets stay valid).
    """
    return _UNSAFE.sub(_shown, text) if _UNSAFE.search(text) else text


def echo(message: str = "", err: bool = False, nl: bool = True) -> None:
    """``click.echo`` of a human-readable line, through :func:`printable`."""
    click.echo(printable(message), err=err, nl=nl)


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON, Arabic as is (the ``--format json`` of the corpus commands)."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def fail(exc: KhabarError) -> None:
    echo(exc.one_line(), err=True)  # a message may quote the input (a file name, a query)


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
            echo(
                f"error K999: internal error ({exc.__class__.__name__}: {exc}) "
                "(hint: rerun with KHABAR_DEBUG=1 and report the traceback)",
                err=True,
            )
            sys.exit(1)

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper  # type: ignore[return-value]
