"""HTTP API and web UI for khabar (optional extra ``web``: ``fastapi``, ``jinja2``; ``uvicorn`` serves it).

    from khabar.web import create_app
    app = create_app("news.db")

JSON under ``/api`` (:mod:`khabar.web.api`), right-to-left Arabic pages over the same
data (:mod:`khabar.web.ui`). Importing this package does not import FastAPI; ``create_app`` does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db_path: str | None = None) -> FastAPI:
    """Build the FastAPI app (see :mod:`khabar.web.api`); ``db_path`` enables the corpus endpoints and pages."""
    from khabar.web.api import create_app as _create_app

    return _create_app(db_path)
