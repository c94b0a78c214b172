"""`SourcesDialog` and `SourceFormDialog`: add, edit, remove and the checks on each form value.

These tests pin the keyring to `keyring.backends.fail`, the backend Linux uses without a
Secret Service, so the password stays in memory ("ask each time"). The tests with the real
Secret Service and PostgreSQL are in test_sources_postgres.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from exportdesk import credentials
from exportdesk.context import Context
from exportdesk.gui.background import BackgroundTasks
from exportdesk.gui.source_form import SourceFormDialog
from exportdesk.gui.sources_dialog import SourcesDialog
from exportdesk.store.saved_sources import SavedSources

WAIT_MS = 15_000
PASSWORD = "form-secret-Пароль-7"


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


# The `tasks` fixture (tests/gui/conftest.py) waits this long for background tasks to end.
TASKS_SHUTDOWN_MS = WAIT_MS


def open_sources(qtbot: QtBot, ctx: Context, tasks: BackgroundTasks) -> SourcesDialog:
    dialog = SourcesDialog(ctx, tasks)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def open_form(qtbot: QtBot, dialog: SourcesDialog, edit: bool = False) -> SourceFormDialog:
    if edit:
        dialog.edit_selected()
    else:
        dialog.add_source()
    form = dialog.form
    assert form is not None
    qtbot.waitUntil(lambda: form.store_available is not None, timeout=WAIT_MS)
    return form


def save_form(qtbot: QtBot, dialog: SourcesDialog, form: SourceFormDialog) -> None:
    with qtbot.waitSignal(form.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(form.button_box.button(form.button_box.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_add_sql_source_keeps_password_out(
    qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None, tmp_path
) -> None:
    database = tmp_path / "shop.db"
    database.write_bytes(b"")
    dialog = open_sources(qtbot, gui_ctx, tasks)
    assert dialog.empty_label.isVisibleTo(dialog)
    form = open_form(qtbot, dialog)
    assert "asked each time" in form.store_note.text()

    form.name_edit.setText("shop")
    form.url_edit.setText(f"postgresql+psycopg://shop:{PASSWORD}@127.0.0.1:5432/shop")
    save_form(qtbot, dialog, form)

    saved = SavedSources(gui_ctx.store).get(gui_ctx.owner, "shop")
    assert saved.settings == {"url": "postgresql+psycopg://shop@127.0.0.1:5432/shop"}
    assert dialog.names() == ["shop"]
    item = dialog.source_list.topLevelItem(0)
    assert [item.text(column) for column in range(3)] == ["shop", "SQL database", "postgresql+psycopg://shop@127.0.0.1:5432/shop"]
    # Without a password store the password is kept only in this process's memory.
    assert credentials.load_secret(credentials.url_secret_ref(saved.settings["url"])) == PASSWORD
    for path in gui_ctx.paths.data_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_fields_build_the_url(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog)
    form.name_edit.setText("warehouse")
    form.fields_radio.setChecked(True)
    form.driver_combo.setCurrentIndex(form.driver_combo.findData("postgresql"))
    form.host_edit.setText("127.0.0.1")
    form.port_spin.setValue(5433)
    form.database_edit.setText("stock")
    form.user_edit.setText("reader")
    save_form(qtbot, dialog, form)

    saved = SavedSources(gui_ctx.store).get(gui_ctx.owner, "warehouse")
    assert saved.settings["url"] == "postgresql+psycopg://reader@127.0.0.1:5433/stock"


def test_edit_renames_and_changes_url(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    SavedSources(gui_ctx.store).save(gui_ctx.owner, "old", "sql", {"url": "sqlite:////tmp/old.db"})
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog, edit=True)
    assert form.windowTitle() == "Edit source"
    assert form.url_edit.text() == "sqlite:////tmp/old.db"

    form.name_edit.setText("new")
    form.url_edit.setText("sqlite:////tmp/new.db")
    save_form(qtbot, dialog, form)

    assert dialog.names() == ["new"]
    assert SavedSources(gui_ctx.store).get(gui_ctx.owner, "new").settings == {"url": "sqlite:////tmp/new.db"}
    assert dialog.result_label.text() == "Source \u201cnew\u201d saved."


def test_http_source_settings_saved(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog)
    form.name_edit.setText("crm")
    form.kind_combo.setCurrentIndex(form.kind_combo.findData("http"))
    form.base_url_edit.setText("http://127.0.0.1:8001")
    form.endpoints_edit.setPlainText("orders=/api/orders\n\ncustomers = /api/customers?_shape=objects\n")
    form.auth_combo.setCurrentIndex(form.auth_combo.findData("bearer"))
    form.pagination_combo.setCurrentIndex(form.pagination_combo.findData("cursor"))
    form.records_path_edit.setText("data.items")
    assert form.secret_label.text() == "&Token:"
    form.secret_edit.setText("token-abc-123")
    save_form(qtbot, dialog, form)

    config = SavedSources(gui_ctx.store).get(gui_ctx.owner, "crm").settings["config"]
    assert config["base_url"] == "http://127.0.0.1:8001"
    assert config["endpoints"] == {"orders": "/api/orders", "customers": "/api/customers?_shape=objects"}
    assert (config["auth"], config["pagination"], config["records_path"]) == ("bearer", "cursor", "data.items")
    assert config["secret_ref"] == f"source:{gui_ctx.owner}:crm"
    assert "token-abc-123" not in json.dumps(config)
    assert credentials.load_secret(config["secret_ref"]) == "token-abc-123"
    assert dialog.source_list.topLevelItem(0).text(1) == "HTTP JSON API"
    assert dialog.source_list.topLevelItem(0).text(2) == "http://127.0.0.1:8001"


@pytest.mark.parametrize(
    ("setup", "message", "focus"),
    [
        (lambda form: None, "Type a name for the source.", "name_edit"),
        (lambda form: form.url_edit.setText("not a url"), "The URL \u201cnot a url\u201d is not a valid SQLAlchemy URL.", "url_edit"),
        (lambda form: form.url_edit.setText("nosuchdb://h/x"), "The database kind \u201cnosuchdb\u201d is unknown.", "url_edit"),
        (lambda form: form.url_edit.setText(""), "Type an SQLAlchemy URL", "url_edit"),
        (
            lambda form: (form.fields_radio.setChecked(True), form.driver_combo.setCurrentIndex(1)),
            "Type the server's host name, e.g. 127.0.0.1.",
            "host_edit",
        ),
        (
            lambda form: (form.fields_radio.setChecked(True), form.driver_combo.setCurrentIndex(0)),
            "Type the path of the SQLite file",
            "database_edit",
        ),
        (
            lambda form: (form.kind_combo.setCurrentIndex(1), form.base_url_edit.setText("ftp://x")),
            "The base URL \u201cftp://x\u201d is not valid.",
            "base_url_edit",
        ),
        (
            lambda form: (
                form.kind_combo.setCurrentIndex(1),
                form.base_url_edit.setText("http://127.0.0.1"),
                form.endpoints_edit.setPlainText("orders /api/orders"),
            ),
            "The endpoint line \u201corders /api/orders\u201d is not valid.",
            "endpoints_edit",
        ),
        (
            lambda form: (
                form.kind_combo.setCurrentIndex(1),
                form.base_url_edit.setText("http://127.0.0.1"),
                form.endpoints_edit.setPlainText("a=http://127.0.0.2/a"),
            ),
            "The endpoint \u201ca\u201d leads to another server.",
            "endpoints_edit",
        ),
        (
            lambda form: (
                form.kind_combo.setCurrentIndex(1),
                form.base_url_edit.setText("http://127.0.0.1"),
                form.endpoints_edit.setPlainText("a=/a"),
                form.auth_combo.setCurrentIndex(form.auth_combo.findData("basic")),
            ),
            "Type the user name for Basic authentication, without a colon.",
            "auth_user_edit",
        ),
        (
            lambda form: (
                form.kind_combo.setCurrentIndex(1),
                form.base_url_edit.setText("http://127.0.0.1"),
                form.endpoints_edit.setPlainText("a=/a"),
                form.auth_combo.setCurrentIndex(form.auth_combo.findData("api_key")),
                form.api_key_header_edit.setText("X Key"),
            ),
            "The header name \u201cX Key\u201d is not valid.",
            "api_key_header_edit",
        ),
        (
            lambda form: (
                form.kind_combo.setCurrentIndex(1),
                form.base_url_edit.setText("http://127.0.0.1"),
                form.endpoints_edit.setPlainText("a=/a"),
                form.records_path_edit.setText("data..items"),
            ),
            "The records path \u201cdata..items\u201d is not valid.",
            "records_path_edit",
        ),
    ],
)
def test_form_value_problems_shown(
    qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None, setup, message: str, focus: str
) -> None:
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog)
    setup(form)
    if not message.startswith("Type a name"):
        form.name_edit.setText("x")
    form.activateWindow()

    form.save()

    assert form.error_label.isVisibleTo(form)
    assert form.error_label.text().startswith(message)
    assert form.result() == 0
    assert SavedSources(gui_ctx.store).list(gui_ctx.owner) == []
    qtbot.waitUntil(lambda: form.focusWidget() is getattr(form, focus), timeout=WAIT_MS)


def test_duplicate_name_rejected(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    SavedSources(gui_ctx.store).save(gui_ctx.owner, "shop", "sql", {"url": "sqlite:////tmp/a.db"})
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog)
    form.name_edit.setText("shop")
    form.url_edit.setText("sqlite:////tmp/b.db")

    form.save()

    assert form.error_label.text() == "A source called \u201cshop\u201d already exists. Choose another name, or edit that source."
    assert SavedSources(gui_ctx.store).get(gui_ctx.owner, "shop").settings == {"url": "sqlite:////tmp/a.db"}


def test_remove_asks_first(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    sources = SavedSources(gui_ctx.store)
    sources.save(gui_ctx.owner, "shop", "sql", {"url": "sqlite:////tmp/a.db"})
    dialog = open_sources(qtbot, gui_ctx, tasks)

    dialog.remove_selected()
    prompt = dialog.remove_prompt
    assert prompt is not None
    assert "\u201cshop\u201d" in prompt.text()
    prompt.button(QMessageBox.StandardButton.No).click()
    assert [source.name for source in sources.list(gui_ctx.owner)] == ["shop"]

    qtbot.keyClick(dialog.source_list, Qt.Key.Key_Delete)
    prompt = dialog.remove_prompt
    assert prompt is not None
    prompt.button(QMessageBox.StandardButton.Yes).click()
    assert sources.list(gui_ctx.owner) == []
    assert dialog.names() == []
    assert dialog.result_label.text() == "Source \u201cshop\u201d removed."
    assert not dialog.edit_button.isEnabled()


def test_controls_have_names_and_mnemonics(qtbot: QtBot, gui_ctx: Context, tasks: BackgroundTasks, no_keyring: None) -> None:
    dialog = open_sources(qtbot, gui_ctx, tasks)
    form = open_form(qtbot, dialog)
    for button in (dialog.add_button, dialog.edit_button, dialog.test_button, dialog.remove_button):
        assert "&" in button.text()
        assert button.accessibleName()
    widgets = [form.name_edit, form.kind_combo, form.url_edit, form.secret_edit, form.base_url_edit, form.endpoints_edit]
    assert all(widget.accessibleName() for widget in widgets)
    # Escape closes the form without saving.
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.result() == 0
    assert SavedSources(gui_ctx.store).list(gui_ctx.owner) == []
