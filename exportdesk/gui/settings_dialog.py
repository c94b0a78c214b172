"""`SettingsDialog`: retention, parallel exports, language, notifications and the download folder."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from exportdesk.context import Settings
from exportdesk.gui.accessibility import name_controls, name_dialog_buttons
from exportdesk.gui.contrast import error_style
from exportdesk.gui.export_output import MAX_RETENTION_HOURS, show_hours_suffix
from exportdesk.i18n import QT_TR_NOOP, tr

log = logging.getLogger(__name__)

MAX_PARALLEL_JOBS = 16

# Language names are written in their own language, so a user can find theirs in either UI.
LANGUAGE_CHOICES = (("system", QT_TR_NOOP("System language")), ("ru", "Русский"), ("en", "English"))


class SettingsDialog(QDialog):
    """A form over the settings. It changes nothing until `apply_to()` writes the accepted values."""

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Settings"))

        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(1, MAX_RETENTION_HOURS)
        show_hours_suffix(self.retention_spin)
        self.retention_spin.setValue(max(1, min(MAX_RETENTION_HOURS, -(-settings.retention_s // 3600))))
        self.parallel_spin = QSpinBox()
        self.parallel_spin.setRange(1, MAX_PARALLEL_JOBS)
        self.parallel_spin.setValue(settings.parallel_jobs)

        self.language_combo = QComboBox()
        for key, label in LANGUAGE_CHOICES:
            self.language_combo.addItem(tr(label) if key == "system" else label, key)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(settings.language)))
        language_note = QLabel(tr("The new language takes effect after ExportDesk is restarted."))
        language_note.setWordWrap(True)

        self.notifications_check = QCheckBox(tr("Notify when an export is ready, fails or is about to expire"))
        self.notifications_check.setChecked(settings.notifications)
        self.start_minimized_check = QCheckBox(tr("Start minimised to the notification area"))
        self.start_minimized_check.setChecked(settings.start_minimized)

        download_row = self._build_download_row(settings.download_dir)

        form = QFormLayout()
        form.addRow(tr("Keep exported files for:"), self.retention_spin)
        form.addRow(tr("Exports running at once:"), self.parallel_spin)
        form.addRow(tr("Language:"), self.language_combo)
        form.addRow("", language_note)
        form.addRow("", self.notifications_check)
        form.addRow("", self.start_minimized_check)
        form.addRow(tr("Default download folder:"), download_row)
        form.addRow("", self.download_error)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        name_dialog_buttons(buttons)
        name_controls(
            {
                self.retention_spin: tr("Keep exported files for:"),
                self.parallel_spin: tr("Exports running at once:"),
                self.language_combo: tr("Language:"),
                self.notifications_check: self.notifications_check.text(),
                self.start_minimized_check: self.start_minimized_check.text(),
                self.download_edit: tr("Default download folder:"),
            }
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # A fixed minimum alone replaces the layout's, and QWidget.adjustSize() caps a dialog at
        # 2/3 of the screen width, which at 200 % scaling cut the notifications check box.
        self.setMinimumWidth(max(520, layout.totalMinimumSize().width()))

    def _build_download_row(self, folder: str) -> QHBoxLayout:
        self.download_edit = QLineEdit(folder)
        self.download_edit.setPlaceholderText(tr("The Downloads folder"))
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        browse.setAccessibleName(tr("Choose the default download folder"))
        self.download_error = QLabel()
        self.download_error.setWordWrap(True)
        self.download_error.setStyleSheet(error_style(self.download_error.palette()))
        self.download_error.hide()
        row = QHBoxLayout()
        row.addWidget(self.download_edit, 1)
        row.addWidget(browse)
        return row

    def accept(self) -> None:
        folder = self.download_edit.text().strip()
        if folder and not Path(folder).expanduser().is_dir():
            self.download_error.setText(
                tr("The folder {path} does not exist. Choose an existing folder, or leave the field empty to use Downloads.").format(path=folder)
            )
            self.download_error.show()
            return
        super().accept()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Choose the default download folder"), self.download_edit.text())
        if folder:
            self.download_edit.setText(folder)

    def apply_to(self, settings: Settings) -> None:
        settings.retention_s = self.retention_spin.value() * 3600
        settings.parallel_jobs = self.parallel_spin.value()
        settings.language = str(self.language_combo.currentData())
        settings.notifications = self.notifications_check.isChecked()
        settings.start_minimized = self.start_minimized_check.isChecked()
        settings.download_dir = self.download_edit.text().strip()
