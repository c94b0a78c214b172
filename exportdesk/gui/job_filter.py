"""The state filter and name search above the job list, and the proxy model that applies them.

`JobFilterProxy` also sorts: it sits between `JobTableModel` and the table view. A ready job
whose retention has passed counts as expired before the sweep marks it, as in the list.

Sorting reads two keys from the model per comparison, each a call from C++ into Python: about
150,000 calls, most of the start-up time with 10,000 jobs. The model keeps its rows newest
first, so for that order, the one the list opens with, the proxy keeps the source rows'
order and calls no Python code. Other orders sort on keys the model computes once per row.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from exportdesk.gui.job_model import SORT_ROLE, JobColumn, JobTableModel, display_state
from exportdesk.i18n import QT_TR_NOOP, tr
from exportdesk.jobs import JobState


class StateFilter(enum.Enum):
    ALL = "all"
    ACTIVE = "active"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


STATE_FILTER_LABELS: dict[StateFilter, str] = {
    StateFilter.ALL: QT_TR_NOOP("All exports"),
    StateFilter.ACTIVE: QT_TR_NOOP("Active exports"),
    StateFilter.READY: QT_TR_NOOP("Ready exports"),
    StateFilter.FAILED: QT_TR_NOOP("Failed exports"),
    StateFilter.CANCELLED: QT_TR_NOOP("Cancelled exports"),
    StateFilter.EXPIRED: QT_TR_NOOP("Expired exports"),
}

_STATES_SHOWN: dict[StateFilter, frozenset[JobState]] = {
    StateFilter.ALL: frozenset(JobState),
    StateFilter.ACTIVE: frozenset({JobState.QUEUED, JobState.RUNNING}),
    StateFilter.READY: frozenset({JobState.READY}),
    StateFilter.FAILED: frozenset({JobState.FAILED}),
    StateFilter.CANCELLED: frozenset({JobState.CANCELLED}),
    StateFilter.EXPIRED: frozenset({JobState.EXPIRED}),
}


class JobFilterProxy(QSortFilterProxyModel):
    """Sort by `SORT_ROLE` and show only the jobs that match the state filter and the search text."""

    def __init__(self, model: JobTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._state_filter = StateFilter.ALL
        self._search = ""
        self._sorted_by = (-1, Qt.SortOrder.AscendingOrder)
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        # Filter again when a row changes, e.g. when a ready job expires while "Ready" is shown.
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by `column`, or by source row for the creation time, which is the model's own order."""
        self._sorted_by = (column, order)
        if column == JobColumn.CREATED and order is Qt.SortOrder.DescendingOrder:
            # Column -1 in ascending order keeps the source rows' order, and puts a row the
            # model inserts where the model put it. Descending, it would put new rows on top
            # too (Qt 6.11), so oldest first is sorted on the keys like any other column.
            super().sort(-1, Qt.SortOrder.AscendingOrder)
        else:
            super().sort(column, order)

    @property
    def sorted_by(self) -> tuple[int, Qt.SortOrder]:
        """Return the column and order the view asked for; `sortColumn()` is -1 for the creation time."""
        return self._sorted_by

    @property
    def state_filter(self) -> StateFilter:
        return self._state_filter

    def set_state_filter(self, state_filter: StateFilter) -> None:
        if state_filter is not self._state_filter:
            self.beginFilterChange()
            self._state_filter = state_filter
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search_text(self, text: str) -> None:
        search = text.strip().casefold()
        if search != self._search:
            self.beginFilterChange()
            self._search = search
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if source_parent.isValid() or not 0 <= source_row < self._model.rowCount():
            return False
        if self._state_filter is StateFilter.ALL and not self._search:
            return True
        job = self._model.job_at(source_row)
        if display_state(job, self._model.now()) not in _STATES_SHOWN[self._state_filter]:
            return False
        if not self._search:
            return True
        return self._search in job.name.casefold() or self._search in job.file_name.casefold()


class FilterBar(QWidget):
    """The state choice and the search field. Each change goes straight to the proxy."""

    # Emitted after the filter or the search text changed.
    filterChanged = Signal()

    def __init__(self, proxy: JobFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.state_combo = QComboBox()
        for state_filter, label in STATE_FILTER_LABELS.items():
            self.state_combo.addItem(tr(label), state_filter.value)
        self.state_combo.setAccessibleName(tr("Show exports in state"))
        state_label = QLabel(tr("Show:"))
        state_label.setBuddy(self.state_combo)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(tr("Search by name (Ctrl+F)"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName(tr("Search exports by name"))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(state_label)
        layout.addWidget(self.state_combo)
        layout.addSpacing(12)
        layout.addWidget(self.search_edit, 1)

        self.state_combo.currentIndexChanged.connect(self._state_chosen)
        self.search_edit.textChanged.connect(self._search_changed)

    def _state_chosen(self) -> None:
        self._proxy.set_state_filter(StateFilter(self.state_combo.currentData()))
        self.filterChanged.emit()

    def _search_changed(self, text: str) -> None:
        self._proxy.set_search_text(text)
        self.filterChanged.emit()

    def set_state_filter(self, state_filter: StateFilter) -> None:
        self.state_combo.setCurrentIndex(self.state_combo.findData(state_filter.value))

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()
