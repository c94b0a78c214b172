"""Run one job inside a worker process: source -> writer -> artifact, with progress and cancel.

Progress is written to the job table at most every `progress_interval` seconds, never per
row, and the cancel flag is read back with each write, so a cancel stops the job between
two batches.
"""

from __future__ import annotations

import errno
import logging
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from exportdesk.formats.csv import CsvWriter, get_profile
from exportdesk.jobs import ErrorCode, ExportDeskError, Job, JobState
from exportdesk.sources import open_source
from exportdesk.sources.sql import SqlSource, SqlTableReader
from exportdesk.storage import ArtifactWriter, Storage
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
PROGRESS_INTERVAL_S = 0.1


class JobCancelled(Exception):
    pass


class _ProgressReporter:
    def __init__(
        self,
        store: JobStore,
        job_id: str,
        writer: ArtifactWriter,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._job_id = job_id
        self._writer = writer
        self._interval = interval
        self._clock = clock
        self._last = clock()
        self.rows = 0

    def add(self, rows: int) -> None:
        self.rows += rows
        if self._clock() - self._last >= self._interval:
            self.report()

    def report(self) -> None:
        self._last = self._clock()
        if self._store.report_progress(self._job_id, self.rows, self._writer.bytes_written):
            raise JobCancelled()


def _open_readers(source: SqlSource, job: Job) -> list[SqlTableReader]:
    selection = job.spec.selection
    if selection.query:
        return [source.open_query(job.spec.name or "query", selection.query)]
    if not selection.tables:
        raise ExportDeskError(ErrorCode.TABLE_NOT_FOUND, "selection names no table")
    return [source.open_table(table) for table in selection.tables]


def _estimate_rows(source: SqlSource, job: Job) -> int | None:
    selection = job.spec.selection
    if selection.query:
        return source.count_rows(query=selection.query)
    return sum(source.count_rows(table=table) or 0 for table in selection.tables)


def _write_table(reader: SqlTableReader, sink: Any, job: Job, progress: _ProgressReporter, bom: bool) -> None:
    batches = reader.batches(BATCH_ROWS)
    first = next(batches, None)
    writer = CsvWriter(sink, get_profile(job.spec.profile), write_bom=bom)
    writer.begin(reader.columns)
    if first is not None:
        writer.write_rows(first)
        progress.add(len(first))
    for batch in batches:
        writer.write_rows(batch)
        progress.add(len(batch))
    writer.end()


def _write_artifact(source: SqlSource, job: Job, out: ArtifactWriter, progress: _ProgressReporter) -> None:
    readers = _open_readers(source, job)
    profile = get_profile(job.spec.profile)
    if len(readers) == 1:
        _write_table(readers[0], out, job, progress, profile.bom)
        return
    # Several tables: one CSV per table in a ZIP. The sink cannot seek, so zipfile writes
    # data descriptors after each member instead of going back to patch headers.
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for reader in readers:
            with archive.open(f"{reader.name}.csv", mode="w", force_zip64=True) as member:
                _write_table(reader, member, job, progress, profile.bom)


def run_job(
    store: JobStore,
    storage: Storage,
    job: Job,
    data_dir: Path,
    progress_interval: float = PROGRESS_INTERVAL_S,
) -> Job:
    """Export one running job to its artifact and move it to ready, failed or cancelled."""
    if job.state is not JobState.RUNNING:
        raise ValueError(f"Job {job.id} is {job.state.value}, not running")
    started = time.monotonic()
    source: SqlSource | None = None
    try:
        source = open_source(job.spec.source, data_dir)
        with source.begin_snapshot():
            total = _estimate_rows(source, job)
            store.report_progress(job.id, 0, 0, rows_total=total)
            with storage.open_writer(job.owner, job.id, job.file_name) as out:
                progress = _ProgressReporter(store, job.id, out, progress_interval)
                _write_artifact(source, job, out, progress)
                progress.report()
                sha256 = out.finish()
        finished = store.finish_ready(job.id, progress.rows, out.bytes_written, sha256)
        log.info(
            "Job %s: wrote %d rows, %d bytes to %s in %.2f s",
            job.id, progress.rows, out.bytes_written, out.final_path, time.monotonic() - started,
        )
        return finished
    except JobCancelled:
        storage.delete_job_files(job.owner, job.id)
        log.info("Job %s: cancelled by the user", job.id)
        return store.mark_cancelled(job.id)
    except ExportDeskError as error:
        log.warning("Job %s: failed with %s: %s", job.id, error.code.value, error.detail)
        storage.delete_job_files(job.owner, job.id)
        return store.fail(job.id, error.code)
    except OSError as error:
        code = {errno.ENOSPC: ErrorCode.DISK_FULL, errno.EACCES: ErrorCode.PERMISSION_DENIED}.get(
            error.errno or 0, ErrorCode.INTERNAL
        )
        log.warning("Job %s: failed with %s: %s", job.id, code.value, error)
        storage.delete_job_files(job.owner, job.id)
        return store.fail(job.id, code)
    finally:
        if source is not None:
            source.close()
