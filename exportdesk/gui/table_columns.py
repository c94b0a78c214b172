"""`TableColumns`: the columns of the tables in the new export dialog's tree.

A ticked table shows an expand arrow. Expanding it (mouse, or the Right arrow key) reads its
columns and their types in the background and lists them under the table, all ticked. A
table whose columns are all ticked exports every column, so the job has no column list and
picks up columns added later. Columns can be chosen for a single table only, and at least
one must stay ticked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.source_tables import list_table_columns
from exportdesk.i18n import tr
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.messages import error_message
from exportdesk.sources.base import Column

log = logging.getLogger(__name__)

COLUMN_ROLE = Qt.ItemDataRole.UserRole + 2


class TableColumns(QObject):
    """The column items under the table items of `tree`: listed on expand, read for the job.

    `table_of(item)` returns the table name of a top-level item. `columnsLoaded` is emitted
    after a table's columns were listed, so the dialog can update its estimate and OK button.
    """

    columnsLoaded = Signal()

    def __init__(
        self,
        tree: QTreeWidget,
        tasks: BackgroundTasks,
        data_dir: Path,
        table_of: Callable[[QTreeWidgetItem], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tree = tree
        self._tasks = tasks
        self._data_dir = data_dir
        self._table_of = table_of
        self._source: str | None = None
        self._generation = 0
        self._requested: set[str] = set()
        tree.setRootIsDecorated(True)
        tree.itemExpanded.connect(self._expanded)
        tree.itemChanged.connect(self._changed)

    def reset(self, source: str | None) -> None:
        """Forget loaded columns and ignore loads still running, for a new table list of `source`."""
        self._source = source
        self._generation += 1
        self._requested.clear()

    def prepare(self, item: QTreeWidgetItem) -> None:
        """Show the expand arrow on a ticked table item, and only there."""
        checked = item.checkState(0) == Qt.CheckState.Checked
        policy = QTreeWidgetItem.ChildIndicatorPolicy
        item.setChildIndicatorPolicy(policy.ShowIndicator if checked else policy.DontShowIndicator)
        hint = tr("Expand to choose its columns") if checked else ""
        item.setData(0, Qt.ItemDataRole.AccessibleDescriptionRole, hint)
        if not checked and item.isExpanded():
            item.setExpanded(False)

    # Reactions -------------------------------------------------------------------------

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column == 0 and item.parent() is None:
            self.prepare(item)

    def _expanded(self, item: QTreeWidgetItem) -> None:
        if item.parent() is not None:
            return
        if item.checkState(0) != Qt.CheckState.Checked:
            item.setExpanded(False)
            return
        table = self._table_of(item)
        if table in self._requested or self._source is None:
            return
        self._requested.add(table)
        self._set_note(item, tr("Loading the columns…"))
        source, data_dir, generation = self._source, self._data_dir, self._generation

        def read(_report: ProgressReport) -> list[Column]:
            return list_table_columns(source, table, data_dir)

        self._tasks.run(
            read,
            on_success=lambda columns: self._columns_read(generation, table, columns),
            on_failure=lambda error: self._columns_failed(generation, table, error),
        )

    def _find(self, generation: int, table: str) -> QTreeWidgetItem | None:
        if generation != self._generation:
            return None
        for row in range(self._tree.topLevelItemCount()):
            item = self._tree.topLevelItem(row)
            if item is not None and self._table_of(item) == table:
                return item
        return None

    def _columns_read(self, generation: int, table: str, columns: list[Column]) -> None:
        item = self._find(generation, table)
        if item is None:
            return
        children = []
        for column in columns:
            child = QTreeWidgetItem([column.name, column.type_name])
            child.setData(0, COLUMN_ROLE, column.name)
            child.setFlags((child.flags() | Qt.ItemFlag.ItemIsUserCheckable) & ~Qt.ItemFlag.ItemIsAutoTristate)
            # Ticked before the item joins the tree, so loading emits no itemChanged per column.
            child.setCheckState(0, Qt.CheckState.Checked)
            if column.type_name:
                accessible = tr("Column {name}, type {type}").format(name=column.name, type=column.type_name)
            else:
                accessible = tr("Column {name}").format(name=column.name)
            child.setData(0, Qt.ItemDataRole.AccessibleTextRole, accessible)
            children.append(child)
        item.takeChildren()
        if children:
            item.addChildren(children)
        else:
            self._set_note(item, tr("The table has no columns to list."))
        self.columnsLoaded.emit()

    def _columns_failed(self, generation: int, table: str, error: BaseException) -> None:
        item = self._find(generation, table)
        if item is None:
            return
        self._requested.discard(table)  # collapsing and expanding again retries
        if isinstance(error, ExportDeskError):
            log.warning("Listing the columns of a table failed with %s: %s", error.code.value, error.detail)
            reason = error_message(error.code, error.subject)
        else:
            log.error("Listing the columns of a table failed", exc_info=error)
            reason = error_message(ErrorCode.INTERNAL)
        self._set_note(item, tr("Could not list the columns: {reason}").format(reason=reason))

    def _set_note(self, item: QTreeWidgetItem, text: str) -> None:
        """Replace the table's children with one line of text that cannot be ticked."""
        note = QTreeWidgetItem([text])
        note.setFlags(Qt.ItemFlag.ItemIsEnabled)
        note.setToolTip(0, text)
        item.takeChildren()
        item.addChild(note)

    # Choices ---------------------------------------------------------------------------

    def _column_items(self, item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
        children = (item.child(row) for row in range(item.childCount()))
        return [child for child in children if child is not None and child.data(0, COLUMN_ROLE) is not None]

    def chosen(self, item: QTreeWidgetItem) -> tuple[str, ...] | None:
        """Return the ticked columns of a table item, or None when it exports all of them.

        A table whose columns are not loaded, or are all ticked, exports all columns.
        """
        columns = self._column_items(item)
        ticked = tuple(str(child.data(0, COLUMN_ROLE)) for child in columns if child.checkState(0) == Qt.CheckState.Checked)
        if len(ticked) == len(columns):
            return None
        return ticked

    def problem(self, checked: list[QTreeWidgetItem]) -> str:
        """Return why the column choice of the ticked table items cannot be exported, or ""."""
        narrowed = [item for item in checked if self.chosen(item) is not None]
        for item in narrowed:
            if not self.chosen(item):
                return tr("No column of «{table}» is ticked. Tick at least one column.").format(table=self._table_of(item))
        if narrowed and len(checked) > 1:
            return tr(
                "Columns can be chosen for a single table only. Tick every column of «{table}», or export it alone."
            ).format(table=self._table_of(narrowed[0]))
        return ""
