"""Choosing the columns of a table in the new export dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.job_details import detail_fields
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.gui.table_columns import COLUMN_ROLE

LOAD_TIMEOUT_MS = 30_000


@pytest.fixture
def dialog(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> NewExportDialog:
    opened = NewExportDialog(gui_ctx, tasks, lambda: None)
    qtbot.addWidget(opened)
    opened.show()
    qtbot.waitUntil(lambda: not opened.loading and opened.table_list.topLevelItemCount() > 0, timeout=LOAD_TIMEOUT_MS)
    return opened


def column_items(table: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = [table.child(row) for row in range(table.childCount())]
    return [child for child in children if child.data(0, COLUMN_ROLE) is not None]


def expand_with_keyboard(qtbot: QtBot, dialog: NewExportDialog, name: str) -> QTreeWidgetItem:
    """Tick the table with Space, expand it with the Right arrow and wait for its columns."""
    table = dialog.table_item(name)
    assert table is not None
    dialog.table_list.setFocus()
    dialog.table_list.setCurrentItem(table)
    qtbot.keyClick(dialog.table_list, Qt.Key.Key_Space)
    assert table.checkState(0) == Qt.CheckState.Checked
    qtbot.keyClick(dialog.table_list, Qt.Key.Key_Right)
    assert table.isExpanded()
    qtbot.waitUntil(lambda: bool(column_items(table)), timeout=LOAD_TIMEOUT_MS)
    return table


def ok_button(dialog: NewExportDialog) -> object:
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)


def test_unticked_column_left_out(qtbot: QtBot, gui_ctx: Context, dialog: NewExportDialog) -> None:
    table = expand_with_keyboard(qtbot, dialog, "airports")
    columns = column_items(table)
    assert [child.text(0) for child in columns] == ["faa", "name", "lat", "lon", "alt", "tz", "dst", "tzone"]
    assert columns[2].text(1) == "REAL"
    assert all(child.checkState(0) == Qt.CheckState.Checked for child in columns)
    assert columns[2].data(0, Qt.ItemDataRole.AccessibleTextRole) == "Column lat, type REAL"
    assert dialog.chosen_columns() is None

    dialog.table_list.setCurrentItem(columns[2])
    qtbot.keyClick(dialog.table_list, Qt.Key.Key_Space)
    assert columns[2].checkState(0) == Qt.CheckState.Unchecked
    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    assert job.spec.selection.tables == ("airports",)
    assert job.spec.selection.columns == ("faa", "name", "lon", "alt", "tz", "dst", "tzone")
    stored = gui_ctx.store.get(gui_ctx.owner, job.id)
    assert stored.spec.selection.columns == job.spec.selection.columns
    fields = {field.key: field.value for field in detail_fields(stored, dt.datetime.now(dt.timezone.utc))}
    assert fields["columns"] == "faa, name, lon, alt, tz, dst, tzone"


def test_no_column_ticked_disables_ok(qtbot: QtBot, dialog: NewExportDialog) -> None:
    table = expand_with_keyboard(qtbot, dialog, "airlines")

    for child in column_items(table):
        child.setCheckState(0, Qt.CheckState.Unchecked)

    reason = "No column of «airlines» is ticked. Tick at least one column."
    assert not ok_button(dialog).isEnabled()
    assert ok_button(dialog).toolTip() == reason
    assert dialog.selection_error.isVisible()
    assert dialog.selection_error.text() == reason

    column_items(table)[1].setCheckState(0, Qt.CheckState.Checked)

    assert dialog.chosen_columns() == ("name",)
    assert ok_button(dialog).toolTip() != reason


def test_columns_of_one_table_only(qtbot: QtBot, dialog: NewExportDialog) -> None:
    table = expand_with_keyboard(qtbot, dialog, "airlines")
    column_items(table)[0].setCheckState(0, Qt.CheckState.Unchecked)
    other = dialog.table_item("planes")
    assert other is not None

    other.setCheckState(0, Qt.CheckState.Checked)

    assert not ok_button(dialog).isEnabled()
    assert dialog.selection_error.text().startswith("Columns can be chosen for a single table only.")
    dialog.submit()
    assert dialog.submitted_job is None


def test_unticked_table_collapses(qtbot: QtBot, dialog: NewExportDialog) -> None:
    table = expand_with_keyboard(qtbot, dialog, "airlines")

    qtbot.keyClick(dialog.table_list, Qt.Key.Key_Space)

    assert table.checkState(0) == Qt.CheckState.Unchecked
    assert not table.isExpanded()
    qtbot.keyClick(dialog.table_list, Qt.Key.Key_Right)
    assert not table.isExpanded()
