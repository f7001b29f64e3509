"""HTTP API for khabar (optional: needs ``fastapi``; ``uvicorn`` to serve it).

    from khabar.web import create_app
    app = create_app("news.db")

Importing this package does not import FastAPI; ``create_app`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db_path: str | None = None) -> FastAPI:
    """Build the FastAPI app (see :mod:`khabar.web.api`); ``db_path`` enables search and documents."""
    from khabar.web.api import create_app as _create_app

    return _create_app(db_path)
