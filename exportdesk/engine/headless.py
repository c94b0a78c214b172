"""A dispatcher without Qt, for the CLI: threads that claim queued jobs and supervise workers."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable

from exportdesk.context import Context
from exportdesk.engine.recovery import recover_stale_jobs
from exportdesk.engine.supervisor import supervise
from exportdesk.jobs import Job

log = logging.getLogger(__name__)

IDLE_POLL_S = 0.5
RECOVERY_INTERVAL_S = 5.0


class HeadlessDispatcher:
    def __init__(
        self,
        ctx: Context,
        parallel: int | None = None,
        on_job_ended: Callable[[Job], None] | None = None,
    ) -> None:
        self._ctx = ctx
        self._parallel = parallel or ctx.settings.parallel_jobs
        self._on_job_ended = on_job_ended
        self.instance = str(uuid.uuid4())
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._detach = threading.Event()
        self._threads: list[threading.Thread] = []
        self._recovery_lock = threading.Lock()
        self._active_lock = threading.Lock()
        self._active = 0
        self._last_recovery = 0.0

    def start(self) -> None:
        recover_stale_jobs(self._ctx.store, self._ctx.storage)
        self._last_recovery = time.monotonic()
        for index in range(self._parallel):
            thread = threading.Thread(target=self._loop, name=f"dispatcher-{index}", daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def active(self) -> int:
        """Return how many jobs this dispatcher supervises now."""
        with self._active_lock:
            return self._active

    def kick(self) -> None:
        self._wake.set()

    def _recover_if_due(self) -> None:
        with self._recovery_lock:
            now = time.monotonic()
            if now - self._last_recovery < RECOVERY_INTERVAL_S:
                return
            self._last_recovery = now
        recover_stale_jobs(self._ctx.store, self._ctx.storage)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._recover_if_due()
            job = self._ctx.store.claim_next(self.instance)
            if job is None:
                self._wake.wait(IDLE_POLL_S)
                self._wake.clear()
                continue
            log.info("Job %s: claimed by instance %s", job.id, self.instance)
            with self._active_lock:
                self._active += 1
            try:
                ended = supervise(self._ctx.paths, self._ctx.store, self._ctx.storage, job, self._detach)
            finally:
                with self._active_lock:
                    self._active -= 1
            if ended is not None and self._on_job_ended is not None:
                self._on_job_ended(ended)

    def stop(self, wait: bool = True) -> None:
        """Stop claiming new jobs; with `wait`, wait for the jobs being supervised.

        Without `wait` the supervising threads stop watching, and each worker ends its job by
        itself.
        """
        self._stopping.set()
        self._wake.set()
        if not wait:
            self._detach.set()
        if wait:
            for thread in self._threads:
                thread.join()
