"""`AppController`: creates the window and the services behind it, starts them and stops them.

Start order: job list polling, dispatcher (which first ends stale jobs), window, then the
retention sweep and the demo database build in background threads. Stop order: no more
claiming, the supervising threads stop (waiting only when the user chose to stop the
exports), background calls finish, retention timers stop.

Each job that becomes ready gets a retention timer at its `expires_at`, whether this window's
dispatcher ran it or the list saw it change (a worker left running by an earlier window). A
sweep runs in an APScheduler thread, so its report reaches the GUI thread through a queued
signal before the list is read again.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from exportdesk.context import Context
from exportdesk.engine.dispatcher import Dispatcher
from exportdesk.engine.retention import RetentionService, SweepReport
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.job_model import JobTableModel
from exportdesk.gui.main_window import MainWindow
from exportdesk.gui.quit_prompt import QuitChoice
from exportdesk.i18n import tr
from exportdesk.jobs import JobState, utcnow
from exportdesk.sources.demo import ensure_demo_database

log = logging.getLogger(__name__)

DEMO_PROGRESS_STEPS = 1000
DEMO_DIALOG_DELAY_MS = 400
# How long Quit waits for cancelled exports to stop before leaving them to their workers.
STOP_JOBS_TIMEOUT_MS = 10_000
BACKGROUND_TIMEOUT_MS = 10_000


class AppController(QObject):
    """The objects of one running window and the order in which they start and stop."""

    # Emitted from the retention scheduler's thread when a sweep expired jobs.
    _swept = Signal()

    def __init__(
        self,
        ctx: Context,
        icon: QIcon,
        use_tray: bool | None = None,
        prepare_demo: bool = True,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self._prepare_demo_on_start = prepare_demo
        self.tasks = BackgroundTasks(parent=self)
        self.dispatcher = Dispatcher(ctx, parent=self)
        self.model = JobTableModel(ctx.store, ctx.owner, clock, parent=self)
        self.retention = RetentionService(ctx.store, ctx.storage, clock=clock)
        self.retention.on_swept = self._report_sweep
        self._swept.connect(self._sweep_expired_jobs, Qt.ConnectionType.QueuedConnection)
        self.window = MainWindow(ctx, self.dispatcher, self.model, self.tasks, icon, use_tray)
        self.demo_ready = False
        self._demo_progress: QProgressDialog | None = None
        self._stopped = False
        self.dispatcher.jobEnded.connect(self._job_ended)
        # Reading only the active jobs keeps a long job list from stalling the window here.
        self.dispatcher.jobStarted.connect(lambda _job_id: self.model.refresh_active())
        self.model.jobStateChanged.connect(self._job_state_changed)

    def start(self, minimized: bool = False) -> None:
        """Start the services and show the window, or with `minimized` only the tray icon if there is one."""
        self.model.start_polling()
        self.dispatcher.start()
        if minimized and self.window.notifier.has_tray:
            log.info("Starting minimised to the tray, so the window stays hidden")
        else:
            if minimized:
                log.info("No system tray on this desktop, so the window is shown although the settings ask to start minimised")
            self.window.show()
        # Start-up leaves about 80,000 long-lived objects (modules, Qt wrappers, the job list).
        # Frozen, a full garbage collection no longer walks them: one took about 100 ms on the
        # GUI thread during an export with 1,000 jobs in the list.
        gc.freeze()
        self.tasks.run(lambda _report: self.retention.start(), on_failure=self._retention_failed)
        if self._prepare_demo_on_start:
            self.prepare_demo()
        else:
            self.demo_ready = True

    def _job_ended(self, job_id: str) -> None:
        self.model.refresh_active()
        ended = self.dispatcher.ended_job(job_id)
        if ended is None:
            return
        if ended.state is JobState.READY:
            self.retention.schedule_expiry(ended)
        if ended.owner == self.ctx.owner:
            self.window.notifier.notify_job(ended)

    def _job_state_changed(self, job_id: str, _old: str, new: str) -> None:
        if new != JobState.READY.value:
            return
        job = self.model.job(job_id)
        if job is not None:
            self.retention.schedule_expiry(job)

    def _report_sweep(self, report: SweepReport) -> None:
        """Pass a sweep's result to the GUI thread. Runs in the scheduler's thread."""
        log.info("Retention sweep expired %d job(s) and found %d file(s) missing", len(report.expired), len(report.missing))
        self._swept.emit()

    def _sweep_expired_jobs(self) -> None:
        # A sweep can expire hundreds of jobs: the list reads them off the GUI thread.
        if not self._stopped:
            self.model.refresh_soon()

    def _retention_failed(self, error: BaseException) -> None:
        log.error("Retention service failed to start, so expired files are deleted at the next start", exc_info=error)

    # Demo database ---------------------------------------------------------------------

    def prepare_demo(self) -> None:
        """Build the demo database in the background, with a progress dialog if it takes a while."""
        dialog = QProgressDialog(tr("Preparing demo data…"), "", 0, DEMO_PROGRESS_STEPS, self.window)
        dialog.setWindowTitle(tr("Demo data"))
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(DEMO_DIALOG_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(360)
        self._demo_progress = dialog
        data_dir = self.ctx.paths.data_dir

        def build(report: ProgressReport) -> None:
            ensure_demo_database(data_dir, report)

        def show_progress(done: int, total: int) -> None:
            if total > 0 and self._demo_progress is not None:
                self._demo_progress.setValue(min(DEMO_PROGRESS_STEPS - 1, done * DEMO_PROGRESS_STEPS // total))

        self.tasks.run(build, on_success=self._demo_built, on_failure=self._demo_failed, on_progress=show_progress)

    def _close_demo_progress(self) -> None:
        if self._demo_progress is not None:
            self._demo_progress.reset()
            self._demo_progress.close()
            self._demo_progress.deleteLater()
            self._demo_progress = None

    def _demo_built(self, _result: object) -> None:
        self._close_demo_progress()
        self.demo_ready = True
        log.info("Demo database is ready")

    def _demo_failed(self, error: BaseException) -> None:
        self._close_demo_progress()
        log.error("Preparing the demo database failed", exc_info=error)
        if not self._stopped:
            QMessageBox.warning(self.window, tr("Demo data"), tr(
                "The demo data could not be prepared, so the demo source is not available. Exports from database URLs still work."
            ))

    # Stopping --------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop everything this controller started. Calling it again does nothing."""
        if self._stopped:
            return
        self._stopped = True
        self.window.allow_close()
        self.window.close()
        self.model.stop_polling()
        stop_jobs = self.window.quit_choice is QuitChoice.STOP_JOBS
        self.dispatcher.shutdown(wait=stop_jobs, timeout_ms=STOP_JOBS_TIMEOUT_MS)
        if not self.tasks.shutdown(BACKGROUND_TIMEOUT_MS):
            log.warning("Background calls still running at shutdown")
        self._close_demo_progress()
        self.retention.stop()
        log.info("ExportDesk window closed")
