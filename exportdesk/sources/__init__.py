"""Sources of data: SQL databases through SQLAlchemy and the built-in demo database."""

from __future__ import annotations

from pathlib import Path

from exportdesk.credentials import with_password
from exportdesk.sources.sql import SqlSource


def resolve_url(source: str, data_dir: Path) -> str:
    """Return the SQLAlchemy URL for a source name: `demo` or an SQLAlchemy URL itself."""
    from exportdesk.sources import demo

    if source == demo.DEMO_SOURCE:
        demo.ensure_demo_database(data_dir)
        return demo.demo_url(data_dir)
    return with_password(source)


def open_source(source: str, data_dir: Path) -> SqlSource:
    return SqlSource(resolve_url(source, data_dir))
