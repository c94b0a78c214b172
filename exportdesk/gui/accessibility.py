"""Accessible names for controls whose name Qt does not take from a visible text by itself.

Screen readers read `accessibleName()`. The names are set from the same translated texts
as the labels, so they follow the UI language.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QDialogButtonBox, QToolBar, QWidget


def accessible_text(text: str) -> str:
    """Return a label text as a name: without mnemonic ampersands, a trailing colon or ellipsis."""
    without_mnemonics = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return without_mnemonics.strip().rstrip(":…").strip()


def name_by_text(*buttons: QAbstractButton) -> None:
    """Name each button after its own text."""
    for button in buttons:
        button.setAccessibleName(accessible_text(button.text()))


def name_controls(names: dict[QWidget, str]) -> None:
    for widget, name in names.items():
        widget.setAccessibleName(accessible_text(name))


def name_dialog_buttons(box: QDialogButtonBox) -> None:
    name_by_text(*box.buttons())


def name_toolbar_buttons(toolbar: QToolBar) -> None:
    """Name the buttons the toolbar made for its actions after the actions' texts."""
    for action in toolbar.actions():
        widget = toolbar.widgetForAction(action)
        if widget is not None and not action.isSeparator():
            widget.setAccessibleName(accessible_text(action.text()))
