"""Downloading an expired file offers Export again; the settings dialog validates and applies."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.engine import actions
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.controller import AppController
from exportdesk.gui.download import DownloadFlow, default_download_folder
from exportdesk.gui.settings_dialog import SettingsDialog
from exportdesk.jobs import JobState
from tests.gui.job_factory import JobFactory


def make_expired_job(ctx: Context) -> str:
    job = actions.submit(ctx, actions.new_spec("demo", tables=("airlines",)))
    ctx.store.claim_next("test-instance")
    ctx.store.finish_ready(job.id, rows=16, bytes_written=10, sha256="0" * 64)
    ctx.store.expire(job.id)
    return job.id


def test_expired_download_offers_export_again(qtbot: QtBot, controller: AppController, monkeypatch: pytest.MonkeyPatch) -> None:
    window = controller.window
    job_id = make_expired_job(controller.ctx)
    controller.model.refresh()
    texts: list[str] = []

    def click_export_again(box: QMessageBox) -> int:
        texts.append(box.text())
        next(button for button in box.buttons() if button.text() == "Export again").click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_export_again)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: pytest.fail("asked for a file name"))

    window.downloads.start(job_id)

    assert texts == ["The file is no longer available: its retention period has expired."]
    jobs = controller.model.jobs()
    assert len(jobs) == 2
    assert jobs[0].id != job_id
    assert jobs[0].state in (JobState.QUEUED, JobState.RUNNING)


def test_save_into_storage_folder_explained(
    qtbot: QtBot, english: None, gui_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = JobFactory(gui_ctx).ready()
    artifact = gui_ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    artifact.parent.mkdir(parents=True, exist_ok=True)
    artifact.write_bytes(b"x" * job.bytes_written)
    destination = gui_ctx.storage.root / "mine.csv"
    warnings: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, **_kwargs: (str(destination), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    window = QWidget()
    qtbot.addWidget(window)
    tasks = BackgroundTasks()
    flow = DownloadFlow(gui_ctx, tasks, window)

    flow.start(job.id)
    qtbot.waitUntil(lambda: not flow.busy, timeout=10_000)
    assert tasks.shutdown(10_000)

    assert len(warnings) == 1
    assert warnings[0].startswith(f"{destination} is inside ExportDesk's storage folder ")
    assert warnings[0].endswith("choose another folder")
    assert not destination.exists()


def test_settings_dialog_applies_values(qtbot: QtBot, english: None, tmp_path: Path) -> None:
    settings = Settings()
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = SettingsDialog(settings, parent)
    dialog.retention_spin.setValue(48)
    dialog.parallel_spin.setValue(3)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    dialog.notifications_check.setChecked(False)
    dialog.download_edit.setText(str(tmp_path))

    dialog.accept()
    dialog.apply_to(settings)

    assert dialog.result() == SettingsDialog.DialogCode.Accepted
    assert settings.retention_s == 48 * 3600
    assert settings.parallel_jobs == 3
    assert settings.language == "ru"
    assert settings.notifications is False
    assert settings.download_dir == str(tmp_path)


def test_settings_dialog_rejects_missing_folder(qtbot: QtBot, english: None, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = SettingsDialog(Settings(), parent)
    parent.show()
    dialog.show()
    missing = tmp_path / "missing"
    dialog.download_edit.setText(str(missing))

    dialog.accept()

    assert dialog.isVisible()
    assert dialog.download_error.isVisible()
    assert dialog.download_error.text().startswith(f"The folder {missing} does not exist.")


def test_default_download_folder(tmp_path: Path) -> None:
    assert default_download_folder(str(tmp_path)) == tmp_path
    fallback = default_download_folder(str(tmp_path / "missing"))
    assert fallback.is_dir()
