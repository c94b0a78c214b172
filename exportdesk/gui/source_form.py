"""`SourceFormDialog`: add or edit one saved source, an SQL database or an HTTP JSON API.

The saved settings never contain the password or token. Save sends it to the system password
store through `exportdesk.credentials`, in a background call because a keyring may wait for an
unlock prompt. Where no safe store works, the form shows a note that the password will be asked each
time, and the secret is kept only in this process's memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from exportdesk import credentials
from exportdesk.context import Context
from exportdesk.gui.accessibility import (
    name_by_text,
    name_controls,
    name_dialog_buttons,
)
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.gui.contrast import error_style
from exportdesk.gui.source_check import kind_labels
from exportdesk.gui.source_settings import (
    DRIVERS,
    InvalidSourceForm,
    auth_labels,
    build_http_config,
    build_sql_url,
    check_base_url,
    check_sql_url,
    pagination_labels,
    parse_endpoints,
)
from exportdesk.i18n import tr
from exportdesk.store.saved_sources import SavedSource, SavedSources

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceDraft:
    """The source row that Save writes, without a secret, and the keyring entry its secret goes to."""

    name: str
    kind: str
    settings: dict[str, Any]
    secret_ref: str | None


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class SourceFormDialog(QDialog):
    """The add/edit form. After Save, `saved` contains the stored source."""

    def __init__(self, ctx: Context, tasks: BackgroundTasks, existing: SavedSource | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._tasks = tasks
        self._existing = existing
        self.saved: SavedSource | None = None
        self.store_available: bool | None = None
        self.setWindowTitle(tr("Edit source") if existing else tr("Add source"))

        self.name_edit = QLineEdit()
        self.kind_combo = QComboBox()
        for key, label in kind_labels().items():
            self.kind_combo.addItem(label, key)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_sql_page())
        self.pages.addWidget(self._build_http_page())
        self.secret_label = QLabel(tr("&Password:"))
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label.setBuddy(self.secret_edit)
        self.store_note = QLabel(tr("The password is saved in the system password store, never in the settings."))
        self.store_note.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(error_style(self.error_label.palette()))
        self.error_label.hide()
        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.button_box.accepted.connect(self.save)
        self.button_box.rejected.connect(self.reject)

        top = _form()
        top.addRow(tr("&Name:"), self.name_edit)
        top.addRow(tr("&Kind:"), self.kind_combo)
        secret = _form()
        secret.addRow(self.secret_label, self.secret_edit)
        secret.addRow("", self.store_note)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages)
        layout.addLayout(secret)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.button_box)
        self._name_controls()

        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        for edit in (self.name_edit, self.url_edit, self.host_edit, self.database_edit, self.user_edit, self.base_url_edit):
            edit.textEdited.connect(lambda _text: self.show_error(""))
        if existing is not None:
            self._fill(existing)
        self._kind_changed()
        self._sql_mode_changed()
        self.resize(600, 0)
        # Finding the keyring backend can take a noticeable time, e.g. over D-Bus.
        tasks.run(lambda _report: credentials.keyring_available(), on_success=self._store_checked)

    # Building --------------------------------------------------------------------------

    def _build_sql_page(self) -> QWidget:
        page = QWidget()
        self.url_radio = QRadioButton(tr("SQLAlchemy &URL"))
        self.fields_radio = QRadioButton(tr("Connection &fields"))
        self.url_radio.setChecked(True)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(tr("e.g. postgresql://user@host/shop or sqlite:////home/me/shop.db"))
        self.driver_combo = QComboBox()
        for key, (label, _scheme) in DRIVERS.items():
            self.driver_combo.addItem(label, key)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("127.0.0.1")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(0, 65535)
        self.port_spin.setSpecialValueText(tr("default"))
        self.database_label = QLabel(tr("Data&base:"))
        self.database_edit = QLineEdit()
        self.database_label.setBuddy(self.database_edit)
        self.user_edit = QLineEdit()

        modes = QHBoxLayout()
        modes.addWidget(self.url_radio)
        modes.addWidget(self.fields_radio)
        modes.addStretch(1)
        form = _form()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(modes)
        form.addRow(tr("URL:"), self.url_edit)
        form.addRow(tr("&Driver:"), self.driver_combo)
        form.addRow(tr("&Host:"), self.host_edit)
        form.addRow(tr("P&ort:"), self.port_spin)
        form.addRow(self.database_label, self.database_edit)
        form.addRow(tr("&User:"), self.user_edit)
        self.sql_form = form
        page.setLayout(form)
        self.url_radio.toggled.connect(self._sql_mode_changed)
        self.driver_combo.currentIndexChanged.connect(self._sql_mode_changed)
        return page

    def _build_http_page(self) -> QWidget:
        page = QWidget()
        self.base_url_edit = QLineEdit()
        self.base_url_edit.setPlaceholderText("https://api.example.com")
        self.endpoints_edit = QPlainTextEdit()
        self.endpoints_edit.setPlaceholderText(tr("One NAME=PATH per line, e.g. orders=/api/orders"))
        self.endpoints_edit.setTabChangesFocus(True)
        self.endpoints_edit.setFixedHeight(self.endpoints_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.auth_combo = QComboBox()
        for key, label in auth_labels().items():
            self.auth_combo.addItem(label, key)
        self.auth_user_edit = QLineEdit()
        self.api_key_header_edit = QLineEdit("X-API-Key")
        self.pagination_combo = QComboBox()
        for key, label in pagination_labels().items():
            self.pagination_combo.addItem(label, key)
        self.pagination_combo.setCurrentIndex(self.pagination_combo.findData("next_url"))
        self.records_path_edit = QLineEdit()
        self.records_path_edit.setPlaceholderText(tr("e.g. data.items; empty when the body is the list"))

        form = _form()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(tr("&Base URL:"), self.base_url_edit)
        form.addRow(tr("&Endpoints:"), self.endpoints_edit)
        form.addRow(tr("&Authentication:"), self.auth_combo)
        form.addRow(tr("&User:"), self.auth_user_edit)
        form.addRow(tr("API key &header:"), self.api_key_header_edit)
        form.addRow(tr("&Pagination:"), self.pagination_combo)
        form.addRow(tr("&Records path:"), self.records_path_edit)
        self.http_form = form
        page.setLayout(form)
        self.auth_combo.currentIndexChanged.connect(self._auth_changed)
        return page

    def _name_controls(self) -> None:
        name_by_text(self.url_radio, self.fields_radio)
        name_dialog_buttons(self.button_box)
        name_controls(
            {
                self.name_edit: tr("Source name"),
                self.kind_combo: tr("Source kind"),
                self.url_edit: tr("Database URL"),
                self.driver_combo: tr("Database driver"),
                self.host_edit: tr("Database server host"),
                self.port_spin: tr("Database server port"),
                self.database_edit: tr("Database name or SQLite file"),
                self.user_edit: tr("Database user"),
                self.base_url_edit: tr("API base URL"),
                self.endpoints_edit: tr("API endpoints"),
                self.auth_combo: tr("API authentication"),
                self.auth_user_edit: tr("API user"),
                self.api_key_header_edit: tr("API key header"),
                self.pagination_combo: tr("API pagination"),
                self.records_path_edit: tr("API records path"),
                self.secret_edit: tr("Password or token"),
            }
        )

    def _fill(self, source: SavedSource) -> None:
        self.name_edit.setText(source.name)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(source.kind)))
        self.secret_edit.setPlaceholderText(tr("Leave empty to keep the saved password"))
        if source.kind == "sql":
            self.url_edit.setText(str(source.settings.get("url", "")))
            return
        config = source.settings.get("config", {})
        self.base_url_edit.setText(str(config.get("base_url", "")))
        self.endpoints_edit.setPlainText("\n".join(f"{name}={path}" for name, path in config.get("endpoints", {}).items()))
        self.auth_combo.setCurrentIndex(max(0, self.auth_combo.findData(config.get("auth", "none"))))
        self.auth_user_edit.setText(str(config.get("auth_user", "")))
        self.api_key_header_edit.setText(str(config.get("api_key_header", "X-API-Key")))
        self.pagination_combo.setCurrentIndex(max(0, self.pagination_combo.findData(config.get("pagination", "next_url"))))
        self.records_path_edit.setText(str(config.get("records_path", "")))

    # Reactions -------------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def _kind_changed(self) -> None:
        self.pages.setCurrentIndex(0 if self.kind() == "sql" else 1)
        self._auth_changed()
        self.show_error("")

    def _sql_mode_changed(self) -> None:
        using_fields = self.fields_radio.isChecked()
        sqlite = self.driver_combo.currentData() == "sqlite"
        self.url_edit.setEnabled(not using_fields)
        self.driver_combo.setEnabled(using_fields)
        for widget in (self.host_edit, self.port_spin, self.user_edit):
            widget.setEnabled(using_fields and not sqlite)
        self.database_edit.setEnabled(using_fields)
        self.database_label.setText(tr("SQLite &file:") if sqlite else tr("Data&base:"))

    def _needs_secret(self) -> bool:
        return self.kind() == "sql" or self.auth_combo.currentData() != "none"

    def _auth_changed(self) -> None:
        auth = str(self.auth_combo.currentData())
        http = self.kind() == "http"
        self.http_form.setRowVisible(self.auth_user_edit, auth == "basic")
        self.http_form.setRowVisible(self.api_key_header_edit, auth == "api_key")
        self.secret_label.setVisible(self._needs_secret())
        self.secret_edit.setVisible(self._needs_secret())
        self.store_note.setVisible(self._needs_secret())
        self.secret_label.setText(tr("&Token:") if http and auth in ("bearer", "api_key") else tr("&Password:"))

    def _store_checked(self, available: bool) -> None:
        if not Shiboken.isValid(self):
            return  # the form was closed before the check ended
        self.store_available = available
        if not available:
            self.store_note.setText(tr("No system password store is available, so the password will be asked each time you export."))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # Saving ----------------------------------------------------------------------------

    def draft(self) -> SourceDraft:
        """Read the form into a source without a secret; raise InvalidSourceForm naming the bad value."""
        name = self.name_edit.text().strip()
        if not name:
            raise InvalidSourceForm(tr("Type a name for the source."), self.name_edit)
        renamed = self._existing is None or self._existing.name != name
        if renamed and any(source.name == name for source in SavedSources(self._ctx.store).list(self._ctx.owner)):
            raise InvalidSourceForm(
                tr("A source called \u201c{name}\u201d already exists. Choose another name, or edit that source.").format(name=name),
                self.name_edit,
            )
        if self.kind() == "sql":
            return self._sql_draft(name)
        return self._http_draft(name)

    def _sql_draft(self, name: str) -> SourceDraft:
        if self.fields_radio.isChecked():
            url = build_sql_url(
                str(self.driver_combo.currentData()),
                self.host_edit.text(),
                self.port_spin.value(),
                self.database_edit.text(),
                self.user_edit.text(),
                {"host": self.host_edit, "database": self.database_edit},
            )
        else:
            url = self.url_edit.text().strip()
        public, password = credentials.split_url_password(check_sql_url(url, self.url_edit))
        if password is not None:
            # A password typed inside the URL goes to the password field, never to the settings.
            self.secret_edit.setText(password)
            self.url_edit.setText(public)
        return SourceDraft(name, "sql", {"url": public}, credentials.url_secret_ref(public))

    def _http_draft(self, name: str) -> SourceDraft:
        check_base_url(self.base_url_edit.text().strip(), self.base_url_edit)
        endpoints = parse_endpoints(self.endpoints_edit.toPlainText(), self.endpoints_edit)
        auth = str(self.auth_combo.currentData())
        old_ref = ""
        if self._existing is not None and self._existing.kind == "http":
            old_ref = str(self._existing.settings.get("config", {}).get("secret_ref", ""))
        secret_ref = "" if auth == "none" else old_ref or f"source:{self._ctx.owner}:{name}"
        config = build_http_config(
            {
                "base_url": self.base_url_edit.text().strip(),
                "endpoints": endpoints,
                "auth": auth,
                "auth_user": self.auth_user_edit.text().strip(),
                "api_key_header": self.api_key_header_edit.text().strip(),
                "pagination": str(self.pagination_combo.currentData()),
                "records_path": self.records_path_edit.text().strip(),
                "secret_ref": secret_ref,
            },
            {
                "base_url": self.base_url_edit,
                "endpoints": self.endpoints_edit,
                "auth_user": self.auth_user_edit,
                "api_key_header": self.api_key_header_edit,
                "records_path": self.records_path_edit,
            },
        )
        return SourceDraft(name, "http", {"config": config.to_json()}, secret_ref or None)

    def save(self) -> None:
        """Validate, store the secret off the GUI thread, then save the source and close."""
        self.show_error("")
        try:
            draft = self.draft()
        except InvalidSourceForm as problem:
            self.show_error(problem.message)
            if problem.widget is not None:
                problem.widget.setFocus()
            return
        secret = self.secret_edit.text() if self._needs_secret() else ""
        old_ref = self._old_secret_ref()
        self.button_box.setEnabled(False)
        self.show_error("")
        self._tasks.run(
            _SecretMove(draft.secret_ref, secret, old_ref),
            on_success=lambda _stored: self._write(draft),
            on_failure=self._secret_failed,
        )

    def _old_secret_ref(self) -> str | None:
        if self._existing is None:
            return None
        if self._existing.kind == "http":
            return str(self._existing.settings.get("config", {}).get("secret_ref", "")) or None
        return credentials.url_secret_ref(str(self._existing.settings["url"]))

    def _secret_failed(self, error: BaseException) -> None:
        log.error("Saving the password of a source failed", exc_info=error)
        if not Shiboken.isValid(self):
            return
        self.button_box.setEnabled(True)
        self.show_error(tr("The password could not be saved. Try again; if it repeats, send the log to support."))

    def _write(self, draft: SourceDraft) -> None:
        if not Shiboken.isValid(self):
            return  # the form was closed while the secret was being stored, so nothing is saved
        sources = SavedSources(self._ctx.store)
        if self._existing is not None and self._existing.name != draft.name:
            sources.remove(self._ctx.owner, self._existing.name)
        self.saved = sources.save(self._ctx.owner, draft.name, draft.kind, draft.settings)
        log.info("Source %s saved (%s)", draft.name, draft.kind)
        self.button_box.setEnabled(True)
        self.accept()


class _SecretMove:
    """Store a new secret, or carry the saved one over when the source's secret name changed.

    Calling it returns True when the system password store contains the secret afterwards. Where
    no safe store works, the secret stays in this process's memory only.
    """

    def __init__(self, ref: str | None, secret: str, old_ref: str | None) -> None:
        self._ref = ref
        self._secret = secret
        self._old_ref = old_ref

    def __call__(self, _report: ProgressReport) -> bool:
        if self._ref is None:
            if self._old_ref:
                credentials.delete_secret(self._old_ref)
            return False
        secret = self._secret
        if not secret and self._old_ref and self._old_ref != self._ref:
            secret = credentials.load_secret(self._old_ref) or ""
        if not secret:
            return False
        try:
            credentials.save_secret(self._ref, secret)
        except credentials.SecretStoreUnavailable:
            log.warning("Password store unavailable, so the source password is kept for this session only")
            credentials.remember_for_session(self._ref, secret)
            return False
        if self._old_ref and self._old_ref != self._ref:
            credentials.delete_secret(self._old_ref)
        return True
