"""SQL sources through SQLAlchemy: list tables, count rows and stream them in batches.

Rows are read with the driver's own values (no SQLAlchemy type conversion), so a REAL stays
the double the database holds and a NUMERIC keeps every digit the driver returns.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources.base import Column, TableInfo

log = logging.getLogger(__name__)


def classify_sql_error(error: Exception) -> ErrorCode:
    """Map a database error to the code the user sees; the detail goes to the log."""
    text = str(getattr(error, "orig", error)).lower()
    if "no such table" in text or "does not exist" in text and "relation" in text:
        return ErrorCode.TABLE_NOT_FOUND
    if "unable to open" in text or "could not connect" in text or "connection refused" in text:
        return ErrorCode.SOURCE_UNREACHABLE
    if "password authentication failed" in text or "access denied" in text:
        return ErrorCode.CREDENTIALS_REJECTED
    if isinstance(error, (sa_exc.ProgrammingError,)) or "syntax error" in text:
        return ErrorCode.QUERY_INVALID
    if isinstance(error, sa_exc.OperationalError):
        return ErrorCode.SOURCE_UNREACHABLE
    return ErrorCode.INTERNAL


def strip_query(query: str) -> str:
    """Drop trailing semicolons and blanks so the query can be wrapped in a subquery."""
    return query.strip().rstrip(";").rstrip()


class SqlTableReader:
    def __init__(self, connection: sa.Connection, name: str, sql: str, columns: Sequence[Column]) -> None:
        self.name = name
        self._connection = connection
        self._sql = sql
        self.columns: Sequence[Column] = columns

    def batches(self, size: int) -> Iterator[Sequence[Sequence[Any]]]:
        try:
            result = self._connection.exec_driver_sql(
                self._sql, execution_options={"stream_results": True, "max_row_buffer": size}
            )
        except sa_exc.SQLAlchemyError as error:
            raise ExportDeskError(classify_sql_error(error), str(error)) from error
        if not self.columns:
            self.columns = [Column(str(key)) for key in result.keys()]
        # Fetch from the DBAPI cursor directly: the values are the driver's own, and the
        # Result layer would add about a third to the time per row.
        cursor = result.cursor
        dbapi_error = self._connection.dialect.loaded_dbapi.Error
        while True:
            try:
                rows = cursor.fetchmany(size)
            except dbapi_error as error:
                raise ExportDeskError(classify_sql_error(error), str(error)) from error
            if not rows:
                break
            yield rows
        result.close()


class SqlSource:
    """An SQLAlchemy URL opened for reading."""

    def __init__(self, url: str) -> None:
        try:
            self._engine = sa.create_engine(url)
        except (sa_exc.ArgumentError, ValueError) as error:
            raise ExportDeskError(ErrorCode.SOURCE_UNREACHABLE, f"invalid URL: {error}") from error
        except ImportError as error:
            raise ExportDeskError(ErrorCode.SOURCE_UNREACHABLE, f"driver missing: {error}") from error
        self._stack = ExitStack()
        self._connection: sa.Connection | None = None
        database = self._engine.url.database
        # SQLite creates a missing file on connect; a typo in the path must not export nothing.
        if self.dialect == "sqlite" and database and database != ":memory:" and not Path(database).exists():
            raise ExportDeskError(ErrorCode.SOURCE_UNREACHABLE, f"SQLite file {database!r} not found")

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def _connect(self) -> sa.Connection:
        if self._connection is None:
            try:
                self._connection = self._stack.enter_context(self._engine.connect())
            except sa_exc.SQLAlchemyError as error:
                raise ExportDeskError(classify_sql_error(error), str(error)) from error
        return self._connection

    def quote(self, name: str) -> str:
        return self._engine.dialect.identifier_preparer.quote(name)

    def list_tables(self) -> list[TableInfo]:
        connection = self._connect()
        inspector = sa.inspect(connection)
        tables = [TableInfo(name, self.count_rows(table=name)) for name in inspector.get_table_names()]
        views = [TableInfo(name, None, is_view=True) for name in inspector.get_view_names()]
        return tables + views

    def table_columns(self, table: str) -> list[Column]:
        inspector = sa.inspect(self._connect())
        try:
            columns = inspector.get_columns(table)
        except sa_exc.NoSuchTableError as error:
            raise ExportDeskError(ErrorCode.TABLE_NOT_FOUND, f"table {table!r} not found") from error
        return [Column(str(c["name"]), str(c["type"])) for c in columns]

    def count_rows(self, table: str | None = None, query: str | None = None) -> int | None:
        target = self.quote(table) if table else f"({strip_query(query or '')}) AS q"
        try:
            return int(self._connect().exec_driver_sql(f"SELECT COUNT(*) FROM {target}").scalar() or 0)
        except sa_exc.SQLAlchemyError as error:
            raise ExportDeskError(classify_sql_error(error), str(error)) from error

    def open_table(self, table: str) -> SqlTableReader:
        columns = self.table_columns(table)
        quoted = ", ".join(self.quote(c.name) for c in columns)
        return SqlTableReader(self._connect(), table, f"SELECT {quoted} FROM {self.quote(table)}", columns)

    def open_query(self, name: str, query: str) -> SqlTableReader:
        return SqlTableReader(self._connect(), name, strip_query(query), [])

    def begin_snapshot(self) -> AbstractContextManager[Any]:
        """Open one read transaction so every table comes from the same state of the database."""
        return self._connect().begin()

    def close(self) -> None:
        self._stack.close()
        self._engine.dispose()
