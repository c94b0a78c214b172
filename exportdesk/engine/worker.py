"""Worker process entry point: `python -m exportdesk.engine.worker --data-dir DIR --job ID`.

The worker runs one job that the dispatcher has already moved to running. A thread renews
the heartbeat every `HEARTBEAT_S` seconds, so a long call into the database (a COUNT over a
big table) does not make the lease look stale. Any exception that escapes the runner is a
bug: it is logged with its traceback and the job fails with the internal-error message.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from pathlib import Path

from exportdesk.credentials import read_secrets_from
from exportdesk.engine.runner import run_job
from exportdesk.jobs import ErrorCode, JobState
from exportdesk.logs import setup_logging
from exportdesk.storage import Storage
from exportdesk.store import JobStore
from exportdesk.context import Paths

log = logging.getLogger(__name__)

HEARTBEAT_S = 2.0


def _heartbeat(store: JobStore, job_id: str, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_S):
        store.renew_heartbeat(job_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exportdesk-worker")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--job", required=True)
    parser.add_argument("--secrets-stdin", action="store_true", help="read session secrets as JSON from stdin")
    parser.add_argument("--log-dir", type=Path, help="folder for worker.log (default: <data-dir>/logs)")
    args = parser.parse_args(argv)
    if args.secrets_stdin:
        read_secrets_from(sys.stdin)

    paths = Paths(args.data_dir, args.log_dir)
    setup_logging(paths.logs, "worker.log", job_id=args.job)
    store = JobStore(paths.database)
    storage = Storage(paths.exports)
    job = store.engine_get(args.job)
    if job.state is not JobState.RUNNING:
        log.warning("Job %s: worker started but the job is %s; nothing to do", job.id, job.state.value)
        return 0

    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(store, job.id, stop), daemon=True)
    beat.start()
    try:
        run_job(store, storage, job, paths.data_dir)
    except Exception:
        log.exception("Job %s: unexpected error in the worker", job.id)
        storage.delete_job_files(job.owner, job.id)
        if store.engine_get(job.id).state is JobState.RUNNING:
            store.fail(job.id, ErrorCode.INTERNAL)
        return 1
    finally:
        stop.set()
        beat.join()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
