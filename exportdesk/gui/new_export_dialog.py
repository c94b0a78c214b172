"""`NewExportDialog`: choose a source, tables or a query, the format, a name and retention.

The table list, with a COUNT(*) per table, is read off the GUI thread, and so are the
columns of a ticked table when it is expanded (see `TableColumns`). OK validates the
choices and shows each problem next to the field it concerns. It then queues the job with
`actions.submit()` and kicks the dispatcher, so the job is claimed at once. The choices,
including the format, the CSV profile and the CSV settings, are remembered in
`settings.last_choices` for the next export. `OutputOptions` contains the format, profile,
CSV settings, name and retention fields.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.formats.csv import UnknownProfile
from exportdesk.gui.accessibility import name_by_text, name_controls, name_dialog_buttons
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.contrast import error_style
from exportdesk.gui.export_output import MAX_RETENTION_HOURS, OutputOptions
from exportdesk.gui.formatting import format_count
from exportdesk.gui.labels import demo_title
from exportdesk.gui.preflight_panel import PreflightPanel
from exportdesk.gui.scroll_area import VerticalScrollArea
from exportdesk.gui.source_password import SourcePasswordFields
from exportdesk.gui.source_picker import SavedSourcePicker, TestTarget, remember_typed_secret, saved_source_problem
from exportdesk.gui.source_tables import list_source_tables, url_problem
from exportdesk.gui.table_columns import TableColumns
from exportdesk.i18n import tr
from exportdesk.jobs import ErrorCode, ExportDeskError, Job, JobSpec
from exportdesk.messages import error_message
from exportdesk.sources import HTTP_PREFIX
from exportdesk.sources.base import TableInfo
from exportdesk.sources.demo import DEMO_SOURCE

log = logging.getLogger(__name__)

_TABLE_ROLE = Qt.ItemDataRole.UserRole + 1


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(error_style(label.palette()))
    label.hide()
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class NewExportDialog(QDialog):
    """The form for one new export. After OK has queued the job, `submitted_job` contains it."""

    tablesLoaded = Signal()

    def __init__(
        self,
        ctx: Context,
        tasks: BackgroundTasks,
        kick: Callable[[], None],
        parent: QWidget | None = None,
        free_bytes: Callable[[], int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New export"))
        self._ctx = ctx
        self._tasks = tasks
        self._kick = kick
        self._load_generation = 0
        self._loaded_source: str | None = None
        self._loading = False
        self._restoring = True
        self.submitted_job: Job | None = None
        self._preflight_reason = ""
        # XLSX rows per sheet for the job and its estimate; None keeps Excel's limit.
        self.xlsx_rows_per_sheet: int | None = None

        # The fields scroll when the screen is too low for them; the buttons stay in view.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        source_group = self._build_source_group()
        layout.addWidget(source_group)
        layout.addWidget(self._build_selection_group(), 1)
        self.output = OutputOptions()
        layout.addWidget(self.output)
        self.preflight = PreflightPanel(tasks, ctx.paths.data_dir, free_bytes or ctx.storage.free_bytes)
        layout.addWidget(self.preflight)
        self.submit_error = _error_label()
        layout.addWidget(self.submit_error)
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.button_box.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Start export"))
        self.button_box.accepted.connect(self.submit)
        self.button_box.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(VerticalScrollArea(content), 1)
        outer.addWidget(self.button_box)
        self._name_controls()
        self.table_columns = TableColumns(
            self.table_list, tasks, ctx.paths.data_dir, lambda item: str(item.data(0, _TABLE_ROLE)), self
        )
        self._connect_preflight()
        # The source and output groups keep their own height, and the table list takes the rest.
        for fixed_height in (source_group, self.output):
            fixed_height.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        # Open tall enough for every field where the screen allows. 9/10 of the screen height
        # leaves room for the title bar that the window manager adds.
        available = self.screen().availableGeometry()
        hint = self.sizeHint()
        self.resize(min(max(660, hint.width()), available.width()), min(max(680, hint.height()), available.height() * 9 // 10))

        self._restore_choices()
        self._restoring = False
        self._update_enabled()
        self.load_tables()

    # Layout ----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Show):
            self._fit_output()
        return handled

    def _fit_output(self) -> None:
        """Grow the dialog, within the screen, when the output group is shorter than its text needs.

        The dialog's minimum size leaves out the height that word-wrapped labels need at the
        current width, so without this the custom CSV fields or an error text would be squeezed.
        """
        missing = self.output.heightForWidth(self.output.width()) - self.output.height()
        screen = self.screen()
        if missing <= 0 or not self.isVisible() or screen is None:
            return
        height = min(self.height() + missing, screen.availableGeometry().height())
        if height > self.height():
            self.resize(self.width(), height)

    def _name_controls(self) -> None:
        name_by_text(self.demo_radio, self.url_radio, self.load_button, self.tables_radio, self.query_radio)
        name_dialog_buttons(self.button_box)
        name_controls(
            {
                self.url_edit: tr("Database URL"),
                self.table_list: tr("Tables to export"),
                self.query_edit: tr("SQL query to export"),
            }
        )

    def _build_source_group(self) -> QGroupBox:
        group = QGroupBox(tr("Source"))
        self.demo_radio = QRadioButton(demo_title())
        self.url_radio = QRadioButton(tr("Database (SQLAlchemy URL):"))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(tr("e.g. postgresql://user@host/shop or sqlite:////home/me/shop.db"))
        self.load_button = QPushButton(tr("Load tables"))
        self.source_error = _error_label()
        self._source_buttons = QButtonGroup(self)
        self._source_buttons.addButton(self.demo_radio)
        self._source_buttons.addButton(self.url_radio)
        self.demo_radio.setChecked(True)

        self.password_fields = SourcePasswordFields(self._tasks)
        self.picker = SavedSourcePicker(self._ctx, self._tasks, self._test_target)
        self._source_buttons.addButton(self.picker.radio)

        url_row = QHBoxLayout()
        url_row.addWidget(self.url_edit, 1)
        url_row.addWidget(self.load_button)
        layout = QVBoxLayout(group)
        layout.addWidget(self.demo_radio)
        layout.addWidget(self.url_radio)
        layout.addLayout(url_row)
        layout.addWidget(self.password_fields)
        layout.addWidget(self.picker)
        layout.addWidget(self.source_error)

        self._source_buttons.buttonToggled.connect(lambda _button, checked: checked and self._source_kind_changed())
        self.picker.sourceChosen.connect(self._saved_source_chosen)
        self.picker.sourcesEdited.connect(self._saved_source_chosen)
        self.load_button.clicked.connect(self.load_tables)
        self.url_edit.returnPressed.connect(self.load_tables)
        self.url_edit.textEdited.connect(lambda _text: _show_error(self.source_error, ""))
        return group

    def _build_selection_group(self) -> QGroupBox:
        group = QGroupBox(tr("What to export"))
        self.tables_radio = QRadioButton(tr("Tables"))
        self.query_radio = QRadioButton(tr("SQL query"))
        self._selection_buttons = QButtonGroup(self)
        self._selection_buttons.addButton(self.tables_radio)
        self._selection_buttons.addButton(self.query_radio)
        self.tables_radio.setChecked(True)

        self.table_list = QTreeWidget()
        self.table_list.setHeaderLabels([tr("Table"), tr("Rows (estimate)")])
        self.table_list.setRootIsDecorated(False)
        self.table_list.setUniformRowHeights(True)
        self.table_list.setColumnWidth(0, 280)
        self.table_status = QLabel()
        self.table_status.setWordWrap(True)
        self.query_edit = QPlainTextEdit()
        self.query_edit.setPlaceholderText(tr("SELECT … FROM …"))
        self.selection_error = _error_label()

        radios = QHBoxLayout()
        radios.addWidget(self.tables_radio)
        radios.addWidget(self.query_radio)
        radios.addStretch(1)
        layout = QVBoxLayout(group)
        layout.addLayout(radios)
        layout.addWidget(self.table_list, 3)
        layout.addWidget(self.table_status)
        layout.addWidget(self.query_edit, 2)
        layout.addWidget(self.selection_error)

        self.tables_radio.toggled.connect(self._update_enabled)
        self.table_list.itemChanged.connect(lambda *_: _show_error(self.selection_error, ""))
        self.query_edit.textChanged.connect(lambda: _show_error(self.selection_error, ""))
        return group

    # Reactions -------------------------------------------------------------------------

    def _source_kind_changed(self) -> None:
        if self._restoring:
            return
        _show_error(self.source_error, "")
        self._update_enabled()
        if self.demo_radio.isChecked():
            self.load_tables()
        elif self.picker.radio.isChecked() or self.url_edit.text().strip():
            self.load_tables()
        else:
            self._clear_tables("")
            self.url_edit.setFocus()

    def _update_enabled(self) -> None:
        using_url = self.url_radio.isChecked()
        self.url_edit.setEnabled(using_url)
        self.load_button.setEnabled(using_url)
        using_saved = self.picker.radio.isChecked()
        self.picker.combo.setEnabled(using_saved)
        # For a saved source, a typed password is used for this session ("ask each time").
        self.password_fields.setEnabled(using_url or using_saved)
        using_tables = self.tables_radio.isChecked()
        self.table_list.setVisible(using_tables)
        self.table_status.setVisible(using_tables and bool(self.table_status.text()))
        self.query_edit.setVisible(not using_tables)

    def source(self) -> str:
        """Return `demo` or the typed URL, after moving any password in it to the password field."""
        if self.demo_radio.isChecked():
            return DEMO_SOURCE
        if self.picker.radio.isChecked():
            return self.picker.current_source()
        typed = self.url_edit.text().strip()
        public = self.password_fields.take_password_from(typed)
        if public != typed:
            self.url_edit.setText(public)
        return public

    def _source_problem(self, source: str) -> str:
        if self.picker.radio.isChecked():
            return saved_source_problem(source)
        return "" if source == DEMO_SOURCE else url_problem(source)

    def _remember_typed_password(self, source: str) -> None:
        if source.startswith(HTTP_PREFIX):
            remember_typed_secret(source, self.password_fields.password())
        elif source != DEMO_SOURCE:
            self.password_fields.remember_for_session(source)

    def _test_target(self) -> TestTarget | None:
        """Return the chosen source for «Test connection», or None after showing what is wrong with it."""
        source = self.source()
        problem = self._source_problem(source)
        _show_error(self.source_error, problem)
        if problem:
            return None
        self._remember_typed_password(source)
        if self.picker.radio.isChecked():
            return source, self.picker.current_name()
        return source, "the demo source" if source == DEMO_SOURCE else "a URL source"

    def _saved_source_chosen(self) -> None:
        if self.picker.radio.isChecked():
            self.load_tables()
        elif self.picker.current_name():
            self.picker.radio.setChecked(True)

    # Table list ------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._loading

    def load_tables(self) -> None:
        """Read the chosen source's tables in the background. A newer request supersedes older ones."""
        source = self.source()
        if source != DEMO_SOURCE:
            problem = self._source_problem(source)
            _show_error(self.source_error, problem)
            if problem:
                self._load_generation += 1
                self._loading = False
                self._clear_tables("")
                return
        self._remember_typed_password(source)
        self._load_generation += 1
        generation = self._load_generation
        self._clear_tables(tr("Loading the list of tables…"))
        self._loading = True
        data_dir = self._ctx.paths.data_dir

        def read(_report: ProgressReport) -> list[TableInfo]:
            return list_source_tables(source, data_dir)

        self._tasks.run(
            read,
            on_success=lambda tables: self._tables_read(generation, source, tables),
            on_failure=lambda error: self._tables_failed(generation, source, error),
        )

    def _clear_tables(self, status: str) -> None:
        self._loaded_source = None
        self.table_columns.reset(None)
        self.table_list.clear()
        self.preflight.request(None)
        self._set_table_status(status)

    def _set_table_status(self, text: str) -> None:
        self.table_status.setText(text)
        self.table_status.setVisible(bool(text) and self.tables_radio.isChecked())

    def _tables_read(self, generation: int, source: str, tables: list[TableInfo]) -> None:
        if generation != self._load_generation:
            return
        self._loading = False
        remembered = self._ctx.settings.last_choices.get("tables") if self._ctx.settings.last_choices.get("source") == source else None
        checked = set(remembered) if isinstance(remembered, list) else set()
        self.table_columns.reset(source)
        self.table_list.clear()
        for table in tables:
            if table.is_view:
                estimate = tr("view")
            elif table.rows_estimate is None:
                estimate = ""
            else:
                estimate = format_count(table.rows_estimate)
            item = QTreeWidgetItem([table.name, estimate])
            item.setData(0, _TABLE_ROLE, table.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Checked if table.name in checked else Qt.CheckState.Unchecked)
            self.table_columns.prepare(item)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table_list.addTopLevelItem(item)
        self._loaded_source = source
        self._set_table_status("" if tables else tr("The source has no tables."))
        self.tablesLoaded.emit()

    def _tables_failed(self, generation: int, source: str, error: BaseException) -> None:
        if generation != self._load_generation:
            return
        self._loading = False
        if isinstance(error, ExportDeskError):
            source_kind = "the demo source" if source == DEMO_SOURCE else "a URL source"
            log.warning("Listing tables of %s failed with %s: %s", source_kind, error.code.value, error.detail)
            reason = error_message(error.code)
        else:
            log.error("Listing tables failed", exc_info=error)
            reason = error_message(ErrorCode.INTERNAL)
        self._clear_tables("")
        _show_error(self.source_error, tr("Could not list the tables: {reason}").format(reason=reason))

    def table_item(self, name: str) -> QTreeWidgetItem | None:
        for row in range(self.table_list.topLevelItemCount()):
            item = self.table_list.topLevelItem(row)
            if item.data(0, _TABLE_ROLE) == name:
                return item
        return None

    def _checked_items(self) -> list[QTreeWidgetItem]:
        items = (self.table_list.topLevelItem(row) for row in range(self.table_list.topLevelItemCount()))
        return [item for item in items if item is not None and item.checkState(0) == Qt.CheckState.Checked]

    def checked_tables(self) -> tuple[str, ...]:
        return tuple(str(item.data(0, _TABLE_ROLE)) for item in self._checked_items())

    def chosen_columns(self) -> tuple[str, ...] | None:
        """Return the ticked columns of the one ticked table, or None to export all columns."""
        checked = self._checked_items()
        if not self.tables_radio.isChecked() or len(checked) != 1:
            return None
        return self.table_columns.chosen(checked[0])

    def _column_problem(self) -> str:
        return self.table_columns.problem(self._checked_items()) if self.tables_radio.isChecked() else ""

    # Choices and submitting ------------------------------------------------------------

    def _restore_choices(self) -> None:
        choices = self._ctx.settings.last_choices
        source = choices.get("source")
        saved_name = choices.get("saved_source")
        if isinstance(saved_name, str) and saved_name and self.picker.select(saved_name):
            self.picker.radio.setChecked(True)
        elif isinstance(source, str) and source and source != DEMO_SOURCE and not source.startswith(HTTP_PREFIX):
            self.url_edit.setText(source)
            self.url_radio.setChecked(True)
        if choices.get("mode") == "query":
            self.query_radio.setChecked(True)
        query = choices.get("query")
        if isinstance(query, str):
            self.query_edit.setPlainText(query)
        self.output.set_format(choices.get("format"))
        self.output.set_profile(choices.get("profile", "excel-ru"))
        # After the profile, because choosing a profile resets the formula checkbox to its default.
        self.output.csv_options.restore(choices.get("csv"))
        # Retention comes from the settings, not from the last export, so the setting stays the default.
        hours = -(-self._ctx.settings.retention_s // 3600)
        self.output.retention_spin.setValue(max(1, min(MAX_RETENTION_HOURS, hours)))

    def _remember_choices(self) -> None:
        self._ctx.settings.last_choices = {
            "source": self.source(),
            "saved_source": self.picker.current_name() if self.picker.radio.isChecked() else "",
            "mode": "tables" if self.tables_radio.isChecked() else "query",
            "tables": list(self.checked_tables()),
            "query": self.query_edit.toPlainText(),
            "format": self.output.format_name(),
            "profile": self.output.profile(),
            "csv": self.output.csv_options.choices(),
        }
        try:
            self._ctx.save_settings()
        except OSError as error:
            log.warning("Saving the last export choices failed: %s", error)

    def _validate(self) -> bool:
        source = self.source()
        source_problem = self._source_problem(source)
        _show_error(self.source_error, source_problem)
        selection_problem = ""
        if self.tables_radio.isChecked() and not self.checked_tables():
            selection_problem = tr("No table is selected. Tick at least one table, or choose SQL query.")
        elif self.tables_radio.isChecked():
            selection_problem = self._column_problem()
        if self.query_radio.isChecked() and not self.query_edit.toPlainText().strip():
            selection_problem = tr("The SQL query is empty. Type a query, or choose Tables.")
        _show_error(self.selection_error, selection_problem)
        options_valid = self.output.show_problem()
        return not source_problem and not selection_problem and options_valid

    def submit(self) -> None:
        """Validate, keep the password, queue the job, remember the choices and close the dialog."""
        _show_error(self.submit_error, "")
        if not self._validate():
            return
        if self.preflight.blocking_reason:
            _show_error(self.submit_error, self.preflight.blocking_reason)
            return
        source = self.source()
        using_tables = self.tables_radio.isChecked()
        spec = actions.new_spec(
            source,
            tables=self.checked_tables() if using_tables else (),
            query=None if using_tables else self.query_edit.toPlainText(),
            columns=self.chosen_columns(),
            profile=self.output.profile(),
            name=self.output.name_edit.text().strip(),
            retention_s=self.output.retention_spin.value() * 3600,
            format_name=self.output.format_name(),
            options=self._job_options(),
        )
        if self.picker.radio.isChecked():
            # A saved source's password is in the system password store, and a typed one is kept for this session.
            self._remember_typed_password(source)
            self._queue(spec)
            return
        if source == DEMO_SOURCE or not self.password_fields.password():
            self._queue(spec)
            return
        if not self.password_fields.saves_to_store():
            self.password_fields.remember_for_session(source)
            self._queue(spec)
            return
        # Saving to a keyring may wait for an unlock prompt, so it runs off the GUI thread.
        self.button_box.setEnabled(False)
        self._tasks.run(
            self.password_fields.store_call(source),
            on_success=lambda _saved: self._queue(spec),
            on_failure=self._password_store_failed,
        )

    def _job_options(self) -> dict[str, Any]:
        options = self.output.job_options()
        if self.xlsx_rows_per_sheet is not None and self.output.format_name() == "xlsx":
            options["xlsx_rows_per_sheet"] = self.xlsx_rows_per_sheet
        return options

    # Pre-flight ------------------------------------------------------------------------

    def _connect_preflight(self) -> None:
        self.preflight.blockedChanged.connect(self._preflight_blocked)
        self.tablesLoaded.connect(self._schedule_preflight)
        self.table_columns.columnsLoaded.connect(self._schedule_preflight)
        self.table_list.itemChanged.connect(self._update_ok)
        self.tables_radio.toggled.connect(self._update_ok)
        self.table_list.itemChanged.connect(self._schedule_preflight)
        self.tables_radio.toggled.connect(self._schedule_preflight)
        self.query_edit.textChanged.connect(self._schedule_preflight)
        self.output.format_buttons.buttonToggled.connect(self._schedule_preflight)
        self.output.profile_combo.currentIndexChanged.connect(self._schedule_preflight)

    def _schedule_preflight(self, *_args: object) -> None:
        self.preflight.request(self._preflight_spec())

    def _preflight_spec(self) -> JobSpec | None:
        """Return the job the choices describe so far, for the estimate, or None while no selection is made."""
        if self._loaded_source is None:
            return None
        using_tables = self.tables_radio.isChecked()
        tables = self.checked_tables() if using_tables else ()
        query = None if using_tables else self.query_edit.toPlainText().strip()
        if (not tables and not query) or self._column_problem():
            return None
        return actions.new_spec(
            self._loaded_source, tables=tables, query=query, profile=self.output.profile(),
            format_name=self.output.format_name(), options=self._job_options(), columns=self.chosen_columns(),
        )

    def _preflight_blocked(self, reason: str) -> None:
        self._preflight_reason = reason
        self._update_ok()

    def _update_ok(self, *_args: object) -> None:
        """Disable OK while the columns or the pre-flight rule the export out, with the reason shown."""
        column_problem = self._column_problem()
        if column_problem:
            _show_error(self.selection_error, column_problem)
        reason = column_problem or self._preflight_reason
        ok_button = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        ok_button.setEnabled(not reason)
        ok_button.setToolTip(reason)

    def _password_store_failed(self, error: BaseException) -> None:
        log.error("Saving the source password failed", exc_info=error)
        self.button_box.setEnabled(True)
        _show_error(self.submit_error, tr("The password could not be saved. Untick saving it, or try again."))

    def _queue(self, spec: JobSpec) -> None:
        self.button_box.setEnabled(True)
        try:
            self.submitted_job = actions.submit(self._ctx, spec)
        except (actions.InvalidSpec, UnknownProfile) as error:
            _show_error(self.submit_error, tr("The export could not be queued: {reason}").format(reason=str(error)))
            return
        self._remember_choices()
        # Claim after the window has listed the new job, so the list shows it as queued first.
        QTimer.singleShot(0, self._kick)
        self.accept()
