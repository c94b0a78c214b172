"""Real worker processes: killed mid-export, cancelled, and left alone when their parent dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.headless import HeadlessDispatcher
from exportdesk.engine.recovery import recover_stale_jobs
from exportdesk.jobs import ErrorCode, Job, JobState, Outcome
from exportdesk.sources.demo import ensure_demo_database


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll the job table, which has no change notification, until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within the timeout")
        time.sleep(0.02)


@pytest.fixture
def demo_ctx(ctx: Context) -> Context:
    ensure_demo_database(ctx.paths.data_dir)
    return ctx


@pytest.fixture
def dispatcher(demo_ctx: Context) -> Iterator[HeadlessDispatcher]:
    running = HeadlessDispatcher(demo_ctx, parallel=2)
    running.start()
    yield running
    running.stop()


def submit_flights(ctx: Context) -> Job:
    return actions.submit(ctx, actions.new_spec("demo", ("flights",), profile="utf8"))


def job_files(ctx: Context, job: Job) -> list[Path]:
    folder = ctx.storage.job_dir(job.owner, job.id)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_killed_worker_ends_interrupted(demo_ctx: Context, dispatcher: HeadlessDispatcher) -> None:
    job = submit_flights(demo_ctx)
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).rows_done > 0)
    running = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert running.lease_pid is not None
    os.kill(running.lease_pid, signal.SIGKILL)

    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).state.is_ended)
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.INTERRUPTED
    assert ended.outcome is Outcome.INTERRUPTED
    assert job_files(demo_ctx, job) == []


def test_cancel_running_removes_partial_file(demo_ctx: Context, dispatcher: HeadlessDispatcher) -> None:
    job = submit_flights(demo_ctx)
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).rows_done > 0)
    asked_at = time.monotonic()
    actions.cancel(demo_ctx, job.id)
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).state.is_ended)
    assert time.monotonic() - asked_at < 2.0
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.CANCELLED
    assert ended.outcome is Outcome.CANCELLED_BY_USER
    assert job_files(demo_ctx, job) == []


def test_queued_jobs_run_in_parallel_and_finish(demo_ctx: Context, dispatcher: HeadlessDispatcher) -> None:
    jobs = [actions.submit(demo_ctx, actions.new_spec("demo", (table,))) for table in ("airlines", "airports", "planes")]
    wait_until(lambda: all(demo_ctx.store.get(demo_ctx.owner, j.id).state.is_ended for j in jobs))
    for job in jobs:
        ended = demo_ctx.store.get(demo_ctx.owner, job.id)
        assert ended.state is JobState.READY
        assert [p.name for p in job_files(demo_ctx, ended)] == [ended.file_name]


def test_worker_finishes_after_its_parent_is_killed(demo_ctx: Context) -> None:
    job = submit_flights(demo_ctx)
    env = dict(os.environ, EXPORTDESK_DATA_DIR=str(demo_ctx.paths.data_dir))
    parent = subprocess.Popen(
        [sys.executable, "-m", "exportdesk.cli", "wait", job.id],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).rows_done > 0)
        parent.send_signal(signal.SIGKILL)
    finally:
        parent.wait()
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).state.is_ended)
    assert demo_ctx.store.get(demo_ctx.owner, job.id).state is JobState.READY


def test_recovery_fails_job_whose_worker_is_gone(demo_ctx: Context) -> None:
    job = submit_flights(demo_ctx)
    claimed = demo_ctx.store.claim_next("dead-instance")
    assert claimed is not None
    demo_ctx.store.set_lease_pid(job.id, 999_999_999)
    # What a killed worker leaves behind: its job folder with a partial file.
    folder = demo_ctx.storage.job_dir(job.owner, job.id)
    folder.mkdir(parents=True)
    (folder / f"{job.file_name}.part").write_bytes(b"half")

    recovered = recover_stale_jobs(demo_ctx.store, demo_ctx.storage, is_alive=lambda pid: False)
    assert [j.id for j in recovered] == [job.id]
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.INTERRUPTED
    assert job_files(demo_ctx, job) == []
