"""A CLI export from a real Datasette server, its worker SIGKILLed mid-way and resumed by `wait`.

The resumed file must equal an uninterrupted export byte for byte, and Datasette's access log
must show that the resumed run requested the page after the last checkpoint, never page 1.
"""

from __future__ import annotations

import json
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from exportdesk.context import Context
from exportdesk.jobs import Job, JobState
from tests.integration.test_crash_harness import (
    file_sha256,
    kill_process,
    kill_worker,
    wait_for_exit,
    wait_until,
)
from tests.integration.test_http_source import (
    forward_lines,
    free_port,
    make_shop,
    wait_for_line,
)

ROWS = 20_000
PAGE_SIZE = 1000
# Spaces the pages of the interrupted run, so it is still running when its first checkpoints
# are committed: 20 pages take about 2.5 s.
RATE_LIMIT_PER_S = 8.0
CLI_TIMEOUT_S = 120.0
ACCESS_LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3})')


class Datasette:
    """A running Datasette and the request paths of its access log, in order."""

    def __init__(self, base_url: str, lines: queue.Queue[str | None]) -> None:
        self.base_url = base_url
        self._lines = lines
        self.requests: list[str] = []

    def collect(self) -> list[str]:
        """Move the access log lines that arrived so far into `requests` and return them all."""
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                return self.requests
            match = ACCESS_LINE.search(line or "")
            if match:
                self.requests.append(match.group(1))


@pytest.fixture
def datasette(tmp_path: Path) -> Iterator[Datasette]:
    pytest.importorskip("datasette")
    database = tmp_path / "shop.db"
    make_shop(database, ROWS)
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(database), "-h", "127.0.0.1", "-p", str(port)]
    # Uvicorn writes its access log to stdout and its start-up lines to stderr.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines: queue.Queue[str | None] = queue.Queue()
    forwarder = threading.Thread(target=forward_lines, args=(process.stdout, lines), daemon=True)
    forwarder.start()
    try:
        wait_for_line(lines, "Uvicorn running on", timeout_s=30)
        yield Datasette(f"http://127.0.0.1:{port}", lines)
    finally:
        process.terminate()
        process.wait(timeout=10)
        forwarder.join(timeout=10)
        process.stdout.close()


def source_string(base_url: str, rate_limit_per_s: float = 0.0) -> str:
    config = {
        "base_url": base_url,
        "endpoints": {"orders": "/shop/orders.json?_shape=objects"},
        "pagination": "next_url",
        "next_url_path": "next_url",
        "records_path": "rows",
        "total_path": "filtered_table_rows_count",
        "page_size": PAGE_SIZE,
        "page_size_param": "_size",
        "rate_limit_per_s": rate_limit_per_s,
    }
    return "http+json:" + json.dumps(config)


def run_cli(data_dir: Path, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "exportdesk.cli", "--data-dir", str(data_dir), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=CLI_TIMEOUT_S)
    return process.returncode, stdout, stderr


def export_arguments(source: str) -> list[str]:
    return ["export", "--source", source, "--table", "orders", "--format", "csv", "--profile", "utf8", "--wait", "--json"]


def page_after(path: str) -> int | None:
    """Return the `_next` token of a Datasette page request (the last id of the previous page)."""
    tokens = parse_qs(urlsplit(path).query).get("_next")
    return int(tokens[0]) if tokens else None


def test_killed_worker_resumes_after_checkpoint(datasette: Datasette, tmp_path: Path) -> None:
    returncode, stdout, stderr = finish(run_cli(tmp_path / "reference", *export_arguments(source_string(datasette.base_url))))
    assert returncode == 0, stderr
    reference = json.loads(stdout)
    assert reference["rows"] == ROWS

    data_dir = tmp_path / "data"
    app = run_cli(data_dir, *export_arguments(source_string(datasette.base_url, RATE_LIMIT_PER_S)))
    ctx = Context(data_dir)
    try:
        checkpointed: list[Job] = []

        def pages_checkpointed() -> bool:
            jobs = ctx.store.list(ctx.owner)
            job = jobs[0] if jobs else None
            if job is not None and job.checkpoint is not None and job.checkpoint["rows"] >= 3 * PAGE_SIZE:
                checkpointed.append(job)
                return True
            assert app.poll() is None, "the export ended before three pages were checkpointed"
            return False

        wait_until(pages_checkpointed, timeout=CLI_TIMEOUT_S, description="a checkpoint after three pages")
        job = checkpointed[-1]
        assert job.lease_pid is not None
        # The CLI would run the job on by itself, so it goes first and `wait` resumes the job.
        kill_process(app)
        finish(app)
        assert kill_worker(job.lease_pid, job.id)
        wait_for_exit(job.lease_pid, timeout=CLI_TIMEOUT_S)

        interrupted = ctx.store.get(ctx.owner, job.id)
        assert interrupted.state is JobState.RUNNING
        checkpoint: dict[str, Any] = interrupted.checkpoint or {}
        assert ROWS > checkpoint["rows"] >= 3 * PAGE_SIZE
        resume_token = page_after(checkpoint["key"][0])
        assert resume_token == checkpoint["rows"]
        requests_before = len(datasette.collect())

        returncode, stdout, stderr = finish(run_cli(data_dir, "wait", job.id, "--json"))
        assert returncode == 0, stderr
        resumed = json.loads(stdout)
        ended = ctx.store.get(ctx.owner, job.id)
        artifact = ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name)
    finally:
        kill_process(app)
        ctx.close()

    assert resumed["state"] == "ready"
    assert ended.state is JobState.READY
    assert ended.rows_done == ROWS
    assert ended.sha256 == reference["sha256"]
    assert file_sha256(artifact) == reference["sha256"]

    # Every page request after the kill continues after the checkpoint, and none starts at page 1.
    # A request of the killed worker that was still in flight may be logged here too, and it
    # also requests a page after the checkpoint.
    later_pages = [page_after(path) for path in datasette.collect()[requests_before:] if "/shop/orders.json" in path]
    assert None not in later_pages
    assert resume_token in later_pages
    assert min(token for token in later_pages if token is not None) == resume_token
    assert ROWS - PAGE_SIZE in later_pages
