"""Saved sources against the real PostgreSQL from tests/postgres.py, with the password in a real keyring.

The keyring is gnome-keyring's Secret Service on this test run's D-Bus session bus, which
scripts/test.sh provides with dbus-run-session. The window and its worker processes reach
the same daemon, so an export reads the password from the keyring and from nowhere else.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
import sqlalchemy as sa
from keyring.backends import SecretService
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from exportdesk import credentials
from exportdesk.context import Context
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.controller import AppController
from exportdesk.gui.source_form import SourceFormDialog
from exportdesk.gui.sources_dialog import SourcesDialog
from exportdesk.jobs import ErrorCode, JobState
from exportdesk.messages import error_message
from exportdesk.store.saved_sources import SavedSources
from tests.postgres import PostgresServer

WAIT_MS = 30_000
JOB_TIMEOUT_MS = 90_000
TABLE = "gui_sources_t"
ROWS = 1234
WRONG_PASSWORD = "wrong-Пароль-99"


@pytest.fixture(scope="module")
def pg_rows(postgres: PostgresServer) -> PostgresServer:
    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")
        connection.exec_driver_sql(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, name text)")
        connection.exec_driver_sql(f"INSERT INTO {TABLE} SELECT n, 'строка ' || n FROM generate_series(1, {ROWS}) AS n")
    engine.dispose()
    return postgres


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Start gnome-keyring's Secret Service, unlocked, on this run's D-Bus session bus."""
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS") or shutil.which("gnome-keyring-daemon") is None:
        pytest.skip("needs a D-Bus session bus and gnome-keyring-daemon (scripts/test.sh provides both)")
    home = tmp_path_factory.mktemp("keyring-home")
    env = dict(os.environ, HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_RUNTIME_DIR=str(home))
    started = subprocess.run(
        ["gnome-keyring-daemon", "--unlock", "--components=secrets", "--replace"],
        input=b"keyring-unlock-password",
        env=env,
        capture_output=True,
        timeout=30,
    )
    if started.returncode != 0:
        pytest.skip(f"gnome-keyring-daemon failed: {started.stderr.decode().strip()}")


@pytest.fixture
def system_keyring(secret_service: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Worker processes choose their own backend: without this variable that is the Secret Service.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(SecretService.Keyring())
    yield
    keyring.set_keyring(previous)


# The `tasks` fixture (tests/gui/conftest.py) waits this long for background tasks to end.
TASKS_SHUTDOWN_MS = WAIT_MS


def fill_postgres_form(form: SourceFormDialog, name: str, server: PostgresServer, password: str) -> None:
    form.name_edit.setText(name)
    form.fields_radio.setChecked(True)
    form.driver_combo.setCurrentIndex(form.driver_combo.findData("postgresql"))
    form.host_edit.setText(server.host)
    form.port_spin.setValue(server.port)
    form.database_edit.setText(server.database)
    form.user_edit.setText(server.user)
    form.secret_edit.setText(password)


def save(qtbot: QtBot, form: SourceFormDialog) -> None:
    qtbot.waitUntil(lambda: form.store_available is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(form.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(form.button_box.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def run_test(qtbot: QtBot, dialog: SourcesDialog) -> tuple[bool, str]:
    with qtbot.waitSignal(dialog.tester.finished, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    ok, message = blocker.args
    return bool(ok), str(message)


def assert_password_nowhere(password: str, data_dir: Path, log_text: str) -> None:
    assert password not in log_text
    files = [path for path in data_dir.rglob("*") if path.is_file()]
    assert files, "the data folder has no files to check"
    for path in files:
        assert password.encode() not in path.read_bytes(), f"password found in {path}"


def test_connection_succeeds_then_wrong_password_fails(
    qtbot: QtBot,
    gui_ctx: Context,
    tasks: BackgroundTasks,
    pg_rows: PostgresServer,
    system_keyring: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    dialog = SourcesDialog(gui_ctx, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_source()
    form = dialog.form
    assert form is not None
    fill_postgres_form(form, "warehouse", pg_rows, pg_rows.password)
    save(qtbot, form)
    assert form.store_available is True

    url = SavedSources(gui_ctx.store).get(gui_ctx.owner, "warehouse").settings["url"]
    assert url == pg_rows.url(with_password=False)
    assert keyring.get_password(credentials.SERVICE, credentials.url_secret_ref(url)) == pg_rows.password
    assert run_test(qtbot, dialog) == (True, "Connection established")
    assert dialog.result_label.text() == "Connection established"

    dialog.edit_selected()
    form = dialog.form
    assert form is not None
    form.secret_edit.setText(WRONG_PASSWORD)
    save(qtbot, form)
    assert keyring.get_password(credentials.SERVICE, credentials.url_secret_ref(url)) == WRONG_PASSWORD
    assert run_test(qtbot, dialog) == (False, error_message(ErrorCode.CREDENTIALS_REJECTED))
    assert "Traceback" not in dialog.result_label.text()

    gui_ctx.save_settings()
    for secret in (pg_rows.password, WRONG_PASSWORD):
        assert_password_nowhere(secret, gui_ctx.paths.data_dir, caplog.text)


def test_window_exports_from_saved_postgres_source(
    qtbot: QtBot,
    controller: AppController,
    pg_rows: PostgresServer,
    system_keyring: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    window = controller.window
    ctx = controller.ctx

    # Add the source from the menu item, with its password, and test it.
    window.sources_action.trigger()
    sources = window.sources_dialog
    assert sources is not None
    sources.add_source()
    form = sources.form
    assert form is not None
    fill_postgres_form(form, "warehouse", pg_rows, pg_rows.password)
    save(qtbot, form)
    assert run_test(qtbot, sources) == (True, "Connection established")
    sources.reject()
    assert window.sources_dialog is None

    # Export its table from the new-export dialog.
    window.open_new_export()
    dialog = window.new_export_dialog
    assert dialog is not None
    assert dialog.picker.select("warehouse")
    dialog.picker.radio.setChecked(True)
    qtbot.waitUntil(lambda: dialog.table_item(TABLE) is not None, timeout=WAIT_MS)
    assert dialog.table_item(TABLE).text(1) == f"{ROWS:,}"
    dialog.table_item(TABLE).setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: dialog.preflight.result is not None, timeout=WAIT_MS)
    assert dialog.preflight.result.rows == ROWS
    qtbot.mouseClick(dialog.button_box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    job = dialog.submitted_job
    assert job is not None
    assert job.spec.source == pg_rows.url(with_password=False)

    qtbot.waitUntil(lambda: ctx.store.get(ctx.owner, job.id).state.is_ended, timeout=JOB_TIMEOUT_MS)
    finished = ctx.store.get(ctx.owner, job.id)
    assert finished.state is JobState.READY, finished.error_code
    assert finished.rows_done == ROWS
    assert ctx.settings.last_choices["saved_source"] == "warehouse"
    assert_password_nowhere(pg_rows.password, ctx.paths.data_dir, caplog.text)
