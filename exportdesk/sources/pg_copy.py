"""CSV export of one PostgreSQL table through `COPY … TO STDOUT`, byte-identical to the general path.

The general path loads each value into a Python object and formats it in `formats.csv`. COPY
writes PostgreSQL's own text, which differs for many types: floats (`1e+15` against Python's
`1000000000000000.0`), booleans (`t`), timestamps (a space instead of `T`, trimmed
microseconds), bytea (`\\x` hex against base64). The SELECT list rewrites each such column
into the general path's text. Where no rewrite is known, `plan_copy` returns the reason
instead of a plan and the export takes the general path. Such cases are other column types,
a NULL marker other than the empty field, a delimiter or quote character that can occur in
an unquoted value, and a table without a primary key.

The read goes in key-ordered chunks, each a COPY of the rows after the last committed key,
so checkpoints work as in the general path: a killed worker resumes after the last key with
an identical file. Every chunk runs in the job's REPEATABLE READ snapshot.
"""

from __future__ import annotations

import logging
import string
import time
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg
import psycopg.sql
from psycopg import pq

from exportdesk.formats.csv import (
    FORMULA_PREFIXES,
    CsvProfile,
    CsvWriter,
    profile_from_options,
)
from exportdesk.jobs import ErrorCode, ExportDeskError, Job
from exportdesk.sources.base import Column
from exportdesk.sources.sql import SqlSource, source_error

log = logging.getLogger(__name__)

# Rows joined into one write to the file, and the bounds and target duration of one COPY chunk.
WRITE_ROWS = 1000
FIRST_CHUNK_ROWS = 20_000
MIN_CHUNK_ROWS = 1000
MAX_CHUNK_ROWS = 500_000
CHUNK_TARGET_S = 1.0

# Characters that the general path writes unquoted in numbers, dates, booleans, base64 and
# UUIDs. COPY would quote a field containing the delimiter or quote character, so neither may
# be one of these.
_UNQUOTED_VALUE_CHARACTERS = frozenset(string.ascii_letters + string.digits + "+-./=:\\")

_INTEGER_TYPES = frozenset({"int2", "int4", "int8", "oid"})
_FLOAT_TYPES = frozenset({"float4", "float8"})
# Types the general path receives as text (see sources.postgres), so COPY's text is the same.
_TEXT_TYPES = frozenset({"text", "varchar", "bpchar", "json", "jsonb", "interval", "timetz", "money"})
# Arrays of built-in types (oid below 10000) are in psycopg's type registry, so the general path
# loads them as text.
_LAST_BUILTIN_OID = 9999

# Tests switch the fast path off to produce the general path's bytes for comparison.
FAST_PATH_ENABLED = True


class CopySink(Protocol):
    def write(self, data: bytes) -> int: ...


class CopyProgress(Protocol):
    """The runner's progress counter: `add` reports rows, `report` commits a due checkpoint."""

    def add(self, rows: int, key: list[Any] | None) -> None: ...

    def report(self) -> None: ...


@dataclass(frozen=True)
class ColumnType:
    name: str
    type_name: str
    is_array_of_builtin: bool = False


@dataclass(frozen=True)
class CopyPlan:
    """How to read one table through COPY: the SELECT list, the key and the byte transform."""

    table: str
    columns: list[Column]
    select_list: str
    key: list[str]
    profile: CsvProfile

    @property
    def crlf(self) -> bool:
        return self.profile.line_end == "\r\n"

    @property
    def recode(self) -> bool:
        return self.profile.encoding != "utf-8"


def _neutralised(expression: str, profile: CsvProfile, type_name: str = "text") -> str:
    """Return SQL for a value the general path writes as text, with formula neutralising when on.

    A cast to text gives the type's output text, except that it cuts the padding of a
    char(n) (`bpchar`), and it costs time on a long char(n). So a char(n) keeps its own type,
    and when it is neutralised `concat`, which uses the output function, keeps the padding.
    `LIKE ANY` tests the first character faster than `left()` does.
    """
    if not profile.neutralise_formulas:
        return expression
    patterns = ", ".join(_sql_literal(prefix + "%") for prefix in FORMULA_PREFIXES)
    apostrophe = _sql_literal("'")
    if type_name == "bpchar":
        return (
            f"CASE WHEN {expression} LIKE ANY (ARRAY[{patterns}]) "
            f"THEN concat({apostrophe}, {expression})::bpchar ELSE {expression} END"
        )
    text = expression if type_name in ("text", "varchar") else f"({expression})::text"
    return f"CASE WHEN {text} LIKE ANY (ARRAY[{patterns}]) THEN {apostrophe} || {text} ELSE {text} END"


# Below these magnitudes PostgreSQL writes a float without an exponent, as Python's `repr` does.
_POSITIONAL_BELOW = {"float4": "1e6", "float8": "1e15"}


def _float_text(column: str, profile: CsvProfile, type_name: str = "float8") -> str:
    """Return SQL that writes a float as Python's `repr` does.

    The general path parses PostgreSQL's text into a float. With extra_float_digits > 0 that
    text is the shortest that reads back exactly, so `repr` gives back its digits. Only the
    layout differs: PostgreSQL uses an exponent from 10^15 (float8) or 10^6 (float4) on,
    Python from 10^16 on, and Python adds `.0` to whole numbers and spells NaN and the
    infinities `nan`, `inf` and `-inf`.

    Most values are below 10^15, where only whole numbers need the `.0`. That case is tested
    first with arithmetic, because the regular expressions of the other cases cost about a
    second per million rows on the server (PostgreSQL 15, 2-core machine).
    """
    text = f"({column})::text"
    digits = "(m[2] || coalesce(m[3], ''))"
    width = "(m[4]::int + 1)"
    positional = (
        f"(SELECT m[1] || rpad(left({digits}, {width}), {width}, '0') || '.' "
        f"|| coalesce(nullif(substr({digits}, {width} + 1), ''), '0') "
        rf"FROM regexp_match({text}, '^(-?)(\d)(?:\.(\d+))?e\+(\d+)$') AS m)"
    )
    # abs(NaN) is greater than any number in PostgreSQL, so NaN takes the later branches.
    below = _POSITIONAL_BELOW.get(type_name, _POSITIONAL_BELOW["float4"])
    expression = (
        f"CASE WHEN abs({column}) < {below} THEN "
        f"CASE WHEN {column} = trunc({column}) THEN {text} || '.0' ELSE {text} END "
        f"WHEN {text} = 'NaN' THEN 'nan' WHEN {text} = 'Infinity' THEN 'inf' "
        f"WHEN {text} = '-Infinity' THEN '-inf' "
        rf"WHEN {text} ~ 'e\+(0[0-9]|1[0-5])$' THEN {positional} "
        f"WHEN {text} ~ '[.e]' THEN {text} ELSE {text} || '.0' END"
    )
    return f"replace({expression}, '.', ',')" if profile.decimal_comma else expression


def _timestamp_text(column: str, profile: CsvProfile, type_name: str = "timestamp") -> str:
    """Return SQL that writes a timestamp as `datetime.isoformat()` does.

    PostgreSQL's ISO text has a space before the time, drops trailing zeros of the fraction
    and writes a whole-hour offset as `+03`. Python writes `T`, six fraction digits and
    `+03:00`. A value Python cannot hold (BC, years past 9999, infinity) stays PostgreSQL's
    text, as the general path's loaders keep it, and is neutralised like any text.

    The local time is the value cast to `timestamp`, which for a timestamptz is the time in
    the session's zone, the same that its text shows before the offset. Plain string
    functions rebuild the text: a regular expression per value made a million-row export
    about ten times slower (PostgreSQL 15, 2-core machine).
    """
    text = f"({column})::text"
    local = f"({column})::timestamp" if type_name == "timestamptz" else f"({column})"
    local_text = f"({local})::text"
    with_t = f"overlay({local_text} placing 'T' from 11 for 1)"
    # A fraction is padded to 6 digits: "YYYY-MM-DDTHH:MM:SS.ffffff" is 26 characters.
    iso = f"CASE WHEN date_trunc('second', {local}) = {local} THEN {with_t} ELSE rpad({with_t}, 26, '0') END"
    if type_name == "timestamptz":
        offset = f"substr({text}, length({local_text}) + 1)"
        iso += f" || CASE WHEN length({offset}) = 3 THEN {offset} || ':00' ELSE {offset} END"
    in_range = f"{local} >= '0001-01-01' AND {local} < '10000-01-01'"
    return f"CASE WHEN {in_range} THEN {iso} ELSE {_neutralised(text, profile)} END"


def _date_text(column: str, profile: CsvProfile) -> str:
    text = f"({column})::text"
    return rf"CASE WHEN {text} ~ '^\d{{4}}-\d\d-\d\d$' THEN {text} ELSE {_neutralised(text, profile)} END"


def _sql_literal(text: str) -> str:
    """Quote a string as an SQL literal; `plan_copy` checks that standard_conforming_strings is on."""
    return "'" + text.replace("'", "''") + "'"


def column_expression(column: ColumnType, quoted: str, profile: CsvProfile) -> str | None:
    """Return the SELECT expression that gives the general path's text, or None when none is known."""
    kind = column.type_name
    if kind in _INTEGER_TYPES or kind == "uuid":
        return quoted
    if kind == "numeric":
        return f"replace(({quoted})::text, '.', ',')" if profile.decimal_comma else quoted
    if kind in _FLOAT_TYPES:
        return _float_text(quoted, profile, kind)
    if kind == "bool":
        return f"CASE WHEN {quoted} THEN 'true' WHEN NOT {quoted} THEN 'false' END"
    if kind == "bytea":
        # encode() breaks base64 lines at 76 characters; Python's b64encode does not.
        return rf"replace(encode({quoted}, 'base64'), E'\n', '')"
    if kind in _TEXT_TYPES or column.is_array_of_builtin:
        return _neutralised(quoted, profile, kind)
    if kind == "date":
        return _date_text(quoted, profile)
    if kind in ("timestamp", "timestamptz"):
        return _timestamp_text(quoted, profile, kind)
    return None


def profile_blocker(profile: CsvProfile) -> str | None:
    """Name the profile setting COPY cannot reproduce, or return None when there is none."""
    if profile.null_marker != "":
        # COPY writes an empty text unquoted when NULL has another spelling; the general path quotes it.
        return f"NULL is written as {profile.null_marker!r}"
    for role, character in (("delimiter", profile.delimiter), ("quote", profile.quote)):
        if character in _UNQUOTED_VALUE_CHARACTERS or not character.isascii():
            return f"the {role} {character!r} can occur in an unquoted value or is not one byte"
    if profile.decimal_comma and "," in (profile.delimiter, profile.quote):
        return "a decimal comma with ',' as the delimiter or quote"
    if profile.encoding != "utf-8" and len("a\n".encode(profile.encoding)) != 2:
        # Encodings with more than one byte per character (utf-16-le, utf-32-le) are left to the
        # general path. A byte order mark is the profile's `bom`, written once per file.
        return f"the encoding {profile.encoding}"
    return None


def _settings_blocker(connection: Any, columns: Sequence[ColumnType]) -> str | None:
    """Name the session setting under which COPY's text would differ, or return None.

    DateStyle and extra_float_digits need no check: `SqlSource.begin_snapshot` sets them in the
    transaction that COPY runs in.
    """
    kinds = {column.type_name for column in columns}
    settings = dict(
        connection.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('TimeZone', 'standard_conforming_strings')"
        ).fetchall()
    )
    if settings.get("standard_conforming_strings") != "on":
        return "standard_conforming_strings is off, so backslashes in the rewrites would be escapes"
    if "timestamptz" in kinds:
        # psycopg turns timestamptz values into the session's zone through zoneinfo, and uses
        # UTC when zoneinfo does not know that name.
        name = str(settings.get("TimeZone", ""))
        try:
            zoneinfo.ZoneInfo(name)
        except (KeyError, ValueError, OSError):
            return f"the time zone {name!r} is unknown to Python"
    return None


def table_column_types(connection: Any, qualified_table: str) -> list[ColumnType]:
    rows = connection.execute(
        """
        SELECT a.attname, t.typname, t.typcategory = 'A' AND t.typelem <= %s
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """,
        (_LAST_BUILTIN_OID, qualified_table),
    ).fetchall()
    return [ColumnType(str(name), str(type_name), bool(is_array)) for name, type_name, is_array in rows]


def plan_copy(source: SqlSource, table: str, profile: CsvProfile) -> CopyPlan | str:
    """Plan a COPY read of `table` that writes the general path's bytes, or return why not."""
    if source.dialect != "postgresql" or source._engine.dialect.driver != "psycopg":
        return "the source is not PostgreSQL through psycopg"
    blocker = profile_blocker(profile)
    if blocker:
        return blocker
    columns = source.table_columns(table)
    key = source.order_key(table, columns)
    if not key:
        return "the table has no primary key, so COPY's row order could differ"
    if len(columns) == 1:
        # COPY quotes a lone `\.` in a one-column row, which the general path does not.
        return "the table has one column"
    connection = _psycopg_connection(source)
    try:
        types = table_column_types(connection, source.quote(table))
        blocker = _settings_blocker(connection, types)
    except psycopg.Error as error:
        raise source_error(error, table) from error
    if [t.name for t in types] != [c.name for c in columns]:
        return "the catalog's columns do not match the table's"
    if blocker:
        return blocker
    expressions = []
    for column in types:
        expression = column_expression(column, source.quote(column.name), profile)
        if expression is None:
            return f"the column {column.name!r} has the type {column.type_name}"
        expressions.append(expression)
    return CopyPlan(table, columns, ", ".join(expressions), key, profile)


def _psycopg_connection(source: SqlSource) -> Any:
    """Return the psycopg connection under the source's SQLAlchemy connection, in its transaction."""
    return source._connect().connection.driver_connection


class _Chunker:
    """Size COPY chunks so that each takes about `CHUNK_TARGET_S`, which spaces checkpoints."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.rows = FIRST_CHUNK_ROWS
        self._clock = clock
        self._started = clock()

    def start(self) -> None:
        self._started = self._clock()

    def finish(self, rows: int) -> None:
        elapsed = self._clock() - self._started
        if rows < self.rows or elapsed <= 0:
            return
        scaled = int(self.rows * CHUNK_TARGET_S / elapsed)
        self.rows = max(MIN_CHUNK_ROWS, min(MAX_CHUNK_ROWS, scaled, self.rows * 4))


def _key_condition(key_list: str, after: str | None, upto: str | None) -> str:
    """Return ` WHERE (k) > (after) AND (k) <= (upto)`, leaving out the bounds that are None."""
    parts = []
    if after is not None:
        parts.append(f"({key_list}) > ({after})")
    if upto is not None:
        parts.append(f"({key_list}) <= ({upto})")
    return " WHERE " + " AND ".join(parts) if parts else ""


def _key_literal(connection: Any, values: Sequence[Any] | None) -> str | None:
    """Write key values as SQL literals: COPY takes no bound parameters."""
    if values is None:
        return None
    return ", ".join(psycopg.sql.Literal(value).as_string(connection) for value in values)


def copy_table(
    source: SqlSource,
    plan: CopyPlan,
    sink: CopySink,
    progress: CopyProgress,
    after: Sequence[Any] | None = None,
    resumed: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Write the table's CSV to `sink` chunk by chunk and return the rows written.

    Each chunk ends at a key read first with `OFFSET`, and after each chunk `progress` gets
    that key, so a checkpoint is only ever taken on a chunk boundary.
    """
    if after is not None and len(after) != len(plan.key):
        raise ValueError(f"position {after!r} does not match the key {plan.key!r} of {plan.table!r}")
    writer = CsvWriter(sink, plan.profile, resumed=resumed)
    writer.begin(plan.columns)
    connection = _psycopg_connection(source)
    quote = source.quote
    table = quote(plan.table)
    key_list = ", ".join(quote(k) for k in plan.key)
    options = f"FORMAT csv, DELIMITER {_sql_literal(plan.profile.delimiter)}, QUOTE {_sql_literal(plan.profile.quote)}, ENCODING 'UTF8'"
    chunker = _Chunker(clock)
    written = 0
    position = list(after) if after is not None else None
    while True:
        chunker.start()
        after_sql = _key_literal(connection, position)
        boundary_sql = (
            f"SELECT {key_list} FROM {table}{_key_condition(key_list, after_sql, None)} "
            f"ORDER BY {key_list} OFFSET {int(chunker.rows) - 1} LIMIT 1"
        )
        try:
            boundary = connection.execute(boundary_sql).fetchone()
        except psycopg.Error as error:
            raise source_error(error, plan.table) from error
        last_chunk = boundary is None
        condition = _key_condition(key_list, after_sql, _key_literal(connection, boundary))
        statement = f"COPY (SELECT {plan.select_list} FROM {table}{condition} ORDER BY {key_list}) TO STDOUT WITH ({options})"
        try:
            rows = _copy_chunk(connection, statement, plan, sink, progress)
        except psycopg.Error as error:
            raise source_error(error, plan.table) from error
        written += rows
        chunker.finish(rows)
        if last_chunk:
            break
        position = list(boundary)
        progress.add(0, position)
        progress.report()
    return written


def _copy_chunk(
    connection: Any, statement: str, plan: CopyPlan, sink: CopySink, progress: CopyProgress
) -> int:
    """Run one COPY and write its rows in groups of `WRITE_ROWS`; return the row count.

    The rows are read with libpq's blocking PQgetCopyData through psycopg's `pgconn`. psycopg's
    own `Copy.read()` costs a generator round trip per row, which made the whole export about
    1.7 times slower than this loop.
    """
    pgconn = connection.pgconn
    crlf = plan.crlf
    encoding = plan.profile.encoding if plan.recode else None
    rows = 0
    with connection.lock:
        _start_copy_out(connection, statement)
        try:
            while True:
                pending: list[Any] = []
                # Each row arrives as one CopyData message ending with the row's "\n".
                while len(pending) < WRITE_ROWS:
                    size, data = pgconn.get_copy_data(0)
                    if size <= 0:
                        break
                    pending.append(data)
                if pending:
                    _write_rows(sink, pending, crlf, encoding)
                    rows += len(pending)
                    progress.add(len(pending), None)
                if size == -2:
                    raise psycopg.OperationalError(pgconn.get_error_message())
                if size == -1:
                    break
        except BaseException:
            _abandon_copy_out(connection)
            raise
        _finish_copy_out(connection)
    return rows


def _start_copy_out(connection: Any, query: str) -> None:
    pgconn = connection.pgconn
    pgconn.send_query(query.encode(connection.info.encoding))
    while pgconn.flush():
        pass  # psycopg puts libpq in nonblocking mode; a short query is sent in one or two calls
    result = pgconn.get_result()
    if result is None or result.status != pq.ExecStatus.COPY_OUT:
        error = psycopg.errors.error_from_result(result, encoding=connection.info.encoding) if result else None
        _drain_results(pgconn)
        raise error or psycopg.OperationalError(pgconn.get_error_message())


def _finish_copy_out(connection: Any) -> None:
    """Read the COPY's final result and raise the server's error if it failed."""
    pgconn = connection.pgconn
    results = _drain_results(pgconn)
    failed = [result for result in results if result.status != pq.ExecStatus.COMMAND_OK]
    if failed:
        raise psycopg.errors.error_from_result(failed[0], encoding=connection.info.encoding)


def _abandon_copy_out(connection: Any) -> None:
    """Stop a COPY that is still sending rows, so the connection can roll back afterwards."""
    pgconn = connection.pgconn
    try:
        pgconn.get_cancel().cancel()
    except psycopg.Error as error:
        log.warning("Cancelling a COPY failed: %s", error)
    while pgconn.get_copy_data(0)[0] > 0:
        pass
    _drain_results(pgconn)


def _drain_results(pgconn: Any) -> list[Any]:
    results = []
    while (result := pgconn.get_result()) is not None:
        results.append(result)
    return results


def _write_rows(sink: CopySink, rows: list[Any], crlf: bool, encoding: str | None) -> None:
    if crlf:
        # Only the row's own last "\n" becomes "\r\n"; line breaks inside quoted values stay "\n".
        data = b"".join(bytes(row[:-1]) + b"\r\n" for row in rows)
    else:
        data = b"".join(rows)
    if encoding is not None:
        text = data.decode("utf-8")
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError as error:
            character = error.object[error.start : error.end]
            raise ExportDeskError(ErrorCode.ENCODING_UNSUPPORTED, f"{character!r} not in {encoding}", subject=encoding) from None
    sink.write(data)


def try_copy_export(source: Any, job: Job, sink: CopySink, progress: CopyProgress, checkpoint: dict[str, Any] | None) -> bool:
    """Export the job's single table through COPY when that gives the general path's bytes.

    Return False, having written nothing, when the job is not a CSV export of one PostgreSQL
    table or when `plan_copy` finds a difference. The runner then takes the general path.
    """
    spec = job.spec
    if not FAST_PATH_ENABLED or spec.format != "csv" or spec.selection.query or len(spec.selection.tables) != 1:
        return False
    if spec.selection.columns is not None:
        return False  # COPY writes every column; a column list takes the general path
    if not isinstance(source, SqlSource) or source.dialect != "postgresql":
        return False
    table = spec.selection.tables[0]
    plan = plan_copy(source, table, profile_from_options(spec.profile, spec.options))
    if isinstance(plan, str):
        log.info("Job %s: table %s: general path, since %s", job.id, table, plan)
        return False
    log.info("Job %s: table %s: COPY fast path", job.id, table)
    after = checkpoint["key"] if checkpoint else None
    copy_table(source, plan, sink, progress, after=after, resumed=checkpoint is not None)
    return True
