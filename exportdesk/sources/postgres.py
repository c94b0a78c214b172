"""psycopg settings that keep PostgreSQL values exact when they reach a file.

Python objects cannot hold every PostgreSQL value as the database shows it: json and jsonb
would become dicts (big numbers through float), an interval a timedelta without months,
an array a list, and a date of 'infinity' or one BC fails to load at all. These types are
loaded as the database's own text. Dates and timestamps keep Python types when they fit and
fall back to the text otherwise.
"""

from __future__ import annotations

from typing import Any

from psycopg import DataError, postgres
from psycopg.adapt import Buffer
from psycopg.types.datetime import DateLoader, TimestampLoader, TimestamptzLoader
from psycopg.types.string import TextLoader

TEXT_TYPES = ("json", "jsonb", "interval", "timetz", "money", "xml")


class _FallbackToText:
    """Mixin for a loader: when PostgreSQL's value is out of Python's range, keep its text."""

    def load(self, data: Buffer) -> Any:
        try:
            return super().load(data)  # type: ignore[misc]
        except DataError:
            return bytes(data).decode("utf-8")


class ExactDateLoader(_FallbackToText, DateLoader):
    pass


class ExactTimestampLoader(_FallbackToText, TimestampLoader):
    pass


class ExactTimestamptzLoader(_FallbackToText, TimestamptzLoader):
    pass


EXACT_VALUES_OPTION = "exportdesk_exact_values"


def configure_cursor(cursor: Any) -> None:
    """Register the text loaders on one psycopg cursor that reads exported rows.

    The loaders go on the cursor only, because SQLAlchemy's inspector reads catalog arrays
    on the same connection and needs them as lists.
    """
    adapters = cursor.adapters
    for name in TEXT_TYPES:
        info = postgres.types.get(name)
        if info is not None:
            adapters.register_loader(info.oid, TextLoader)
    for info in postgres.types:
        if info.array_oid:
            adapters.register_loader(info.array_oid, TextLoader)


def configure_connection(dbapi_connection: Any) -> None:
    """Register the date loaders that fall back to text, on each new psycopg connection."""
    adapters = dbapi_connection.adapters
    adapters.register_loader("date", ExactDateLoader)
    adapters.register_loader("timestamp", ExactTimestampLoader)
    adapters.register_loader("timestamptz", ExactTimestamptzLoader)
