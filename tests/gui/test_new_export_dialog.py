"""`NewExportDialog`: the demo table list, inline validation messages and remembered choices."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from exportdesk import credentials
from exportdesk.context import Context, Settings
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.sources.demo import DEMO_TABLES

LOAD_TIMEOUT_MS = 30_000


class KickCounter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


def open_dialog(qtbot: QtBot, ctx: Context, tasks: BackgroundTasks, kick: KickCounter) -> NewExportDialog:
    dialog = NewExportDialog(ctx, tasks, kick)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def wait_for_tables(qtbot: QtBot, dialog: NewExportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.loading and dialog.table_list.topLevelItemCount() > 0, timeout=LOAD_TIMEOUT_MS)


def test_demo_tables_listed_with_row_estimates(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    wait_for_tables(qtbot, dialog)

    names = [dialog.table_list.topLevelItem(row).text(0) for row in range(dialog.table_list.topLevelItemCount())]
    assert names == list(DEMO_TABLES)
    assert dialog.table_item("airlines").text(1) == "16"
    assert dialog.table_item("flights").text(1) == "336,776"
    assert dialog.demo_radio.isChecked()
    assert dialog.demo_radio.text() == "Demo: New York City flights 2013"


def test_no_table_selected_is_shown_inline(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    kick = KickCounter()
    dialog = open_dialog(qtbot, gui_ctx, tasks, kick)
    wait_for_tables(qtbot, dialog)

    dialog.submit()

    assert dialog.selection_error.isVisible()
    assert dialog.selection_error.text() == "No table is selected. Tick at least one table, or choose SQL query."
    assert dialog.submitted_job is None
    assert gui_ctx.store.list(gui_ctx.owner) == []


def test_empty_query_is_shown_inline(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    dialog.query_radio.setChecked(True)
    dialog.query_edit.setPlainText("   ")

    dialog.submit()

    assert dialog.selection_error.text() == "The SQL query is empty. Type a query, or choose Tables."
    assert dialog.submitted_job is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "The URL \u201cnot a url\u201d is not a valid SQLAlchemy URL."),
        ("", "Type a database URL, or choose the demo source."),
    ],
)
def test_bad_url_is_shown_inline(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, url: str, expected: str) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    dialog.url_radio.setChecked(True)
    dialog.url_edit.setText(url)
    dialog.query_radio.setChecked(True)
    dialog.query_edit.setPlainText("SELECT 1")

    dialog.submit()

    assert dialog.source_error.isVisible()
    assert dialog.source_error.text().startswith(expected)
    assert dialog.submitted_job is None


def test_unreachable_url_reports_catalogue_message(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    dialog.url_radio.setChecked(True)
    dialog.url_edit.setText("sqlite:////nonexistent/x.db")
    dialog.load_tables()
    qtbot.waitUntil(lambda: not dialog.loading, timeout=LOAD_TIMEOUT_MS)

    text = dialog.source_error.text()
    assert text.startswith("Could not list the tables: Could not connect to the data source.")
    assert "nonexistent" not in text


def test_submit_queues_job_and_remembers_choices(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    kick = KickCounter()
    dialog = open_dialog(qtbot, gui_ctx, tasks, kick)
    wait_for_tables(qtbot, dialog)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("utf8")
    dialog.output.name_edit.setText("Planes list")
    dialog.output.retention_spin.setValue(2)

    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    assert job.spec.selection.tables == ("planes",)
    assert job.spec.profile == "utf8"
    assert job.spec.retention_s == 2 * 3600
    assert job.file_name == "Planes list.csv"
    qtbot.waitUntil(lambda: kick.calls == 1)
    assert gui_ctx.settings.last_choices["tables"] == ["planes"]
    assert Settings.load(gui_ctx.paths.settings_file).last_choices["profile"] == "utf8"

    again = open_dialog(qtbot, gui_ctx, tasks, kick)
    wait_for_tables(qtbot, again)
    assert again.table_item("planes").checkState(0) == Qt.CheckState.Checked
    assert again.table_item("flights").checkState(0) == Qt.CheckState.Unchecked
    assert again.output.profile() == "utf8"


def test_profile_explanation_changes(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    dialog.output.set_profile("excel-ru")
    assert dialog.output.profile_explanation.text().startswith("Semicolons, decimal commas")
    dialog.output.set_profile("utf8")
    assert dialog.output.profile_explanation.text().startswith("Commas, decimal points")


def test_password_kept_out_of_job(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "keyring_available", lambda: False)
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    qtbot.waitUntil(lambda: dialog.password_fields.store_available is False)
    dialog.url_radio.setChecked(True)
    dialog.url_edit.setText("postgresql://me:s3cret-pw@127.0.0.1:1/shop")
    dialog.query_radio.setChecked(True)
    dialog.query_edit.setPlainText("SELECT 1")

    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    public = "postgresql://me@127.0.0.1:1/shop"
    ref = credentials.url_secret_ref(public)
    try:
        assert job.spec.source == public
        assert dialog.url_edit.text() == public
        assert not dialog.password_fields.save_check.isEnabled()
        assert credentials.session_secrets([ref]) == {ref: "s3cret-pw"}
        assert "s3cret-pw" not in gui_ctx.paths.settings_file.read_text(encoding="utf-8")
    finally:
        credentials.delete_secret(ref)


def test_password_note_leaves_no_gap(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(credentials, "keyring_available", lambda: False)
    dialog = open_dialog(qtbot, gui_ctx, tasks, KickCounter())
    note = dialog.password_fields.note
    qtbot.waitUntil(note.isVisible)

    def note_fits() -> bool:
        return note.height() == note.heightForWidth(note.width())

    def gap_below_note() -> int:
        note_bottom = note.mapTo(dialog, note.rect().bottomLeft()).y()
        picker_top = dialog.picker.mapTo(dialog, dialog.picker.rect().topLeft()).y()
        return picker_top - note_bottom - 1

    # The note is as high as its wrapped text, and the next row follows at the layout's spacing.
    qtbot.waitUntil(note_fits)
    assert 0 <= gap_below_note() <= dialog.picker.parentWidget().layout().spacing()
