"""Retention: delete expired artifacts and reconcile storage with the job table.

The job table is the only truth. `sweep()` reads it, expires ready jobs whose `expires_at`
has passed and ready jobs whose file has vanished, then deletes every file and folder in
storage that the table does not account for: folders without a job, folders of ended jobs
that keep no artifact, and stray files (such as `.part`) beside a ready job's artifact. `RetentionService` only
decides when to sweep: once at start, every `SWEEP_INTERVAL_S`, and at each `expires_at`.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler

from exportdesk.jobs import InvalidTransition, Job, JobState, Outcome, utcnow
from exportdesk.storage import PathOutsideStorage, Storage, owner_folder_name
from exportdesk.store import JobNotFound, JobStore

log = logging.getLogger(__name__)

SWEEP_INTERVAL_S = 15 * 60


@dataclass
class SweepReport:
    expired: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    orphans_deleted: list[str] = field(default_factory=list)
    parts_deleted: list[str] = field(default_factory=list)
    folders_deleted: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


def _expire(store: JobStore, job: Job, outcome: Outcome) -> bool:
    try:
        store.expire(job.id, outcome)
    except (InvalidTransition, JobNotFound):
        return False  # changed or removed meanwhile
    return True


def _delete_folder(storage: Storage, folder: Path, report: SweepReport) -> bool:
    """Delete a folder (or a stray file); on failure log and leave it for the next sweep.

    On Windows a file that a download still has open cannot be deleted yet. On POSIX the
    deletion succeeds and the download finishes reading from its open handle.
    """
    try:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
        else:
            folder.unlink(missing_ok=True)
    except OSError as error:
        report.deferred.append(str(folder))
        log.warning("Storage: cannot delete %s yet (%s); the next sweep retries", folder, error)
        return False
    return True


def sweep(store: JobStore, storage: Storage, now: dt.datetime | None = None) -> SweepReport:
    """Expire what retention ended and make storage match the job table, both ways."""
    now = now or utcnow()
    report = SweepReport()
    # List storage before reading the table: a job's row is written before its folder, so any
    # folder listed here whose job exists is found in the table read below.
    folders = storage.job_folders()

    # Expire ready jobs past retention in one transaction, then ready jobs whose file is gone.
    for job_id, expires_at in store.expire_due(now):
        report.expired.append(job_id)
        log.info("Job %s: retention elapsed at %s", job_id, expires_at)
    for job in store.engine_jobs_in(JobState.READY):
        if job.is_expired_at(now):
            # It became ready after expire_due() with a retention that has already elapsed.
            if _expire(store, job, Outcome.RETENTION_ELAPSED):
                report.expired.append(job.id)
                log.info("Job %s: retention elapsed at %s", job.id, job.expires_at)
            continue
        try:
            path: Path | None = storage.artifact_path(job.owner, job.id, job.file_name)
        except PathOutsideStorage:
            log.warning("Job %s: its folder leads out of storage; treating the artifact as missing", job.id)
            path = None
        if path is None or not path.is_file():
            if _expire(store, job, Outcome.FILE_MISSING):
                report.missing.append(job.id)
                log.warning("Job %s: artifact %s is missing; job marked expired", job.id, path)

    # Every file on disk belongs to one job: a ready job keeps only its artifact, an active
    # job keeps its working files, and every other folder goes.
    jobs = {job.id: job for job in store.engine_jobs_among([job_id for job_id, _folder in folders])}
    for job_id, folder in folders:
        job = jobs.get(job_id)
        if job is None or owner_folder_name(job.owner) != folder.parent.name:
            if _delete_folder(storage, folder, report):
                report.orphans_deleted.append(str(folder))
                log.info("Storage: deleted %s, which no job owns", folder)
        elif job.state.is_active:
            continue
        elif job.state is JobState.READY and folder.is_dir() and not folder.is_symlink():
            try:
                entries = list(folder.iterdir())
            except FileNotFoundError:
                continue  # removed meanwhile
            for stray in entries:
                if stray.name != job.file_name and _delete_folder(storage, stray, report):
                    report.parts_deleted.append(str(stray))
                    log.info("Job %s: deleted stray file %s", job_id, stray)
        elif job.state is not JobState.READY:
            if _delete_folder(storage, folder, report):
                report.folders_deleted.append(job_id)
                log.info("Job %s: deleted the folder of a %s job", job_id, job.state.value)

    # Files beside the owner folders, and owner folders left empty.
    for stray in storage.stray_entries():
        if _delete_folder(storage, stray, report):
            report.orphans_deleted.append(str(stray))
            log.info("Storage: deleted %s, which no job owns", stray)
    for owner_dir in storage.owner_folders():
        try:
            owner_dir.rmdir()  # only succeeds when empty
        except OSError:
            pass
    return report


class RetentionService:
    """APScheduler timers that call `sweep()`. They keep no state of their own.

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
            # APScheduler 3 raises JobLookupError in its own thread when shutdown() lands while
            # it is handling a due one-off timer: once stopped, remove_job() looks only among
            # pending jobs. remove_all_jobs() takes the job-store lock that handling holds, so it
            # waits for it to end, and leaves nothing due before the state changes.
            self._scheduler.remove_all_jobs()
            self._scheduler.shutdown(wait=True)
