"""The storage usage in the status bar, and plural forms in both languages."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from exportdesk.engine import actions
from exportdesk.gui.controller import AppController
from exportdesk.gui.formatting import format_size
from exportdesk.gui.status_info import usage_text
from exportdesk.i18n import set_language
from tests.gui.job_factory import JobFactory

RUSSIAN_FILES = [
    (1, "1 файл"),
    (2, "2 файла"),
    (4, "4 файла"),
    (5, "5 файлов"),
    (11, "11 файлов"),
    (12, "12 файлов"),
    (14, "14 файлов"),
    (21, "21 файл"),
    (22, "22 файла"),
    (25, "25 файлов"),
    (101, "101 файл"),
    (111, "111 файлов"),
    (1001, "1 001 файл"),
]


@pytest.mark.parametrize(("count", "text"), RUSSIAN_FILES)
def test_russian_file_plurals(english: None, count: int, text: str) -> None:
    set_language("ru")
    # Qt groups thousands with a no-break space in Russian.
    assert usage_text(count, 0).replace("\u00a0", " ") == f"Хранится: {text}, 0 байт"


@pytest.mark.parametrize(("count", "text"), [(1, "1 file"), (2, "2 files"), (1001, "1,001 files")])
def test_english_file_plurals(english: None, count: int, text: str) -> None:
    assert usage_text(count, 0) == f"Stored: {text}, 0 bytes"


def test_usage_text_in_russian(english: None) -> None:
    set_language("ru")
    assert usage_text(3, 13_002_342) == "Хранится: 3 файла, 12,4 МБ"
    assert usage_text(1, 1) == "Хранится: 1 файл, 1 байт"
    assert usage_text(5, 500) == "Хранится: 5 файлов, 500 байт"
    assert usage_text(0, 0) == "Хранится: нет файлов"


def test_usage_text_in_english(english: None) -> None:
    assert usage_text(3, 13_002_342) == "Stored: 3 files, 12.4 MB"
    assert usage_text(1, 1) == "Stored: 1 file, 1 byte"
    assert usage_text(0, 0) == "Stored: no files"


def test_small_sizes_have_plurals(english: None) -> None:
    assert format_size(2) == "2 bytes"
    assert format_size(2048) == "2.0 kB"
    set_language("ru")
    assert format_size(2) == "2 байта"
    assert format_size(1023) == "1\u00a0023 байта"


def test_status_bar_follows_list(qtbot: QtBot, controller: AppController, jobs: JobFactory) -> None:
    window = controller.window
    label = window.status.usage_label
    assert label.text() == "Stored: no files"
    assert label.isVisibleTo(window)

    first = jobs.ready("airlines", size=1000)
    jobs.ready("planes", size=2 * 1024 * 1024)
    jobs.running("flights")
    controller.model.refresh()
    assert label.text() == "Stored: 2 files, 2.0 MB"

    actions.remove(controller.ctx, first.id)
    controller.model.refresh()
    assert label.text() == "Stored: 1 file, 2.0 MB"
