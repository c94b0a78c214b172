"""The format choice of the new export dialog: explanations, the CSV-only profile row, the job's file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.engine import actions
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.controller import AppController
from exportdesk.gui.job_model import JobColumn
from exportdesk.gui.new_export_dialog import NewExportDialog
from exportdesk.jobs import JobSpec, JobState

LOAD_TIMEOUT_MS = 30_000
# Generous, because a worker process starts a Python interpreter for every job.
JOB_TIMEOUT_MS = 60_000


def open_dialog(qtbot: QtBot, ctx: Context, tasks: BackgroundTasks) -> NewExportDialog:
    dialog = NewExportDialog(ctx, tasks, lambda: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.loading and dialog.table_list.topLevelItemCount() > 0, timeout=LOAD_TIMEOUT_MS)
    return dialog


def explanation_of(dialog: NewExportDialog, key: str) -> str:
    radio = dialog.output.format_radios[key]
    labels = [label for label in dialog.output.findChildren(QLabel) if label.buddy() is radio]
    assert len(labels) == 1, key
    return labels[0].text()


def test_formats_offered_with_explanations(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)

    assert list(dialog.output.format_radios) == ["csv", "xlsx", "jsonl", "json"]
    assert [radio.text() for radio in dialog.output.format_radios.values()] == ["CSV", "Excel (XLSX)", "JSON Lines", "JSON"]
    assert dialog.output.format_name() == "csv"
    assert explanation_of(dialog, "csv") == "A table for Excel and other spreadsheet programs."
    assert explanation_of(dialog, "jsonl") == "One object per line: for scripts and large data."
    assert explanation_of(dialog, "json") == "One array: for small exports and web tools."
    assert explanation_of(dialog, "xlsx") == "An Excel workbook with typed cells: numbers, dates and text stay what they are."


def test_profile_row_only_for_csv(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    output = dialog.output

    assert output.profile_row.isVisible()
    output.format_radios["jsonl"].click()
    assert not output.profile_row.isVisible()
    assert not output.form.labelForField(output.profile_row).isVisible()
    output.format_radios["json"].click()
    assert not output.profile_row.isVisible()
    output.format_radios["csv"].click()
    assert output.profile_row.isVisible()


def test_format_passed_and_remembered(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    original = actions.new_spec

    def recording_new_spec(*args: Any, **kwargs: Any) -> JobSpec:
        calls.append(kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(actions, "new_spec", recording_new_spec)
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    dialog.table_item("planes").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.format_radios["json"].click()

    dialog.submit()

    # The pre-flight panel also builds specs while choices change; the last one is the submitted one.
    assert calls and calls[-1]["format_name"] == "json"
    job = dialog.submitted_job
    assert job is not None
    assert job.spec.format == "json"
    assert job.file_name == "planes.json"
    assert Settings.load(gui_ctx.paths.settings_file).last_choices["format"] == "json"

    again = open_dialog(qtbot, gui_ctx, tasks)
    assert again.output.format_name() == "json"
    assert not again.output.profile_row.isVisible()


def test_unknown_remembered_format_falls_back(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks) -> None:
    gui_ctx.settings.last_choices = {"format": "parquet"}
    dialog = open_dialog(qtbot, gui_ctx, tasks)
    assert dialog.output.format_name() == "csv"


def test_json_lines_export_writes_jsonl(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    window.actions.new_export.trigger()
    dialog = window.new_export_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table_item("airlines") is not None, timeout=JOB_TIMEOUT_MS)
    dialog.table_item("airlines").setCheckState(0, Qt.CheckState.Checked)
    dialog.output.format_radios["jsonl"].click()
    dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    assert dialog.submitted_job is not None
    job_id = dialog.submitted_job.id
    qtbot.waitUntil(lambda: controller.model.job(job_id) is not None and controller.model.job(job_id).state is JobState.READY, timeout=JOB_TIMEOUT_MS)

    job = controller.ctx.store.get(controller.ctx.owner, job_id)
    assert job.spec.format == "jsonl"
    assert job.file_name == "airlines.jsonl"
    artifact = controller.ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    lines = artifact.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 16
    assert all(isinstance(json.loads(line), dict) for line in lines)
    row = controller.model.row_of(job_id)
    assert row is not None
    assert controller.model.data(controller.model.index(row, JobColumn.FORMAT)) == "JSON Lines"
