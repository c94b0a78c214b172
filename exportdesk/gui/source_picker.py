"""`SavedSourcePicker`: the new-export dialog's saved-source choice, «Test connection» and «Sources…».

The picker lists the owner's saved sources by name. Test connection checks whatever source the
dialog has chosen (demo, typed URL or saved source), which the dialog passes in as a callable.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from exportdesk import credentials
from exportdesk.context import Context
from exportdesk.gui.accessibility import name_by_text, name_controls
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.connection_test import ConnectionTest
from exportdesk.gui.contrast import error_style
from exportdesk.gui.source_check import kind_label, saved_source_string
from exportdesk.gui.sources_dialog import SourcesDialog
from exportdesk.i18n import tr
from exportdesk.sources import http_config_of
from exportdesk.store.saved_sources import SavedSource, SavedSources


def saved_source_problem(source: str) -> str:
    """Return what is wrong with the saved-source choice, or "" when a source is chosen."""
    return "" if source else tr("Choose a saved source, or add one with Sources…")


def remember_typed_secret(source: str, password: str) -> None:
    """Keep a password typed for a saved HTTP source in memory, under the source's secret name.

    "Ask each time": used where no system password store keeps the saved one.
    """
    config = http_config_of(source)
    if config is not None and config.secret_ref and password:
        credentials.remember_for_session(config.secret_ref, password)


# A source to test: its source string, and a label for the log that contains no password.
TestTarget = tuple[str, str]


class SavedSourcePicker(QWidget):
    """The saved-source row and the test row. `sourcesEdited` is emitted after the sources dialog changed something."""

    sourcesEdited = Signal()
    sourceChosen = Signal()

    def __init__(self, ctx: Context, tasks: BackgroundTasks, test_target: Callable[[], TestTarget | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = tasks
        self._test_target = test_target
        self._sources: list[SavedSource] = []
        self.sources_dialog: SourcesDialog | None = None
        self.radio = QRadioButton(tr("Sa&ved source:"))
        self.combo = QComboBox()
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(24)
        self.test_button = QPushButton(tr("&Test connection"))
        self.sources_button = QPushButton(tr("S&ources…"))
        for button in (self.test_button, self.sources_button):
            button.setAutoDefault(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.tester = ConnectionTest(tasks, ctx.paths.data_dir, parent=self)

        saved_row = QHBoxLayout()
        saved_row.addWidget(self.radio)
        saved_row.addWidget(self.combo, 1)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.sources_button)
        test_row.addWidget(self.result_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout.addLayout(saved_row)
        layout.addLayout(test_row)
        name_by_text(self.radio, self.test_button, self.sources_button)
        name_controls({self.combo: tr("Saved source"), self.result_label: tr("Connection test result")})

        self.tester.finished.connect(self._test_finished)
        self.test_button.clicked.connect(self.test_connection)
        self.sources_button.clicked.connect(self.open_sources)
        self.combo.activated.connect(lambda _index: self.sourceChosen.emit())
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the saved sources again, keeping the chosen one when it still exists."""
        keep = select or self.current_name()
        self._sources = SavedSources(self._ctx.store).list(self._ctx.owner)
        self.combo.blockSignals(True)
        self.combo.clear()
        for source in self._sources:
            self.combo.addItem(tr("{name} ({kind})").format(name=source.name, kind=kind_label(source.kind)), source.name)
        self.combo.blockSignals(False)
        if keep:
            self.select(keep)
        has_sources = bool(self._sources)
        self.combo.setPlaceholderText("" if has_sources else tr("No saved sources: add one with Sources…"))
        self.radio.setEnabled(has_sources or self.radio.isChecked())

    def select(self, name: str) -> bool:
        index = self.combo.findData(name)
        if index >= 0:
            self.combo.setCurrentIndex(index)
        return index >= 0

    def current_name(self) -> str:
        data = self.combo.currentData()
        return str(data) if data is not None else ""

    def current_source(self) -> str:
        """Return the chosen saved source as a job's source string, or "" when none is chosen."""
        name = self.current_name()
        for source in self._sources:
            if source.name == name:
                return saved_source_string(source)
        return ""

    # Test connection -------------------------------------------------------------------

    def test_connection(self) -> None:
        target = self._test_target()
        if target is None or self.tester.running:
            return
        self.show_result(tr("Connecting…"), None)
        self.test_button.setEnabled(False)
        self.tester.start(*target)

    def _test_finished(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(True)
        self.show_result(message, ok)

    def show_result(self, text: str, ok: bool | None) -> None:
        self.result_label.setStyleSheet(error_style(self.result_label.palette()) if ok is False else "")
        self.result_label.setText(text)

    # Sources dialog --------------------------------------------------------------------

    def open_sources(self) -> None:
        dialog = SourcesDialog(self._ctx, self._tasks, self.window())
        if self.current_name():
            dialog.select(self.current_name())
        dialog.finished.connect(lambda _result: self._sources_closed(dialog))
        self.sources_dialog = dialog
        dialog.open()

    def _sources_closed(self, dialog: SourcesDialog) -> None:
        self.sources_dialog = None
        chosen = dialog.selected()
        dialog.deleteLater()
        if not dialog.changed:
            return
        self.reload(select=chosen.name if chosen is not None else None)
        if chosen is not None and self.radio.isEnabled():
            self.radio.setChecked(True)
        self.sourcesEdited.emit()
