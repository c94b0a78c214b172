"""Test data for the benchmarks: a synthetic SQLite table and a job table with many jobs.

The synthetic table is generated inside SQLite by a recursive CTE, so 10 million rows take
seconds rather than minutes, and every value depends only on the row number (the same table
in every run).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from pathlib import Path

import sqlalchemy as sa

from exportdesk.jobs import JobState, Outcome
from exportdesk.storage import Storage
from exportdesk.store.schema import create_engine, jobs_table

SYNTHETIC_TABLE = "t"
SYNTHETIC_COLUMNS = 8

# Cyrillic words the text columns are cut from; one contains a delimiter, one a quote.
_WORDS = "Москва; Санкт-Петербург «Ёлка» Новосибирск Екатеринбург Казань Нижний Новгород Челябинск Самара Омск Ростов-на-Дону Уфа"

_CREATE = f"""
CREATE TABLE {SYNTHETIC_TABLE} (
    id INTEGER PRIMARY KEY,
    city TEXT NOT NULL,
    note TEXT,
    quantity INTEGER,
    price_text TEXT,
    amount NUMERIC,
    ratio REAL,
    created_at TEXT
)
"""

# Every value is a function of x, the row number. NULLs: note in 1 row of 5, quantity in 1 of
# 7, price_text in 1 of 11, amount in 1 of 13, ratio in 1 of 17, created_at in 1 of 19.
_INSERT = f"""
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < :rows)
INSERT INTO {SYNTHETIC_TABLE}
SELECT
    x,
    substr(:words, 1 + x % 60, 5 + x % 23),
    CASE WHEN x % 5 = 0 THEN NULL ELSE 'Заметка №' || x || ' — ' || substr(:words, 1 + x % 31, 12) END,
    CASE WHEN x % 7 = 0 THEN NULL ELSE (x * 7919) % 100000 - 50000 END,
    CASE WHEN x % 11 = 0 THEN NULL ELSE printf('%d.%02d', (x * 31) % 100000, x % 100) END,
    CASE WHEN x % 13 = 0 THEN NULL ELSE printf('%d.%03d', (x * 17) % 1000000, x % 1000) END,
    CASE WHEN x % 17 = 0 THEN NULL ELSE ((x * 2654435761) % 1000003) / 7.0 END,
    CASE WHEN x % 19 = 0 THEN NULL
         ELSE strftime('%Y-%m-%dT%H:%M:%S', 1700000000 + x * 37, 'unixepoch') END
FROM n
"""


def build_synthetic(path: Path, rows: int) -> Path:
    """Create an SQLite file with table `t` of `rows` rows and 8 columns of mixed types."""
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        connection.execute(_CREATE)
        connection.execute(_INSERT, {"rows": rows, "words": _WORDS})
        connection.commit()
        count = connection.execute(f"SELECT count(*) FROM {SYNTHETIC_TABLE}").fetchone()[0]
    finally:
        connection.close()
    if count != rows:
        raise RuntimeError(f"synthetic table has {count} rows, expected {rows}")
    return path


def fill_job_table(database: Path, owner: str, count: int, now: dt.datetime, demo_source: str = "demo") -> list[str]:
    """Insert `count` ended jobs of `owner` straight into the job table; return the ids of the ready ones.

    The mix is what a long-used app accumulates: a tenth still ready (their retention runs
    until tomorrow), a tenth ready but past retention (the next sweep expires them), and the
    rest expired, failed or cancelled. Ready jobs need their files on disk: see
    `write_artifacts`.
    """
    engine = create_engine(database)
    rows = []
    ready: list[str] = []
    for number in range(count):
        job_id = str(uuid.uuid4())
        created = now - dt.timedelta(minutes=count - number)
        kind = number % 10
        if kind == 0:
            state, outcome, expires = JobState.READY, None, now + dt.timedelta(days=1)
            ready.append(job_id)
        elif kind == 1:
            state, outcome, expires = JobState.READY, None, now - dt.timedelta(minutes=1)
        elif kind < 6:
            state, outcome, expires = JobState.EXPIRED, Outcome.RETENTION_ELAPSED, created + dt.timedelta(days=1)
        elif kind < 8:
            state, outcome, expires = JobState.FAILED, None, None
        else:
            state, outcome, expires = JobState.CANCELLED, None, None
        rows.append(
            {
                "id": job_id, "owner": owner, "name": f"Выгрузка {number}", "state": state.value,
                "outcome": outcome.value if outcome else None,
                "error_code": "source_unreachable" if state is JobState.FAILED else None,
                "source": demo_source, "selection": {"tables": ["airlines"], "query": None},
                "format": "csv", "profile": "excel-ru", "options": {}, "retention_s": 86400,
                "file_name": "airlines.csv", "rows_done": 16, "rows_total": 16, "bytes_written": 300,
                "sha256": "ab" * 32, "created_at": created, "started_at": created, "finished_at": created,
                "expires_at": expires, "progress_at": created, "attempts": 1, "cancel_requested": False,
            }
        )
    with engine.begin() as connection:
        connection.execute(sa.insert(jobs_table), rows)
    engine.dispose()
    return ready


def write_artifacts(storage: Storage, owner: str, job_ids: list[str]) -> None:
    """Write a small artifact for each ready job, where `Storage` expects it."""
    for job_id in job_ids:
        folder = storage.job_dir(owner, job_id)
        folder.mkdir(mode=0o700, parents=True)
        (folder / "airlines.csv").write_bytes(b"carrier,name\n" * 20)


_PG_CREATE = f"""
CREATE TABLE {SYNTHETIC_TABLE} (
    id bigint PRIMARY KEY,
    city text NOT NULL,
    note text,
    quantity integer,
    price_text text,
    amount numeric(12, 3),
    ratio double precision,
    created_at timestamp
)
"""

# The same values as the SQLite table, as far as PostgreSQL's types allow.
_PG_INSERT = f"""
INSERT INTO {SYNTHETIC_TABLE}
SELECT
    x,
    substr(%(words)s, 1 + (x %% 60)::int, 5 + (x %% 23)::int),
    CASE WHEN x %% 5 = 0 THEN NULL ELSE 'Заметка №' || x || ' — ' || substr(%(words)s, 1 + (x %% 31)::int, 12) END,
    CASE WHEN x %% 7 = 0 THEN NULL ELSE (x * 7919) %% 100000 - 50000 END,
    CASE WHEN x %% 11 = 0 THEN NULL ELSE format('%%s.%%s', (x * 31) %% 100000, lpad((x %% 100)::text, 2, '0')) END,
    CASE WHEN x %% 13 = 0 THEN NULL ELSE ((x * 17) %% 1000000 + (x %% 1000) / 1000.0)::numeric(12, 3) END,
    CASE WHEN x %% 17 = 0 THEN NULL ELSE ((x * 2654435761) %% 1000003) / 7.0::double precision END,
    CASE WHEN x %% 19 = 0 THEN NULL ELSE to_timestamp(1700000000 + x * 37) AT TIME ZONE 'UTC' END
FROM generate_series(1, %(rows)s::bigint) AS x
"""


def build_postgres(conninfo: dict[str, object], rows: int) -> None:
    """Create table `t` with `rows` rows in the PostgreSQL database of `conninfo`."""
    import psycopg

    with psycopg.connect(**conninfo) as connection:  # type: ignore[arg-type]
        connection.execute(f"DROP TABLE IF EXISTS {SYNTHETIC_TABLE}")
        connection.execute(_PG_CREATE)
        connection.execute(_PG_INSERT, {"rows": rows, "words": _WORDS})
        connection.execute(f"ANALYZE {SYNTHETIC_TABLE}")
