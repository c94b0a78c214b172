"""`Dispatcher`: parallel limit, reports in the GUI thread, recovery at start and detaching at exit."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.dispatcher import Dispatcher
from exportdesk.jobs import JobState

JOB_TIMEOUT_MS = 60_000


@pytest.fixture
def dispatchers(qtbot: QtBot) -> Iterator[list[Dispatcher]]:
    """Collect the dispatchers a test starts and shut them down at its end."""
    started: list[Dispatcher] = []
    yield started
    for dispatcher in started:
        dispatcher.shutdown(wait=True, timeout_ms=JOB_TIMEOUT_MS)


def state_of(ctx: Context, job_id: str) -> JobState:
    return ctx.store.get(ctx.owner, job_id).state


def test_one_at_a_time_with_parallel_one(qtbot: QtBot, gui_ctx: Context, dispatchers: list[Dispatcher]) -> None:
    first = actions.submit(gui_ctx, actions.new_spec("demo", tables=("airlines",)))
    second = actions.submit(gui_ctx, actions.new_spec("demo", tables=("planes",)))
    dispatcher = Dispatcher(gui_ctx, parallel=1)
    dispatchers.append(dispatcher)
    ended: list[tuple[str, bool]] = []
    gui_thread = threading.current_thread()
    dispatcher.jobEnded.connect(lambda job_id: ended.append((job_id, threading.current_thread() is gui_thread)))

    dispatcher.start()
    assert dispatcher.running_job_ids() == {first.id}
    assert state_of(gui_ctx, second.id) is JobState.QUEUED

    qtbot.waitUntil(lambda: len(ended) == 2, timeout=JOB_TIMEOUT_MS)
    assert ended == [(first.id, True), (second.id, True)]
    assert state_of(gui_ctx, first.id) is JobState.READY
    assert state_of(gui_ctx, second.id) is JobState.READY
    ended_job = dispatcher.ended_job(first.id)
    assert ended_job is not None and ended_job.state is JobState.READY


def test_two_jobs_run_in_parallel(qtbot: QtBot, gui_ctx: Context, dispatchers: list[Dispatcher]) -> None:
    jobs = [actions.submit(gui_ctx, actions.new_spec("demo", tables=(table,))) for table in ("flights", "weather", "planes")]
    dispatcher = Dispatcher(gui_ctx, parallel=2)
    dispatchers.append(dispatcher)

    dispatcher.start()

    assert dispatcher.running_job_ids() == {jobs[0].id, jobs[1].id}
    assert state_of(gui_ctx, jobs[2].id) is JobState.QUEUED
    qtbot.waitUntil(lambda: all(state_of(gui_ctx, job.id) is JobState.READY for job in jobs), timeout=JOB_TIMEOUT_MS)
    qtbot.waitUntil(lambda: not dispatcher.running_job_ids(), timeout=JOB_TIMEOUT_MS)


def test_start_recovers_stale_running_job(qtbot: QtBot, gui_ctx: Context, dispatchers: list[Dispatcher]) -> None:
    job = actions.submit(gui_ctx, actions.new_spec("demo", tables=("airlines",)))
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1)
    gui_ctx.store.claim_next("instance-that-died", now=long_ago)

    dispatcher = Dispatcher(gui_ctx)
    dispatchers.append(dispatcher)
    dispatcher.start()

    # Recovery puts the job back in the queue, and this dispatcher runs it a second time.
    assert gui_ctx.store.get(gui_ctx.owner, job.id).lease_instance != "instance-that-died"
    qtbot.waitUntil(lambda: state_of(gui_ctx, job.id) is JobState.READY, timeout=JOB_TIMEOUT_MS)
    assert gui_ctx.store.get(gui_ctx.owner, job.id).attempts == 2


def test_shutdown_without_wait_leaves_worker_running(qtbot: QtBot, gui_ctx: Context) -> None:
    job = actions.submit(gui_ctx, actions.new_spec("demo", tables=("flights",)))
    dispatcher = Dispatcher(gui_ctx)
    dispatcher.start()
    qtbot.waitUntil(lambda: gui_ctx.store.get(gui_ctx.owner, job.id).lease_pid is not None, timeout=JOB_TIMEOUT_MS)

    started = time.monotonic()
    all_ended = dispatcher.shutdown(wait=False)
    assert time.monotonic() - started < 2.0
    assert not all_ended

    # The worker process finishes the job by itself, without a supervising thread.
    qtbot.waitUntil(lambda: state_of(gui_ctx, job.id) is JobState.READY, timeout=JOB_TIMEOUT_MS)


def test_cancel_then_shutdown_waits(qtbot: QtBot, gui_ctx: Context) -> None:
    job = actions.submit(gui_ctx, actions.new_spec("demo", tables=("flights",)))
    dispatcher = Dispatcher(gui_ctx)
    dispatcher.start()
    qtbot.waitUntil(lambda: gui_ctx.store.get(gui_ctx.owner, job.id).lease_pid is not None, timeout=JOB_TIMEOUT_MS)

    actions.cancel(gui_ctx, job.id)
    assert dispatcher.shutdown(wait=True, timeout_ms=JOB_TIMEOUT_MS)

    assert state_of(gui_ctx, job.id) is JobState.CANCELLED
    assert dispatcher.running_job_ids() == frozenset()
