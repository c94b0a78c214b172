"""`CsvOptions`: formula neutralising and the custom profile's settings of a new CSV export.

Choosing a profile resets the formula checkbox to that profile's default, which is on for
the Excel profiles and off for UTF-8 and custom. The delimiter, line ending, encoding, header
and NULL text fields are shown only for the custom profile. `options()` returns the job
options that `exportdesk.formats.csv.profile_from_options` reads, and `problem()` checks them
with that function.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from exportdesk.formats.csv import LINE_ENDS, PROFILES, InvalidCsvOptions, UnknownProfile, profile_from_options
from exportdesk.gui.accessibility import name_by_text
from exportdesk.gui.contrast import error_style
from exportdesk.i18n import QT_TR_NOOP, tr

CUSTOM_PROFILE = "custom"
_CUSTOM_DEFAULTS = PROFILES[CUSTOM_PROFILE]
# (label, value) pairs. The labels ";", "," and "|" are not in the catalogue, so tr() returns them unchanged.
DELIMITER_CHOICES = ((";", ";"), (",", ","), (QT_TR_NOOP("Tab"), "\t"), ("|", "|"))
LINE_END_CHOICES = ((QT_TR_NOOP("CRLF (Windows)"), "crlf"), (QT_TR_NOOP("LF (Linux, macOS)"), "lf"))
ENCODING_CHOICES = ((QT_TR_NOOP("UTF-8"), "utf-8"), (QT_TR_NOOP("Windows-1251"), "cp1251"))


def _choice_combo(choices: tuple[tuple[str, str], ...], default: str, accessible_name: str) -> QComboBox:
    combo = QComboBox()
    for label, value in choices:
        combo.addItem(tr(label), value)
    combo.setCurrentIndex(max(0, combo.findData(default)))
    combo.setAccessibleName(accessible_name)
    return combo


def _buddy_label(text: str, control: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(control)
    return label


def _line_end_key(line_end: str) -> str:
    return next(key for key, value in LINE_ENDS.items() if value == line_end)


def _select(combo: QComboBox, value: object) -> None:
    """Select the item whose data is `value`, or keep the current item when there is none."""
    index = combo.findData(value) if isinstance(value, str) else -1
    if index >= 0:
        combo.setCurrentIndex(index)


class CsvOptions(QWidget):
    """The CSV settings below the profile choice of the new export dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile = CUSTOM_PROFILE
        self.neutralise_check = QCheckBox(tr("Neutralise formulas"))
        self.neutralise_check.setToolTip(
            tr("Text that starts with =, +, -, @, Tab or CR gets a leading ', so a spreadsheet shows it as text instead of running it as a formula.")
        )
        self.custom_fields = self._build_custom_fields()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet(error_style(self.error_label.palette()))
        self.error_label.hide()

        name_by_text(self.neutralise_check, self.header_check)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.neutralise_check)
        layout.addWidget(self.custom_fields)
        layout.addWidget(self.error_label)

        for combo in (self.delimiter_combo, self.line_end_combo, self.encoding_combo):
            combo.currentIndexChanged.connect(lambda _index: self.show_problem())
        self.null_edit.textChanged.connect(lambda _text: self.show_problem())

    def _build_custom_fields(self) -> QWidget:
        self.delimiter_combo = _choice_combo(DELIMITER_CHOICES, _CUSTOM_DEFAULTS.delimiter, tr("Field delimiter"))
        self.line_end_combo = _choice_combo(LINE_END_CHOICES, _line_end_key(_CUSTOM_DEFAULTS.line_end), tr("Line ending"))
        self.encoding_combo = _choice_combo(ENCODING_CHOICES, _CUSTOM_DEFAULTS.encoding, tr("Text encoding"))
        self.header_check = QCheckBox(tr("First line contains the column names"))
        self.header_check.setChecked(_CUSTOM_DEFAULTS.header)
        self.null_edit = QLineEdit(_CUSTOM_DEFAULTS.null_marker)
        self.null_edit.setPlaceholderText(tr("Empty field"))
        self.null_edit.setAccessibleName(tr("Text written for NULL"))

        # Two rows instead of a form with five, so the custom fields add little height to the dialog.
        fields = QWidget()
        grid = QGridLayout(fields)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, (text, control) in enumerate(
            ((tr("Delimiter:"), self.delimiter_combo), (tr("Line ending:"), self.line_end_combo), (tr("Encoding:"), self.encoding_combo))
        ):
            grid.addWidget(_buddy_label(text, control), 0, 2 * column)
            grid.addWidget(control, 0, 2 * column + 1)
        grid.addWidget(_buddy_label(tr("NULL text:"), self.null_edit), 1, 0)
        grid.addWidget(self.null_edit, 1, 1)
        grid.addWidget(self.header_check, 1, 2, 1, 4)
        grid.setColumnStretch(6, 1)
        return fields

    @property
    def profile(self) -> str:
        return self._profile

    def set_profile(self, key: str) -> None:
        """Reset the formula checkbox to the profile's default, and show the custom fields only for the custom profile."""
        self._profile = key
        default = PROFILES[key].neutralise_formulas if key in PROFILES else False
        self.neutralise_check.setChecked(default)
        self.custom_fields.setVisible(key == CUSTOM_PROFILE)
        self.show_problem()

    def options(self) -> dict[str, Any]:
        """Return the job options for the chosen profile, in the form `profile_from_options` reads."""
        options: dict[str, Any] = {"neutralise_formulas": self.neutralise_check.isChecked()}
        if self._profile == CUSTOM_PROFILE:
            options["csv"] = {
                "delimiter": str(self.delimiter_combo.currentData()),
                "line_end": str(self.line_end_combo.currentData()),
                "encoding": str(self.encoding_combo.currentData()),
                "header": self.header_check.isChecked(),
                "null": self.null_edit.text(),
            }
        return options

    def problem(self) -> str:
        """Check `options()` with `profile_from_options`, and return why they are invalid, or ""."""
        try:
            profile_from_options(self._profile, self.options())
        except InvalidCsvOptions as error:
            return self._problem_text(error)
        except UnknownProfile as error:
            return tr("The CSV settings are invalid: {reason}").format(reason=str(error))
        return ""

    def _problem_text(self, error: InvalidCsvOptions) -> str:
        # The NULL text is the one free-form field, so its problem names the delimiter as the
        # list shows it. Any other problem shows the translated reason of InvalidCsvOptions.
        null_text = self.null_edit.text()
        delimiter = str(self.delimiter_combo.currentData())
        if self._profile == CUSTOM_PROFILE and any(part in null_text for part in (delimiter, '"', "\r", "\n")):
            return tr(
                "The NULL text must not contain the delimiter ({delimiter}), a double quote or a line break. Change the NULL text."
            ).format(delimiter=self.delimiter_combo.currentText())
        return tr("The CSV settings are invalid: {reason}").format(reason=str(error))

    def show_problem(self) -> bool:
        """Show the problem of the current settings below the fields, and return True when there is none."""
        text = self.problem()
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))
        return not text

    def choices(self) -> dict[str, Any]:
        """Return every field's value, including the hidden custom ones, for `settings.last_choices`."""
        return {
            "neutralise_formulas": self.neutralise_check.isChecked(),
            "delimiter": self.delimiter_combo.currentData(),
            "line_end": self.line_end_combo.currentData(),
            "encoding": self.encoding_combo.currentData(),
            "header": self.header_check.isChecked(),
            "null": self.null_edit.text(),
        }

    def restore(self, saved: object) -> None:
        """Set the fields from `choices()` saved earlier. A missing or unknown value keeps the field as it is."""
        if not isinstance(saved, dict):
            return
        _select(self.delimiter_combo, saved.get("delimiter"))
        _select(self.line_end_combo, saved.get("line_end"))
        _select(self.encoding_combo, saved.get("encoding"))
        header = saved.get("header")
        if isinstance(header, bool):
            self.header_check.setChecked(header)
        null_text = saved.get("null")
        if isinstance(null_text, str):
            self.null_edit.setText(null_text)
        neutralise = saved.get("neutralise_formulas")
        if isinstance(neutralise, bool):
            self.neutralise_check.setChecked(neutralise)
