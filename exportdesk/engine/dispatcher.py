"""The Qt dispatcher: claims queued jobs and supervises their worker processes in a thread pool.

The GUI thread only claims jobs (one short write each) and receives `jobEnded`. Each claimed
job is supervised in a `QThreadPool` thread that blocks in `supervise()` until the worker
process exits. Every few seconds it also settles jobs whose worker died unsupervised. Worker processes do not depend on this process: `shutdown(wait=False)` stops
waiting for them and they finish their jobs on their own.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from exportdesk.context import Context
from exportdesk.engine.instance import InstanceLock
from exportdesk.engine.recovery import recover_stale_jobs
from exportdesk.engine.supervisor import supervise
from exportdesk.jobs import Job

log = logging.getLogger(__name__)

CLAIM_INTERVAL_MS = 500
RECOVERY_INTERVAL_S = 5.0


class _SupervisorTask(QRunnable):
    """Supervise one claimed job and report the ended job, unless the dispatcher detached first."""

    def __init__(self, dispatcher: Dispatcher, ctx: Context, job: Job, detach: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._dispatcher = dispatcher
        self._ctx = ctx
        self._job = job
        self._detach = detach

    def run(self) -> None:
        ended: Job | None = None
        try:
            ended = supervise(self._ctx.paths, self._ctx.store, self._ctx.storage, self._job, self._detach)
        except Exception:
            log.exception("Job %s: supervising the worker failed", self._job.id)
        if not self._detach.is_set():
            self._dispatcher._supervised.emit(self._job.id, ended)


class Dispatcher(QObject):
    """Run queued jobs, at most `parallel` at a time, each in its own worker process."""

    jobStarted = Signal(str)
    jobEnded = Signal(str)
    runningCountChanged = Signal(int)
    # Emitted from a pool thread with (job id, ended Job or None), and delivered in the GUI thread.
    _supervised = Signal(str, object)

    def __init__(self, ctx: Context, parallel: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.instance = str(uuid.uuid4())
        self._parallel = max(1, parallel or ctx.settings.parallel_jobs)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(self._parallel)
        self._running: set[str] = set()
        self._ended_jobs: dict[str, Job] = {}
        self._claiming = False
        self._detach = threading.Event()
        self._last_recovery = 0.0
        self._engine_lock = InstanceLock(ctx.paths.data_dir)
        self._timer = QTimer(self)
        self._timer.setInterval(CLAIM_INTERVAL_MS)
        self._timer.timeout.connect(self.kick)
        self._supervised.connect(self._on_supervised, Qt.ConnectionType.QueuedConnection)

    @property
    def parallel(self) -> int:
        return self._parallel

    def running_job_ids(self) -> frozenset[str]:
        """Return the ids of the jobs this dispatcher is supervising now."""
        return frozenset(self._running)

    def ended_job(self, job_id: str) -> Job | None:
        """Return the last ended snapshot reported for `job_id`, if any."""
        return self._ended_jobs.get(job_id)

    def start(self) -> None:
        """Settle the running jobs whose worker is gone, then claim queued jobs every 500 ms."""
        self._claiming = True
        self._timer.start()
        log.info("Dispatcher %s: started with %d parallel jobs", self.instance, self._parallel)
        self.kick()

    def set_parallel(self, parallel: int) -> None:
        """Change how many jobs run at once. Running jobs above the new limit are not stopped."""
        self._parallel = max(1, parallel)
        self._pool.setMaxThreadCount(self._parallel)
        self.kick()

    def _recover_if_due(self) -> None:
        """Settle jobs whose worker died while no supervisor watched it, every few seconds."""
        now = time.monotonic()
        if now - self._last_recovery < RECOVERY_INTERVAL_S:
            return
        self._last_recovery = now
        for job in recover_stale_jobs(self._ctx.store, self._ctx.storage):
            log.info("Job %s: settled as %s after its worker was lost", job.id, job.state.value)

    @Slot()
    def kick(self) -> None:
        """Claim queued jobs while fewer than `parallel` jobs run."""
        if not self._claiming:
            return
        if not self._engine_lock.held and not self._engine_lock.acquire():
            # Another process (`exportdesk run` or `wait`) runs the engine for this folder. Its
            # jobs still appear in the list, and this one takes over once it exits.
            return
        self._recover_if_due()
        while self._claiming and len(self._running) < self._parallel:
            job = self._ctx.store.claim_next(self.instance)
            if job is None:
                return
            log.info("Job %s: claimed by instance %s", job.id, self.instance)
            self._running.add(job.id)
            self._pool.start(_SupervisorTask(self, self._ctx, job, self._detach))
            self.jobStarted.emit(job.id)
            self.runningCountChanged.emit(len(self._running))

    @Slot(str, object)
    def _on_supervised(self, job_id: str, ended: Job | None) -> None:
        self._running.discard(job_id)
        if ended is not None:
            self._ended_jobs[job_id] = ended
            log.info("Job %s: ended as %s", job_id, ended.state.value)
        self.jobEnded.emit(job_id)
        self.runningCountChanged.emit(len(self._running))
        self.kick()

    def shutdown(self, wait: bool = True, timeout_ms: int = -1) -> bool:
        """Stop claiming and wait for the supervising threads.

        With `wait=False`, or when `timeout_ms` passes first, the threads stop waiting for
        their workers, which go on and end their jobs by themselves. Returns True when every
        supervised job ended before the threads stopped.
        """
        self._claiming = False
        self._timer.stop()
        finished = False
        if wait:
            finished = self._pool.waitForDone(timeout_ms)
        if not finished:
            self._detach.set()
            self._pool.waitForDone()
        # Deliver the reports that ended threads queued, so `_running` lists only detached jobs.
        QCoreApplication.sendPostedEvents(self, QEvent.Type.MetaCall)
        self._engine_lock.release()
        log.info("Dispatcher %s: stopped with %d jobs left to their workers", self.instance, len(self._running))
        return not self._running
