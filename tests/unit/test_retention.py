"""Retention: expiry exactly at expires_at, refusal before deletion, sweep and reconciliation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.retention import RetentionService, sweep
from exportdesk.jobs import Job, JobState, Outcome

FINISHED = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
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
