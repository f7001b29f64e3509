"""Typed errors with stable codes and a hint saying how to fix the problem.

The CLI turns every :class:`KhabarError` into one line on stderr and a
non-zero exit; nothing here ever reaches the user as a traceback.
"""

from __future__ import annotations


class KhabarError(Exception):
    """Base class: ``code`` is stable (e.g. ``K101``), ``hint`` says what to do."""

    code = "K000"

    def __init__(self, message: str, hint: str = "", code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code is not None:
            self.code = code

    def one_line(self) -> str:
        """The message as the CLI prints it: ``error K101: ... (hint: ...)``."""
        text = f"error {self.code}: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return " ".join(text.split())

    def __str__(self) -> str:
        return self.one_line()


class InputError(KhabarError):
    """The input cannot be analysed as given (empty, binary, not UTF-8, too large...)."""

    code = "K100"


class ResourceError(KhabarError):
    """A packaged model or data file is missing or corrupt."""

    code = "K200"


class ConfigError(KhabarError):
    """Unknown option, unknown component, or an invalid value."""

    code = "K300"


class StoreError(KhabarError):
    """The corpus store cannot be read or written."""

    code = "K400"
