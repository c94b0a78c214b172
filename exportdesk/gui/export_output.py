"""`OutputOptions`: the format, CSV profile and settings, name and retention of a new export.

Each format is a radio button with a one-line explanation. The CSV profile row, with the
`CsvOptions` below the profile, is shown only while CSV is chosen, because the other formats
have no profile.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from exportdesk.formats import FORMATS
from exportdesk.gui.csv_options import CsvOptions
from exportdesk.gui.labels import FORMAT_EXPLANATIONS, FORMAT_LABELS, OFFERED_FORMATS, PROFILE_EXPLANATIONS, PROFILE_LABELS
from exportdesk.i18n import tr

MAX_RETENTION_HOURS = 24 * 30
DEFAULT_FORMAT = "csv"


def show_hours_suffix(spin: QSpinBox) -> None:
    """Give the spin box the plural form of "hour" that matches its value, now and on every change."""

    def update(value: int) -> None:
        spin.setSuffix(tr(" hour(s)", None, value))

    spin.valueChanged.connect(update)
    update(spin.value())


class OutputOptions(QGroupBox):
    """The "Output" group of the new export dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Output"), parent)
        format_box = self._build_format_choice()
        self.profile_combo = QComboBox()
        for key, label in PROFILE_LABELS.items():
            self.profile_combo.addItem(tr(label), key)
        self.profile_combo.setAccessibleName(tr("CSV profile"))
        self.profile_explanation = QLabel()
        self.profile_explanation.setWordWrap(True)
        self.csv_options = CsvOptions()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(tr("Optional; used for the file name"))
        self.name_edit.setAccessibleName(tr("Export name"))
        self.retention_spin = QSpinBox()
        self.retention_spin.setRange(1, MAX_RETENTION_HOURS)
        show_hours_suffix(self.retention_spin)
        self.retention_spin.setAccessibleName(tr("Hours to keep the file"))

        self.profile_row = QWidget()
        profile_column = QVBoxLayout(self.profile_row)
        profile_column.setContentsMargins(0, 0, 0, 0)
        profile_column.addWidget(self.profile_combo)
        profile_column.addWidget(self.profile_explanation)
        profile_column.addWidget(self.csv_options)
        self.form = QFormLayout(self)
        self.form.addRow(tr("Format:"), format_box)
        self.form.addRow(tr("CSV profile:"), self.profile_row)
        self.form.addRow(tr("Name:"), self.name_edit)
        self.form.addRow(tr("Keep the file for:"), self.retention_spin)
        self.profile_combo.currentIndexChanged.connect(self._profile_changed)
        self.format_buttons.buttonToggled.connect(self._format_toggled)
        self.set_format(DEFAULT_FORMAT)
        self._profile_changed()

    def _build_format_choice(self) -> QWidget:
        """Create one radio button per format, each with its explanation beside it."""
        self.format_buttons = QButtonGroup(self)
        self.format_radios: dict[str, QRadioButton] = {}
        format_grid = QGridLayout()
        format_grid.setContentsMargins(0, 0, 0, 0)
        format_grid.setColumnStretch(1, 1)
        # Only formats the engine writes are offered, in case it drops one.
        for row, key in enumerate(key for key in OFFERED_FORMATS if key in FORMATS):
            radio = QRadioButton(tr(FORMAT_LABELS[key]))
            explanation = QLabel(tr(FORMAT_EXPLANATIONS[key]))
            explanation.setBuddy(radio)
            radio.setAccessibleName(tr(FORMAT_LABELS[key]))
            radio.setAccessibleDescription(tr(FORMAT_EXPLANATIONS[key]))
            radio.setProperty("format_key", key)
            self.format_buttons.addButton(radio)
            self.format_radios[key] = radio
            format_grid.addWidget(radio, row, 0)
            format_grid.addWidget(explanation, row, 1)
        format_box = QWidget()
        format_box.setLayout(format_grid)
        format_box.setAccessibleName(tr("File format"))
        return format_box

    def format_name(self) -> str:
        """Return the chosen format's key: "csv", "jsonl" or "json"."""
        checked = self.format_buttons.checkedButton()
        return str(checked.property("format_key")) if checked is not None else DEFAULT_FORMAT

    def set_format(self, key: object) -> None:
        """Choose the format `key`, or the default when the key is not offered."""
        radio = self.format_radios.get(key if isinstance(key, str) else "") or self.format_radios[DEFAULT_FORMAT]
        radio.setChecked(True)
        self._update_profile_row()

    def profile(self) -> str:
        return str(self.profile_combo.currentData())

    def set_profile(self, key: object) -> None:
        self.profile_combo.setCurrentIndex(max(0, self.profile_combo.findData(key)))

    def job_options(self) -> dict[str, Any]:
        """Return the options for `actions.new_spec`: the CSV settings for CSV, and none for other formats."""
        return self.csv_options.options() if self.format_name() == "csv" else {}

    def show_problem(self) -> bool:
        """Show why the CSV settings are invalid while CSV is chosen, and return True when nothing is wrong."""
        return self.format_name() != "csv" or self.csv_options.show_problem()

    def _format_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._update_profile_row()

    def _update_profile_row(self) -> None:
        self.form.setRowVisible(self.profile_row, self.format_name() == "csv")

    def _profile_changed(self) -> None:
        key = self.profile_combo.currentData()
        self.profile_explanation.setText(tr(PROFILE_EXPLANATIONS.get(key, "")))
        self.csv_options.set_profile(str(key))
