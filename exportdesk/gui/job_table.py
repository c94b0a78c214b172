"""The job list's table view: columns, sorting, selection and the progress bar delegate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from exportdesk.gui.job_filter import JobFilterProxy
from exportdesk.gui.job_model import JobColumn
from exportdesk.gui.progress_delegate import ProgressBarDelegate
from exportdesk.i18n import register, tr

register({"Exports": "Экспорты"})

# Initial column widths in pixels. The user can resize every column.
# They leave the last column, "Expires in", room for "Срок хранения истёк" in a 1240 px window.
_COLUMN_WIDTHS = {
    JobColumn.NAME: 150,
    JobColumn.SOURCE: 205,
    JobColumn.FORMAT: 105,
    JobColumn.STATE: 165,
    JobColumn.PROGRESS: 95,
    JobColumn.ROWS: 150,
    JobColumn.SIZE: 85,
    JobColumn.CREATED: 125,
}


def build_job_table(proxy: JobFilterProxy) -> QTableView:
    """Create the table over `proxy`: one selected row at a time, newest first, a custom context menu."""
    table = QTableView()
    table.setModel(proxy)
    table.setAccessibleName(tr("Exports"))
    table.setItemDelegateForColumn(JobColumn.PROGRESS, ProgressBarDelegate(table))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setSortingEnabled(True)
    table.sortByColumn(JobColumn.CREATED, Qt.SortOrder.DescendingOrder)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    table.setAlternatingRowColors(True)
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
    return table
