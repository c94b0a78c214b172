"""CSV settings in the new export dialog: formula checkbox defaults, custom fields, job options."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.controller import AppController
from exportdesk.gui.csv_options import CsvOptions
from exportdesk.gui.export_output import OutputOptions
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.jobs import JobState

LOAD_TIMEOUT_MS = 30_000
# Generous, because a worker process starts a Python interpreter for every job.
JOB_TIMEOUT_MS = 60_000
NULL_TEXT_PROBLEM = "The NULL text must not contain the delimiter (;), a double quote or a line break. Change the NULL text."


def open_dialog(qtbot: QtBot, ctx: Context, tasks: BackgroundTasks) -> NewExportDialog:
    dialog = NewExportDialog(ctx, tasks, lambda: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.loading and dialog.table_list.topLevelItemCount() > 0, timeout=LOAD_TIMEOUT_MS)
    return dialog


def choose_custom(options: CsvOptions, delimiter: str, line_end: str, encoding: str, header: bool, null_text: str) -> None:
    options.delimiter_combo.setCurrentIndex(options.delimiter_combo.findData(delimiter))
    options.line_end_combo.setCurrentIndex(options.line_end_combo.findData(line_end))
    options.encoding_combo.setCurrentIndex(options.encoding_combo.findData(encoding))
    options.header_check.setChecked(header)
    options.null_edit.setText(null_text)


@pytest.mark.parametrize(
    ("profile", "checked"),
    [("excel-ru", True), ("excel-en", True), ("utf8", False), ("custom", False)],
)
def test_formula_checkbox_default_per_profile(qtbot: QtBot, english: None, profile: str, checked: bool) -> None:
    output = OutputOptions()
    qtbot.addWidget(output)

    output.set_profile(profile)

    assert output.profile() == profile
    assert output.csv_options.neutralise_check.isChecked() is checked


def test_profile_change_resets_formula_checkbox(qtbot: QtBot, english: None) -> None:
    output = OutputOptions()
    qtbot.addWidget(output)
    check = output.csv_options.neutralise_check
    assert output.profile() == "excel-ru"
    assert check.isChecked()

    check.setChecked(False)
    output.set_profile("excel-en")
    assert check.isChecked()

    output.set_profile("utf8")
    assert not check.isChecked()
    check.setChecked(True)
    output.set_profile("custom")
    assert not check.isChecked()


def test_custom_fields_only_for_custom(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    output = dialog.output
    options = output.csv_options

    assert output.profile_combo.itemText(output.profile_combo.findData("custom")) == "Custom"
    assert options.neutralise_check.isVisible()
    assert not options.custom_fields.isVisible()
    output.set_profile("custom")
    assert options.custom_fields.isVisible()
    assert [options.delimiter_combo.itemText(index) for index in range(options.delimiter_combo.count())] == [";", ",", "Tab", "|"]
    assert [options.encoding_combo.itemText(index) for index in range(options.encoding_combo.count())] == ["UTF-8", "Windows-1251"]
    output.format_radios["xlsx"].click()
    assert not options.isVisible()
    output.format_radios["csv"].click()
    assert options.custom_fields.isVisible()


def test_custom_options_reach_job_spec(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("custom")
    options = dialog.output.csv_options
    choose_custom(options, "\t", "crlf", "cp1251", header=False, null_text="NULL")
    options.neutralise_check.setChecked(True)

    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    assert job.spec.profile == "custom"
    assert job.spec.options == {
        "neutralise_formulas": True,
        "csv": {"delimiter": "\t", "line_end": "crlf", "encoding": "cp1251", "header": False, "null": "NULL"},
    }


def test_profile_options_reach_job_spec(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("excel-en")
    dialog.output.csv_options.neutralise_check.setChecked(False)

    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    assert job.spec.profile == "excel-en"
    assert job.spec.options == {"neutralise_formulas": False}


def test_other_formats_get_no_csv_options(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("custom")
    choose_custom(dialog.output.csv_options, ";", "lf", "utf-8", header=True, null_text="a;b")
    dialog.output.format_radios["jsonl"].click()

    dialog.submit()

    job = dialog.submitted_job
    assert job is not None
    assert job.spec.options == {}


def test_invalid_custom_options_shown_inline(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("custom")
    options = dialog.output.csv_options
    error = options.error_label

    choose_custom(options, ";", "crlf", "utf-8", header=True, null_text="n;a")
    assert error.isVisible()
    assert error.text() == NULL_TEXT_PROBLEM

    dialog.submit()

    assert dialog.submitted_job is None
    assert gui_ctx.store.list(gui_ctx.owner) == []
    assert error.text() == NULL_TEXT_PROBLEM

    options.null_edit.setText('"')
    assert error.text() == NULL_TEXT_PROBLEM
    options.null_edit.setText("n/a")
    assert not error.isVisible()

    dialog.submit()

    assert dialog.submitted_job is not None
    assert dialog.submitted_job.spec.options["csv"]["null"] == "n/a"


def test_null_text_error_names_delimiter(qtbot: QtBot, english: None) -> None:
    output = OutputOptions()
    qtbot.addWidget(output)
    output.set_profile("custom")
    options = output.csv_options
    choose_custom(options, ",", "lf", "utf-8", header=True, null_text="a;b")
    assert options.problem() == ""

    options.delimiter_combo.setCurrentIndex(options.delimiter_combo.findData(";"))
    assert options.problem() == NULL_TEXT_PROBLEM

    options.delimiter_combo.setCurrentIndex(options.delimiter_combo.findData("\t"))
    options.null_edit.setText("a\tb")
    assert options.problem() == NULL_TEXT_PROBLEM.replace("(;)", "(Tab)")


def test_delimiter_choices_all_accepted(qtbot: QtBot, english: None) -> None:
    # The delimiter is a fixed list, not free text, so the window cannot offer a delimiter that
    # profile_from_options rejects (such as "-" or a letter).
    options = CsvOptions()
    qtbot.addWidget(options)
    options.set_profile("custom")
    assert not options.delimiter_combo.isEditable()
    for index in range(options.delimiter_combo.count()):
        options.delimiter_combo.setCurrentIndex(index)
        assert options.problem() == "", options.delimiter_combo.itemData(index)


def test_csv_choices_remembered(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("custom")
    choose_custom(dialog.output.csv_options, "|", "crlf", "cp1251", header=False, null_text="-")
    dialog.output.csv_options.neutralise_check.setChecked(True)

    dialog.submit()

    assert dialog.submitted_job is not None
    saved = Settings.load(gui_ctx.paths.settings_file).last_choices["csv"]
    assert saved == {"neutralise_formulas": True, "delimiter": "|", "line_end": "crlf", "encoding": "cp1251", "header": False, "null": "-"}

    again = open_dialog(qtbot, gui_ctx, tasks).output
    assert again.profile() == "custom"
    assert again.csv_options.options() == dialog.submitted_job.spec.options


def test_formula_choice_remembered(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.csv_options.neutralise_check.setChecked(False)

    dialog.submit()

    again = open_dialog(qtbot, gui_ctx, tasks).output
    assert again.profile() == "excel-ru"
    assert not again.csv_options.neutralise_check.isChecked()


def test_unusable_remembered_options_ignored(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    gui_ctx.settings.last_choices = {"profile": "custom", "csv": {"delimiter": "::", "line_end": 3, "header": "no", "null": None}}

    options = open_dialog(qtbot, gui_ctx, tasks).output.csv_options

    assert options.options()["csv"] == {"delimiter": ",", "line_end": "lf", "encoding": "utf-8", "header": True, "null": ""}
    assert not options.error_label.isVisible()


def test_custom_export_writes_chosen_format(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    window.actions.new_export.trigger()
    dialog = window.new_export_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table_item("planes") is not None, timeout=JOB_TIMEOUT_MS)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.set_profile("custom")
    choose_custom(dialog.output.csv_options, "\t", "crlf", "cp1251", header=False, null_text="NULL")
    dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    assert dialog.submitted_job is not None
    job_id = dialog.submitted_job.id
    ctx = controller.ctx
    qtbot.waitUntil(lambda: ctx.store.get(ctx.owner, job_id).state is JobState.READY, timeout=JOB_TIMEOUT_MS)

    job = ctx.store.get(ctx.owner, job_id)
    data = ctx.storage.artifact_path(job.owner, job.id, job.file_name).read_bytes()
    first_line = data.split(b"\r\n")[0]
    assert first_line == b"N10156\t2004\tFixed wing multi engine\tEMBRAER\tEMB-145XR\t2\t55\tNULL\tTurbo-fan"
    assert data.count(b"\r\n") == 3322


def test_csv_options_in_russian(qtbot: QtBot, russian: None) -> None:
    output = OutputOptions()
    qtbot.addWidget(output)

    assert output.profile_combo.itemText(output.profile_combo.findData("custom")) == "Свой"
    assert output.csv_options.neutralise_check.text() == "Защита от формул"
