"""SQLite corpus store: ingest analysed Docs, search them with BM25 and filters.

    from khabar.store import Store, search
    with Store("news.db") as store:
        store.add_many(pipeline.pipe(records))
    with Store.open_readonly("news.db") as store:
        for hit in search(store, '"كوريا الشمالية" speaker:الوزير', limit=10):
            print(hit.title, hit.snippet)

Importing this package does no I/O; the database is opened by ``Store``.
"""

from __future__ import annotations

from khabar.store.db import SCHEMA_VERSION, IndexTerm, Store, content_hash, index_terms, migrate, migrations
from khabar.store.search import Filter, Hit, Query, SearchResult, parse_query, search, search_page

__all__ = [
    "SCHEMA_VERSION",
    "Filter",
    "Hit",
    "IndexTerm",
    "Query",
    "SearchResult",
    "Store",
    "content_hash",
    "index_terms",
    "migrate",
    "migrations",
    "parse_query",
    "search",
    "search_page",
]
