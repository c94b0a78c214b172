"""The state filter and the name search above the job list."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from exportdesk.gui.controller import AppController
from exportdesk.gui.job_filter import StateFilter
from exportdesk.gui.main_window import MainWindow
from exportdesk.jobs import Job
from tests.gui.job_factory import JobFactory


def shown_ids(window: MainWindow) -> set[str]:
    proxy = window.proxy
    return {window.model.job_at(proxy.mapToSource(proxy.index(row, 0)).row()).id for row in range(proxy.rowCount())}


@pytest.fixture
def one_per_state(controller: AppController, jobs: JobFactory) -> dict[str, Job]:
    """Make one job in each state, keyed by the state's name.

    The queued job is made last, because claiming the running ones takes the oldest queued
    job. The window's dispatcher may start it once events run, and it stays active then.
    """
    jobs_by_state = {
        "running": jobs.running("weather", name="Weather running"),
        "ready": jobs.ready("airlines", name="Airlines ready"),
        "failed": jobs.failed("weather", name="Weather failed"),
        "cancelled": jobs.cancelled("planes", name="Planes cancelled"),
        "expired": jobs.expired("airports", name="Airports expired"),
        "queued": jobs.queued("flights", name="Flights queued"),
    }
    controller.model.refresh()
    return jobs_by_state


@pytest.mark.parametrize(
    ("state_filter", "expected"),
    [
        (StateFilter.ALL, {"queued", "running", "ready", "failed", "cancelled", "expired"}),
        (StateFilter.ACTIVE, {"queued", "running"}),
        (StateFilter.READY, {"ready"}),
        (StateFilter.FAILED, {"failed"}),
        (StateFilter.CANCELLED, {"cancelled"}),
        (StateFilter.EXPIRED, {"expired"}),
    ],
)
def test_state_filter(controller: AppController, one_per_state: dict[str, Job], state_filter: StateFilter, expected: set[str]) -> None:
    window = controller.window
    window.filter_bar.set_state_filter(state_filter)
    assert shown_ids(window) == {one_per_state[key].id for key in expected}


def test_filter_labels(controller: AppController) -> None:
    combo = controller.window.filter_bar.state_combo
    labels = [combo.itemText(index) for index in range(combo.count())]
    assert labels == ["All exports", "Active exports", "Ready exports", "Failed exports", "Cancelled exports", "Expired exports"]


def test_ready_past_expiry_counts_as_expired(controller: AppController, jobs: JobFactory) -> None:
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=2)
    stale = jobs.ready("planes", now=long_ago)
    controller.model.refresh()
    window = controller.window

    window.filter_bar.set_state_filter(StateFilter.READY)
    assert stale.id not in shown_ids(window)
    window.filter_bar.set_state_filter(StateFilter.EXPIRED)
    assert shown_ids(window) == {stale.id}


def test_search_by_name(qtbot: QtBot, controller: AppController, one_per_state: dict[str, Job]) -> None:
    window = controller.window
    qtbot.keyClicks(window.filter_bar.search_edit, "WEATHER")
    assert shown_ids(window) == {one_per_state["running"].id, one_per_state["failed"].id}

    window.filter_bar.set_state_filter(StateFilter.FAILED)
    assert shown_ids(window) == {one_per_state["failed"].id}

    window.filter_bar.search_edit.clear()
    window.filter_bar.set_state_filter(StateFilter.ALL)
    assert len(shown_ids(window)) == 6


def test_search_matches_file_name(controller: AppController, jobs: JobFactory) -> None:
    job = jobs.ready("planes")
    controller.model.refresh()
    controller.window.filter_bar.search_edit.setText("planes.csv")
    assert shown_ids(controller.window) == {job.id}


def test_nothing_matches_shows_hint(controller: AppController, one_per_state: dict[str, Job]) -> None:
    window = controller.window
    window.filter_bar.search_edit.setText("no such export")
    assert shown_ids(window) == set()
    assert window.details.title.text() == "No export matches the filter or the search."


def test_details_never_show_hidden_job(controller: AppController, one_per_state: dict[str, Job]) -> None:
    window = controller.window
    window.select_job(one_per_state["ready"].id)
    assert window.details.job is not None
    window.filter_bar.set_state_filter(StateFilter.CANCELLED)

    # Qt moves the selection to a remaining row, and the details follow it.
    selected = window.selected_job()
    assert selected is not None
    assert selected.id in shown_ids(window)
    details_job = window.details.job
    assert details_job is not None
    assert details_job.id == selected.id

    window.select_job(one_per_state["ready"].id)
    assert window.selected_job() is None or window.selected_job().id != one_per_state["ready"].id


def test_ctrl_f_focuses_search(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.table.setFocus()
    window.filter_bar.search_edit.setText("old text")

    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)

    assert window.filter_bar.search_edit.hasFocus()
    assert window.filter_bar.search_edit.selectedText() == "old text"
