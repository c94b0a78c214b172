"""Which actions apply to a job in each state, and the reason shown when one does not."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from exportdesk.engine import actions
from exportdesk.gui.controller import AppController
from exportdesk.gui.job_actions import ActionSet, JobAction, availability
from exportdesk.jobs import Job, JobSpec, JobState, Selection

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.timezone.utc)


def make_job(state: JobState, expires_at: dt.datetime | None = None, cancel_requested: bool = False) -> Job:
    return Job(
        id="job-1",
        owner="me/local",
        spec=JobSpec(source="demo", selection=Selection(tables=("airlines",))),
        state=state,
        outcome=None,
        error_code=None,
        file_name="airlines.csv",
        rows_done=0,
        rows_total=None,
        bytes_written=0,
        sha256=None,
        created_at=NOW,
        started_at=None,
        finished_at=None,
        expires_at=expires_at,
        progress_at=None,
        attempts=0,
        cancel_requested=cancel_requested,
        lease_pid=None,
        lease_instance=None,
        heartbeat_at=None,
    )


LATER = NOW + dt.timedelta(hours=1)
EARLIER = NOW - dt.timedelta(seconds=1)

COPY = JobAction.COPY_DETAILS
# (job, actions that apply); every other job action must be disabled with a reason.
CASES = [
    (make_job(JobState.QUEUED), {JobAction.CANCEL, COPY}),
    (make_job(JobState.RUNNING), {JobAction.CANCEL, COPY}),
    (make_job(JobState.RUNNING, cancel_requested=True), {COPY}),
    (
        make_job(JobState.READY, expires_at=LATER),
        {JobAction.DOWNLOAD, JobAction.OPEN_FOLDER, JobAction.VERIFY, JobAction.EXPORT_AGAIN, JobAction.REMOVE, COPY},
    ),
    (make_job(JobState.READY, expires_at=EARLIER), {JobAction.EXPORT_AGAIN, JobAction.REMOVE, COPY}),
    (make_job(JobState.FAILED), {JobAction.EXPORT_AGAIN, JobAction.REMOVE, COPY}),
    (make_job(JobState.CANCELLED), {JobAction.EXPORT_AGAIN, JobAction.REMOVE, COPY}),
    (make_job(JobState.EXPIRED), {JobAction.EXPORT_AGAIN, JobAction.REMOVE, COPY}),
]


@pytest.mark.parametrize(("job", "applicable"), CASES, ids=[f"{job.state.value}-{index}" for index, (job, _) in enumerate(CASES)])
def test_availability_per_state(english: None, job: Job, applicable: set[JobAction]) -> None:
    for action in JobAction:
        result = availability(action, job, NOW)
        assert result.enabled == (action in applicable), action
        if result.enabled:
            assert result.reason == "", action
        else:
            assert result.reason.endswith("."), action


def test_no_selection_disables_every_job_action(english: None) -> None:
    for action in JobAction:
        result = availability(action, None, NOW)
        assert not result.enabled
        assert result.reason == "Select an export in the list first."


def test_expired_download_reason(english: None) -> None:
    result = availability(JobAction.DOWNLOAD, make_job(JobState.READY, expires_at=EARLIER), NOW)
    assert result.reason == "The file is no longer available: its retention period has expired."


@pytest.mark.parametrize(
    ("job", "reason"),
    [
        (make_job(JobState.READY, expires_at=EARLIER), "The file is no longer available: its retention period has expired."),
        (make_job(JobState.EXPIRED), "The file is no longer available: its retention period has expired."),
        (make_job(JobState.RUNNING), "The file can be verified when the export is ready."),
        (make_job(JobState.FAILED), "The file can be verified when the export is ready."),
    ],
    ids=["ready-past-retention", "expired", "running", "failed"],
)
def test_verify_disabled_reason(english: None, job: Job, reason: str) -> None:
    result = availability(JobAction.VERIFY, job, NOW)
    assert not result.enabled
    assert result.reason == reason


def test_action_set_tooltips(qtbot: QtBot, english: None) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    action_set = ActionSet(window)

    action_set.update_for(make_job(JobState.RUNNING), NOW)
    remove = action_set[JobAction.REMOVE]
    assert not remove.isEnabled()
    assert remove.toolTip() == "The export is still running: cancel it before removing."
    assert action_set[JobAction.CANCEL].isEnabled()

    action_set.update_for(make_job(JobState.READY, expires_at=LATER), NOW)
    download = action_set[JobAction.DOWNLOAD]
    assert download.isEnabled()
    assert download.toolTip().startswith("Save the exported file")
    assert "Ctrl+S" in download.toolTip()
    assert action_set.new_export.shortcut().toString() == "Ctrl+N"
    assert action_set[JobAction.EXPORT_AGAIN].shortcut().toString() == "Ctrl+R"


def test_window_actions_follow_selection(qtbot: QtBot, controller: AppController) -> None:
    window = controller.window
    assert not window.actions[JobAction.DOWNLOAD].isEnabled()
    job = actions.submit(controller.ctx, actions.new_spec("demo", tables=("airlines",)))
    # Claimed here under another instance's lease, so no worker ends it during the test.
    controller.ctx.store.claim_next("test-instance")
    controller.model.refresh()
    window.select_job(job.id)
    assert window.actions[JobAction.CANCEL].isEnabled()
    assert not window.actions[JobAction.REMOVE].isEnabled()
    assert not window.actions[JobAction.DOWNLOAD].isEnabled()
