"""`SourcesDialog`: the owner's saved sources, with Add, Edit, Test connection and Remove.

The list shows each source's name, kind and address; an address never contains a password,
because saved settings never do. Removing a source also deletes its password from the
system password store, after the user confirms.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exportdesk import credentials
from exportdesk.context import Context
from exportdesk.gui.accessibility import (
    name_by_text,
    name_controls,
    name_dialog_buttons,
)
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.connection_test import ConnectionTest
from exportdesk.gui.contrast import error_style
from exportdesk.gui.source_check import kind_label, saved_source_string, source_address
from exportdesk.gui.source_form import SourceFormDialog
from exportdesk.i18n import tr
from exportdesk.sources import secret_ref_of
from exportdesk.store.saved_sources import SavedSource, SavedSources, SourceNotFound

log = logging.getLogger(__name__)

_NAME_ROLE = Qt.ItemDataRole.UserRole + 1


def add_sources_action(window: QWidget, before: QAction) -> QAction:
    """Put «Sources…» into the menu that contains `before`, in front of it, and return the action."""
    action = QAction(tr("Sources…"), window)
    action.setStatusTip(tr("Add, edit, test and remove saved data sources"))
    action.setToolTip(tr("Add, edit, test and remove saved data sources"))
    for owner in before.associatedObjects():
        if isinstance(owner, QMenu):
            owner.insertAction(before, action)
    return action


class SourcesDialog(QDialog):
    """The list of saved sources. `changed` is True when a source was added, edited or removed."""

    def __init__(self, ctx: Context, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Sources"))
        self._ctx = ctx
        self._tasks = tasks
        self.changed = False
        self.form: SourceFormDialog | None = None
        self.remove_prompt: QMessageBox | None = None
        self.tester = ConnectionTest(tasks, ctx.paths.data_dir, parent=self)
        self.tester.finished.connect(self._test_finished)

        self.source_list = QTreeWidget()
        self.source_list.setHeaderLabels([tr("Name"), tr("Kind"), tr("Address")])
        self.source_list.setRootIsDecorated(False)
        self.source_list.setUniformRowHeights(True)
        self.source_list.setColumnWidth(0, 170)
        self.source_list.setColumnWidth(1, 150)
        self.empty_label = QLabel(tr("No saved sources yet. Add one to export from your own database or API."))
        self.empty_label.setWordWrap(True)
        self.add_button = QPushButton(tr("&Add…"))
        self.edit_button = QPushButton(tr("&Edit…"))
        self.test_button = QPushButton(tr("&Test connection"))
        self.remove_button = QPushButton(tr("&Remove…"))
        for button in (self.add_button, self.edit_button, self.test_button, self.remove_button):
            button.setAutoDefault(False)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.button_box.rejected.connect(self.reject)

        buttons = QVBoxLayout()
        for button in (self.add_button, self.edit_button, self.test_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body = QHBoxLayout()
        list_column = QVBoxLayout()
        list_column.addWidget(self.source_list, 1)
        list_column.addWidget(self.empty_label)
        body.addLayout(list_column, 1)
        body.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(self.button_box)
        name_by_text(self.add_button, self.edit_button, self.test_button, self.remove_button)
        name_dialog_buttons(self.button_box)
        name_controls({self.source_list: tr("Saved sources"), self.result_label: tr("Sources")})

        self.add_button.clicked.connect(self.add_source)
        self.edit_button.clicked.connect(self.edit_selected)
        self.test_button.clicked.connect(self.test_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.source_list.itemSelectionChanged.connect(self._update_enabled)
        self.source_list.itemActivated.connect(lambda _item, _column: self.edit_selected())
        self.source_list.installEventFilter(self)
        self.resize(760, 380)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Delete in the list removes the selected source, after asking.
        is_delete = isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Delete
        if watched is self.source_list and is_delete:
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    # List ------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Read the saved sources again and select `select`, or the first one."""
        sources = SavedSources(self._ctx.store).list(self._ctx.owner)
        self.source_list.clear()
        for source in sources:
            item = QTreeWidgetItem([source.name, kind_label(source.kind), source_address(source)])
            item.setData(0, _NAME_ROLE, source.name)
            item.setToolTip(2, source_address(source))
            self.source_list.addTopLevelItem(item)
            if source.name == select:
                self.source_list.setCurrentItem(item)
        if self.source_list.currentItem() is None and sources:
            self.source_list.setCurrentItem(self.source_list.topLevelItem(0))
        self.empty_label.setVisible(not sources)
        self._update_enabled()

    def names(self) -> list[str]:
        return [str(self.source_list.topLevelItem(row).data(0, _NAME_ROLE)) for row in range(self.source_list.topLevelItemCount())]

    def select(self, name: str) -> None:
        for row in range(self.source_list.topLevelItemCount()):
            item = self.source_list.topLevelItem(row)
            if item.data(0, _NAME_ROLE) == name:
                self.source_list.setCurrentItem(item)

    def selected(self) -> SavedSource | None:
        item = self.source_list.currentItem()
        if item is None:
            return None
        try:
            return SavedSources(self._ctx.store).get(self._ctx.owner, str(item.data(0, _NAME_ROLE)))
        except SourceNotFound:
            self._show_result(tr("This source no longer exists: it was removed."))
            self.reload()
            return None

    def _update_enabled(self) -> None:
        chosen = self.source_list.currentItem() is not None
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.test_button.setEnabled(chosen and not self.tester.running)

    def _show_result(self, text: str, ok: bool | None = None) -> None:
        self.result_label.setStyleSheet("" if ok is not False else error_style(self.result_label.palette()))
        self.result_label.setText(text)

    # Add and edit ----------------------------------------------------------------------

    def add_source(self) -> None:
        self._open_form(None)

    def edit_selected(self) -> None:
        source = self.selected()
        if source is not None:
            self._open_form(source)

    def _open_form(self, source: SavedSource | None) -> None:
        form = SourceFormDialog(self._ctx, self._tasks, source, self)
        form.accepted.connect(lambda: self._form_saved(form))
        form.finished.connect(lambda _result: form.deleteLater())
        self.form = form
        form.open()

    def _form_saved(self, form: SourceFormDialog) -> None:
        if form.saved is None:
            return
        self.changed = True
        self.reload(select=form.saved.name)
        self._show_result(tr("Source \u201c{name}\u201d saved.").format(name=form.saved.name))
        self.source_list.setFocus()

    # Test ------------------------------------------------------------------------------

    def test_selected(self) -> None:
        source = self.selected()
        if source is None or self.tester.running:
            return
        self._show_result(tr("Testing \u201c{name}\u201d…").format(name=source.name))
        self.tester.start(saved_source_string(source), source.name)
        self._update_enabled()

    def _test_finished(self, ok: bool, message: str) -> None:
        self._show_result(message, ok)
        self._update_enabled()

    # Remove ----------------------------------------------------------------------------

    def remove_selected(self) -> None:
        """Ask, then remove the selected source and its saved password."""
        source = self.selected()
        if source is None:
            return
        prompt = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Remove source"),
            tr("Remove the source \u201c{name}\u201d and its saved password? Exports already made from it are kept.").format(
                name=source.name
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        prompt.setDefaultButton(QMessageBox.StandardButton.No)
        prompt.finished.connect(lambda result: self._remove_answered(source, result, prompt))
        self.remove_prompt = prompt
        prompt.open()

    def _remove_answered(self, source: SavedSource, result: int, prompt: QMessageBox) -> None:
        self.remove_prompt = None
        prompt.deleteLater()
        if result != QMessageBox.StandardButton.Yes:
            return
        try:
            SavedSources(self._ctx.store).remove(self._ctx.owner, source.name)
        except SourceNotFound:
            pass  # removed meanwhile, e.g. with the command line
        ref = secret_ref_of(saved_source_string(source))
        if ref:
            # The keyring may wait on D-Bus, so its entry is deleted off the GUI thread.
            self._tasks.run(lambda _report: credentials.delete_secret(ref))
        log.info("Source %s removed", source.name)
        self.changed = True
        self.reload()
        self._show_result(tr("Source \u201c{name}\u201d removed.").format(name=source.name))
