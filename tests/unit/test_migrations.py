"""Schema migrations: a job database written by an older release opens with its history."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import sqlalchemy as sa

from exportdesk.jobs import JobState
from exportdesk.store import JobStore
from exportdesk.store.migrations import SCHEMA_VERSION

STORED_V1 = Path(__file__).parent.parent / "data" / "jobs-schema-v1.sqlite3"
REMINDED_AT = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def test_version_1_database_upgrades_keeping_jobs(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    shutil.copy(STORED_V1, path)
    store = JobStore(path)
    jobs = store.list("root/local")
    store.mark_reminded("root/local", [jobs[0].id], now=REMINDED_AT)
    reminded = {job.id: job.reminded_at for job in store.list("root/local")}
    store.close()
    assert sorted(job.rows_done for job in jobs) == [16, 336_776]
    assert {job.state for job in jobs} == {JobState.READY}
    assert all(job.downloaded_at is None for job in jobs)
    assert all(job.reminded_at is None for job in jobs)
    assert reminded == {jobs[0].id: REMINDED_AT, jobs[1].id: None}

    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar()
    engine.dispose()
    assert version == str(SCHEMA_VERSION)


def test_new_and_upgraded_schemas_match(tmp_path: Path) -> None:
    upgraded = tmp_path / "upgraded.sqlite3"
    shutil.copy(STORED_V1, upgraded)
    JobStore(upgraded).close()
    JobStore(tmp_path / "new.sqlite3").close()

    def columns(path: Path) -> list[tuple[str, str]]:
        engine = sa.create_engine(f"sqlite:///{path}")
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA table_info(jobs)").all()
        engine.dispose()
        return [(row[1], row[2]) for row in rows]

    assert columns(upgraded) == columns(tmp_path / "new.sqlite3")
