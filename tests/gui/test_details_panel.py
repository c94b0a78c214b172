"""The details panel: the selected job's settings and results, and the text copied for support."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.gui import details_panel
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.job_details import detail_fields, support_text
from exportdesk.gui.quit_prompt import QuitChoice
from exportdesk.jobs import Job
from tests.gui.job_factory import TEST_INSTANCE, JobFactory

PASSWORD = "s3cret-pw"


def shown_fields(controller: AppController) -> dict[str, str]:
    details = controller.window.details
    return {key: label.text() for key, label in details.field_values.items() if label.isVisibleTo(details)}


def test_ready_job_fields(controller: AppController, jobs: JobFactory) -> None:
    job = jobs.ready("airlines", name="Carriers", size=2048)
    controller.model.refresh()
    controller.window.select_job(job.id)

    fields = shown_fields(controller)
    assert fields["source"] == "Demo: New York City flights 2013"
    assert fields["tables"] == "airlines"
    assert fields["format"] == "CSV"
    assert fields["profile"] == "Excel (ru)"
    assert fields["retention"] == "24 hours"
    assert fields["file_name"] == "Carriers.csv"
    assert fields["consistency"] == "One snapshot: the database is read in a single transaction."
    assert "columns" not in fields
    assert fields["rows"] == "16"
    assert fields["size"] == "2.0 kB"
    assert fields["sha256"] == "ab" * 32
    assert fields["expires"].endswith("(23 hours 59 minutes left)")
    assert {"created", "finished"} <= set(fields)
    assert "query" not in fields
    assert "downloaded" not in fields
    assert controller.window.details.title.text() == "Carriers — Ready"


def test_query_json_job_fields(controller: AppController, jobs: JobFactory) -> None:
    spec = actions.new_spec("demo", query="SELECT carrier,\n       name\n  FROM airlines", format_name="json")
    job = actions.submit(controller.ctx, spec)
    controller.ctx.store.claim_next(TEST_INSTANCE)
    controller.model.refresh()
    controller.window.select_job(job.id)

    fields = shown_fields(controller)
    assert fields["query"] == "SELECT carrier, name FROM airlines"
    assert fields["format"] == "JSON"
    assert "profile" not in fields
    assert "tables" not in fields
    assert controller.window.details.field_values["query"].toolTip() == "SELECT carrier,\n       name\n  FROM airlines"


def test_failed_job_shows_message(controller: AppController, jobs: JobFactory) -> None:
    job = jobs.failed("weather")
    controller.model.refresh()
    controller.window.select_job(job.id)
    details = controller.window.details
    assert details.message.isVisibleTo(details)
    assert details.message.text().startswith("Could not connect to the data source.")
    assert "size" not in shown_fields(controller)


def test_support_text_has_checksum(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    job = jobs.ready("planes")
    controller.ctx.store.mark_downloaded(controller.ctx.owner, job.id)
    controller.model.refresh()
    window = controller.window
    window.select_job(job.id)

    with qtbot.waitSignal(window.details.detailsCopied):
        window.details.copy_button.click()

    copied = QGuiApplication.clipboard().text()
    assert f"SHA-256: {'ab' * 32}" in copied
    assert f"export {job.id}" in copied
    assert "File name: planes.csv" in copied
    assert "Tables: planes" in copied
    assert "Downloaded: " in copied
    assert "State: Ready" in copied
    assert window.statusBar().currentMessage() == "Details copied to the clipboard."


def test_support_text_of_failed_job(controller: AppController, jobs: JobFactory) -> None:
    job = jobs.failed("weather")
    text = support_text(job, dt.datetime.now(dt.timezone.utc))
    assert "Error code: source_unreachable" in text
    assert "Message: Could not connect to the data source." in text


def test_support_text_never_has_password(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    # The window never stores a URL with a password; this row is written past it on purpose.
    url = f"postgresql://me:{PASSWORD}@127.0.0.1:1/shop"
    job: Job = controller.ctx.store.create(controller.ctx.owner, actions.new_spec(url, tables=("orders",)), "orders.csv")
    controller.ctx.store.claim_next(TEST_INSTANCE)
    controller.model.refresh()
    window = controller.window
    window.select_job(job.id)

    with qtbot.waitSignal(window.details.detailsCopied):
        window.details.copy_support_text()

    copied = QGuiApplication.clipboard().text()
    assert PASSWORD not in copied
    assert "Source: postgresql://me:***@127.0.0.1:1/shop" in copied
    assert all(PASSWORD not in field.value for field in detail_fields(job, dt.datetime.now(dt.timezone.utc)))
    assert PASSWORD not in window.details.field_values["source"].text()


def write_log(path: Path, *lines: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def job_with_password(controller: AppController) -> Job:
    # The window never stores a URL with a password; this row is written past it on purpose.
    url = f"postgresql://me:{PASSWORD}@127.0.0.1:1/shop"
    job = controller.ctx.store.create(controller.ctx.owner, actions.new_spec(url, tables=("orders",)), "orders.csv")
    controller.ctx.store.claim_next(TEST_INSTANCE)
    return job


def test_log_section_shows_own_lines(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    job = job_with_password(controller)
    other = jobs.ready("planes")
    logs = controller.ctx.paths.logs
    write_log(
        logs / "app.log.1",
        f"2026-12-05 10:00:00,000 10 INFO exportdesk.engine.dispatcher: Job {job.id}: claimed by instance a",
    )
    write_log(
        logs / "worker.log",
        f"2026-12-05 10:00:01,000 11 WARNING exportdesk.sources.sql: Job {job.id}: login as me with {PASSWORD} rejected",
        f"2026-12-05 10:00:02,000 12 INFO exportdesk.engine.runner: Job {other.id}: wrote 16 rows",
        f"2026-12-05 10:00:03,000 11 INFO exportdesk.engine.runner: Job {job.id}: retry 1 of 3",
    )
    controller.model.refresh()
    window = controller.window
    details = window.details
    window.select_job(job.id)
    assert details.log_toggle.isVisibleTo(details)
    assert not details.log_view.isVisibleTo(details)
    assert details.log_job_id is None

    with qtbot.waitSignal(details.logLoaded):
        details.log_toggle.click()

    shown = details.log_view.toPlainText().splitlines()
    assert details.log_view.isVisibleTo(details)
    assert len(shown) == 3
    assert shown[0].endswith("claimed by instance a")
    assert shown[1].endswith("login as me with *** rejected")
    assert shown[2].endswith("retry 1 of 3")
    assert PASSWORD not in details.log_view.toPlainText()
    assert other.id not in details.log_view.toPlainText()

    with qtbot.waitSignal(details.logLoaded):
        window.select_job(other.id)

    assert details.log_lines == [f"2026-12-05 10:00:02,000 12 INFO exportdesk.engine.runner: Job {other.id}: wrote 16 rows"]
    assert job.id not in details.log_view.toPlainText()


def test_log_read_only_when_open(
    qtbot: QtBot, controller: AppController, jobs: JobFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []

    def record_read(_folder: Path, job_id: str, _secrets: list[str]) -> list[str]:
        reads.append(job_id)
        return []

    monkeypatch.setattr(details_panel, "read_job_log", record_read)
    job = jobs.ready("planes")
    controller.model.refresh()
    details = controller.window.details
    controller.window.select_job(job.id)
    qtbot.waitUntil(lambda: controller.tasks.active_count == 0)

    assert reads == []
    assert details.log_job_id is None

    with qtbot.waitSignal(details.logLoaded):
        details.log_toggle.click()

    assert reads == [job.id]
    assert details.log_view.placeholderText() == "No log lines for this export."


def test_copied_details_have_log_lines(qtbot: QtBot, controller: AppController) -> None:
    job = job_with_password(controller)
    write_log(
        controller.ctx.paths.logs / "worker.log",
        f"2026-12-05 10:00:01,000 11 WARNING exportdesk.sources.sql: Job {job.id}: connect to postgresql://me:{PASSWORD}@db/shop failed",
    )
    controller.model.refresh()
    window = controller.window
    window.select_job(job.id)

    with qtbot.waitSignal(window.details.detailsCopied):
        window.details.copy_support_text()

    copied = QGuiApplication.clipboard().text()
    assert PASSWORD not in copied
    assert "\nLog:\n" in copied
    assert f"Job {job.id}: connect to postgresql://me:***@db/shop failed" in copied


def test_no_selection_hides_fields(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    jobs.ready("airlines")
    controller.model.refresh()
    details = controller.window.details
    assert details.job is None
    assert shown_fields(controller) == {}
    assert not details.copy_button.isVisibleTo(details)
    assert details.title.text() == "Select an export to see its details."


@pytest.mark.parametrize("language", ["ru", "en"])
def test_window_fits_960_by_540(qtbot: QtBot, gui_ctx: Context, jobs: JobFactory, request: pytest.FixtureRequest, language: str) -> None:
    # A 1920 x 1080 screen at 200 % leaves 960 x 540 logical pixels. A selected job shows the
    # widest details: a full SHA-256 and, in Russian, the longest labels.
    if language == "ru":
        request.getfixturevalue("russian")
    job = jobs.ready("airlines", name="Carriers", size=2048)
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False)
    app_controller.start()
    window = app_controller.window
    try:
        qtbot.waitExposed(window)
        app_controller.model.refresh()
        window.select_job(job.id)
        qtbot.waitUntil(lambda: window.details.job is not None)

        assert window.minimumSizeHint().width() <= 960
        assert window.minimumSizeHint().height() <= 540

        window.resize(960, 540)
        qtbot.waitUntil(lambda: window.size() == QSize(960, 540))
        # The details scroll sideways at this width but keep their full height.
        assert window.details.height() >= window.details.minimumSizeHint().height()
    finally:
        window.quit_choice = QuitChoice.STOP_JOBS
        app_controller.shutdown()


def test_http_and_column_jobs_show_their_reading(controller: AppController, jobs: JobFactory) -> None:
    """Check that an HTTP job shows page-by-page reading and a column job lists its columns."""
    http = actions.new_spec('http+json:{"base_url": "http://127.0.0.1:9/api", "endpoints": {"items": "/items"}}', ("items",))
    http_job = actions.submit(controller.ctx, http)
    columns_job = actions.submit(controller.ctx, actions.new_spec("demo", ("airlines",), columns=("name", "carrier")))
    controller.model.refresh()

    controller.window.select_job(http_job.id)
    assert shown_fields(controller)["consistency"].startswith("Read page by page")
    controller.window.select_job(columns_job.id)
    fields = shown_fields(controller)
    assert fields["columns"] == "name, carrier"
    assert fields["consistency"].startswith("One snapshot")
