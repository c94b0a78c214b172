"""The job list's sort arrow points the way the rows are ordered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from exportdesk.gui.controller import AppController
from exportdesk.gui.job_model import JobColumn


def arrow_row_widths(image: QImage, other: QImage) -> list[int]:
    """Return, top to bottom, the width of each row of the arrow drawn in `image`.

    The two header images differ only in the sort order, so the arrow is made of the pixels
    that are darker in `image` than in `other`.
    """
    widths = []
    for y in range(image.height()):
        width = sum(
            1 for x in range(image.width()) if image.pixelColor(x, y).lightness() < other.pixelColor(x, y).lightness()
        )
        if width:
            widths.append(width)
    return widths


def test_created_arrow_points_down_for_newest_first(qtbot: QtBot, controller: AppController) -> None:
    table = controller.window.table
    header = table.horizontalHeader()
    assert header.sortIndicatorSection() == JobColumn.CREATED
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    descending = header.grab().toImage()
    table.sortByColumn(JobColumn.CREATED, Qt.SortOrder.AscendingOrder)
    ascending = header.grab().toImage()

    down = arrow_row_widths(descending, ascending)
    up = arrow_row_widths(ascending, descending)
    assert len(down) >= 2
    assert down[0] > down[-1]
    assert up[0] < up[-1]
