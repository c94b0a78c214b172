"""JobStore: lifecycle transitions, owner isolation, schema version, concurrent writers."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from exportdesk.jobs import ErrorCode, InvalidTransition, JobSpec, JobState, Outcome, Selection
from exportdesk.store import JobNotFound, JobStore
from exportdesk.store.migrations import SCHEMA_VERSION

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
SPEC = JobSpec(source="demo", selection=Selection(tables=("airlines",)), retention_s=3600)


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "jobs.sqlite3")


def test_lifecycle_queued_running_ready(store: JobStore) -> None:
    job = store.create("alice/local", SPEC, "airlines.csv", now=T0)
    assert job.state is JobState.QUEUED
    assert uuid.UUID(job.id).version == 4

    claimed = store.claim_next("instance-1", now=T0)
    assert claimed is not None
    assert claimed.id == job.id
    assert claimed.state is JobState.RUNNING
    assert claimed.attempts == 1
    assert store.claim_next("instance-1", now=T0) is None

    ready = store.finish_ready(job.id, rows=16, bytes_written=386, sha256="ab" * 32, now=T0)
    assert ready.state is JobState.READY
    assert ready.outcome is Outcome.COMPLETED
    assert ready.expires_at == T0 + dt.timedelta(hours=1)
    assert ready.lease_instance is None


def test_invalid_transition_rejected(store: JobStore) -> None:
    job = store.create("alice/local", SPEC, "a.csv", now=T0)
    with pytest.raises(InvalidTransition):
        store.finish_ready(job.id, 0, 0, "")
    with pytest.raises(InvalidTransition):
        store.expire(job.id)


def test_other_owner_sees_not_found(store: JobStore) -> None:
    job = store.create("alice/local", SPEC, "a.csv", now=T0)
    with pytest.raises(JobNotFound):
        store.get("bob/local", job.id)
    with pytest.raises(JobNotFound):
        store.request_cancel("bob/local", job.id)
    with pytest.raises(JobNotFound):
        store.remove("bob/local", job.id)
    assert store.list("bob/local") == []
    assert [j.id for j in store.list("alice/local")] == [job.id]


def test_cancel_queued_is_immediate_running_is_flagged(store: JobStore) -> None:
    queued = store.create("alice/local", SPEC, "a.csv", now=T0)
    assert store.request_cancel("alice/local", queued.id).state is JobState.CANCELLED

    running_job = store.create("alice/local", SPEC, "b.csv", now=T0)
    store.claim_next("instance-1")
    flagged = store.request_cancel("alice/local", running_job.id)
    assert flagged.state is JobState.RUNNING
    assert flagged.cancel_requested
    assert store.report_progress(running_job.id, 10, 100) is True


def test_failed_job_keeps_error_code(store: JobStore) -> None:
    job = store.create("alice/local", SPEC, "a.csv", now=T0)
    store.claim_next("instance-1")
    failed = store.fail(job.id, ErrorCode.DISK_FULL)
    assert failed.state is JobState.FAILED
    assert failed.error_code is ErrorCode.DISK_FULL
    assert failed.outcome is Outcome.ERROR


def test_schema_version_recorded(store: JobStore, tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'jobs.sqlite3'}")
    with engine.connect() as connection:
        version = connection.exec_driver_sql("SELECT value FROM meta WHERE key='schema_version'").scalar()
        journal = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    engine.dispose()
    assert version == str(SCHEMA_VERSION)
    assert journal == "wal"


def test_concurrent_writers_never_locked(store: JobStore) -> None:
    jobs = [store.create("alice/local", SPEC, f"{i}.csv", now=T0) for i in range(4)]
    for _ in jobs:
        store.claim_next("instance-1")
    errors: list[BaseException] = []

    def write_progress(job_id: str) -> None:
        try:
            for rows in range(200):
                store.report_progress(job_id, rows, rows * 10)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    def read_list() -> None:
        try:
            for _ in range(200):
                store.list("alice/local")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write_progress, args=(job.id,)) for job in jobs]
    threads.append(threading.Thread(target=read_list))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert {job.rows_done for job in store.list("alice/local")} == {199}


def test_list_active_reads_active_and_named(store: JobStore) -> None:
    ended = store.create("alice/local", SPEC, "a.csv", now=T0)
    store.claim_next("instance-1", now=T0)
    store.fail(ended.id, ErrorCode.SOURCE_UNREACHABLE, now=T0)
    other_ended = store.create("alice/local", SPEC, "b.csv", now=T0 + dt.timedelta(seconds=1))
    store.claim_next("instance-1", now=T0)
    store.mark_cancelled(other_ended.id, now=T0)
    running = store.create("alice/local", SPEC, "c.csv", now=T0 + dt.timedelta(seconds=2))
    store.claim_next("instance-1", now=T0)
    queued = store.create("alice/local", SPEC, "d.csv", now=T0 + dt.timedelta(seconds=3))
    store.create("bob/local", SPEC, "e.csv", now=T0 + dt.timedelta(seconds=4))

    assert [job.id for job in store.list_active("alice/local")] == [queued.id, running.id]
    named = store.list_active("alice/local", [ended.id])
    assert [job.id for job in named] == [queued.id, running.id, ended.id]
    assert store.list_active("carol/local", [ended.id]) == []


def _ready_job(store: JobStore, owner: str, retention_s: int, now: dt.datetime) -> str:
    spec = JobSpec(source="demo", selection=Selection(tables=("airlines",)), retention_s=retention_s)
    job = store.create(owner, spec, "airlines.csv", now=now)
    claimed = store.claim_next("instance-1", now=now)
    assert claimed is not None and claimed.id == job.id
    store.finish_ready(job.id, rows=16, bytes_written=386, sha256="ab" * 32, now=now)
    return job.id


def test_expire_due_at_boundary(store: JobStore) -> None:
    at_boundary = _ready_job(store, "alice/local", 3600, T0)
    one_second_later = _ready_job(store, "bob/local", 3601, T0)
    failed = store.create("alice/local", SPEC, "a.csv", now=T0)
    store.claim_next("instance-1", now=T0)
    store.fail(failed.id, ErrorCode.SOURCE_UNREACHABLE, now=T0)

    expired = store.expire_due(T0 + dt.timedelta(seconds=3600))

    assert expired == [(at_boundary, T0 + dt.timedelta(seconds=3600))]
    job = store.engine_get(at_boundary)
    assert job.state is JobState.EXPIRED
    assert job.outcome is Outcome.RETENTION_ELAPSED
    assert store.engine_get(one_second_later).state is JobState.READY
    assert store.engine_get(failed.id).state is JobState.FAILED
    assert store.expire_due(T0 + dt.timedelta(seconds=3600)) == []


def test_engine_jobs_among_many_ids(store: JobStore) -> None:
    created = [store.create(f"owner-{number % 3}/local", SPEC, "a.csv", now=T0).id for number in range(1200)]
    wanted = created[::2] + ["not-a-job", "00000000-0000-0000-0000-000000000000"]

    found = store.engine_jobs_among(wanted)

    assert sorted(job.id for job in found) == sorted(created[::2])
    assert store.engine_jobs_among([]) == []
