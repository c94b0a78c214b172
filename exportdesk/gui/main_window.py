"""`MainWindow`: the job list, the details of the selected job, and the actions on jobs.

The window reads jobs only through `JobTableModel`, which polls the job table. Every call that
may take long (listing tables, copying a download, deleting files) runs in `BackgroundTasks`.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, QSortFilterProxyModel, Qt, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMainWindow, QMenu, QMessageBox, QSplitter, QTableView

from exportdesk import __version__
from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.dispatcher import Dispatcher
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.details_panel import DetailsPanel
from exportdesk.gui.download import DownloadFlow
from exportdesk.gui.job_actions import ActionSet, JobAction
from exportdesk.gui.job_model import SORT_ROLE, JobColumn, JobTableModel
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.gui.progress_delegate import ProgressBarDelegate
from exportdesk.gui.quit_prompt import QuitChoice, ask_about_running_jobs
from exportdesk.gui.settings_dialog import SettingsDialog
from exportdesk.gui.tray import Notifier
from exportdesk.i18n import register, tr
from exportdesk.jobs import InvalidTransition, Job, JobState
from exportdesk.store import JobNotFound

log = logging.getLogger(__name__)

STATUS_TIMEOUT_MS = 8000
# Initial column widths in pixels. The user can resize every column.
_COLUMN_WIDTHS = {
    JobColumn.NAME: 170,
    JobColumn.SOURCE: 210,
    JobColumn.FORMAT: 120,
    JobColumn.STATE: 150,
    JobColumn.PROGRESS: 110,
    JobColumn.ROWS: 140,
    JobColumn.SIZE: 90,
    JobColumn.CREATED: 130,
}

register(
    {
        "&File": "&Файл",
        "&Export": "&Экспорт",
        "&Help": "&Справка",
        "Actions": "Действия",
        "Running: {running} · Queued: {queued}": "Выполняется: {running} · В очереди: {queued}",
        "Export queued: {name}": "Экспорт поставлен в очередь: {name}",
        "The export has already ended.": "Экспорт уже завершён.",
        "This export no longer exists: it was removed.": "Этого экспорта больше нет: он был удалён.",
        "Could not open the folder {path}.": "Не удалось открыть папку {path}.",
        "Remove export": "Удаление экспорта",
        "Remove the export \u201c{name}\u201d and delete its file? This cannot be undone.":
            "Удалить экспорт «{name}» и его файл? Это действие нельзя отменить.",
        "Removed: {name}": "Удалено: {name}",
        "Could not remove the export: {reason}": "Не удалось удалить экспорт: {reason}",
        "The export is still running: cancel it before removing.": "Экспорт ещё выполняется: отмените его перед удалением.",
        "Could not delete the file. Check the permissions of the data folder.": "Не удалось удалить файл. Проверьте права доступа к папке данных.",
        "Could not save the settings: {reason}": "Не удалось сохранить настройки: {reason}",
        "Settings saved. The new language takes effect after a restart.": "Настройки сохранены. Новый язык начнёт действовать после перезапуска.",
        "Settings saved.": "Настройки сохранены.",
        "About ExportDesk": "О программе ExportDesk",
        "ExportDesk {version}": "ExportDesk {version}",
        "Turns \u201cexport my data\u201d into a background job and keeps the file for a limited time.":
            "Превращает «выгрузите мои данные» в фоновое задание и хранит файл ограниченное время.",
        "Data folder: {path}": "Папка данных: {path}",
        "ExportDesk keeps running in the notification area, and the exports go on. Quit it from the icon's menu.":
            "ExportDesk продолжает работать в области уведомлений, экспорты выполняются. Выйти можно через меню значка.",
        "ExportDesk": "ExportDesk",
    }
)


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
        self._build_table()
        self.details = DetailsPanel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        self.setCentralWidget(splitter)
        self._build_menus_and_toolbar()
        self.notifier = Notifier(self, ctx.settings, icon, use_tray)
        self.counts_label = QLabel()
        self.statusBar().addPermanentWidget(self.counts_label)
        self._show_counts(0, 0)
        self.downloads = DownloadFlow(ctx, tasks, self)
        self._connect_signals()
        self._selection_changed()
        self.resize(1240, 680)

    # Layout ----------------------------------------------------------------------------

    def _build_table(self) -> None:
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        table = QTableView()
        table.setModel(self.proxy)
        table.setItemDelegateForColumn(JobColumn.PROGRESS, ProgressBarDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setSortingEnabled(True)
        table.sortByColumn(JobColumn.CREATED, Qt.SortOrder.DescendingOrder)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        self.table = table

    def _build_menus_and_toolbar(self) -> None:
        file_menu = self.menuBar().addMenu(tr("&File"))
        file_menu.addAction(self.actions.new_export)
        file_menu.addSeparator()
        file_menu.addAction(self.actions.settings)
        file_menu.addSeparator()
        file_menu.addAction(self.actions.quit)
        export_menu = self.menuBar().addMenu(tr("&Export"))
        for job_action in JobAction:
            export_menu.addAction(self.actions[job_action])
        help_menu = self.menuBar().addMenu(tr("&Help"))
        help_menu.addAction(self.actions.about)
        for menu in (file_menu, export_menu, help_menu):
            menu.setToolTipsVisible(True)

        toolbar = self.addToolBar(tr("Actions"))
        toolbar.setObjectName("actions")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.actions.new_export)
        toolbar.addSeparator()
        for job_action in (JobAction.DOWNLOAD, JobAction.OPEN_FOLDER, JobAction.EXPORT_AGAIN, JobAction.CANCEL, JobAction.REMOVE):
            toolbar.addAction(self.actions[job_action])

    def _connect_signals(self) -> None:
        self.actions.new_export.triggered.connect(self.open_new_export)
        self.actions.settings.triggered.connect(self.open_settings)
        self.actions.about.triggered.connect(self.show_about)
        self.actions.quit.triggered.connect(self.request_quit)
        self.actions[JobAction.CANCEL].triggered.connect(self.cancel_selected)
        self.actions[JobAction.DOWNLOAD].triggered.connect(self.download_selected)
        self.actions[JobAction.OPEN_FOLDER].triggered.connect(self.open_selected_folder)
        self.actions[JobAction.EXPORT_AGAIN].triggered.connect(lambda: self.export_again(None))
        self.actions[JobAction.REMOVE].triggered.connect(self.remove_selected)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.customContextMenuRequested.connect(self._show_context_menu)
        self.model.dataChanged.connect(self._selection_changed)
        self.model.rowsInserted.connect(self._selection_changed)
        self.model.rowsRemoved.connect(self._selection_changed)
        self.model.activeCountsChanged.connect(self._show_counts)
        self.model.jobStateChanged.connect(self._job_state_changed)
        self.details.exportAgainRequested.connect(self.export_again)
        self.downloads.exportAgainRequested.connect(self.export_again)
        self.downloads.statusMessage.connect(lambda text: self.statusBar().showMessage(text, STATUS_TIMEOUT_MS))
        self.notifier.showRequested.connect(self.show_and_raise)
        self.notifier.quitRequested.connect(self.request_quit)

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
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _selection_changed(self, *_args: object) -> None:
        job = self.selected_job()
        now = self.model.now()
        self.actions.update_for(job, now)
        self.details.show_job(job, now, list_empty=self.model.rowCount() == 0)

    def _show_counts(self, running: int, queued: int) -> None:
        self.counts_label.setText(tr("Running: {running} · Queued: {queued}").format(running=running, queued=queued))
        self.notifier.set_counts(running, queued)

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
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for job_action in (JobAction.DOWNLOAD, JobAction.OPEN_FOLDER, JobAction.EXPORT_AGAIN, JobAction.CANCEL):
            menu.addAction(self.actions[job_action])
        menu.addSeparator()
        menu.addAction(self.actions[JobAction.REMOVE])
        menu.addSeparator()
        menu.addAction(self.actions.new_export)
        menu.exec(self.table.viewport().mapToGlobal(position))

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
        self.model.refresh()
        self.select_job(job.id)
        self.statusBar().showMessage(tr("Export queued: {name}").format(name=job.name or job.file_name), STATUS_TIMEOUT_MS)

    def cancel_selected(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        try:
            actions.cancel(self._ctx, job.id)
        except InvalidTransition:
            self.statusBar().showMessage(tr("The export has already ended."), STATUS_TIMEOUT_MS)
        except JobNotFound:
            self.statusBar().showMessage(tr("This export no longer exists: it was removed."), STATUS_TIMEOUT_MS)
        self.model.refresh()

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
            self.statusBar().showMessage(tr("Could not open the folder {path}.").format(path=str(folder)), STATUS_TIMEOUT_MS)

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
            self.statusBar().showMessage(tr("This export no longer exists: it was removed."), STATUS_TIMEOUT_MS)
            return
        self._dispatcher.kick()
        self._job_queued(job)

    def remove_selected(self) -> None:
        job = self.selected_job()
        if job is None or job.state.is_active:
            return
        name = job.name or job.file_name
        answer = QMessageBox.question(
            self,
            tr("Remove export"),
            tr("Remove the export \u201c{name}\u201d and delete its file? This cannot be undone.").format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        ctx = self._ctx
        self._tasks.run(
            lambda _report: actions.remove(ctx, job.id),
            on_success=lambda _removed: self._removed(name),
            on_failure=self._remove_failed,
        )

    def _removed(self, name: str) -> None:
        self.model.refresh()
        self.statusBar().showMessage(tr("Removed: {name}").format(name=name), STATUS_TIMEOUT_MS)

    def _remove_failed(self, error: BaseException) -> None:
        self.model.refresh()
        if isinstance(error, JobNotFound):
            return
        if isinstance(error, InvalidTransition):
            reason = tr("The export is still running: cancel it before removing.")
        else:
            log.error("Removing an export failed", exc_info=error)
            reason = tr("Could not delete the file. Check the permissions of the data folder.")
        QMessageBox.warning(self, tr("Remove export"), tr("Could not remove the export: {reason}").format(reason=reason))

    # Settings, about, quitting ---------------------------------------------------------

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
            self.statusBar().showMessage(tr("Settings saved. The new language takes effect after a restart."), STATUS_TIMEOUT_MS)
        else:
            self.statusBar().showMessage(tr("Settings saved."), STATUS_TIMEOUT_MS)

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
