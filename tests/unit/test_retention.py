"""Retention: expiry exactly at expires_at, refusal before deletion, sweep and reconciliation."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from apscheduler.schedulers.base import STATE_STOPPED

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.retention import RetentionService, SweepReport, sweep
from exportdesk.jobs import ErrorCode, Job, JobState, Outcome

FINISHED = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(hours=24)


def make_ready_job(ctx: Context, content: bytes = b"a\n1\n") -> Job:
    spec = actions.new_spec("demo", ("airlines",), profile="utf8", retention_s=24 * 3600)
    job = actions.submit(ctx, spec, now=FINISHED)
    claimed = ctx.store.claim_next("instance", now=FINISHED)
    assert claimed is not None
    with ctx.storage.open_writer(job.owner, job.id, job.file_name) as writer:
        writer.write(content)
        sha256 = writer.finish()
    return ctx.store.finish_ready(job.id, 1, len(content), sha256, now=FINISHED)


def test_expired_exactly_at_expires_at(ctx: Context, tmp_path: Path) -> None:
    job = make_ready_job(ctx)
    one_second_before = FINISHED + DAY - dt.timedelta(seconds=1)
    actions.download(ctx, job.id, tmp_path / "before.csv", now=one_second_before)
    assert (tmp_path / "before.csv").read_bytes() == b"a\n1\n"
    with pytest.raises(actions.ArtifactExpired):
        actions.download(ctx, job.id, tmp_path / "at.csv", now=FINISHED + DAY)
    assert not (tmp_path / "at.csv").exists()


def test_expired_file_refused_before_sweep_then_deleted(ctx: Context, tmp_path: Path) -> None:
    job = make_ready_job(ctx)
    late = FINISHED + DAY + dt.timedelta(seconds=1)
    artifact = ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    assert artifact.exists()
    with pytest.raises(actions.ArtifactExpired):
        actions.download(ctx, job.id, tmp_path / "late.csv", now=late)
    assert list(tmp_path.glob("late.csv*")) == []

    report = sweep(ctx.store, ctx.storage, now=late)
    assert report.expired == [job.id]
    assert not artifact.exists()
    assert not artifact.parent.exists()
    expired = ctx.store.get(ctx.owner, job.id)
    assert expired.state is JobState.EXPIRED
    assert expired.outcome is Outcome.RETENTION_ELAPSED


def test_sweep_before_expiry_keeps_file(ctx: Context) -> None:
    job = make_ready_job(ctx)
    report = sweep(ctx.store, ctx.storage, now=FINISHED + DAY - dt.timedelta(seconds=1))
    assert report.expired == []
    assert ctx.store.get(ctx.owner, job.id).state is JobState.READY


def test_sweep_reconciles_orphans_parts_and_missing(ctx: Context) -> None:
    kept = make_ready_job(ctx)
    vanished = make_ready_job(ctx)
    ctx.storage.artifact_path(vanished.owner, vanished.id, vanished.file_name).unlink()
    orphan = ctx.storage.owner_dir(ctx.owner) / "0000-no-such-job"
    orphan.mkdir()
    (orphan / "old.csv.part").write_bytes(b"stale")
    stale_part = ctx.storage.job_dir(kept.owner, kept.id) / "leftover.csv.part"
    stale_part.write_bytes(b"stale")

    report = sweep(ctx.store, ctx.storage, now=FINISHED)
    assert report.missing == [vanished.id]
    assert ctx.store.get(ctx.owner, vanished.id).outcome is Outcome.FILE_MISSING
    assert not orphan.exists()
    assert not stale_part.exists()
    assert ctx.storage.artifact_path(kept.owner, kept.id, kept.file_name).exists()


def test_service_sweeps_missed_expiry_once_at_start(ctx: Context) -> None:
    job = make_ready_job(ctx)
    now = FINISHED + 3 * DAY
    service = RetentionService(ctx.store, ctx.storage, clock=lambda: now)
    try:
        report = service.start()
    finally:
        service.stop()
    assert report.expired == [job.id]
    assert ctx.store.get(ctx.owner, job.id).state is JobState.EXPIRED


def test_sweep_deletes_folders_of_ended_jobs(ctx: Context) -> None:
    job = actions.submit(ctx, actions.new_spec("demo", ("airlines",)), now=FINISHED)
    ctx.store.claim_next("instance", now=FINISHED)
    ctx.store.fail(job.id, ErrorCode.INTERNAL, now=FINISHED)
    leftover = ctx.storage.job_dir(job.owner, job.id)
    leftover.mkdir(parents=True)
    (leftover / "airlines.csv").write_bytes(b"half")
    report = sweep(ctx.store, ctx.storage, now=FINISHED)
    assert report.folders_deleted == [job.id]
    assert not leftover.exists()


def test_sweep_keeps_files_of_active_jobs(ctx: Context) -> None:
    job = actions.submit(ctx, actions.new_spec("demo", ("airlines",)), now=FINISHED)
    ctx.store.claim_next("instance", now=FINISHED)
    working = ctx.storage.job_dir(job.owner, job.id)
    working.mkdir(parents=True)
    (working / "airlines.csv.part").write_bytes(b"in progress")
    sweep(ctx.store, ctx.storage, now=FINISHED)
    assert (working / "airlines.csv.part").exists()


def test_download_finishes_when_sweep_deletes_during_copy(ctx: Context, tmp_path: Path) -> None:
    job = make_ready_job(ctx, content=b"x" * (3 * 1024 * 1024))
    swept: list[SweepReport] = []

    def sweep_after_first_chunk(copied: int, total: int) -> None:
        if not swept:
            swept.append(sweep(ctx.store, ctx.storage, now=FINISHED + 2 * DAY))

    actions.download(ctx, job.id, tmp_path / "copy.csv", progress=sweep_after_first_chunk, now=FINISHED)
    assert swept[0].expired == [job.id]
    assert not ctx.storage.job_dir(job.owner, job.id).exists()
    assert (tmp_path / "copy.csv").read_bytes() == b"x" * (3 * 1024 * 1024)


def test_sweep_deletes_stray_files_and_empty_owner_folders(ctx: Context) -> None:
    stray = ctx.storage.root / "stray.csv"
    stray.write_bytes(b"x")
    empty_owner = ctx.storage.root / "someone-0123456789ab"
    empty_owner.mkdir()
    report = sweep(ctx.store, ctx.storage, now=FINISHED)
    assert str(stray) in report.orphans_deleted
    assert not stray.exists()
    assert not empty_owner.exists()


def test_missed_expiry_timer_runs_once(ctx: Context) -> None:
    """A timer whose time passed while the app was closed runs once when the scheduler starts."""
    job = make_ready_job(ctx)
    swept: list[SweepReport] = []
    done = threading.Event()
    service = RetentionService(ctx.store, ctx.storage, clock=lambda: FINISHED + 3 * DAY, interval_s=3600)

    def record(report: SweepReport) -> SweepReport:
        swept.append(report)
        done.set()
        return report

    original = service.run_sweep
    service.run_sweep = lambda: record(original())  # type: ignore[method-assign]
    try:
        service._scheduler.start(paused=True)
        service._scheduler.add_job(service.run_sweep, "date", run_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), id=f"expire-{job.id}")
        service._scheduler.resume()
        assert done.wait(10)
    finally:
        service.stop()
    assert len(swept) == 1
    assert swept[0].expired == [job.id]


def test_stop_while_a_timer_is_handled_raises_nothing(ctx: Context) -> None:
    """Stopping the service while the scheduler hands a due timer to its executor is clean."""
    job = make_ready_job(ctx)
    service = RetentionService(ctx.store, ctx.storage, clock=lambda: FINISHED, interval_s=3600)
    scheduler = service._scheduler
    errors: list[BaseException] = []
    handing_over = threading.Event()
    stop_began = threading.Event()
    scheduler.start(paused=True)
    executor = scheduler._lookup_executor("default")
    submit = executor.submit_job

    def slow_submit(*args: object) -> None:
        submit(*args)
        handing_over.set()
        stop_began.wait(10)
        # Without the fix, shutdown() marks the scheduler stopped at once; give it the chance.
        deadline = time.monotonic() + 1
        while scheduler.state != STATE_STOPPED and time.monotonic() < deadline:
            time.sleep(0.01)

    executor.submit_job = slow_submit  # type: ignore[method-assign]
    previous_hook = threading.excepthook
    threading.excepthook = lambda hook_args: errors.append(hook_args.exc_value)  # type: ignore[assignment, arg-type]
    try:
        scheduler.add_job(service.run_sweep, "date", run_date=dt.datetime(2000, 1, 1, tzinfo=dt.UTC), id=f"expire-{job.id}")
        scheduler.resume()
        assert handing_over.wait(10)
        stopper = threading.Thread(target=service.stop)
        stopper.start()
        stop_began.set()
        stopper.join(10)
        assert not stopper.is_alive()
    finally:
        threading.excepthook = previous_hook
        service.stop()
    assert errors == []
