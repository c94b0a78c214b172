"""Read a source's table list and a table's columns, and check a typed source URL, for the new export dialog."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from exportdesk.i18n import tr
from exportdesk.sources import open_source
from exportdesk.sources.base import Column, TableInfo
from exportdesk.sources.demo import DEMO_SOURCE, DEMO_TABLES


def list_source_tables(source: str, data_dir: Path) -> list[TableInfo]:
    """List the source's tables with row counts.

    The call blocks while the database counts rows, so run it off the GUI thread.
    """
    opened = open_source(source, data_dir)
    try:
        tables = opened.list_tables()
    finally:
        opened.close()
    if source == DEMO_SOURCE:
        by_name = {table.name: table for table in tables}
        return [by_name[name] for name in DEMO_TABLES if name in by_name]
    return tables


def list_table_columns(source: str, table: str, data_dir: Path) -> list[Column]:
    """List the columns of one table with their types; for an HTTP API, the keys of its first page.

    The call blocks while it reads from the source, so run it off the GUI thread.
    """
    opened = open_source(source, data_dir)
    try:
        return opened.table_columns(table)
    finally:
        opened.close()


def url_problem(text: str) -> str:
    """Return what is wrong with a typed source URL, or "" when it can be used."""
    if not text:
        return tr("Type a database URL, or choose the demo source.")
    try:
        make_url(text)
    except ArgumentError:
        return tr(
            "The URL \u201c{url}\u201d is not a valid SQLAlchemy URL. Use the form dialect://user@host/database, e.g. sqlite:////home/me/shop.db."
        ).format(url=text)
    return ""
