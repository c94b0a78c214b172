"""Retention: delete expired artifacts and reconcile storage with the job table.

The job table is the only truth. `sweep()` reads it, expires ready jobs whose `expires_at`
has passed, deletes files and folders that no job owns, deletes `.part` files of jobs that
are not running, and expires ready jobs whose file has vanished. `RetentionService` only
decides when to sweep: once at start, every `SWEEP_INTERVAL_S`, and at each `expires_at`.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler

from exportdesk.jobs import InvalidTransition, Job, JobState, Outcome, utcnow
from exportdesk.storage import PART_SUFFIX, Storage
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 15 * 60


@dataclass
class SweepReport:
    expired: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphans_deleted: list[str] = field(default_factory=list)
    parts_deleted: list[str] = field(default_factory=list)


def _expire(store: JobStore, job: Job, outcome: Outcome) -> bool:
    try:
        store.expire(job.id, outcome)
    except InvalidTransition:
        return False  # removed or changed meanwhile
    return True


def sweep(store: JobStore, storage: Storage, now: dt.datetime | None = None) -> SweepReport:
    now = now or utcnow()
    report = SweepReport()

    # Expire ready jobs past retention, and ready jobs whose file is gone.
    for job in store.engine_jobs_in(JobState.READY):
        path = storage.artifact_path(job.owner, job.id, job.file_name)
        if job.is_expired_at(now):
            storage.delete_job_files(job.owner, job.id)
            if _expire(store, job, Outcome.RETENTION_ELAPSED):
                report.expired.append(job.id)
                log.info("Job %s: retention elapsed at %s; artifact deleted", job.id, job.expires_at)
        elif not path.exists():
            if _expire(store, job, Outcome.FILE_MISSING):
                report.missing.append(job.id)
                log.warning("Job %s: artifact %s is missing; job marked expired", job.id, path)

    # Delete folders without a job row, and partial files of jobs that are not running.
    known = store.engine_all_ids()
    running = {job.id for job in store.engine_jobs_in(JobState.RUNNING, JobState.QUEUED)}
    for job_id, folder in storage.job_folders():
        if job_id not in known:
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
            else:
                folder.unlink(missing_ok=True)
            report.orphans_deleted.append(str(folder))
            log.info("Storage: deleted %s, which no job owns", folder)
            continue
        if job_id in running or not folder.is_dir():
            continue
        for part in folder.glob(f"*{PART_SUFFIX}"):
            part.unlink(missing_ok=True)
            report.parts_deleted.append(str(part))
            log.info("Job %s: deleted stale partial file %s", job_id, part)
    return report


class RetentionService:
    """APScheduler timers that call `sweep()`; they hold no state of their own.

    `coalesce=True` with `misfire_grace_time=None` makes a run missed while the app was
    closed or the machine slept happen exactly once when the scheduler starts again.
    """

    def __init__(
        self,
        store: JobStore,
        storage: Storage,
        clock: Callable[[], dt.datetime] = utcnow,
        interval_s: int = SWEEP_INTERVAL_S,
    ) -> None:
        self._store = store
        self._storage = storage
        self._clock = clock
        self._interval_s = interval_s
        self._scheduler = BackgroundScheduler(
            timezone=dt.timezone.utc,
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self.on_swept: Callable[[SweepReport], None] | None = None

    def run_sweep(self) -> SweepReport:
        report = sweep(self._store, self._storage, self._clock())
        if self.on_swept is not None and (report.expired or report.missing):
            self.on_swept(report)
        return report

    def start(self) -> SweepReport:
        """Sweep once now, then start the periodic sweep and one timer per ready job."""
        report = self.run_sweep()
        self._scheduler.add_job(self.run_sweep, "interval", seconds=self._interval_s, id="sweep")
        self._scheduler.start()
        for job in self._store.engine_jobs_in(JobState.READY):
            self.schedule_expiry(job)
        return report

    def schedule_expiry(self, job: Job) -> None:
        if job.expires_at is None:
            return
        self._scheduler.add_job(
            self.run_sweep, "date", run_date=job.expires_at, id=f"expire-{job.id}", replace_existing=True
        )

    def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=True)
