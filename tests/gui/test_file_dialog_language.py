"""Qt's own file dialog, which the Save as… and folder choices open, speaks Russian too."""

from __future__ import annotations

import re

import pytest
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel
from pytestqt.qtbot import QtBot

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize("mode", [QFileDialog.FileMode.AnyFile, QFileDialog.FileMode.Directory])
def test_file_dialog_labels_are_russian(qtbot: QtBot, russian: None, mode: QFileDialog.FileMode) -> None:
    dialog = QFileDialog(None, "x")
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(mode)
    if mode is QFileDialog.FileMode.AnyFile:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    texts = [widget.text() for widget in dialog.findChildren(QLabel)]
    texts += [widget.text() for widget in dialog.findChildren(QAbstractButton)]
    english = [text for text in texts if LATIN_WORD.search(text)]
    assert english == []
    assert "&Папка:" in texts
