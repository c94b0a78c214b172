"""Crash harness: a real CLI export of the demo `flights` table, SIGKILLed at a random moment.

Each trial starts `exportdesk export --wait`, kills the worker, the CLI or both at a moment
drawn uniformly from the length of an uninterrupted run, then runs `exportdesk wait JOB` to
the end. Whatever was killed, the job must end ready with the bytes of an uninterrupted
export, or failed with a message for the user, and storage must hold the artifact only.

Every trial prints `seed=N`. To replay a failed trial, set `EXPORTDESK_CRASH_SEED=N` and
select that trial with `-k`; every trial of the run then uses that seed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from exportdesk import formats
from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.instance import InstanceLock
from exportdesk.engine.recovery import MAX_ATTEMPTS
from exportdesk.jobs import ErrorCode, Job, JobSpec, JobState
from exportdesk.messages import job_message
from exportdesk.sources import demo
from exportdesk.storage import FAULT_ENV, PART_SUFFIX

SEED_ENV = "EXPORTDESK_CRASH_SEED"
TRIALS_PER_FORMAT = 20
HARNESS_FORMATS = ("csv", "jsonl")
KILL_TARGETS = ("worker", "app", "both")
FLIGHTS_ROWS = 336_776
# Deadline for one CLI run. An uninterrupted flights export took about 3 s (csv) and 5 s
# (jsonl) on a 2-core machine, but a job left running without a worker pid is only settled
# once its lease is 30 s old.
CLI_TIMEOUT_S = 120.0
POLL_INTERVAL_S = 0.02


@dataclasses.dataclass(frozen=True)
class Reference:
    """The outcome of an uninterrupted CLI export of `flights` in one format."""

    sha256: str
    duration_s: float
    file_name: str


@dataclasses.dataclass
class Bench:
    """A data folder that the trials of one format share, one job at a time."""

    export_format: str
    data_dir: Path
    ctx: Context


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, description: str = "condition") -> None:
    """Poll the job table (or /proc), which offer no change notification, until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {description}")
        time.sleep(POLL_INTERVAL_S)


def wait_for_exit(pid: int, timeout: float) -> None:
    """Block until the process `pid` terminates, whether or not it is a child of this process."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    try:
        readable, _, _ = select.select([fd], [], [], timeout)
    finally:
        os.close(fd)
    if not readable:
        raise AssertionError(f"timed out after {timeout} s waiting for process {pid} to exit")


def trial_seed() -> int:
    configured = os.environ.get(SEED_ENV)
    if configured:
        return int(configured)
    return random.SystemRandom().randrange(2**32)


def cli_env(fault: str | None = None) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != FAULT_ENV}
    if fault is not None:
        env[FAULT_ENV] = fault
    return env


def start_cli(data_dir: Path, *arguments: str, fault: str | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), *arguments],
        env=cli_env(fault),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_export(data_dir: Path, export_format: str, fault: str | None = None) -> subprocess.Popen[str]:
    return start_cli(
        data_dir,
        "export",
        "--source",
        "demo",
        "--table",
        "flights",
        "--format",
        export_format,
        "--profile",
        "utf8",
        "--wait",
        "--json",
        fault=fault,
    )


def finish_cli(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    """Wait for a CLI process and return its exit code, stdout and stderr."""
    try:
        stdout, stderr = process.communicate(timeout=CLI_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError(f"the CLI timed out after {CLI_TIMEOUT_S} s, stderr:\n{stderr}") from None
    return process.returncode, stdout, stderr


def run_wait(data_dir: Path, job_id: str) -> tuple[int, dict[str, Any], str]:
    """Run `exportdesk wait JOB --json` to its end and return the exit code, the JSON and stderr."""
    returncode, stdout, stderr = finish_cli(start_cli(data_dir, "wait", job_id, "--json"))
    assert stdout.strip(), f"wait printed nothing (exit {returncode}); stderr:\n{stderr}"
    return returncode, json.loads(stdout), stderr


def kill_process(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)


def runs_worker_of(pid: int, job_id: str) -> bool:
    """Tell whether `pid` is a worker process of this job, so a reused pid is never killed."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            arguments = handle.read().split(b"\0")
    except OSError:
        return False
    return b"exportdesk.engine.worker" in arguments and job_id.encode() in arguments


def kill_worker(pid: int, job_id: str) -> bool:
    """Send SIGKILL to the job's worker process and return False if it had already exited."""
    if not runs_worker_of(pid, job_id):
        return False
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def only_job(ctx: Context) -> Job | None:
    jobs = ctx.store.list(ctx.owner)
    assert len(jobs) <= 1, f"expected at most one job, found {[(j.id, j.state.value) for j in jobs]}"
    return jobs[0] if jobs else None


def wait_for_worker_pid(ctx: Context, app: subprocess.Popen[str]) -> tuple[Job | None, int | None]:
    """Poll until the CLI's job runs under a worker pid and return (job, pid).

    The pid is None when the CLI exited first, and the job is None when it never queued one.
    """
    found: list[tuple[Job | None, int | None]] = []

    def worker_known() -> bool:
        job = only_job(ctx)
        if job is not None and job.state is JobState.RUNNING and job.lease_pid is not None:
            found.append((job, job.lease_pid))
            return True
        if app.poll() is not None:
            found.append((only_job(ctx), None))
            return True
        return False

    wait_until(worker_known, description="a worker pid for the job")
    return found[-1]


def export_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """List every file and every folder under `<data-dir>/exports`, sorted."""
    root = data_dir / "exports"
    entries = sorted(root.rglob("*")) if root.exists() else []
    return [p for p in entries if not p.is_dir()], [p for p in entries if p.is_dir()]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def remove_ended_jobs(ctx: Context) -> None:
    for job in ctx.store.list(ctx.owner):
        actions.remove(ctx, job.id)


def flights_spec(export_format: str) -> JobSpec:
    return actions.new_spec(demo.DEMO_SOURCE, ("flights",), profile="utf8", format_name=export_format)


def assert_ended_cleanly(bench: Bench, job_id: str, reference: Reference) -> Job:
    """Check the end state every trial must reach: ready with the reference bytes, or failed with a message."""
    ctx = bench.ctx
    ended = ctx.store.get(ctx.owner, job_id)
    assert ctx.store.engine_jobs_in(JobState.QUEUED, JobState.RUNNING) == []

    files, folders = export_files(bench.data_dir)
    assert [p for p in files if p.name.endswith(PART_SUFFIX)] == []
    owner_dir = ctx.storage.owner_dir(ctx.owner)
    if ended.state is JobState.READY:
        artifact = ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name)
        assert ended.sha256 == reference.sha256
        assert ended.rows_done == FLIGHTS_ROWS
        assert ended.file_name == reference.file_name
        assert files == [artifact]
        assert file_sha256(artifact) == reference.sha256
        assert folders == [owner_dir, artifact.parent]
    else:
        assert ended.state is JobState.FAILED
        assert job_message(ended) != ""
        assert files == []
        assert set(folders) <= {owner_dir}
    return ended


def copy_demo_database(template: Path, data_dir: Path) -> None:
    target = demo.demo_database_path(data_dir)
    target.parent.mkdir(parents=True)
    shutil.copyfile(template, target)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the demo database once; each data folder of this module gets a copy."""
    return demo.ensure_demo_database(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture(scope="module", params=HARNESS_FORMATS)
def export_format(request: pytest.FixtureRequest) -> str:
    name = str(request.param)
    if name not in formats.FORMATS:
        pytest.skip(f"format {name!r} is not in exportdesk.formats.FORMATS yet")
    return name


@pytest.fixture(scope="module")
def reference(
    export_format: str, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Reference:
    """Export `flights` once without interruption, timing the whole CLI run."""
    data_dir = tmp_path_factory.mktemp(f"reference-{export_format}") / "data"
    copy_demo_database(demo_template, data_dir)
    started = time.monotonic()
    returncode, stdout, stderr = finish_cli(start_export(data_dir, export_format))
    duration = time.monotonic() - started
    assert returncode == 0, stderr
    job = json.loads(stdout)
    assert job["state"] == "ready"
    assert job["rows"] == FLIGHTS_ROWS
    files, _ = export_files(data_dir)
    assert len(files) == 1
    assert file_sha256(files[0]) == job["sha256"]
    return Reference(sha256=job["sha256"], duration_s=duration, file_name=job["file_name"])


@pytest.fixture(scope="module")
def bench(
    export_format: str, demo_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Bench]:
    data_dir = tmp_path_factory.mktemp(f"trials-{export_format}") / "data"
    copy_demo_database(demo_template, data_dir)
    context = Context(data_dir)
    yield Bench(export_format, data_dir, context)
    context.close()


@pytest.fixture
def clean_bench(bench: Bench) -> Bench:
    """Remove the previous trial's job, so each trial starts with an empty job table and storage."""
    remove_ended_jobs(bench.ctx)
    files, _ = export_files(bench.data_dir)
    assert files == []
    return bench


@pytest.mark.parametrize("trial", range(TRIALS_PER_FORMAT))
def test_random_kill_then_wait(clean_bench: Bench, reference: Reference, trial: int) -> None:
    seed = trial_seed()
    print(f"seed={seed}")
    rng = random.Random(seed)
    target = rng.choice(KILL_TARGETS)
    delay_s = rng.uniform(0.0, reference.duration_s)
    print(f"kill {target} {delay_s:.3f} s after the export started")
    ctx = clean_bench.ctx

    app = start_export(clean_bench.data_dir, clean_bench.export_format)
    try:
        # The kill moment is drawn, not awaited, so a plain sleep is the right wait.
        time.sleep(delay_s)
        if target == "app":
            kill_process(app)
        else:
            job, pid = wait_for_worker_pid(ctx, app)
            if target == "both":
                kill_process(app)
            if job is not None and pid is not None:
                print(f"worker {pid} killed: {kill_worker(pid, job.id)}")
    except BaseException:
        kill_process(app)
        raise
    finally:
        # With only its worker killed, the CLI settles the job itself and runs it to the end.
        returncode, _, stderr = finish_cli(app)
    if target == "worker":
        assert returncode in (0, 1), stderr

    job = only_job(ctx)
    if job is None:
        # The CLI died before it queued the job: nothing may be left behind.
        files, folders = export_files(clean_bench.data_dir)
        assert files == []
        assert set(folders) <= {ctx.storage.owner_dir(ctx.owner)}
        print("the CLI was killed before the job was queued")
        return

    returncode, printed, stderr = run_wait(clean_bench.data_dir, job.id)
    ended = assert_ended_cleanly(clean_bench, job.id, reference)
    assert printed["state"] == ended.state.value
    assert printed["message"] == job_message(ended)
    assert returncode == (0 if ended.state is JobState.READY else 1), stderr
    print(f"ended {ended.state.value} after {ended.attempts} attempts")


def test_wait_killed_while_queued(clean_bench: Bench, reference: Reference) -> None:
    """A `wait` killed before the job is claimed leaves it queued, and the next `wait` runs it."""
    ctx = clean_bench.ctx
    job = actions.submit(ctx, flights_spec(clean_bench.export_format))
    database = ctx.paths.database.resolve()

    # Holding the engine lock keeps the first `wait` from claiming the job.
    lock = InstanceLock(clean_bench.data_dir)
    assert lock.acquire()
    try:
        waiter = start_cli(clean_bench.data_dir, "wait", job.id, "--json")
        try:

            def database_opened() -> bool:
                fd_dir = Path(f"/proc/{waiter.pid}/fd")
                try:
                    return any(os.path.realpath(fd_dir / fd) == str(database) for fd in os.listdir(fd_dir))
                except OSError:
                    return False

            wait_until(database_opened, description="the wait process to open the job table")
        finally:
            kill_process(waiter)
            finish_cli(waiter)
        queued = ctx.store.get(ctx.owner, job.id)
        assert queued.state is JobState.QUEUED
        assert queued.attempts == 0
    finally:
        lock.release()

    returncode, printed, stderr = run_wait(clean_bench.data_dir, job.id)
    assert returncode == 0, stderr
    assert printed["state"] == "ready"
    ended = assert_ended_cleanly(clean_bench, job.id, reference)
    assert ended.state is JobState.READY
    assert ended.attempts == 1


@pytest.mark.parametrize("fault", ["kill-before-rename", "kill-after-rename"])
def test_worker_killed_at_rename(clean_bench: Bench, reference: Reference, fault: str) -> None:
    """A worker that dies at the final rename is resumed by a `wait` run without the fault."""
    ctx = clean_bench.ctx
    app = start_export(clean_bench.data_dir, clean_bench.export_format, fault=fault)
    try:
        job, pid = wait_for_worker_pid(ctx, app)
    finally:
        # Without its CLI the worker runs on alone, and nothing retries it with the fault set.
        kill_process(app)
        finish_cli(app)
    assert job is not None
    assert pid is not None
    wait_for_exit(pid, timeout=CLI_TIMEOUT_S)

    interrupted = ctx.store.get(ctx.owner, job.id)
    assert interrupted.state is JobState.RUNNING
    files, _ = export_files(clean_bench.data_dir)
    final_path = ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    part_path = final_path.with_name(final_path.name + PART_SUFFIX)
    if fault == "kill-before-rename":
        assert files == [part_path]
    else:
        assert files == [final_path]

    returncode, printed, stderr = run_wait(clean_bench.data_dir, job.id)
    assert returncode == 0, stderr
    assert printed["state"] == "ready"
    assert printed["sha256"] == reference.sha256
    ended = assert_ended_cleanly(clean_bench, job.id, reference)
    assert ended.state is JobState.READY
    assert ended.attempts == 2


def test_fault_at_every_attempt_fails(clean_bench: Bench, reference: Reference) -> None:
    """A worker that dies at the rename on every attempt ends failed as interrupted, with no files."""
    app = start_export(clean_bench.data_dir, clean_bench.export_format, fault="kill-before-rename")
    returncode, stdout, stderr = finish_cli(app)
    assert returncode == 1, stderr
    printed = json.loads(stdout)
    assert printed["state"] == "failed"
    assert printed["error_code"] == ErrorCode.INTERRUPTED.value

    ended = assert_ended_cleanly(clean_bench, printed["id"], reference)
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.INTERRUPTED
    assert ended.attempts == MAX_ATTEMPTS
    assert printed["message"] == job_message(ended)
