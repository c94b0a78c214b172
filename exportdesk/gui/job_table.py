"""The job list's table view: columns, sorting, selection and the progress bar delegate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QStyleOptionHeader, QTableView, QWidget

from exportdesk.gui.contrast import readable_selection
from exportdesk.gui.job_filter import JobFilterProxy
from exportdesk.gui.job_model import JobColumn
from exportdesk.gui.progress_delegate import ProgressBarDelegate
from exportdesk.i18n import tr
from exportdesk.jobs import JobState
from exportdesk.messages import state_label

# Initial column widths in pixels. The user can resize every column.
# They leave the last column, "Expires in", room for "Retention period expired" in a 1400 px
# window. The state column grows to its longest label in the current language and font.
_COLUMN_WIDTHS = {
    JobColumn.NAME: 140,
    JobColumn.SOURCE: 180,
    JobColumn.FORMAT: 105,
    JobColumn.STATE: 165,
    JobColumn.PROGRESS: 95,
    JobColumn.ROWS: 125,
    JobColumn.SPEED: 110,
    JobColumn.TIME_LEFT: 115,
    JobColumn.SIZE: 85,
    JobColumn.CREATED: 115,
}


_FLIPPED_SORT_INDICATORS = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class JobTableHeader(QHeaderView):
    """A horizontal header whose sort arrow points down for a descending order under Fusion.

    QHeaderView passes a descending order to the style as `SortUp`, and Fusion draws that as
    an upward arrow (Qt 6.11), which reads as ascending while the newest exports are on top.
    Under Fusion the indicator is flipped. Other styles draw their platform's own convention.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)

    def initStyleOptionForIndex(self, option: QStyleOptionHeader, logicalIndex: int) -> None:  # noqa: N802, N803
        super().initStyleOptionForIndex(option, logicalIndex)
        if self.style().name().lower() == "fusion":
            option.sortIndicator = _FLIPPED_SORT_INDICATORS.get(option.sortIndicator, option.sortIndicator)


def build_job_table(proxy: JobFilterProxy) -> QTableView:
    """Create the table over `proxy`: one selected row at a time, newest first, a custom context menu."""
    table = QTableView()
    table.setHorizontalHeader(JobTableHeader(table))
    table.setModel(proxy)
    table.setAccessibleName(tr("Exports"))
    table.setItemDelegateForColumn(JobColumn.PROGRESS, ProgressBarDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.sortByColumn(JobColumn.CREATED, Qt.SortOrder.DescendingOrder)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.setAlternatingRowColors(True)
    table.setPalette(readable_selection(table.palette()))
    table.setWordWrap(False)
    # Tab moves to the next control instead of the next cell, so the keyboard reaches the details.
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    for column, width in _COLUMN_WIDTHS.items():
        header.resizeSection(column, width)
    header.resizeSection(JobColumn.STATE, max(_COLUMN_WIDTHS[JobColumn.STATE], _state_column_width(table)))
    return table


def _state_column_width(table: QTableView) -> int:
    """Return the width that shows the state icon and the longest state label without eliding."""
    style = table.style()
    # QCommonStyle puts a margin on both sides of the icon, of the text's rectangle and of the
    # text inside it. Two more pixels cover rounding (measured with Fusion on Qt 6.11).
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, table)
    labels = [state_label(state) for state in JobState] + [tr("Cancelling…")]
    return icon + 6 * margin + 2 + max(table.fontMetrics().horizontalAdvance(label) for label in labels)
