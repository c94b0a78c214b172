"""Real worker processes: killed mid-export, cancelled, and left alone when their parent dies."""

from __future__ import annotations

import datetime as dt
import hashlib
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
from exportdesk.engine.recovery import MAX_ATTEMPTS, recover_stale_jobs
from exportdesk.jobs import ErrorCode, Job, JobState, Outcome
from exportdesk.fastpath import sqlite_export
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
def general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send the workers' exports through the general path, which is about three times slower.

    The C reader exports `flights` in well under a second, too short for a test that polls the
    job table every 20 ms to act between two given checkpoints. Its resume after a kill is
    covered by the crash harness, and its bytes equal the general path's.
    """
    monkeypatch.setenv(sqlite_export.DISABLE_ENV, "off")


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


@pytest.fixture(scope="module")
def reference_sha256(tmp_path_factory: pytest.TempPathFactory) -> str:
    """SHA-256 of the flights export run without interruption."""
    context = Context(tmp_path_factory.mktemp("reference") / "data")
    ensure_demo_database(context.paths.data_dir)
    running = HeadlessDispatcher(context, parallel=1)
    running.start()
    try:
        job = submit_flights(context)
        wait_until(lambda: context.store.get(context.owner, job.id).state.is_ended)
        ended = context.store.get(context.owner, job.id)
    finally:
        running.stop()
        context.close()
    assert ended.state is JobState.READY
    assert ended.sha256 is not None
    return ended.sha256


def kill_worker_when(ctx: Context, job: Job, condition: Callable[[Job], bool]) -> None:
    """Wait until the running job meets `condition`, then SIGKILL its worker process."""

    def ready_to_kill() -> bool:
        current = ctx.store.get(ctx.owner, job.id)
        return current.state is JobState.RUNNING and current.lease_pid is not None and condition(current)

    wait_until(ready_to_kill)
    pid = ctx.store.get(ctx.owner, job.id).lease_pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("kill_at", [0.1, 0.45, 0.8])
def test_killed_worker_resumes_byte_identical(
    general_path: None, demo_ctx: Context, dispatcher: HeadlessDispatcher, reference_sha256: str, kill_at: float
) -> None:
    job = submit_flights(demo_ctx)
    kill_worker_when(
        demo_ctx,
        job,
        lambda current: current.checkpoint is not None and current.rows_done >= kill_at * 336_776,
    )
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).state.is_ended)
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.READY
    assert ended.attempts == 2
    assert ended.rows_done == 336_776
    assert ended.sha256 == reference_sha256
    artifact = demo_ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name)
    assert hashlib.sha256(artifact.read_bytes()).hexdigest() == reference_sha256
    assert [p.name for p in job_files(demo_ctx, ended)] == [ended.file_name]


def test_worker_killed_every_attempt_ends_failed(demo_ctx: Context, dispatcher: HeadlessDispatcher) -> None:
    job = submit_flights(demo_ctx)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        kill_worker_when(demo_ctx, job, lambda current, n=attempt: current.attempts == n and current.rows_done > 0)
    wait_until(lambda: demo_ctx.store.get(demo_ctx.owner, job.id).state.is_ended)
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.INTERRUPTED
    assert ended.outcome is Outcome.INTERRUPTED
    assert ended.attempts == MAX_ATTEMPTS
    assert job_files(demo_ctx, job) == []


def test_cancel_running_removes_partial_file(general_path: None, demo_ctx: Context, dispatcher: HeadlessDispatcher) -> None:
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


def leave_dead_worker_behind(ctx: Context, job: Job, checkpoint: dict[str, object] | None) -> None:
    """Make the job look as a killed worker leaves it: running, a dead pid, a partial file."""
    claimed = ctx.store.claim_next("dead-instance")
    assert claimed is not None
    assert claimed.id == job.id
    ctx.store.set_lease_pid(job.id, 999_999_999)
    folder = ctx.storage.job_dir(job.owner, job.id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{job.file_name}.part").write_bytes(b"half")
    if checkpoint is not None:
        ctx.store.report_progress(job.id, 1, 4, checkpoint=checkpoint)


def test_recovery_requeues_until_attempts_run_out(demo_ctx: Context) -> None:
    job = submit_flights(demo_ctx)
    for attempt in range(1, MAX_ATTEMPTS):
        leave_dead_worker_behind(demo_ctx, job, checkpoint=None)
        recovered = recover_stale_jobs(demo_ctx.store, demo_ctx.storage, is_alive=lambda pid: False)
        assert [j.id for j in recovered] == [job.id]
        requeued = demo_ctx.store.get(demo_ctx.owner, job.id)
        assert requeued.state is JobState.QUEUED, f"attempt {attempt}"
        assert job_files(demo_ctx, job) == []

    leave_dead_worker_behind(demo_ctx, job, checkpoint=None)
    recover_stale_jobs(demo_ctx.store, demo_ctx.storage, is_alive=lambda pid: False)
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.INTERRUPTED
    assert job_files(demo_ctx, job) == []


def test_recovery_keeps_partial_file_with_checkpoint(demo_ctx: Context) -> None:
    job = submit_flights(demo_ctx)
    leave_dead_worker_behind(demo_ctx, job, checkpoint={"key": [1], "offset": 4, "rows": 1})
    recover_stale_jobs(demo_ctx.store, demo_ctx.storage, is_alive=lambda pid: False)
    requeued = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert requeued.state is JobState.QUEUED
    assert requeued.checkpoint == {"key": [1], "offset": 4, "rows": 1}
    assert [p.name for p in job_files(demo_ctx, job)] == [f"{job.file_name}.part"]


def test_live_worker_is_not_recovered(demo_ctx: Context) -> None:
    job = submit_flights(demo_ctx)
    demo_ctx.store.claim_next("live-instance")
    demo_ctx.store.set_lease_pid(job.id, os.getpid())
    assert recover_stale_jobs(demo_ctx.store, demo_ctx.storage) == []
    assert demo_ctx.store.get(demo_ctx.owner, job.id).state is JobState.RUNNING


def test_engine_and_worker_killed_then_resumed(general_path: None, demo_ctx: Context, reference_sha256: str) -> None:
    job = submit_flights(demo_ctx)
    env = dict(os.environ, EXPORTDESK_DATA_DIR=str(demo_ctx.paths.data_dir))
    command = [sys.executable, "-m", "exportdesk.cli", "wait", job.id, "--json"]
    engine = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        kill_worker_when(demo_ctx, job, lambda current: current.checkpoint is not None and current.rows_done > 100_000)
        engine.send_signal(signal.SIGKILL)
    finally:
        engine.wait()
    interrupted = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert interrupted.state in (JobState.RUNNING, JobState.QUEUED)

    restarted = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert restarted.returncode == 0, restarted.stderr
    ended = demo_ctx.store.get(demo_ctx.owner, job.id)
    assert ended.state is JobState.READY
    assert ended.sha256 == reference_sha256


def test_heartbeat_age_alone_keeps_live_worker(demo_ctx: Context) -> None:
    """After the machine sleeps every heartbeat is old; a live worker of the job is kept."""
    job = submit_flights(demo_ctx)
    demo_ctx.store.claim_next("sleeping-instance")
    worker = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()", "--job", job.id], stdin=subprocess.PIPE)
    try:
        demo_ctx.store.set_lease_pid(job.id, worker.pid)
        later = demo_ctx.store.get(demo_ctx.owner, job.id).heartbeat_at + dt.timedelta(hours=8)  # type: ignore[operator]
        assert recover_stale_jobs(demo_ctx.store, demo_ctx.storage, now=later) == []
        # The same pid running something else (a reused pid) is stale.
        demo_ctx.store.set_lease_pid(job.id, os.getpid(), now=later - dt.timedelta(hours=8))
        assert [j.id for j in recover_stale_jobs(demo_ctx.store, demo_ctx.storage, now=later)] == [job.id]
    finally:
        worker.communicate(b"")
