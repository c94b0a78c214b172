"""Verify file in the window: real CSV and ZIP exports, tampered files, and an expired job."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from exportdesk.engine import actions
from exportdesk.gui.controller import AppController
from exportdesk.gui.job_actions import JobAction
from exportdesk.gui.window_menus import build_context_menu
from exportdesk.jobs import Job, JobState
from tests.gui.job_factory import JobFactory

# Generous, because a worker process starts a Python interpreter for every job.
JOB_TIMEOUT_MS = 60_000
EXPORT_AGAIN_ADVICE = "Export again to get a new file with the same settings."


@dataclass
class RecordedBox:
    title: str
    text: str
    informative: str
    icon: QMessageBox.Icon
    buttons: list[str]


class MessageBoxes:
    """Record every QMessageBox shown with exec(), and click the button whose text is `button_to_click`, if it has one."""

    def __init__(self) -> None:
        self.messages: list[RecordedBox] = []
        self.button_to_click = ""

    def exec(self, box: QMessageBox) -> int:
        buttons = [button.text() for button in box.buttons()]
        self.messages.append(RecordedBox(box.windowTitle(), box.text(), box.informativeText(), box.icon(), buttons))
        for button in box.buttons():
            if button.text() == self.button_to_click:
                button.click()
        return 0


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[MessageBoxes]:
    recorder = MessageBoxes()
    monkeypatch.setattr(QMessageBox, "exec", lambda box: recorder.exec(box))
    yield recorder


def run_export(qtbot: QtBot, controller: AppController, tables: tuple[str, ...]) -> Job:
    """Queue a CSV export of `tables` from the demo source and wait until it is ready."""
    ctx = controller.ctx
    queued = actions.submit(ctx, actions.new_spec("demo", tables=tables))
    controller.dispatcher.kick()
    qtbot.waitUntil(lambda: ctx.store.get(ctx.owner, queued.id).state is JobState.READY, timeout=JOB_TIMEOUT_MS)
    controller.model.refresh()
    return ctx.store.get(ctx.owner, queued.id)


def artifact_of(controller: AppController, job: Job) -> Path:
    return controller.ctx.storage.artifact_path(job.owner, job.id, job.file_name)


def verify_selected(qtbot: QtBot, controller: AppController, job: Job, boxes: MessageBoxes) -> RecordedBox:
    """Select `job`, trigger Verify file, and return the one message box it shows."""
    window = controller.window
    window.select_job(job.id)
    action = window.actions[JobAction.VERIFY]
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: len(boxes.messages) > 0, timeout=JOB_TIMEOUT_MS)
    assert len(boxes.messages) == 1
    return boxes.messages[0]


def replace_zip_member(path: Path, name: str, extra: bytes) -> None:
    """Rewrite the archive with `extra` appended to member `name`, keeping its manifest as it was."""
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for member_name, data in members:
            archive.writestr(member_name, data + extra if member_name == name else data)


def test_verify_in_export_and_context_menus(controller: AppController) -> None:
    window = controller.window
    verify = window.actions[JobAction.VERIFY]
    export_menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Export")
    assert verify in export_menu.actions()
    assert verify in build_context_menu(window, window.actions).actions()
    assert verify.text() == "Verify file"
    assert not verify.isEnabled()
    assert verify.toolTip() == "Select an export in the list first."


def test_verify_ready_csv(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines",))

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.title == "Verify file"
    assert message.text == "File verified: it matches the recorded checksum."
    assert message.icon is QMessageBox.Icon.Information


def test_verify_ready_zip(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines", "planes"))
    assert job.file_name == "export.zip"

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == "2 files verified against the manifest, no differences."


def test_verify_result_in_russian(qtbot: QtBot, controller: AppController, boxes: MessageBoxes, russian: None) -> None:
    job = run_export(qtbot, controller, ("airlines", "planes"))

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == "Проверено 2 файла, расхождений с манифестом нет."


def test_tampered_csv_names_file(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines",))
    with artifact_of(controller, job).open("ab") as artifact:
        artifact.write(b"tampered\r\n")

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == "The file airlines.csv does not match the recorded checksum: it was changed or damaged after the export."
    assert message.informative == EXPORT_AGAIN_ADVICE
    assert message.icon is QMessageBox.Icon.Warning
    assert "Export again" in message.buttons
    assert "SHA-256" not in message.text


def test_tampered_zip_names_archive(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines", "planes"))
    # Bytes after the end of the archive leave every member readable, so only the whole file differs.
    with artifact_of(controller, job).open("ab") as artifact:
        artifact.write(b"tampered")

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == "The file export.zip does not match the recorded checksum: it was changed or damaged after the export."
    assert message.informative == EXPORT_AGAIN_ADVICE


def test_changed_zip_member_named(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines", "planes"))
    replace_zip_member(artifact_of(controller, job), "planes.csv", b"N0000;tampered\r\n")

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == (
        "These files in export.zip do not match the manifest: planes.csv. The archive was changed or damaged after the export."
    )
    assert "airlines.csv" not in message.text


def test_tampered_file_offers_export_again(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines",))
    with artifact_of(controller, job).open("ab") as artifact:
        artifact.write(b"x")
    boxes.button_to_click = "Export again"

    verify_selected(qtbot, controller, job, boxes)

    jobs = controller.model.jobs()
    assert len(jobs) == 2
    again = next(other for other in jobs if other.id != job.id)
    assert again.spec == job.spec


def test_expired_job_offers_export_again(qtbot: QtBot, controller: AppController, jobs: JobFactory, boxes: MessageBoxes) -> None:
    job = jobs.expired("airlines")
    controller.model.refresh()
    window = controller.window
    window.select_job(job.id)
    verify = window.actions[JobAction.VERIFY]
    assert not verify.isEnabled()
    assert verify.toolTip() == "The file is no longer available: its retention period has expired."
    boxes.button_to_click = "Export again"

    # The action is disabled, so the flow is started directly, as a race with retention would.
    window.verifier.start(job.id)

    assert [box.text for box in boxes.messages] == ["The file is no longer available: its retention period has expired."]
    assert boxes.messages[0].informative == EXPORT_AGAIN_ADVICE
    assert len(controller.model.jobs()) == 2


def test_deleted_file_counts_as_expired(qtbot: QtBot, controller: AppController, boxes: MessageBoxes) -> None:
    job = run_export(qtbot, controller, ("airlines",))
    artifact_of(controller, job).unlink()

    message = verify_selected(qtbot, controller, job, boxes)

    assert message.text == "The file is no longer available: its retention period has expired."
