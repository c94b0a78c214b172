"""`JobListReader`: the same jobs as `JobStore.list`, with unchanged rows' snapshots reused."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from exportdesk.jobs import ErrorCode, Job, JobSpec, Selection
from exportdesk.store import JobStore
from exportdesk.store.job_list import JobListReader

T0 = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
OWNER = "alice/local"


@pytest.fixture
def store(tmp_path: Path) -> JobStore:
    return JobStore(tmp_path / "jobs.sqlite3")


def spec(table: str, **options: object) -> JobSpec:
    return JobSpec(source="demo", selection=Selection(tables=(table,)), name=f"Выгрузка {table}", retention_s=3600, options=dict(options))


def fill(store: JobStore) -> dict[str, Job]:
    """Put one job in each kind of state, with every optional column set somewhere."""
    ready = store.create(OWNER, spec("airlines", delimiter=";"), "airlines.csv", now=T0)
    store.claim_next("instance-1", now=T0)
    store.report_progress(ready.id, 10, 100, rows_total=16, now=T0, checkpoint={"rows": 10, "bytes": 100})
    store.finish_ready(ready.id, rows=16, bytes_written=300, sha256="ab" * 32, now=T0)
    store.mark_downloaded(OWNER, ready.id, now=T0 + dt.timedelta(minutes=5))
    store.mark_reminded(OWNER, [ready.id], now=T0 + dt.timedelta(minutes=6))
    failed = store.create(OWNER, spec("weather"), "weather.csv", now=T0 + dt.timedelta(seconds=1))
    store.claim_next("instance-1", now=T0 + dt.timedelta(seconds=1))
    store.fail(failed.id, ErrorCode.SOURCE_UNREACHABLE, subject="weather", now=T0 + dt.timedelta(seconds=2))
    running = store.create(OWNER, spec("flights"), "flights.csv", rows_total=1000, now=T0 + dt.timedelta(seconds=3))
    store.claim_next("instance-1", now=T0 + dt.timedelta(seconds=3))
    store.report_progress(running.id, 500, 9000, now=T0 + dt.timedelta(seconds=4), checkpoint={"key": [1, "a"]})
    queued = store.create(OWNER, spec("planes"), "planes.csv", now=T0 + dt.timedelta(seconds=5))
    store.create("bob/local", spec("airports"), "airports.csv", now=T0)
    return {"ready": ready, "failed": failed, "running": running, "queued": queued}


def test_reader_matches_store_list(store: JobStore) -> None:
    fill(store)

    assert JobListReader(store, OWNER).read() == store.list(OWNER)


def test_reader_reuses_unchanged_rows(store: JobStore) -> None:
    jobs = fill(store)
    reader = JobListReader(store, OWNER)
    first = {job.id: job for job in reader.read()}

    store.report_progress(jobs["running"].id, 750, 12_000, now=T0 + dt.timedelta(seconds=9))
    second = {job.id: job for job in reader.read()}

    assert second[jobs["running"].id] is not first[jobs["running"].id]
    assert second[jobs["running"].id].rows_done == 750
    for name in ("ready", "failed", "queued"):
        assert second[jobs[name].id] is first[jobs[name].id]
    assert list(second.values()) == store.list(OWNER)


def test_reader_drops_removed_rows(store: JobStore) -> None:
    jobs = fill(store)
    reader = JobListReader(store, OWNER)
    reader.read()

    store.remove(OWNER, jobs["failed"].id)

    assert [job.id for job in reader.read()] == [job.id for job in store.list(OWNER)]
    assert jobs["failed"].id not in {job.id for job in reader.read()}


def test_reader_works_from_another_thread(store: JobStore) -> None:
    fill(store)
    reader = JobListReader(store, OWNER)
    results: list[list[Job]] = []

    thread = threading.Thread(target=lambda: results.append(reader.read()))
    thread.start()
    thread.join()

    assert results == [store.list(OWNER)]
