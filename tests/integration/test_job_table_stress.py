"""The job table under concurrent load: progress writers, readers, sweeps and job churn.

For `STRESS_DURATION_S` seconds, threads of this process and one separate process (as the
real worker is) use the same job database and storage at once. No call may raise, in
particular no "database is locked", and at the end the table and the disk must agree.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.retention import SweepReport, sweep
from exportdesk.jobs import ErrorCode, Job, JobState
from exportdesk.sources.demo import DEMO_SOURCE
from exportdesk.storage import PART_SUFFIX
from exportdesk.store import JobStore

STRESS_DURATION_S = 30.0
PROGRESS_WRITES_PER_S = 50
LIST_READS_PER_S = 10
SWEEP_INTERVAL_S = 1.0
CHURN_INTERVAL_S = 0.05
# Ended jobs the churn thread keeps before it removes the oldest: about 5 s of churn, so
# short-retention jobs are still there when a sweep expires them.
CHURN_JOBS_KEPT = 100
# Every other churn job expires one second after it is ready, so sweeps expire jobs too.
SHORT_RETENTION_S = 1
LONG_RETENTION_S = 3600
CHECKPOINT_EVERY_WRITES = 15
# A loop that reaches less than this share of its planned calls did not really run.
MIN_SHARE_OF_PLANNED_CALLS = 0.5
PROCESS_START_TIMEOUT_S = 60.0


@dataclass
class Recorder:
    """Exceptions and call counts collected from every thread."""

    errors: list[str] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, where: str, text: str) -> None:
        with self.lock:
            self.errors.append(f"{where}: {text}")

    def count(self, where: str) -> None:
        with self.lock:
            self.calls[where] = self.calls.get(where, 0) + 1


def run_paced(
    name: str, interval_s: float, action: Callable[[], None], stop: threading.Event, recorder: Recorder
) -> None:
    """Call `action` every `interval_s` until `stop` is set, recording each call and exception."""
    next_at = time.monotonic()
    while not stop.is_set():
        try:
            action()
        except Exception:
            recorder.error(name, traceback.format_exc())
        recorder.count(name)
        next_at += interval_s
        stop.wait(max(0.0, next_at - time.monotonic()))


def write_progress_in_process(
    database: str, job_id: str, duration_s: float, writes_per_s: int, results: multiprocessing.Queue[tuple[str, str]]
) -> None:
    """Report progress on `job_id` from a separate process, as a worker does, and put the outcome on `results`."""
    store = JobStore(Path(database))
    writes = 0
    errors: list[str] = []
    interval = 1.0 / writes_per_s
    deadline = time.monotonic() + duration_s
    next_at = time.monotonic()
    try:
        while time.monotonic() < deadline:
            writes += 1
            try:
                checkpoint = None
                if writes % CHECKPOINT_EVERY_WRITES == 0:
                    checkpoint = {"key": [writes], "offset": writes * 10, "rows": writes}
                if store.report_progress(job_id, writes, writes * 10, checkpoint=checkpoint):
                    errors.append(f"report_progress asked the worker to stop at write {writes}")
            except Exception:
                errors.append(traceback.format_exc())
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))
    finally:
        store.close()
        results.put(("writes", str(writes)))
        for error in errors:
            results.put(("error", error))
        results.put(("done", ""))


def start_running_job(ctx: Context, instance: str) -> Job:
    """Queue and claim a job, and give it a `.part` file as a worker would."""
    job = actions.submit(ctx, actions.new_spec(DEMO_SOURCE, ("airlines",), profile="utf8"))
    claimed = ctx.store.claim_next(instance)
    assert claimed is not None
    assert claimed.id == job.id
    writer = ctx.storage.open_writer(job.owner, job.id, job.file_name)
    writer.write(b"carrier,name\n")
    writer.sync()
    writer.close()
    return claimed


class ProgressWriter:
    """Report progress on one running job from a thread, with a checkpoint now and then."""

    def __init__(self, store: JobStore, job_id: str, recorder: Recorder) -> None:
        self._store = store
        self._job_id = job_id
        self._recorder = recorder
        self.rows = 0

    def write(self) -> None:
        self.rows += 1
        checkpoint = None
        if self.rows % CHECKPOINT_EVERY_WRITES == 0:
            checkpoint = {"key": [self.rows], "offset": self.rows * 10, "rows": self.rows}
        if self._store.report_progress(self._job_id, self.rows, self.rows * 10, checkpoint=checkpoint):
            self._recorder.error("progress writer", f"report_progress asked the worker to stop at row {self.rows}")


class ListReader:
    """List the owner's jobs and check that the watched job's progress never goes back."""

    def __init__(self, ctx: Context, watched_id: str, recorder: Recorder) -> None:
        self._ctx = ctx
        self._watched_id = watched_id
        self._recorder = recorder
        self._last_rows = 0

    def read(self) -> None:
        jobs = {job.id: job for job in self._ctx.store.list(self._ctx.owner)}
        watched = jobs.get(self._watched_id)
        if watched is None or watched.state is not JobState.RUNNING:
            self._recorder.error("reader", f"watched job is {watched and watched.state.value}, not running")
            return
        if watched.rows_done < self._last_rows:
            self._recorder.error("reader", f"rows_done went back from {self._last_rows} to {watched.rows_done}")
        self._last_rows = watched.rows_done


class Churn:
    """Create small ready jobs and remove old ones, as the window and its workers do.

    Each step queues one job, runs the job queued in the previous step (claim, write the
    file, finish), and removes the oldest ended jobs beyond `CHURN_JOBS_KEPT`. A job's
    folder is created a step after its row, as a worker process starts after the claim.
    """

    def __init__(self, ctx: Context, recorder: Recorder) -> None:
        self._ctx = ctx
        self._recorder = recorder
        self._queued: list[str] = []
        self._ended: list[str] = []
        self.created = 0
        self.finished = 0
        self.removed = 0

    def step(self) -> None:
        if self._queued:
            self._run(self._queued.pop(0))
        retention = SHORT_RETENTION_S if self.created % 2 else LONG_RETENTION_S
        spec = actions.new_spec(DEMO_SOURCE, ("airlines",), profile="utf8", retention_s=retention)
        self._queued.append(actions.submit(self._ctx, spec).id)
        self.created += 1
        while len(self._ended) > CHURN_JOBS_KEPT:
            actions.remove(self._ctx, self._ended.pop(0))
            self.removed += 1

    def _run(self, job_id: str) -> None:
        claimed = self._ctx.store.claim_next("churn-instance")
        if claimed is None or claimed.id != job_id:
            self._recorder.error("churn", f"claimed {claimed and claimed.id} instead of {job_id}")
            return
        content = f"carrier,name\nC{self.created},Churn airline {self.created}\n".encode()
        with self._ctx.storage.open_writer(claimed.owner, claimed.id, claimed.file_name) as writer:
            writer.write(content)
            sha256 = writer.finish()
        self._ctx.store.finish_ready(claimed.id, 1, len(content), sha256)
        self._ended.append(claimed.id)
        self.finished += 1


class Sweeper:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self.reports: list[SweepReport] = []

    def sweep(self) -> None:
        self.reports.append(sweep(self._ctx.store, self._ctx.storage))


def planned_calls(rate_per_s: float) -> int:
    return int(STRESS_DURATION_S * rate_per_s)


def test_job_table_under_concurrent_load(ctx: Context) -> None:
    recorder = Recorder()
    in_thread = start_running_job(ctx, "thread-worker")
    in_process = start_running_job(ctx, "process-worker")

    spawn = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[str, str]] = spawn.Queue()
    process = spawn.Process(
        target=write_progress_in_process,
        args=(str(ctx.paths.database), in_process.id, STRESS_DURATION_S, PROGRESS_WRITES_PER_S, results),
        name="progress-writer-process",
    )
    writer = ProgressWriter(ctx.store, in_thread.id, recorder)
    reader = ListReader(ctx, in_thread.id, recorder)
    # Removals and sweeps run at the same time, as they do in the app.
    churn = Churn(ctx, recorder)
    sweeper = Sweeper(ctx)
    stop = threading.Event()
    loops = [
        ("progress writer", 1.0 / PROGRESS_WRITES_PER_S, writer.write),
        ("reader", 1.0 / LIST_READS_PER_S, reader.read),
        ("sweeper", SWEEP_INTERVAL_S, sweeper.sweep),
        ("churn", CHURN_INTERVAL_S, churn.step),
    ]
    threads = [
        threading.Thread(target=run_paced, args=(name, interval, action, stop, recorder), name=name)
        for name, interval, action in loops
    ]

    process.start()
    try:
        for thread in threads:
            thread.start()
        # The threads run for the stress period; the stop event is the only thing to wait on.
        stop.wait(STRESS_DURATION_S)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        process.join(timeout=STRESS_DURATION_S + PROCESS_START_TIMEOUT_S)
        if process.is_alive():
            process.kill()
            process.join()

    process_writes = 0
    process_done = False
    while not process_done:
        try:
            kind, text = results.get(timeout=5)
        except Empty:
            recorder.error("writer process", "sent no result")
            break
        if kind == "writes":
            process_writes = int(text)
        elif kind == "error":
            recorder.error("writer process", text)
        else:
            process_done = True
    results.close()
    results.join_thread()

    print(f"calls: {recorder.calls}, writer process: {process_writes}")
    print(f"churn: created {churn.created}, finished {churn.finished}, removed {churn.removed}")
    print(f"sweeps: {len(sweeper.reports)}, expired {sum(len(r.expired) for r in sweeper.reports)}")
    assert recorder.errors == [], "\n".join(recorder.errors)
    assert process.exitcode == 0

    # Each loop must have done real work, or the test proves nothing.
    assert recorder.calls["progress writer"] >= MIN_SHARE_OF_PLANNED_CALLS * planned_calls(PROGRESS_WRITES_PER_S)
    assert process_writes >= MIN_SHARE_OF_PLANNED_CALLS * planned_calls(PROGRESS_WRITES_PER_S)
    assert recorder.calls["reader"] >= MIN_SHARE_OF_PLANNED_CALLS * planned_calls(LIST_READS_PER_S)
    assert recorder.calls["sweeper"] >= MIN_SHARE_OF_PLANNED_CALLS * planned_calls(1.0 / SWEEP_INTERVAL_S)
    assert churn.finished >= MIN_SHARE_OF_PLANNED_CALLS * planned_calls(1.0 / CHURN_INTERVAL_S) - 1
    assert churn.removed > 0
    assert sum(len(report.expired) for report in sweeper.reports) > 0

    # The last progress each writer reported is what the table holds.
    thread_job = ctx.store.get(ctx.owner, in_thread.id)
    process_job = ctx.store.get(ctx.owner, in_process.id)
    assert thread_job.state is JobState.RUNNING
    assert thread_job.rows_done == writer.rows
    assert process_job.state is JobState.RUNNING
    assert process_job.rows_done == process_writes

    assert_table_matches_storage(ctx, running={in_thread.id, in_process.id})


def assert_table_matches_storage(ctx: Context, running: set[str]) -> None:
    """Check every job against its folder: ready jobs have their file, running ones their `.part`."""
    jobs = {job.id: job for job in ctx.store.engine_jobs_in(*JobState)}
    folders = {job_id: folder for job_id, folder in ctx.storage.job_folders()}
    for job_id, folder in folders.items():
        assert job_id in jobs, f"folder {folder} has no job"
    for job in jobs.values():
        folder = ctx.storage.job_dir(job.owner, job.id)
        if job.state is JobState.READY:
            assert sorted(p.name for p in folder.iterdir()) == [job.file_name], job.id
        elif job.id in running:
            assert job.state is JobState.RUNNING
            assert sorted(p.name for p in folder.iterdir()) == [job.file_name + PART_SUFFIX], job.id
        elif job.state.is_active:
            # A job the churn queued in its last step has no folder yet.
            assert job.state is JobState.QUEUED, job.id
            assert not folder.exists(), job.id
        else:
            assert not folder.exists(), f"{job.state.value} job {job.id} keeps {folder}"


def make_ready_job(ctx: Context) -> Job:
    job = actions.submit(ctx, actions.new_spec(DEMO_SOURCE, ("airlines",), profile="utf8"))
    claimed = ctx.store.claim_next("instance")
    assert claimed is not None
    content = b"carrier,name\nAA,American Airlines Inc.\n"
    with ctx.storage.open_writer(job.owner, job.id, job.file_name) as writer:
        writer.write(content)
        sha256 = writer.finish()
    return ctx.store.finish_ready(job.id, 1, len(content), sha256)


def assert_ready_with_file(ctx: Context, job: Job) -> None:
    assert ctx.store.get(ctx.owner, job.id).state is JobState.READY
    assert ctx.storage.artifact_path(job.owner, job.id, job.file_name).is_file()


def test_sweep_survives_remove_after_reading_jobs(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    removed = make_ready_job(ctx)
    untouched = make_ready_job(ctx)
    read_jobs = ctx.store.engine_jobs_in
    done: list[str] = []

    def read_then_remove(*states: JobState) -> list[Job]:
        jobs = read_jobs(*states)
        if states == (JobState.READY,) and not done:
            actions.remove(ctx, removed.id)
            done.append(removed.id)
        return jobs

    monkeypatch.setattr(ctx.store, "engine_jobs_in", read_then_remove)
    report = sweep(ctx.store, ctx.storage)

    assert done == [removed.id]
    assert removed.id not in report.missing
    assert_ready_with_file(ctx, untouched)


def test_sweep_survives_remove_during_folder_scan(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    removed = make_ready_job(ctx)
    untouched = make_ready_job(ctx)
    removed_folder = ctx.storage.job_dir(removed.owner, removed.id)
    is_symlink = Path.is_symlink
    done: list[str] = []

    def check_then_remove(path: Path) -> bool:
        result = is_symlink(path)
        if path == removed_folder and not done:
            actions.remove(ctx, removed.id)
            done.append(removed.id)
        return result

    monkeypatch.setattr(Path, "is_symlink", check_then_remove)
    sweep(ctx.store, ctx.storage)

    assert done == [removed.id]
    assert_ready_with_file(ctx, untouched)


def test_remove_survives_sweep_deleting_folder(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    # A failed job whose folder was left behind: the sweep deletes such folders.
    job = actions.submit(ctx, actions.new_spec(DEMO_SOURCE, ("airlines",), profile="utf8"))
    ctx.store.claim_next("instance")
    ctx.store.fail(job.id, ErrorCode.INTERNAL)
    folder = ctx.storage.job_dir(job.owner, job.id)
    folder.mkdir(parents=True)
    (folder / (job.file_name + PART_SUFFIX)).write_bytes(b"carrier,name\n")
    exists = Path.exists
    reports: list[SweepReport] = []

    def check_then_sweep(path: Path) -> bool:
        result = exists(path)
        if path == folder and not reports:
            reports.append(sweep(ctx.store, ctx.storage))
        return result

    monkeypatch.setattr(Path, "exists", check_then_sweep)
    actions.remove(ctx, job.id)

    assert reports[0].folders_deleted == [job.id]
    assert ctx.store.engine_all_ids() == set()


def test_sweep_keeps_folder_of_new_job(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    list_folders = ctx.storage.job_folders
    started: list[Job] = []

    def start_job_then_list() -> list[tuple[str, Path]]:
        if not started:
            started.append(start_running_job(ctx, "instance"))
        return list_folders()

    monkeypatch.setattr(ctx.storage, "job_folders", start_job_then_list)
    report = sweep(ctx.store, ctx.storage)

    job = started[0]
    part = ctx.storage.artifact_path(job.owner, job.id, job.file_name + PART_SUFFIX)
    assert report.orphans_deleted == []
    assert part.is_file()
