"""Start a worker process for a running job, wait for it, and settle what it left undone.

A worker that exits while its job is still running has crashed or been killed: the job is
settled by `recovery.settle_interrupted` (resumed, started over, or failed after too many
attempts). A worker that does not stop within `CANCEL_GRACE_S` of a cancel request is killed.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from exportdesk.context import Paths
from exportdesk.credentials import session_secrets
from exportdesk.engine.recovery import settle_interrupted
from exportdesk.jobs import Job, JobState
from exportdesk.sources import secret_ref_of
from exportdesk.storage import Storage
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

POLL_S = 0.2
CANCEL_GRACE_S = 1.0


# Workers left to finish on their own. Holding them keeps Popen from warning that a child
# still runs when it is garbage-collected, and lets `reap_detached` collect their exit status.
_detached: list[subprocess.Popen[bytes]] = []
_detached_lock = threading.Lock()


def reap_detached() -> None:
    """Collect the exit status of detached workers that have ended, so none stays a zombie."""
    with _detached_lock:
        _detached[:] = [process for process in _detached if process.poll() is None]


def worker_command(data_dir: Path, job_id: str, log_dir: Path | None = None) -> list[str]:
    arguments = ["--data-dir", str(data_dir), "--job", job_id, "--secrets-stdin"]
    if log_dir is not None:
        arguments += ["--log-dir", str(log_dir)]
    # A frozen bundle has no `-m`: packaging/exportdesk_entry.py runs the worker for `--worker`.
    if getattr(sys, "frozen", False):
        return [sys.executable, "--worker", *arguments]
    return [sys.executable, "-m", "exportdesk.engine.worker", *arguments]


def _secrets_for(job: Job) -> bytes:
    """Collect the session-only secrets the job's source needs, as JSON for the worker's stdin."""
    ref = secret_ref_of(job.spec.source)
    return json.dumps(session_secrets([ref] if ref else [])).encode()


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    # The worker has no window: keep it from loading a Qt platform plugin if anything imports Qt.
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def supervise(
    paths: Paths, store: JobStore, storage: Storage, job: Job, detach: threading.Event | None = None
) -> Job | None:
    """Run `job` (already running under this instance's lease) in a worker; return its end state.

    When `detach` is set, stop waiting and return None: the worker goes on and ends the job
    by itself, and if it dies meanwhile, recovery settles the job later.
    """
    reap_detached()
    paths.logs.mkdir(mode=0o700, parents=True, exist_ok=True)
    stderr_path = paths.logs / "worker-stderr.log"
    with open(os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "ab") as stderr:
        process = subprocess.Popen(
            worker_command(paths.data_dir, job.id, paths.log_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=_worker_env(),
            # Its own session, so a Ctrl+C or a closed terminal that ends this process does
            # not also stop a worker that should finish its job.
            start_new_session=True,
        )
    assert process.stdin is not None
    try:
        process.stdin.write(_secrets_for(job))
        process.stdin.close()
    except BrokenPipeError:
        pass  # the worker died at once; the wait below settles the job
    store.set_lease_pid(job.id, process.pid)
    log.info("Job %s: worker %d started", job.id, process.pid)

    cancel_seen_at: float | None = None
    while True:
        try:
            returncode = process.wait(timeout=POLL_S)
            break
        except subprocess.TimeoutExpired:
            pass
        if detach is not None and detach.is_set():
            log.info("Job %s: no longer supervised; worker %d finishes it by itself", job.id, process.pid)
            with _detached_lock:
                _detached.append(process)
            return None
        if cancel_seen_at is None:
            if store.engine_get(job.id).cancel_requested:
                cancel_seen_at = time.monotonic()
        elif time.monotonic() - cancel_seen_at > CANCEL_GRACE_S:
            log.warning("Job %s: worker %d did not stop after cancel; killing it", job.id, process.pid)
            process.kill()

    current = store.engine_get(job.id)
    if current.state is not JobState.RUNNING:
        log.info("Job %s: worker %d exited with %d, job %s", job.id, process.pid, returncode, current.state.value)
        return current

    log.error("Job %s: worker %d exited with %d while the job was running", job.id, process.pid, returncode)
    return settle_interrupted(store, storage, current)
