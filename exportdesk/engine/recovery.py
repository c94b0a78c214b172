"""Settle jobs whose worker is gone, at start-up and whenever a worker exits early.

A running job whose lease is stale (its worker process no longer exists, or its heartbeat
is older than `STALE_AFTER_S`) goes back to the queue: with its checkpoint and `.part` file
when it has one, so it resumes, else to start over. After `MAX_ATTEMPTS` runs it ends as
failed with "the export was interrupted". Nothing stays running forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable

from exportdesk.jobs import ErrorCode, InvalidTransition, Job, JobState, Outcome, utcnow
from exportdesk.storage import Storage
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

STALE_AFTER_S = 30.0
MAX_ATTEMPTS = 3


def pid_alive(pid: int) -> bool:
    """Tell whether a process runs; a zombie (exited, not yet reaped) counts as gone."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            # The state letter follows the parenthesised command name, which may contain spaces.
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS, Windows): the heartbeat age still catches a dead worker
    return state not in (b"Z", b"X")


def _runs_worker_of(pid: int, job_id: str) -> bool | None:
    """Tell whether `pid` is a worker process for `job_id`; None where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            arguments = handle.read().split(b"\0")
    except FileNotFoundError:
        return False if os.path.isdir("/proc/self") else None
    except OSError:
        return None
    return job_id.encode() in arguments


def lease_is_stale(
    job: Job,
    now: dt.datetime,
    is_alive: Callable[[int], bool] = pid_alive,
    stale_after_s: float = STALE_AFTER_S,
) -> bool:
    """Tell whether the job's worker is gone.

    A dead pid is stale at once. An old heartbeat alone is not enough when the pid still runs
    this job's worker, because after the machine sleeps every heartbeat is old. It counts
    when the pid now belongs to another program, or where /proc cannot tell.
    """
    if job.lease_pid is not None and not is_alive(job.lease_pid):
        return True
    beat = job.heartbeat_at or job.started_at or job.created_at
    if (now - beat).total_seconds() <= stale_after_s:
        return False
    if job.lease_pid is None:
        return True
    return _runs_worker_of(job.lease_pid, job.id) is not True


def settle_interrupted(store: JobStore, storage: Storage, job: Job, now: dt.datetime | None = None) -> Job:
    """Decide the fate of a running job whose worker has gone: cancel, resume, restart or fail."""
    if job.cancel_requested:
        storage.delete_job_files(job.owner, job.id)
        return store.mark_cancelled(job.id, now)
    if job.attempts >= MAX_ATTEMPTS:
        storage.delete_job_files(job.owner, job.id)
        log.warning("Job %s: interrupted %d times; giving up", job.id, job.attempts)
        return store.fail(job.id, ErrorCode.INTERRUPTED, Outcome.INTERRUPTED, now)
    if job.checkpoint is not None:
        log.warning("Job %s: interrupted after attempt %d; will resume from its checkpoint", job.id, job.attempts)
        return store.requeue(job.id, keep_checkpoint=True)
    storage.delete_job_files(job.owner, job.id)
    log.warning("Job %s: interrupted after attempt %d; will start over", job.id, job.attempts)
    return store.requeue(job.id, keep_checkpoint=False)


def recover_stale_jobs(
    store: JobStore,
    storage: Storage,
    now: dt.datetime | None = None,
    is_alive: Callable[[int], bool] = pid_alive,
) -> list[Job]:
    """Settle every running job with a stale lease; return the jobs it changed."""
    now = now or utcnow()
    recovered: list[Job] = []
    for job in store.engine_jobs_in(JobState.RUNNING):
        if not lease_is_stale(job, now, is_alive):
            continue
        log.warning("Job %s: lease of worker %s is stale", job.id, job.lease_pid)
        try:
            recovered.append(settle_interrupted(store, storage, job, now))
        except InvalidTransition:
            continue  # the worker ended the job between the read and the write
    return recovered
