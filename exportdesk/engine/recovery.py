"""Settle jobs whose worker is gone: at start-up and whenever the dispatcher looks.

A running job whose lease is stale (its worker process no longer exists, or its heartbeat
is older than `STALE_AFTER_S`) ends as failed with "the export was interrupted" and its
partial file is deleted. Nothing stays running forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable

from exportdesk.jobs import ErrorCode, Job, JobState, Outcome, utcnow
from exportdesk.storage import Storage
from exportdesk.store import JobStore
from exportdesk.jobs import InvalidTransition

log = logging.getLogger(__name__)

STALE_AFTER_S = 30.0


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lease_is_stale(
    job: Job,
    now: dt.datetime,
    is_alive: Callable[[int], bool] = pid_alive,
    stale_after_s: float = STALE_AFTER_S,
) -> bool:
    if job.lease_pid is not None and not is_alive(job.lease_pid):
        return True
    beat = job.heartbeat_at or job.started_at or job.created_at
    return (now - beat).total_seconds() > stale_after_s


def recover_stale_jobs(
    store: JobStore,
    storage: Storage,
    now: dt.datetime | None = None,
    is_alive: Callable[[int], bool] = pid_alive,
) -> list[Job]:
    """Fail every running job with a stale lease; return the jobs it changed."""
    now = now or utcnow()
    recovered: list[Job] = []
    for job in store.engine_jobs_in(JobState.RUNNING):
        if not lease_is_stale(job, now, is_alive):
            continue
        storage.delete_job_files(job.owner, job.id)
        try:
            if job.cancel_requested:
                recovered.append(store.mark_cancelled(job.id, now))
            else:
                recovered.append(store.fail(job.id, ErrorCode.INTERRUPTED, Outcome.INTERRUPTED, now))
        except InvalidTransition:
            continue  # the worker ended the job between the read and the write
        log.warning("Job %s: lease of worker %s is stale; job ended as interrupted", job.id, job.lease_pid)
    return recovered
