"""`SourcePasswordFields`: the password of a database URL, kept out of the URL and the job table.

The job stores the URL without its password. The password goes to the system password store
when the user ticks "Save" and a safe store works, else it stays in this process's memory,
from where the supervisor hands it to the worker. `exportdesk.credentials` does the storing.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QWidget
from sqlalchemy.exc import ArgumentError

from exportdesk import credentials
from exportdesk.gui.background import BackgroundTasks, ProgressReport
from exportdesk.i18n import tr

log = logging.getLogger(__name__)


class SourcePasswordFields(QWidget):
    """The password field and the choice to save it. A background call checks for a password store."""

    def __init__(self, tasks: BackgroundTasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(tr("Only if the database asks for one"))
        self.save_check = QCheckBox(tr("Save the password in the system password store"))
        self.save_check.setChecked(True)
        self.note = QLabel(tr("No system password store is available, so the password is kept only while ExportDesk runs."))
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.note.hide()
        self.store_available: bool | None = None

        # A grid, not a QFormLayout: a form sizes a wrapped label by its size hint, which is
        # several lines high at a guessed narrow width, so it left a gap below the note.
        label = QLabel(tr("Password:"))
        label.setBuddy(self.password_edit)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.password_edit, 0, 1)
        grid.addWidget(self.save_check, 1, 1)
        grid.addWidget(self.note, 2, 1)
        grid.setColumnStretch(1, 1)
        self.password_edit.setAccessibleName(tr("Database password"))
        self.save_check.setAccessibleName(tr("Save the password in the system password store"))
        # Finding the keyring backend can take a noticeable time, e.g. over D-Bus.
        tasks.run(lambda _report: credentials.keyring_available(), on_success=self._store_checked)

    def _store_checked(self, available: bool) -> None:
        self.store_available = available
        if not available:
            self.save_check.setChecked(False)
            self.save_check.setEnabled(False)
            self.note.show()

    def password(self) -> str:
        return self.password_edit.text()

    def take_password_from(self, url: str) -> str:
        """Move a password typed inside `url` into the password field, and return the URL without it."""
        try:
            public, password = credentials.split_url_password(url)
        except ArgumentError:
            return url
        if password is not None:
            self.password_edit.setText(password)
        return public

    def remember_for_session(self, public_url: str) -> None:
        """Keep the typed password in memory for `public_url`, so listing tables can connect."""
        if self.password() and public_url:
            credentials.remember_for_session(credentials.url_secret_ref(public_url), self.password())

    def saves_to_store(self) -> bool:
        return bool(self.password()) and self.save_check.isEnabled() and self.save_check.isChecked()

    def store_call(self, public_url: str) -> "StoreCall":
        """Return a blocking call that saves the password, for `BackgroundTasks.run()`."""
        return StoreCall(credentials.url_secret_ref(public_url), self.password())


class StoreCall:
    """Save one password in the system password store, or keep it in memory where none works.

    Calling it returns True when the store saved the password. A keyring may show an unlock
    prompt and block, so it runs off the GUI thread.
    """

    def __init__(self, ref: str, password: str) -> None:
        self._ref = ref
        self._password = password

    def __call__(self, _report: ProgressReport) -> bool:
        try:
            credentials.save_secret(self._ref, self._password)
        except credentials.SecretStoreUnavailable:
            log.warning("Password store unavailable, so the source password is kept for this session only")
            credentials.remember_for_session(self._ref, self._password)
            return False
        # The running session uses the saved password too, without reading the store again.
        credentials.remember_for_session(self._ref, self._password)
        return True
