"""Storage soak: thousands of small jobs created, downloaded and expired, with sweeps that crash.

Everything runs in this process with an injected clock, so no worker process is needed. The
sweep crashes at random calls of `shutil.rmtree` and `JobStore.expire`, before, during or
after the real call, as a killed process would stop. Later sweeps must repair what a crashed
one left, and at the end the job table and the disk must agree exactly.

The test prints `seed=N`; set `EXPORTDESK_SOAK_SEED=N` to replay a run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.retention import sweep
from exportdesk.jobs import ErrorCode, Job, JobState, Outcome
from exportdesk.sources.demo import DEMO_SOURCE
from exportdesk.storage import PART_SUFFIX

SEED_ENV = "EXPORTDESK_SOAK_SEED"
SOAK_JOBS = 2_600
MIN_EXPIRED_JOBS = 2_000
START = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.timezone.utc)
MAX_STEP_S = 2.0
MIN_RETENTION_S = 30
MAX_RETENTION_S = 600
# The clock moves on by this much after the last job, so some jobs stay ready and most expire.
FINAL_ADVANCE_S = 300
SWEEP_EVERY_JOBS = 20
CRASH_SHARE_OF_SWEEPS = 0.5
# A crash is armed at one of the first this many calls of rmtree or expire in a sweep. A
# sweep that follows 20 new jobs makes about 18 calls of each.
MAX_CRASH_CALL = 15
FAILED_SHARE = 0.04
CANCELLED_SHARE = 0.04
REMOVE_SHARE = 0.01
EXPIRED_DOWNLOADS_PER_JOB = 2
MIN_CRASHES = 20


class SimulatedCrash(BaseException):
    """A killed sweep, raised as a BaseException so that no `except Exception` in the product stops it."""


@dataclass
class ModelJob:
    """What the test expects of one job."""

    id: str
    state: JobState
    content: bytes = b""
    expires_at: dt.datetime | None = None
    removed: bool = False


CrashPoint = tuple[str, int]


class SweepFaults:
    """Crash a sweep at a chosen call of `shutil.rmtree` or `JobStore.expire`.

    A crash may come before the real call, after it, or (for rmtree) after deleting one file
    of the folder, so every partial state a killed sweep can leave is reached.
    """

    def __init__(self, ctx: Context, rng: random.Random) -> None:
        self._ctx = ctx
        self._rng = rng
        self._calls: dict[str, int] = {}
        self._crash_at: CrashPoint | None = None
        self.crashes: dict[str, int] = {}

    def _tick(self, function: str) -> bool:
        self._calls[function] = self._calls.get(function, 0) + 1
        return (function, self._calls[function]) == self._crash_at

    def _crash(self, where: str) -> SimulatedCrash:
        self.crashes[where] = self.crashes.get(where, 0) + 1
        return SimulatedCrash(where)

    def _rmtree(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def rmtree(path: str | os.PathLike[str], *args: Any, **kwargs: Any) -> Any:
            if not self._tick("rmtree"):
                return real(path, *args, **kwargs)
            mode = self._rng.choice(("before", "partial", "after"))
            if mode == "partial":
                for file in sorted(Path(path).rglob("*")):
                    if file.is_file():
                        file.unlink()
                        break
            elif mode == "after":
                real(path, *args, **kwargs)
            raise self._crash(f"rmtree {mode}")

        return rmtree

    def _expire(self, real: Callable[..., Job]) -> Callable[..., Job]:
        def expire(job_id: str, *args: Any, **kwargs: Any) -> Job:
            if not self._tick("expire"):
                return real(job_id, *args, **kwargs)
            mode = self._rng.choice(("before", "after"))
            if mode == "after":
                real(job_id, *args, **kwargs)
            raise self._crash(f"expire {mode}")

        return expire

    @contextmanager
    def armed(self, crash_at: CrashPoint | None) -> Iterator[None]:
        """Patch the calls for one sweep, crashing at `crash_at`: a function and a call number."""
        self._calls = {}
        self._crash_at = crash_at
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(shutil, "rmtree", self._rmtree(shutil.rmtree))
            patch.setattr(self._ctx.store, "expire", self._expire(self._ctx.store.expire))
            yield


class Soak:
    """Drives the job table and storage through the clock and keeps the expected model."""

    def __init__(self, ctx: Context, rng: random.Random, downloads: Path) -> None:
        self.ctx = ctx
        self.rng = rng
        self.now = START
        self.downloads = downloads
        self.jobs: dict[str, ModelJob] = {}
        self.faults = SweepFaults(ctx, rng)
        self.sweeps = 0
        self.downloaded = 0
        self.rejected_downloads = 0

    def add_job(self) -> None:
        retention = self.rng.randint(MIN_RETENTION_S, MAX_RETENTION_S)
        spec = actions.new_spec(DEMO_SOURCE, ("airlines",), profile="utf8", retention_s=retention)
        job = actions.submit(self.ctx, spec, now=self.now)
        draw = self.rng.random()
        if draw < CANCELLED_SHARE:
            self._cancel(job)
            return
        claimed = self.ctx.store.claim_next("soak", now=self.now)
        assert claimed is not None
        assert claimed.id == job.id
        if draw < CANCELLED_SHARE + FAILED_SHARE:
            self._fail(job)
            return
        content = self.rng.randbytes(self.rng.randint(1, 512))
        with self.ctx.storage.open_writer(job.owner, job.id, job.file_name) as writer:
            writer.write(content)
            sha256 = writer.finish()
        ready = self.ctx.store.finish_ready(job.id, 1, len(content), sha256, now=self.now)
        self.jobs[job.id] = ModelJob(job.id, JobState.READY, content, ready.expires_at)
        self.download_ready(self.jobs[job.id])

    def _cancel(self, job: Job) -> None:
        """Cancel while queued, or while running with a `.part` file left behind as after a crash."""
        if self.rng.random() < 0.5:
            actions.cancel(self.ctx, job.id)
        else:
            self.ctx.store.claim_next("soak", now=self.now)
            self._leave_part_file(job)
            self.ctx.store.mark_cancelled(job.id, now=self.now)
        self.jobs[job.id] = ModelJob(job.id, JobState.CANCELLED)

    def _fail(self, job: Job) -> None:
        """Fail a running job, leaving its `.part` file behind half of the time."""
        if self.rng.random() < 0.5:
            self._leave_part_file(job)
        self.ctx.store.fail(job.id, ErrorCode.INTERNAL, now=self.now)
        self.jobs[job.id] = ModelJob(job.id, JobState.FAILED)

    def _leave_part_file(self, job: Job) -> None:
        writer = self.ctx.storage.open_writer(job.owner, job.id, job.file_name)
        writer.write(b"carrier,name\n")
        writer.close()

    def download_ready(self, model: ModelJob) -> None:
        path = actions.download(self.ctx, model.id, self.downloads, now=self.now)
        assert path.read_bytes() == model.content, model.id
        self.downloaded += 1

    def check_expired_download(self, model: ModelJob) -> None:
        with pytest.raises(actions.ArtifactExpired):
            actions.download(self.ctx, model.id, self.downloads, now=self.now)
        self.rejected_downloads += 1

    def expired_jobs(self) -> list[ModelJob]:
        return [
            model
            for model in self.jobs.values()
            if not model.removed and model.expires_at is not None and model.expires_at <= self.now
        ]

    def remove_random_job(self) -> None:
        candidates = [model for model in self.jobs.values() if not model.removed]
        if not candidates:
            return
        model = self.rng.choice(candidates)
        actions.remove(self.ctx, model.id)
        model.removed = True

    def sweep(self, crash: bool) -> None:
        crash_at = None
        if crash:
            crash_at = (self.rng.choice(("rmtree", "expire")), self.rng.randint(1, MAX_CRASH_CALL))
        self.sweeps += 1
        try:
            with self.faults.armed(crash_at):
                sweep(self.ctx.store, self.ctx.storage, now=self.now)
        except SimulatedCrash:
            pass

    def step(self) -> None:
        self.now += dt.timedelta(seconds=self.rng.uniform(0.0, MAX_STEP_S))
        self.add_job()
        expired = self.expired_jobs()
        for model in self.rng.sample(expired, min(EXPIRED_DOWNLOADS_PER_JOB, len(expired))):
            self.check_expired_download(model)
        if self.rng.random() < REMOVE_SHARE:
            self.remove_random_job()
        if len(self.jobs) % SWEEP_EVERY_JOBS == 0:
            self.sweep(crash=self.rng.random() < CRASH_SHARE_OF_SWEEPS)


def seed_for_run() -> int:
    configured = os.environ.get(SEED_ENV)
    if configured:
        return int(configured)
    return random.SystemRandom().randrange(2**32)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_storage_soak_with_crashing_sweeps(ctx: Context, tmp_path: Path) -> None:
    seed = seed_for_run()
    print(f"seed={seed}")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    soak = Soak(ctx, random.Random(seed), downloads)

    for _ in range(SOAK_JOBS):
        soak.step()
    soak.now += dt.timedelta(seconds=FINAL_ADVANCE_S)
    soak.sweep(crash=False)

    crashes = sum(soak.faults.crashes.values())
    print(f"sweeps {soak.sweeps}, crashes {soak.faults.crashes}, downloads {soak.downloaded}")
    assert crashes >= MIN_CRASHES
    assert soak.downloaded >= MIN_EXPIRED_JOBS

    rows = {job.id: job for job in ctx.store.engine_jobs_in(*JobState)}
    live = {model.id: model for model in soak.jobs.values() if not model.removed}
    assert set(rows) == set(live)

    # Each row's state is the one the model predicts from the clock.
    for job_id, model in live.items():
        row = rows[job_id]
        if model.state is JobState.READY and model.expires_at is not None and model.expires_at <= soak.now:
            assert row.state is JobState.EXPIRED, job_id
            assert row.outcome is Outcome.RETENTION_ELAPSED, job_id
        else:
            assert row.state is model.state, job_id
    expired = [row for row in rows.values() if row.state is JobState.EXPIRED]
    print(f"jobs {len(rows)}, expired {len(expired)}, ready {sum(r.state is JobState.READY for r in rows.values())}")
    assert len(expired) >= MIN_EXPIRED_JOBS

    # Storage holds exactly the artifacts of ready, unexpired jobs, and nothing else.
    stored = sorted(p for p in ctx.storage.root.rglob("*") if not p.is_dir())
    expected = sorted(
        ctx.storage.artifact_path(row.owner, row.id, row.file_name)
        for row in rows.values()
        if row.state is JobState.READY
    )
    assert stored == expected
    assert [p for p in stored if p.name.endswith(PART_SUFFIX)] == []
    folders = {job_id for job_id, _ in ctx.storage.job_folders()}
    for row in rows.values():
        assert (row.id in folders) is (row.state is JobState.READY), f"{row.state.value} job {row.id}"
        if row.state is JobState.READY:
            assert row.expires_at is not None
            assert row.expires_at > soak.now

    # Every ready job downloads with its checksum; every expired one is refused.
    for row in rows.values():
        model = live[row.id]
        if row.state is JobState.READY:
            path = actions.download(ctx, row.id, downloads, now=soak.now)
            assert sha256_of(path) == row.sha256
            assert path.read_bytes() == model.content
        elif row.state is JobState.EXPIRED:
            with pytest.raises(actions.ArtifactExpired):
                actions.download(ctx, row.id, downloads, now=soak.now)
