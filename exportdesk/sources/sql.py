"""SQL sources through SQLAlchemy: list tables, count rows and stream them in batches.

Rows are read with the driver's own values (no SQLAlchemy type conversion), so a REAL stays
the double the database stores and a NUMERIC keeps every digit the driver returns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources.base import Column, TableInfo

log = logging.getLogger(__name__)


# SQLite's words for a file that another connection holds locked (BEGIN EXCLUSIVE, a long write).
_LOCKED_MARKERS = (
    "database is locked",
    "database table is locked",
)
_TRANSIENT_MARKERS = (
    "connection reset",
    "server closed the connection",
    "could not receive data",
    "terminating connection",
    "lost connection",
)
# A URL of any scheme, and the `key=value` settings of a libpq connection string.
_URL_PATTERN = re.compile(r"[a-z][a-z0-9+.-]*://\S*", re.IGNORECASE)
_CONNECTION_SETTING_PATTERN = re.compile(
    r"\b(password|passwd|pwd|user|host|hostaddr|port|dbname|passfile|sslpassword)\s*=\s*\S+", re.IGNORECASE
)
MAX_REASON_CHARS = 300


class TransientSourceError(ExportDeskError):
    """A failure worth retrying after a pause: a busy database or a dropped connection."""


def source_error(error: Exception, table: str | None = None, custom_query: bool = False) -> ExportDeskError:
    """Wrap a driver or SQLAlchemy error, marking the kinds that a retry may cure.

    For a query the user wrote (`custom_query`), a rejected query records the database's own
    reason as the subject, so the user can fix the SQL.
    """
    text = str(getattr(error, "orig", error)).lower()
    if any(marker in text for marker in _LOCKED_MARKERS):
        return TransientSourceError(ErrorCode.SOURCE_LOCKED, str(error))
    if any(marker in text for marker in _TRANSIENT_MARKERS):
        return TransientSourceError(ErrorCode.SOURCE_UNREACHABLE, str(error))
    code = classify_sql_error(error)
    subject = None
    if code is ErrorCode.TABLE_NOT_FOUND:
        subject = table
    elif code is ErrorCode.QUERY_INVALID and custom_query:
        subject = database_reason(error)
    return ExportDeskError(code, str(error), subject=subject)


def database_reason(error: Exception) -> str | None:
    """Return the first line of the driver's message, or None when there is none.

    URLs and connection settings such as `password=…` are cut out, so only the database's
    words about the SQL remain. SQLAlchemy's own wrapping (class names, the statement, a
    link to its docs) is not part of the driver's message.
    """
    original = getattr(error, "orig", None)
    if original is None:
        return None
    lines = str(original).strip().splitlines()
    reason = lines[0].strip() if lines else ""
    reason = _URL_PATTERN.sub("…", reason)
    reason = _CONNECTION_SETTING_PATTERN.sub(lambda match: f"{match.group(1)}=…", reason)
    reason = reason.rstrip(" .")
    if len(reason) > MAX_REASON_CHARS:
        reason = reason[: MAX_REASON_CHARS - 1] + "…"
    return reason or None


def classify_sql_error(error: Exception) -> ErrorCode:
    """Map a database error to the code shown to the user. The detail goes to the log."""
    text = str(getattr(error, "orig", error)).lower()
    if "no such table" in text or "does not exist" in text and "relation" in text or "table" in text and "doesn't exist" in text:
        return ErrorCode.TABLE_NOT_FOUND
    if "unable to open" in text or "could not connect" in text or "connection refused" in text:
        return ErrorCode.SOURCE_UNREACHABLE
    # SQLite opens any file lazily and reports "file is not a database" on the first read.
    if "file is not a database" in text:
        return ErrorCode.SOURCE_UNREACHABLE
    if "password authentication failed" in text or "access denied" in text or "no password supplied" in text:
        return ErrorCode.CREDENTIALS_REJECTED
    if isinstance(error, (sa_exc.ProgrammingError,)) or "syntax error" in text:
        return ErrorCode.QUERY_INVALID
    if isinstance(error, sa_exc.OperationalError):
        return ErrorCode.SOURCE_UNREACHABLE
    return ErrorCode.INTERNAL


def strip_query(query: str) -> str:
    """Drop trailing semicolons and blanks so the query can be wrapped in a subquery."""
    return query.strip().rstrip("; \t\r\n")


# Marks the statements that read exported rows; see exportdesk.sources.postgres.
EXACT_VALUES_OPTION = "exportdesk_exact_values"
# Set at the start of each PostgreSQL snapshot: floats in their shortest exact text, dates as
# ISO year-month-day, and intervals in the style exported as text ("1 year 2 mons").
POSTGRES_SESSION_SETTINGS = (
    "SET LOCAL extra_float_digits = 3",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
)


class SqlTableReader:
    """One ordered read of a table or query, streamed in batches.

    With an order key the rows come in key order and each batch carries the key of its last
    row, so a later read can start after it (`after`). `key_columns` name the key in SQL and
    `key_indexes` locate it in each fetched row. With `strip_leading` the first fetched
    columns are the key only (SQLite's rowid) and are cut off before rows are yielded.
    """

    def __init__(
        self,
        connection: sa.Connection,
        name: str,
        sql: str,
        columns: Sequence[Column],
        parameters: dict[str, Any] | None = None,
        key_indexes: Sequence[int] = (),
        strip_leading: int = 0,
        custom_query: bool = False,
    ) -> None:
        self.name = name
        self.custom_query = custom_query
        self._connection = connection
        self._sql = sql
        self._parameters = parameters or {}
        self.columns: Sequence[Column] = columns
        self.key_indexes = tuple(key_indexes)
        self._strip = strip_leading

    @property
    def ordered(self) -> bool:
        return bool(self.key_indexes)

    def keyed_batches(self, size: int) -> Iterator[tuple[Sequence[Sequence[Any]], list[Any] | None]]:
        """Yield `(rows, key of the last row)`; the key is None for an unordered read."""
        try:
            result = self._connection.execute(
                sa.text(self._sql),
                self._parameters,
                execution_options={"stream_results": True, "max_row_buffer": size, EXACT_VALUES_OPTION: True},
            )
        except sa_exc.SQLAlchemyError as error:
            raise source_error(error, custom_query=self.custom_query) from error
        if not self.columns:
            self.columns = [Column(str(key)) for key in list(result.keys())[self._strip :]]
        # SQLite has no server-side cursors, so nothing is buffered in the Result and the DBAPI
        # cursor can be read directly, which saves the Result layer's time per row. With a
        # server-side cursor (PostgreSQL, MySQL) SQLAlchemy has already fetched the first rows
        # into the Result, so reading the cursor directly would skip them.
        cursor: Any = result.cursor if self._connection.dialect.name == "sqlite" else result
        dbapi_error = self._connection.dialect.loaded_dbapi.Error
        strip = self._strip
        key_indexes = self.key_indexes
        # The finally also closes a server-side cursor when the caller stops reading early.
        try:
            while True:
                try:
                    rows = cursor.fetchmany(size)
                except (dbapi_error, sa_exc.SQLAlchemyError) as error:
                    raise source_error(error, custom_query=self.custom_query) from error
                if not rows:
                    break
                last = rows[-1]
                key = [last[i] for i in key_indexes] if key_indexes else None
                if strip:
                    rows = [row[strip:] for row in rows]
                yield rows, key
        finally:
            result.close()

    def batches(self, size: int) -> Iterator[Sequence[Sequence[Any]]]:
        for rows, _ in self.keyed_batches(size):
            yield rows


def _password_as_utf8(_dialect: Any, _record: Any, _args: Any, parameters: dict[str, Any]) -> None:
    """Send a MySQL password as UTF-8 bytes, as the mysql client does on a utf8mb4 connection.

    PyMySQL encodes a text password as Latin-1, which fails on any other character.
    """
    password = parameters.get("password")
    if isinstance(password, str):
        parameters["password"] = password.encode("utf-8")


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
        if self._engine.dialect.driver == "psycopg":
            self._configure_psycopg()
        if self.dialect == "postgresql":
            # SQLAlchemy does not know xml and warns on reflecting it; the rows load it as text.
            self._engine.dialect.ischema_names = {**self._engine.dialect.ischema_names, "xml": sa.Text}
        if self._engine.dialect.driver == "pymysql":
            sa.event.listen(self._engine, "do_connect", _password_as_utf8)
        database = self._engine.url.database
        # SQLite creates a missing file on connect; a typo in the path must not export nothing.
        if self.dialect == "sqlite" and database and database != ":memory:" and not Path(database).exists():
            raise ExportDeskError(ErrorCode.SOURCE_UNREACHABLE, f"SQLite file {database!r} not found", subject=database)

    def _configure_psycopg(self) -> None:
        from exportdesk.sources import postgres

        def on_connect(dbapi_connection: Any, _record: Any) -> None:
            postgres.configure_connection(dbapi_connection)

        def before_cursor_execute(
            _conn: Any, cursor: Any, _statement: Any, _parameters: Any, context: Any, _executemany: bool
        ) -> None:
            if context is not None and context.execution_options.get(postgres.EXACT_VALUES_OPTION):
                postgres.configure_cursor(cursor)

        sa.event.listen(self._engine, "connect", on_connect)
        sa.event.listen(self._engine, "before_cursor_execute", before_cursor_execute)

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    @property
    def sqlite_file(self) -> Path | None:
        """Return the file of an SQLite source given by a plain path, else None (other
        dialects, in-memory databases, URLs with query options)."""
        url = self._engine.url
        if self.dialect != "sqlite" or not url.database or url.database == ":memory:" or url.query:
            return None
        return Path(url.database)

    def _connect(self) -> sa.Connection:
        if self._connection is None:
            try:
                self._connection = self._stack.enter_context(self._engine.connect())
            except sa_exc.SQLAlchemyError as error:
                raise source_error(error) from error
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
            raise ExportDeskError(ErrorCode.TABLE_NOT_FOUND, f"table {table!r} not found", subject=table) from error
        return [Column(str(c["name"]), str(c["type"])) for c in columns]

    def count_rows(self, table: str | None = None, query: str | None = None) -> int | None:
        # The line break ends a trailing `--` comment of the query before the bracket closes.
        target = self.quote(table) if table else f"(\n{strip_query(query or '')}\n) AS q"
        try:
            return int(self._connect().exec_driver_sql(f"SELECT COUNT(*) FROM {target}").scalar() or 0)
        except sa_exc.SQLAlchemyError as error:
            wrapped = source_error(error, table, custom_query=query is not None)
            if query is not None and wrapped.code is ErrorCode.QUERY_INVALID and self.dialect == "sqlite":
                wrapped = self._query_compile_error(query) or wrapped
            raise wrapped from error

    def _query_compile_error(self, query: str) -> ExportDeskError | None:
        """Return the error SQLite gives for the query on its own, or None if it compiles.

        Wrapped in the count, a typo moves SQLite's reason to another token (`SELEC 1` gives
        'near "1"'). EXPLAIN compiles the query without running it.
        """
        try:
            self._connect().exec_driver_sql(f"EXPLAIN {strip_query(query)}").close()
        except sa_exc.SQLAlchemyError as error:
            compiled = source_error(error, custom_query=True)
            if isinstance(compiled, TransientSourceError) or compiled.code is ErrorCode.TABLE_NOT_FOUND:
                return compiled
            # Any other error while compiling is about the query's text, such as "incomplete input".
            return ExportDeskError(ErrorCode.QUERY_INVALID, str(error), subject=database_reason(error))
        return None

    def order_key(self, table: str, columns: Sequence[Column]) -> list[str]:
        """Return the columns that order the table uniquely: its primary key, else SQLite's rowid.

        An empty list means the table has no stable order (a view, or a table without a
        primary key outside SQLite), so a read of it cannot continue from a position.
        """
        inspector = sa.inspect(self._connect())
        try:
            primary_key = list(inspector.get_pk_constraint(table).get("constrained_columns") or [])
        except sa_exc.NoSuchTableError:
            primary_key = []
        if primary_key:
            return primary_key
        if self.dialect == "sqlite" and table in inspector.get_table_names():
            taken = {c.name.lower() for c in columns}
            for alias in ("rowid", "_rowid_", "oid"):
                if alias not in taken:
                    sql = f"SELECT {alias} FROM {self.quote(table)} LIMIT 0"
                    try:
                        self._connect().exec_driver_sql(sql).close()
                    except sa_exc.SQLAlchemyError:
                        return []  # a WITHOUT ROWID table
                    return [alias]
        return []

    def chosen_columns(self, table: str, names: Sequence[str] | None = None) -> tuple[list[Column], list[Column]]:
        """Return `(chosen columns, all columns)` of `table`; the chosen ones in the order of `names`.

        Without `names` every column is chosen. Raises COLUMN_NOT_FOUND, naming the column,
        when `table` has no column of one of the names.
        """
        columns = self.table_columns(table)
        if names is None:
            return columns, columns
        by_name = {column.name: column for column in columns}
        for name in names:
            if name not in by_name:
                existing = ", ".join(by_name)
                raise ExportDeskError(
                    ErrorCode.COLUMN_NOT_FOUND, f"table {table!r} has no column {name!r}, only {existing}", subject=name
                )
        return [by_name[name] for name in names], columns

    def open_table(
        self, table: str, after: Sequence[Any] | None = None, ordered: bool = True, columns: Sequence[str] | None = None
    ) -> SqlTableReader:
        """Open a read of `table` in key order, starting after the key `after` when given.

        With `columns` only those columns are yielded, in that order. The order key is still
        read for positions when it is not among them, and cut off before rows are yielded.
        """
        chosen, every = self.chosen_columns(table, columns)
        names = [c.name for c in chosen]
        # All columns, not just the chosen ones: a column named rowid hides SQLite's rowid.
        key = self.order_key(table, every) if ordered else []
        extra = [k for k in key if k not in names]
        selected = [*extra, *names]
        key_indexes = [selected.index(k) for k in key]

        def quote(name: str) -> str:
            # A colon in a name would read as a bind parameter in sa.text().
            return self.quote(name).replace(":", "\\:")

        sql = f"SELECT {', '.join(quote(n) for n in selected)} FROM {quote(table)}"
        parameters: dict[str, Any] = {}
        if after is not None and key:
            if len(after) != len(key):
                raise ValueError(f"position {after!r} does not match the key {key!r} of {table!r}")
            placeholders = [f":k{i}" for i in range(len(key))]
            quoted_key = [quote(k) for k in key]
            if len(key) == 1:
                sql += f" WHERE {quoted_key[0]} > {placeholders[0]}"
            else:
                sql += f" WHERE ({', '.join(quoted_key)}) > ({', '.join(placeholders)})"
            parameters = {f"k{i}": value for i, value in enumerate(after)}
        if key:
            sql += " ORDER BY " + ", ".join(quote(k) for k in key)
        return SqlTableReader(
            self._connect(), table, sql, chosen, parameters, key_indexes=key_indexes, strip_leading=len(extra)
        )

    def open_query(self, name: str, query: str) -> SqlTableReader:
        # The query text goes to the driver as written: escape colons so sa.text() binds nothing.
        escaped = strip_query(query).replace(":", "\\:")
        return SqlTableReader(self._connect(), name, escaped, [], custom_query=True)

    def begin_snapshot(self) -> AbstractContextManager[Any]:
        """Open one read transaction so every table comes from the same state of the database.

        PostgreSQL and MySQL need REPEATABLE READ for that; at their default READ COMMITTED
        each statement would see the latest committed rows. SQLite's read transaction is a
        snapshot already.
        """
        connection = self._connect()
        if self.dialect in ("postgresql", "mysql", "mariadb") and not connection.in_transaction():
            connection.execution_options(isolation_level="REPEATABLE READ")
        transaction = connection.begin()
        if self.dialect == "postgresql":
            # The server's, database's or role's defaults could round floats (extra_float_digits
            # 0 or less) or write dates in a style psycopg cannot load. SET LOCAL ends with the
            # transaction, so the connection keeps its own settings afterwards.
            try:
                for statement in POSTGRES_SESSION_SETTINGS:
                    connection.exec_driver_sql(statement)
            except sa_exc.SQLAlchemyError as error:
                transaction.rollback()
                raise source_error(error) from error
        return transaction

    def close(self) -> None:
        self._stack.close()
        self._engine.dispose()
