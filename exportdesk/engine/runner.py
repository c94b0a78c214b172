"""Run one job inside a worker process: source -> writer -> artifact, with progress and cancel.

Progress is written to the job table for the first batch at once, then at most every
`PROGRESS_INTERVAL_S`, never per row. The cancel flag is read back with each write, so a
cancel stops the job between two batches.

A single table read in key order is resumable: at most every `CHECKPOINT_INTERVAL_S` the
runner fsyncs the `.part` file and commits a checkpoint (rows written, key of the last row,
byte offset). A resumed run cuts the `.part` file to that offset and reads the rows after
that key, so its file is byte-identical to an uninterrupted run's. A query, or several
tables in one ZIP, cannot resume and starts over.
"""

from __future__ import annotations

import errno
import logging
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from exportdesk import __version__
from exportdesk.fastpath import sqlite_export
from exportdesk.formats import EXTENSIONS, RESUMABLE_FORMATS, make_writer
from exportdesk.jobs import ErrorCode, ExportDeskError, Job, JobState, utcnow
from exportdesk.sources import open_source
from exportdesk.sources.sql import SqlSource, SqlTableReader, TransientSourceError
from exportdesk.storage import ArtifactWriter, CannotResume, Storage, safe_file_stem
from exportdesk.store import JobStore

if TYPE_CHECKING:
    from exportdesk.sources.http import HttpApiSource

    Source = SqlSource | HttpApiSource

log = logging.getLogger(__name__)

BATCH_ROWS = 1000
PROGRESS_INTERVAL_S = 0.1
CHECKPOINT_INTERVAL_S = 0.3
TRANSIENT_RETRIES = 3
RETRY_BASE_DELAY_S = 0.5
# Free space kept beyond the estimate: 1 MiB plus 5 % of it, since the estimate extrapolates
# from the first rows.
FREE_SPACE_MARGIN_BYTES = 1024 * 1024
FREE_SPACE_MARGIN_SHARE = 0.05
_JSON_KEY_TYPES = (int, str, float)


class JobCancelled(Exception):
    pass


class _Progress:
    """Counts rows, reports them at most every interval, and commits checkpoints when resumable."""

    def __init__(
        self,
        store: JobStore,
        job: Job,
        out: ArtifactWriter,
        storage: Storage,
        resumable: bool,
        rows: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._job = job
        self._out = out
        self._storage = storage
        self._clock = clock
        self._last_report = self._last_checkpoint = clock()
        self._space_checked = False
        # The first batch is reported at once, so the window shows rows written as early as it can.
        self._first_reported = False
        self.resumable = resumable
        self.rows = rows
        self.key: list[Any] | None = None

    def add(self, rows: int, key: list[Any] | None) -> None:
        self.rows += rows
        self.key = key
        if not self._space_checked:
            self._check_free_space()
        if not self._first_reported or self._clock() - self._last_report >= PROGRESS_INTERVAL_S:
            self.report()

    def _check_free_space(self) -> None:
        """Estimate the file's size from the rows written so far and compare it with free space."""
        self._space_checked = True
        total = self._job.rows_total
        if not total or not self.rows:
            return
        remaining = max(0, total - self.rows) * self._out.bytes_written / self.rows
        free = self._storage.free_bytes()
        if free < remaining * (1 + FREE_SPACE_MARGIN_SHARE) + FREE_SPACE_MARGIN_BYTES:
            raise ExportDeskError(
                ErrorCode.DISK_FULL, f"about {remaining:.0f} more bytes needed, {free} bytes free"
            )

    def report(self) -> None:
        now = self._clock()
        self._last_report = now
        self._first_reported = True
        checkpoint = None
        if self.resumable and self.key is not None and now - self._last_checkpoint >= CHECKPOINT_INTERVAL_S:
            if all(isinstance(value, _JSON_KEY_TYPES) for value in self.key):
                self._out.sync()
                checkpoint = {"key": self.key, "offset": self._out.bytes_written, "rows": self.rows}
                self._last_checkpoint = now
        if self._store.report_progress(self._job.id, self.rows, self._out.bytes_written, checkpoint=checkpoint):
            raise JobCancelled()


def _is_resumable(job: Job) -> bool:
    spec = job.spec
    return spec.format in RESUMABLE_FORMATS and spec.selection.query is None and len(spec.selection.tables) == 1


def _try_pg_copy(source: Source, job: Job, out: Any, progress: Any, checkpoint: dict[str, Any] | None) -> bool:
    """Write the job's table through PostgreSQL's COPY when that path applies; see `pg_copy`."""
    if not isinstance(source, SqlSource) or source.dialect != "postgresql":
        return False
    # Imported here: psycopg takes about 0.1 s to import, and only PostgreSQL jobs need it.
    from exportdesk.sources import pg_copy

    return pg_copy.try_copy_export(source, job, out, progress, checkpoint)


def _estimate_rows(source: Source, job: Job) -> int | None:
    selection = job.spec.selection
    if selection.query:
        return source.count_rows(query=selection.query)
    counts = [source.count_rows(table=table) for table in selection.tables]
    return None if any(count is None for count in counts) else sum(count or 0 for count in counts)


def _write_table(
    reader: SqlTableReader, sink: Any, job: Job, progress: _Progress, resumed_rows: int | None = None
) -> int:
    """Write one table or query through the job's format; return the rows written now."""
    writer = make_writer(job.spec.format, job.spec.profile, sink, resumed_rows, reader.name, job.spec.options)
    batches = reader.keyed_batches(BATCH_ROWS)
    first = next(batches, None)  # runs the query, so a query's columns are known for the header
    writer.begin(reader.columns)
    written = 0
    if first is not None:
        writer.write_rows(first[0])
        written += len(first[0])
        progress.add(len(first[0]), first[1])
    for rows, key in batches:
        writer.write_rows(rows)
        written += len(rows)
        progress.add(len(rows), key)
    writer.end()
    stats = getattr(writer, "stats", None)
    if stats is not None and (stats.illegal_characters or stats.truncated_cells):
        log.info(
            "Job %s: table %s: replaced %d characters illegal in XML; cut %d cells to 32,767 characters",
            job.id, reader.name, stats.illegal_characters, len(stats.truncated_cells),
        )
    return written


def _write_zip(source: Source, job: Job, out: ArtifactWriter, progress: _Progress) -> None:
    # Imported here: exportdesk.formats.bundle imports exportdesk.i18n, which loads Qt (about
    # 50 ms of the worker's start), and only a job of several tables writes a bundle.
    from exportdesk.formats.bundle import MANIFEST_NAME, HashingSink, TableEntry, manifest_bytes

    # The sink cannot seek, so zipfile writes a data descriptor after each member instead of
    # going back to patch its header.
    extension = EXTENSIONS[job.spec.format]
    started = utcnow()
    entries: list[TableEntry] = []
    with zipfile.ZipFile(out, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for table, member_name in zip(job.spec.selection.tables, zip_member_names(job.spec.selection.tables, extension)):
            reader = source.open_table(table)
            with archive.open(member_name, mode="w", force_zip64=True) as member:
                sink = HashingSink(member)
                rows = _write_table(reader, sink, job, progress)
            entries.append(TableEntry.of(table, member_name, rows, sink, list(reader.columns)))
        description = {
            "exportdesk_version": __version__,
            "source": job.spec.source,
            "selection": job.spec.selection.to_json(),
            "format": job.spec.format,
            "profile": job.spec.profile,
            "options": job.spec.options,
            "snapshot": (
                "all tables were read in one transaction"
                if isinstance(source, SqlSource)
                else "read page by page: the service offers no snapshot, so records changed meanwhile may be missing or repeated"
            ),
            "job_id": job.id,
            "created_at": job.created_at.isoformat(),
            "started_at": started.isoformat(),
            "finished_at": utcnow().isoformat(),
        }
        archive.writestr(MANIFEST_NAME, manifest_bytes(description, entries))


def zip_member_names(tables: tuple[str, ...], extension: str = ".csv") -> list[str]:
    """Name one archive member per table: a safe file name, made unique with a number."""
    names: list[str] = []
    taken: set[str] = set()
    for table in tables:
        stem = safe_file_stem(table, fallback="table")
        name, number = stem + extension, 2
        while name.lower() in taken:
            name, number = f"{stem}_{number}{extension}", number + 1
        taken.add(name.lower())
        names.append(name)
    return names


def _open_output(storage: Storage, job: Job) -> tuple[ArtifactWriter, dict[str, Any] | None]:
    """Open the `.part` file at the job's checkpoint, or fresh when there is none or it is unusable."""
    checkpoint = job.checkpoint if _is_resumable(job) else None
    if checkpoint is not None:
        try:
            out = storage.resume_writer(job.owner, job.id, job.file_name, int(checkpoint["offset"]))
            log.info("Job %s: resuming after %d rows at byte %d", job.id, checkpoint["rows"], checkpoint["offset"])
            return out, checkpoint
        except (CannotResume, KeyError, ValueError) as error:
            log.warning("Job %s: cannot resume (%s); starting over", job.id, error)
    return storage.open_writer(job.owner, job.id, job.file_name), None


def _run_once(store: JobStore, storage: Storage, job: Job, data_dir: Path) -> Job:
    source = open_source(job.spec.source, data_dir)
    try:
        with source.begin_snapshot():
            out, checkpoint = _open_output(storage, job)
            try:
                if checkpoint is None or job.rows_total is None:
                    total = _estimate_rows(source, job)
                    store.report_progress(job.id, 0 if checkpoint is None else int(checkpoint["rows"]), out.bytes_written, rows_total=total)
                    job = store.engine_get(job.id)
                progress = _Progress(
                    store, job, out, storage, _is_resumable(job), rows=int(checkpoint["rows"]) if checkpoint else 0
                )
                tables = job.spec.selection.tables
                if job.spec.selection.query:
                    reader = source.open_query(job.spec.name or "query", job.spec.selection.query)
                    _write_table(reader, out, job, progress)
                elif sqlite_export.try_export(source, job, out, progress, checkpoint):
                    pass  # a CSV or JSON Lines file of one SQLite table, formatted in C
                elif _try_pg_copy(source, job, out, progress, checkpoint):
                    pass  # a CSV of one PostgreSQL table, written by COPY
                elif len(tables) == 1:
                    after = checkpoint["key"] if checkpoint else None
                    reader = source.open_table(tables[0], after=after, columns=job.spec.selection.columns)
                    progress.resumable = progress.resumable and reader.ordered
                    resumed_rows = int(checkpoint["rows"]) if checkpoint else None
                    _write_table(reader, out, job, progress, resumed_rows)
                else:
                    _write_zip(source, job, out, progress)
                progress.report()
                sha256 = out.finish()
            except TransientSourceError:
                out.close()  # keep the partial file: the retry resumes from the last checkpoint
                raise
            except BaseException:
                out.abort()
                raise
    finally:
        source.close()
    log.info("Job %s: wrote %d rows, %d bytes to %s", job.id, progress.rows, out.bytes_written, out.final_path)
    return store.finish_ready(job.id, progress.rows, out.bytes_written, sha256)


def run_job(
    store: JobStore,
    storage: Storage,
    job: Job,
    data_dir: Path,
    sleep: Callable[[float], None] = time.sleep,
) -> Job:
    """Export one running job to its artifact and move it to ready, failed or cancelled.

    A transient source error (a busy database, a dropped connection) is retried
    `TRANSIENT_RETRIES` times with doubling pauses, from the last checkpoint where there is one.
    """
    if job.state is not JobState.RUNNING:
        raise ValueError(f"Job {job.id} is {job.state.value}, not running")
    try:
        for retry in range(TRANSIENT_RETRIES + 1):
            try:
                return _run_once(store, storage, job, data_dir)
            except TransientSourceError as error:
                if retry == TRANSIENT_RETRIES:
                    raise
                delay = RETRY_BASE_DELAY_S * 2**retry
                log.warning("Job %s: transient source error (%s); retry %d in %.1f s", job.id, error.detail, retry + 1, delay)
                sleep(delay)
                job = store.engine_get(job.id)
        raise AssertionError("unreachable")
    except JobCancelled:
        storage.delete_job_files(job.owner, job.id)
        log.info("Job %s: cancelled by the user", job.id)
        return store.mark_cancelled(job.id)
    except ExportDeskError as error:
        log.warning("Job %s: failed with %s: %s", job.id, error.code.value, error.detail)
        storage.delete_job_files(job.owner, job.id)
        return store.fail(job.id, error.code, subject=error.subject)
    except OSError as error:
        code = {errno.ENOSPC: ErrorCode.DISK_FULL, errno.EDQUOT: ErrorCode.DISK_FULL, errno.EACCES: ErrorCode.PERMISSION_DENIED}.get(
            error.errno or 0, ErrorCode.INTERNAL
        )
        log.warning("Job %s: failed with %s: %s", job.id, code.value, error)
        storage.delete_job_files(job.owner, job.id)
        return store.fail(job.id, code)
