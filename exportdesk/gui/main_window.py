"""`MainWindow`: the job list, the details of the selected job, and the actions on jobs.

The window reads jobs only through `JobTableModel`, which polls the job table. Every call that
may take long (listing tables, copying a download, verifying a file, deleting files) runs in
`BackgroundTasks`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QIcon
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from exportdesk import __version__
from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.dispatcher import Dispatcher
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.details_panel import DetailsPanel
from exportdesk.gui.download import DownloadFlow
from exportdesk.gui.job_actions import ActionSet, JobAction
from exportdesk.gui.job_commands import JobCommands
from exportdesk.gui.job_filter import FilterBar, JobFilterProxy
from exportdesk.gui.job_model import JobTableModel
from exportdesk.gui.job_rate import format_time_left
from exportdesk.gui.job_table import build_job_table
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.gui.quit_prompt import QuitChoice, ask_about_running_jobs
from exportdesk.gui.scroll_area import HorizontalScrollArea
from exportdesk.gui.settings_dialog import SettingsDialog
from exportdesk.gui.sources_dialog import SourcesDialog, add_sources_action
from exportdesk.gui.status_info import StatusInfo
from exportdesk.gui.tray import Notifier
from exportdesk.gui.verify import VerifyFlow
from exportdesk.gui.window_menus import build_context_menu, build_menus_and_toolbar
from exportdesk.i18n import tr
from exportdesk.jobs import InvalidTransition, Job, JobState
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000


class MainWindow(QMainWindow):
    """The job list with its actions. `quitRequested` is emitted when the application should quit."""

    quitRequested = Signal()

    def __init__(
        self,
        ctx: Context,
        dispatcher: Dispatcher,
        model: JobTableModel,
        tasks: BackgroundTasks,
        icon: QIcon,
        use_tray: bool | None = None,
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self._dispatcher = dispatcher
        self.model = model
        self._tasks = tasks
        self.quit_choice: QuitChoice | None = None
        self._closing_allowed = False
        self._tray_hint_shown = False
        self.new_export_dialog: NewExportDialog | None = None
        self.setWindowTitle(tr("ExportDesk"))
        self.setWindowIcon(icon)

        self.actions = ActionSet(self)
        self.proxy = JobFilterProxy(model, self)
        self.filter_bar = FilterBar(self.proxy)
        self.table = build_job_table(self.proxy)
        self.details = DetailsPanel(log_folder=ctx.paths.logs, tasks=tasks)
        self.setCentralWidget(self._build_central())
        build_menus_and_toolbar(self, self.actions)
        self.sources_action = add_sources_action(self, self.actions.settings)
        self.sources_dialog: SourcesDialog | None = None
        self.notifier = Notifier(self, ctx.settings, icon, use_tray, clock=model.now, record_reminded=self._record_reminded)
        self.status = StatusInfo(self, ctx.store, ctx.owner, model)
        self.counts_label = self.status.counts_label
        self.downloads = DownloadFlow(ctx, tasks, self)
        self.commands = JobCommands(ctx, tasks, self)
        self.verifier = VerifyFlow(ctx, tasks, self)
        self._connect_signals()
        self._selection_changed()
        self.resize(1400, 680)

    # Layout ----------------------------------------------------------------------------

    def _build_central(self) -> QSplitter:
        list_area = QWidget()
        list_layout = QVBoxLayout(list_area)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.filter_bar)
        list_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(list_area)
        # The details scroll sideways, so their width (a full SHA-256, long Russian labels and the
        # buttons beside them) does not set the window's minimum. At 200 % on a 1920 x 1080 screen
        # the window has 960 px, and the Russian details need about 980 px.
        splitter.addWidget(HorizontalScrollArea(self.details))
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        return splitter

    def _connect_signals(self) -> None:
        self.actions.new_export.triggered.connect(self.open_new_export)
        self.actions.settings.triggered.connect(self.open_settings)
        self.sources_action.triggered.connect(self.open_sources)
        self.actions.about.triggered.connect(self.show_about)
        self.actions.quit.triggered.connect(self.request_quit)
        self.actions.find.triggered.connect(self.filter_bar.focus_search)
        self.actions.refresh.triggered.connect(self.refresh)
        self.actions[JobAction.CANCEL].triggered.connect(self.cancel_selected)
        self.actions[JobAction.DOWNLOAD].triggered.connect(self.download_selected)
        self.actions[JobAction.OPEN_FOLDER].triggered.connect(self.open_selected_folder)
        self.actions[JobAction.VERIFY].triggered.connect(self.verify_selected)
        self.actions[JobAction.EXPORT_AGAIN].triggered.connect(lambda: self.export_again(None))
        self.actions[JobAction.REMOVE].triggered.connect(self.remove_selected)
        self.actions[JobAction.COPY_DETAILS].triggered.connect(self.details.copy_support_text)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.model.dataChanged.connect(self._selection_changed)
        self.model.rowsInserted.connect(self._selection_changed)
        self.model.rowsRemoved.connect(self._selection_changed)
        self.model.activeCountsChanged.connect(self.notifier.set_counts)
        self.model.jobStateChanged.connect(self._job_state_changed)
        self.model.refreshed.connect(self._show_times_left)
        # Expiry notices and reminders concern ended jobs, which only a read of every job updates.
        self.model.allJobsRead.connect(self._list_refreshed)
        self.filter_bar.filterChanged.connect(self._selection_changed)
        self.details.exportAgainRequested.connect(self.export_again)
        self.details.detailsCopied.connect(self._details_copied)
        self.downloads.exportAgainRequested.connect(self.export_again)
        self.downloads.statusMessage.connect(self.show_status)
        self.downloads.downloaded.connect(self._downloaded)
        self.commands.statusMessage.connect(self.show_status)
        self.verifier.statusMessage.connect(self.show_status)
        self.verifier.exportAgainRequested.connect(self.export_again)
        self.commands.jobsChanged.connect(self.model.refresh)
        self.notifier.showRequested.connect(self.show_and_raise)
        self.notifier.quitRequested.connect(self.request_quit)

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def _list_refreshed(self) -> None:
        jobs = self.model.jobs()
        self.notifier.drop_stale_notice(jobs)
        self.notifier.remind_expiring(jobs)

    def _show_times_left(self) -> None:
        """Put the time left of each running export with an estimate in the tray icon's tooltip."""
        times_left = []
        for job in self.model.running_jobs():
            estimate = self.model.rate_estimate(job)
            if estimate is not None and estimate.seconds_left is not None:
                times_left.append((job.name or job.file_name, format_time_left(estimate.seconds_left)))
        self.notifier.set_times_left(times_left)

    def _record_reminded(self, job_ids: list[str]) -> None:
        try:
            self._ctx.store.mark_reminded(self._ctx.owner, job_ids, self.model.now())
        except SQLAlchemyError as error:
            # The reminder is still shown, but without the record a restart shows it once more.
            log.warning("Recording the expiry reminder of jobs %s failed: %s", ", ".join(job_ids), error)

    def _details_copied(self) -> None:
        self.show_status(tr("Details copied to the clipboard."))

    def _downloaded(self, _job_id: str, _path: str) -> None:
        # The download recorded its time, which the details and the reminder read.
        self.model.refresh()

    def refresh(self) -> None:
        """Read the job list and the storage usage again."""
        self.model.refresh()
        self.status.refresh_usage(force=True)

    # Selection -------------------------------------------------------------------------

    def selected_job(self) -> Job | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        source = self.proxy.mapToSource(rows[0])
        return self.model.job_at(source.row()) if source.isValid() else None

    def select_job(self, job_id: str) -> None:
        row = self.model.row_of(job_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return  # hidden by the filter or the search
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _selection_changed(self, *_args: object) -> None:
        job = self.selected_job()
        now = self.model.now()
        self.actions.update_for(job, now)
        list_empty = self.model.rowCount() == 0
        filtered_out = not list_empty and self.proxy.rowCount() == 0
        time_left = self.model.time_left_text(job) if job is not None else ""
        self.details.show_job(job, now, list_empty=list_empty, filtered_out=filtered_out, time_left=time_left)

    def _job_state_changed(self, job_id: str, _old: str, new: str) -> None:
        if new in (JobState.READY.value, JobState.FAILED.value):
            job = self.model.job(job_id)
            if job is not None:
                self.notifier.notify_job(job)

    def _double_clicked(self, index: QModelIndex) -> None:
        job = self.model.job_at(self.proxy.mapToSource(index).row())
        if job.state is JobState.READY and not job.is_expired_at(self.model.now()):
            self.downloads.start(job.id)

    def _show_context_menu(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        if index.isValid():
            self.table.selectRow(index.row())
        build_context_menu(self, self.actions).exec(self.table.viewport().mapToGlobal(position))

    # Job actions -----------------------------------------------------------------------

    def open_new_export(self) -> None:
        dialog = NewExportDialog(self._ctx, self._tasks, self._dispatcher.kick, self)
        dialog.accepted.connect(lambda: self._export_submitted(dialog))
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        self.new_export_dialog = dialog
        dialog.open()

    def _forget_dialog(self, dialog: NewExportDialog) -> None:
        if self.new_export_dialog is dialog:
            self.new_export_dialog = None
        dialog.deleteLater()

    def _export_submitted(self, dialog: NewExportDialog) -> None:
        job = dialog.submitted_job
        if job is None:
            return
        self._job_queued(job)

    def _job_queued(self, job: Job) -> None:
        self.model.refresh_active()
        self.select_job(job.id)
        self.show_status(tr("Export queued: {name}").format(name=job.name or job.file_name))

    def cancel_selected(self) -> None:
        """Cancel the selected queued or running export after asking."""
        job = self.selected_job()
        if job is not None:
            self.commands.cancel(job)

    def download_selected(self) -> None:
        job = self.selected_job()
        if job is not None:
            self.downloads.start(job.id)

    def open_selected_folder(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        folder = self._ctx.storage.job_dir(job.owner, job.id)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            log.warning("Job %s: opening folder %s failed", job.id, folder)
            self.show_status(tr("Could not open the folder {path}.").format(path=str(folder)))

    def verify_selected(self) -> None:
        """Check the selected job's file against its recorded checksum, and a ZIP against its manifest."""
        job = self.selected_job()
        if job is not None:
            self.verifier.start(job.id)

    def export_again(self, job_id: str | None) -> None:
        """Queue a copy of `job_id`, or of the selected job when it is None."""
        if job_id is None:
            selected = self.selected_job()
            if selected is None:
                return
            job_id = selected.id
        try:
            job = actions.export_again(self._ctx, job_id)
        except JobNotFound:
            self.show_status(tr("This export no longer exists: it was removed."))
            return
        self._dispatcher.kick()
        self._job_queued(job)

    def remove_selected(self) -> None:
        """Remove the selected ended export and its file after asking."""
        job = self.selected_job()
        if job is not None:
            self.commands.remove(job)

    # Settings, about, quitting ---------------------------------------------------------

    def open_sources(self) -> None:
        """Open the saved sources, or bring them to the front when they are open already."""
        if self.sources_dialog is not None:
            self.sources_dialog.raise_()
            self.sources_dialog.activateWindow()
            return
        dialog = SourcesDialog(self._ctx, self._tasks, self)
        dialog.finished.connect(lambda _result: self._sources_closed(dialog))
        self.sources_dialog = dialog
        dialog.open()

    def _sources_closed(self, dialog: SourcesDialog) -> None:
        self.sources_dialog = None
        dialog.deleteLater()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self._ctx.settings, self)
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        old_language = self._ctx.settings.language
        dialog.apply_to(self._ctx.settings)
        try:
            self._ctx.save_settings()
        except OSError as error:
            log.error("Saving settings failed: %s", error)
            QMessageBox.warning(self, tr("Settings"), tr("Could not save the settings: {reason}").format(reason=error.strerror or str(error)))
        self._dispatcher.set_parallel(self._ctx.settings.parallel_jobs)
        if self._ctx.settings.language != old_language:
            self.show_status(tr("Settings saved. The new language takes effect after a restart."))
        else:
            self.show_status(tr("Settings saved."))

    def show_about(self) -> None:
        text = "\n\n".join(
            [
                tr("ExportDesk {version}").format(version=__version__),
                tr("Turns \u201cexport my data\u201d into a background job and keeps the file for a limited time."),
                tr("Data folder: {path}").format(path=str(self._ctx.paths.data_dir)),
            ]
        )
        QMessageBox.about(self, tr("About ExportDesk"), text)

    def show_and_raise(self) -> None:
        """Show the window, also when hidden to the tray or minimised, and bring it to the front."""
        self.show()
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMinimized)
        self.raise_()
        self.activateWindow()

    def _active_count(self) -> int:
        return self.model.running_count + self.model.queued_count

    def _ask_quit_choice(self) -> QuitChoice | None:
        """Ask what to do with active exports, if there are any. None means do not quit."""
        active = self._active_count()
        if not active:
            return QuitChoice.LEAVE_RUNNING
        self.show_and_raise()
        return ask_about_running_jobs(self, active)

    def _prepare_quit(self, choice: QuitChoice) -> None:
        self.quit_choice = choice
        if choice is QuitChoice.STOP_JOBS:
            self.cancel_active_jobs()
        self._closing_allowed = True

    def request_quit(self) -> None:
        """Quit, first asking what to do with active exports when there are any."""
        choice = self._ask_quit_choice()
        if choice is None:
            return
        self._prepare_quit(choice)
        self.close()
        self.quitRequested.emit()

    def quit_leaving_jobs(self) -> None:
        """Quit without questions and leave active exports to their workers, e.g. on SIGTERM."""
        self._prepare_quit(QuitChoice.LEAVE_RUNNING)
        self.close()
        self.quitRequested.emit()

    def cancel_active_jobs(self) -> None:
        for job in self.model.jobs():
            if not job.state.is_active:
                continue
            try:
                actions.cancel(self._ctx, job.id)
            except (InvalidTransition, JobNotFound):
                continue  # it ended or was removed meanwhile
            log.info("Job %s: cancel requested at quit", job.id)

    def allow_close(self) -> None:
        """Let the next close go through without questions, e.g. when the application shuts down."""
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        # QApplication.quit() in Qt 6 also sends this event, and an ignored event cancels the quit.
        if self._closing_allowed:
            event.accept()
            return
        if self._active_count() and self.notifier.has_tray:
            event.ignore()
            self.hide()
            if not self._tray_hint_shown:
                self._tray_hint_shown = True
                self.notifier.notice(
                    tr("ExportDesk"),
                    tr("ExportDesk keeps running in the notification area, and the exports go on. Quit it from the icon's menu."),
                )
            return
        choice = self._ask_quit_choice()
        if choice is None:
            event.ignore()
            return
        self._prepare_quit(choice)
        event.accept()
        self.quitRequested.emit()
