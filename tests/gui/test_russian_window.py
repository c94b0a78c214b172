"""The window in Russian shows no English words: every text, tip, accessible name and menu is translated.

The walk covers the main window with its menus, tool bar, context menu and status bar, the
new-export dialog and the settings dialog. Words in Latin letters are allowed only for product,
format, encoding and key names, which Russian text writes in Latin letters too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from exportdesk.context import Context, Settings
from exportdesk.gui.controller import AppController
from exportdesk.gui.icons import app_icon
from exportdesk.gui.settings_dialog import SettingsDialog

ALLOWED_LATIN_WORDS = {
    # Product, format, protocol and encoding names.
    "ExportDesk", "CSV", "JSON", "Lines", "XLSX", "ZIP", "SQL", "HTTP", "URL", "UTF", "SHA", "API",
    "PostgreSQL", "SQLite", "SQLAlchemy", "Excel", "NULL", "Windows", "Linux", "macOS", "LF", "CRLF",
    "Basic", "Bearer", "csv", "jsonl", "json", "xlsx", "zip",
    # The CSV profiles "Excel (ru)" and "Excel (en)", and the language's own name in the language list.
    "ru", "en", "English",
    # Key names in the formula-protection note, and Qt's own Russian text of the OK button.
    "Tab", "CR", "OK",
    # SQL keywords in the query field's example.
    "SELECT", "FROM",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# A shortcut after a tip, such as "(Ctrl+N)" or "(F5)", and example URLs are not words.
SHORTCUT = re.compile(r"\((?:(?:Ctrl|Shift|Alt|Meta)\+)*(?:[A-Z]|F\d+|Del)\)")
URL = re.compile(r"\S+://\S*")


@pytest.fixture
def russian_window(qtbot: QtBot, gui_ctx: Context, russian: None) -> Iterator[AppController]:
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False)
    app_controller.start()
    qtbot.waitExposed(app_controller.window)
    yield app_controller
    app_controller.shutdown()


def widget_texts(widget: QWidget) -> list[str]:
    texts = [widget.windowTitle(), widget.toolTip(), widget.statusTip(), widget.whatsThis()]
    texts += [widget.accessibleName(), widget.accessibleDescription()]
    if isinstance(widget, (QLabel, QAbstractButton)):
        texts.append(widget.text())
    if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
        # The text itself is the user's input; only the hint is the app's.
        texts.append(widget.placeholderText())
    if isinstance(widget, QGroupBox):
        texts.append(widget.title())
    if isinstance(widget, QMenu):
        texts.append(widget.title())
    if isinstance(widget, QComboBox):
        texts += [widget.itemText(index) for index in range(widget.count())]
    if isinstance(widget, QTabWidget):
        texts += [widget.tabText(index) for index in range(widget.count())]
    return texts


def action_texts(action: QAction) -> list[str]:
    return [action.text(), action.toolTip(), action.statusTip(), action.iconText(), action.whatsThis()]


def all_texts(root: QObject) -> list[tuple[str, str]]:
    """Return (object name or class, text) for every user-visible text under `root`."""
    found: list[tuple[str, str]] = []
    objects = [root, *root.findChildren(QObject)]
    for item in objects:
        label = item.objectName() or type(item).__name__
        if isinstance(item, QWidget):
            found += [(label, text) for text in widget_texts(item)]
        if isinstance(item, QAction):
            found += [(label, text) for text in action_texts(item)]
    return [(label, text) for label, text in found if text]


def english_words(texts: list[tuple[str, str]]) -> list[str]:
    problems = []
    for label, text in texts:
        # The & of a mnemonic is not part of a word, and a menu item's shortcut follows a tab.
        plain = URL.sub("", SHORTCUT.sub("", text.split("\t")[0].replace("&", "")))
        words = set(LATIN_WORD.findall(plain))
        unexpected = sorted(words - ALLOWED_LATIN_WORDS)
        if unexpected:
            problems.append(f"{label}: {text!r} has {unexpected}")
    return problems


def test_main_window_has_no_english(russian_window: AppController) -> None:
    window = russian_window.window
    texts = all_texts(window)
    model = window.model
    texts += [("header", str(model.headerData(column, Qt.Orientation.Horizontal))) for column in range(model.columnCount())]
    # Qt builds a text field's context menu on demand, from qtbase_ru.qm.
    search_fields = [field for field in window.findChildren(QLineEdit) if field.isVisibleTo(window)]
    assert search_fields
    menu = search_fields[0].createStandardContextMenu()
    texts += [("context menu", action.text()) for action in menu.actions() if not action.isSeparator()]
    assert any(text.startswith("&Копировать") for label, text in texts if label == "context menu")
    menu.deleteLater()
    assert len(texts) > 50
    problems = english_words(texts)
    assert not problems, "\n".join(problems)


def test_new_export_dialog_has_no_english(russian_window: AppController) -> None:
    window = russian_window.window
    window.actions.new_export.trigger()
    dialog = window.new_export_dialog
    assert dialog is not None
    texts = all_texts(dialog)
    dialog.reject()
    problems = english_words(texts)
    assert not problems, "\n".join(problems)


def test_settings_dialog_has_no_english(qtbot: QtBot, russian_window: AppController) -> None:
    dialog = SettingsDialog(russian_window.ctx.settings, russian_window.window)
    qtbot.addWidget(dialog)
    texts = all_texts(dialog)
    assert ("QCheckBox", "Запускать свёрнутым в область уведомлений") in texts
    problems = english_words(texts)
    assert not problems, "\n".join(problems)


def test_check_finds_english_word() -> None:
    assert english_words([("label", "Скачать file")]) == ["label: 'Скачать file' has ['file']"]
    assert english_words([("label", "Формат CSV, Excel (ru)")]) == []
    assert english_words([("label", "Найти (Ctrl+Shift+F)")]) == []
    assert english_words([("label", "Sources (Ctrl+O)")]) == ["label: 'Sources (Ctrl+O)' has ['Sources']"]


@pytest.mark.parametrize(("hours", "suffix"), [(1, " час"), (2, " часа"), (5, " часов"), (21, " час"), (24, " часа"), (111, " часов")])
def test_retention_suffix_follows_value(qtbot: QtBot, russian: None, hours: int, suffix: str) -> None:
    dialog = SettingsDialog(Settings(), None)
    qtbot.addWidget(dialog)
    dialog.retention_spin.setValue(hours)
    assert dialog.retention_spin.suffix() == suffix
