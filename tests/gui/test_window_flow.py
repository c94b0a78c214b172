"""The real window driven offscreen: export from the demo source, download, and a failed job."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from exportdesk.engine import actions
from exportdesk.gui.controller import AppController
from exportdesk.gui.job_actions import JobAction
from exportdesk.gui.job_model import JobColumn
from exportdesk.jobs import ErrorCode, JobState
from exportdesk.messages import SUBJECT_MESSAGES

UTF8_BOM = b"\xef\xbb\xbf"
# Generous, because a worker process starts a Python interpreter for every job.
JOB_TIMEOUT_MS = 60_000


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def state_cell_text(controller: AppController, job_id: str) -> str:
    model = controller.model
    row = model.row_of(job_id)
    assert row is not None, f"job {job_id} is not in the list"
    return str(model.data(model.index(row, JobColumn.STATE)))


def record_states(controller: AppController) -> dict[str, list[str]]:
    """Collect, per job id, every state the model has shown: the first at insert, then each change."""
    seen: dict[str, list[str]] = {}
    model = controller.model

    def inserted(_parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            job = model.job_at(row)
            seen.setdefault(job.id, []).append(job.state.value)

    def changed(job_id: str, _old: str, new: str) -> None:
        seen.setdefault(job_id, []).append(new)

    model.rowsInserted.connect(inserted)
    model.jobStateChanged.connect(changed)
    return seen


def test_demo_export_then_download(qtbot: QtBot, controller: AppController, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window = controller.window
    seen_states = record_states(controller)

    window.actions.new_export.trigger()
    dialog = window.new_export_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table_item("airlines") is not None, timeout=JOB_TIMEOUT_MS)
    assert dialog.demo_radio.isChecked()
    dialog.tables_radio.setChecked(True)
    dialog.table_item("airlines").setCheckState(0, Qt.CheckState.Checked)
    assert dialog.output.format_name() == "csv"
    dialog.output.set_profile("excel-ru")
    dialog.button_box.button(QDialogButtonBox.StandardButton.Ok).click()

    assert dialog.submitted_job is not None
    job_id = dialog.submitted_job.id
    qtbot.waitUntil(lambda: state_cell_text(controller, job_id) == "Ready", timeout=JOB_TIMEOUT_MS)
    assert seen_states[job_id][:2] == ["queued", "running"]
    assert seen_states[job_id][-1] == "ready"

    # A native Save As dialog cannot be driven offscreen, so the test patches it to return a path.
    destination = tmp_path / "downloads" / "airlines.csv"
    destination.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(destination), ""))
    window.select_job(job_id)
    assert window.actions[JobAction.DOWNLOAD].isEnabled()
    window.actions[JobAction.DOWNLOAD].trigger()
    qtbot.waitUntil(lambda: destination.exists() and not window.downloads.busy, timeout=JOB_TIMEOUT_MS)

    job = controller.ctx.store.get(controller.ctx.owner, job_id)
    artifact = controller.ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    assert job.state is JobState.READY
    assert sha256_of(destination) == job.sha256
    assert sha256_of(destination) == sha256_of(artifact)
    assert destination.read_bytes().startswith(UTF8_BOM)
    assert job.rows_done == 16


def test_failed_job_shows_catalogue_message(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    job = actions.submit(controller.ctx, actions.new_spec("sqlite:////nonexistent/x.db", tables=("flights",)))
    controller.dispatcher.kick()
    qtbot.waitUntil(lambda: controller.model.job(job.id) is not None and controller.model.job(job.id).state is JobState.FAILED, timeout=JOB_TIMEOUT_MS)

    window.select_job(job.id)
    message = window.details.message.text()
    # The engine names the SQLite file it could not open, and nothing more technical.
    assert message == SUBJECT_MESSAGES[ErrorCode.SOURCE_UNREACHABLE].format(subject="/nonexistent/x.db")
    for technical in ("Traceback", "sqlite", "Error:"):
        assert technical not in message
    assert window.details.export_again_button.isVisibleTo(window)
    assert state_cell_text(controller, job.id) == "Error"


def test_export_again_from_details(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    job = actions.submit(controller.ctx, actions.new_spec("sqlite:////nonexistent/x.db", tables=("flights",)))
    controller.dispatcher.kick()
    qtbot.waitUntil(lambda: controller.model.job(job.id) is not None and controller.model.job(job.id).state is JobState.FAILED, timeout=JOB_TIMEOUT_MS)
    window.select_job(job.id)

    window.details.export_again_button.click()

    assert len(controller.model.jobs()) == 2
    again = window.selected_job()
    assert again is not None
    assert again.id != job.id
    assert again.spec == job.spec


def test_status_bar_counts_running_jobs(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    actions.submit(controller.ctx, actions.new_spec("demo", tables=("flights",)))
    controller.dispatcher.kick()
    qtbot.waitUntil(lambda: controller.model.running_count == 1, timeout=JOB_TIMEOUT_MS)
    assert window.counts_label.text() == "Running: 1 · Queued: 0"
