"""The new-export dialog's pre-flight warnings, saved-source choice and «Test connection»."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.connection_test import ConnectionTest
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.jobs import ErrorCode
from exportdesk.messages import error_message
from exportdesk.sources import demo
from exportdesk.store.saved_sources import SavedSources

WAIT_MS = 30_000
PLENTY_OF_SPACE = 10**12


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """Pin the backend Linux has without a Secret Service, so no call waits on a D-Bus keyring prompt."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


# The `tasks` fixture (tests/gui/conftest.py) waits this long for background tasks to end.
TASKS_SHUTDOWN_MS = WAIT_MS


def open_dialog(qtbot: QtBot, ctx: Context, tasks: BackgroundTasks, free_bytes: int = PLENTY_OF_SPACE) -> NewExportDialog:
    dialog = NewExportDialog(ctx, tasks, lambda: None, free_bytes=lambda: free_bytes)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table_item("airlines") is not None, timeout=WAIT_MS)
    return dialog


def tick(qtbot: QtBot, dialog: NewExportDialog, table: str) -> None:
    dialog.table_item(table).setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: not dialog.preflight.busy and dialog.preflight.result is not None, timeout=WAIT_MS)


def ok_button(dialog: NewExportDialog):
    return dialog.button_box.button(QDialogButtonBox.StandardButton.Ok)


def test_xlsx_sheet_warning_shown(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.xlsx_rows_per_sheet = 5
    dialog.output.set_format("xlsx")

    tick(qtbot, dialog, "airlines")

    assert dialog.preflight.summary_label.text().startswith("Rows (estimate): 16. File size (estimate): ")
    assert dialog.preflight.warning_label.isVisibleTo(dialog)
    assert re.search(r"XLSX will need 4 sheet", dialog.preflight.warning_label.text())
    assert ok_button(dialog).isEnabled()


def test_no_sheet_warning_for_csv(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.xlsx_rows_per_sheet = 5
    dialog.output.set_format("csv")

    tick(qtbot, dialog, "airlines")

    assert dialog.preflight.warning_label.text() == ""
    assert not dialog.preflight.warning_label.isVisibleTo(dialog)


def test_no_space_blocks_ok(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, free_bytes=100)

    tick(qtbot, dialog, "airlines")

    reason = dialog.preflight.blocking_reason
    assert reason.startswith("The file will take about ")
    assert reason.endswith(" free.")
    assert not ok_button(dialog).isEnabled()
    assert ok_button(dialog).toolTip() == reason
    dialog.submit()
    assert dialog.submitted_job is None
    assert dialog.submit_error.text() == reason
    assert gui_ctx.store.list(gui_ctx.owner) == []

    dialog.table_item("airlines").setCheckState(0, Qt.CheckState.Unchecked)
    assert ok_button(dialog).isEnabled()
    assert dialog.preflight.blocking_reason == ""


def test_saved_source_choice_remembered(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    url = f"sqlite:///{demo.demo_database_path(gui_ctx.paths.data_dir)}"
    SavedSources(gui_ctx.store).save(gui_ctx.owner, "flights copy", "sql", {"url": url})
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    assert dialog.picker.combo.currentText() == "flights copy (SQL database)"
    qtbot.mouseClick(dialog.picker.radio, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog._loaded_source == url and dialog.table_item("airlines") is not None, timeout=WAIT_MS)
    tick(qtbot, dialog, "airlines")
    dialog.output.set_format("jsonl")

    dialog.submit()

    assert dialog.submitted_job is not None
    assert dialog.submitted_job.spec.source == url
    again = open_dialog(qtbot, gui_ctx, tasks)
    assert again.picker.radio.isChecked()
    assert again.picker.current_name() == "flights copy"
    assert again.output.format_name() == "jsonl"
    qtbot.waitUntil(lambda: again._loaded_source == url, timeout=WAIT_MS)
    assert again.checked_tables() == ("airlines",)


def test_saved_source_missing_is_named(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    assert not dialog.picker.radio.isEnabled()
    dialog.picker.radio.setEnabled(True)
    dialog.picker.radio.setChecked(True)

    dialog.submit()

    assert dialog.source_error.text() == "Choose a saved source, or add one with Sources…"
    assert dialog.submitted_job is None


def test_test_connection_button(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    with qtbot.waitSignal(dialog.picker.tester.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.picker.test_button, Qt.MouseButton.LeftButton)
    assert dialog.picker.result_label.text() == "Connection established"

    dialog.url_radio.setChecked(True)
    dialog.url_edit.setText("sqlite:////nonexistent/folder/shop.db")
    with qtbot.waitSignal(dialog.picker.tester.finished, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.picker.test_button, Qt.MouseButton.LeftButton)
    assert dialog.picker.result_label.text() == error_message(ErrorCode.SOURCE_UNREACHABLE)


def test_connection_test_times_out(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    # A listening socket that never responds: the TCP handshake completes, PostgreSQL's greeting never comes.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    tester = ConnectionTest(tasks, gui_ctx.paths.data_dir, timeout_ms=300)
    try:
        with qtbot.waitSignal(tester.finished, timeout=WAIT_MS) as blocker:
            tester.start(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none", "silent server")
        assert blocker.args == [False, error_message(ErrorCode.SOURCE_UNREACHABLE)]
        assert not tester.running
    finally:
        # Closing the socket resets the pending connection, so the background call ends at once.
        silent.close()
    qtbot.waitUntil(lambda: tasks.active_count == 0, timeout=WAIT_MS)
    assert not tester.running


def test_rejected_query_blocks_ok(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)

    dialog.query_radio.setChecked(True)
    dialog.query_edit.setPlainText("SELEC 1")
    qtbot.waitUntil(lambda: not dialog.preflight.busy, timeout=WAIT_MS)

    reason = 'The database rejected the query: near "SELEC": syntax error. Fix the query and export again.'
    assert dialog.preflight.blocking_reason == reason
    assert dialog.preflight.warning_label.text() == reason
    assert not ok_button(dialog).isEnabled()
    dialog.submit()
    assert dialog.submitted_job is None
    assert gui_ctx.store.list(gui_ctx.owner) == []

    dialog.query_edit.setPlainText("SELECT 1")
    qtbot.waitUntil(lambda: not dialog.preflight.busy, timeout=WAIT_MS)
    assert dialog.preflight.blocking_reason == ""
    assert ok_button(dialog).isEnabled()
