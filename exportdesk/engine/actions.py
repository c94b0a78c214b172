"""User actions on jobs, shared by the GUI and the CLI. Every call acts as `ctx.owner`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from exportdesk.context import Context
from exportdesk.formats import EXTENSIONS, FORMATS
from exportdesk.formats.csv import InvalidCsvOptions, profile_from_options
from exportdesk.i18n import tr
from exportdesk.jobs import InvalidTransition, Job, JobSpec, JobState, Selection, utcnow
from exportdesk.sources import HTTP_PREFIX, open_source
from exportdesk.sources.demo import DEMO_SOURCE
from exportdesk.storage import PathOutsideStorage, fsync_dir, safe_file_stem

log = logging.getLogger(__name__)

_COPY_CHUNK = 1024 * 1024


class ArtifactExpired(Exception):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"Job {job_id}: the artifact's retention period has expired")
        self.job_id = job_id


class ArtifactNotReady(Exception):
    def __init__(self, job: Job) -> None:
        super().__init__(f"Job {job.id} is {job.state.value}; only a ready job can be downloaded")
        self.job = job


class ChecksumMismatch(Exception):
    pass


class InvalidSpec(ValueError):
    pass


MAX_RETENTION_DAYS = 3650
MAX_RETENTION_S = MAX_RETENTION_DAYS * 86400
# The shortest retention the window offers: one hour.
MIN_EXPORT_AGAIN_RETENTION_S = 3600


def check_source_url(url: str) -> None:
    """Reject a URL SQLAlchemy cannot parse or whose driver is not installed, naming the fix."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        # The text is not echoed: an unparsable URL may still contain a password.
        raise InvalidSpec(tr("The source URL is not valid: use an SQLAlchemy URL such as sqlite:///path/to/file.db")) from None
    try:
        dialect = parsed.get_dialect()
        dialect.import_dbapi()
    except NoSuchModuleError:
        raise InvalidSpec(
            tr("Unknown database kind {kind} in the source URL: check its scheme").format(kind=repr(parsed.drivername))
        ) from None
    except ImportError as error:
        raise InvalidSpec(
            tr(
                "The driver for {kind} is not installed ({module}): install it with pip, "
                "or name an installed driver in the URL, such as postgresql+psycopg:// or mysql+pymysql://"
            ).format(kind=repr(parsed.drivername), module=error.name or error)
        ) from None


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def artifact_file_name(spec: JobSpec) -> str:
    default = spec.selection.tables[0] if len(spec.selection.tables) == 1 else "export"
    stem = safe_file_stem(spec.name or default)
    extension = ".zip" if len(spec.selection.tables) > 1 else EXTENSIONS.get(spec.format, f".{spec.format}")
    return stem + extension


def validate_spec(spec: JobSpec) -> None:
    if spec.format not in FORMATS:
        raise InvalidSpec(
            tr("Unsupported format {format}: use one of {choices}").format(format=repr(spec.format), choices=", ".join(FORMATS))
        )
    try:
        profile_from_options(spec.profile, spec.options)  # recorded with every job; only CSV uses it
    except InvalidCsvOptions as error:
        raise InvalidSpec(str(error)) from None
    if bool(spec.selection.tables) == bool(spec.selection.query):
        raise InvalidSpec(tr("Choose either one or more tables or a query"))
    if spec.selection.query is not None and not spec.selection.query.strip():
        raise InvalidSpec(tr("The query is empty: type a query or choose tables"))
    if spec.retention_s < 1:
        raise InvalidSpec(tr("Retention {seconds} s is too short: use at least 1 s").format(seconds=spec.retention_s))
    if spec.retention_s > MAX_RETENTION_S:
        raise InvalidSpec(
            tr("Retention {seconds} s is too long: use at most {days} days").format(
                seconds=spec.retention_s, days=MAX_RETENTION_DAYS
            )
        )
    if spec.selection.columns is not None:
        validate_column_list(spec.selection)
    if spec.source.startswith(HTTP_PREFIX):
        if spec.selection.query is not None:
            raise InvalidSpec(tr("An HTTP JSON API source has no SQL: choose its endpoints as tables"))
    elif spec.source != DEMO_SOURCE:
        check_source_url(spec.source)


def validate_column_list(selection: Selection) -> None:
    """Reject a column list that is empty, repeats a name or goes with anything but one table."""
    columns = selection.columns or ()
    if selection.query is not None or len(selection.tables) != 1:
        raise InvalidSpec(tr("Columns can be chosen for a single table only: choose one table, or export all columns"))
    if not columns:
        raise InvalidSpec(tr("The column list is empty: choose at least one column"))
    seen: set[str] = set()
    for column in columns:
        if not isinstance(column, str) or not column:
            raise InvalidSpec(tr("The column list contains an empty name: remove it"))
        if column in seen:
            raise InvalidSpec(tr("Column {column} is listed twice: list each column once").format(column=repr(column)))
        seen.add(column)


def check_columns_exist(columns: Sequence[str], table: str, existing: Sequence[str]) -> None:
    """Reject the first of `columns` that `table` lacks, listing the columns it has."""
    known = set(existing)
    for column in columns:
        if column not in known:
            raise InvalidSpec(
                tr("Column {column} not found in table {table}: use one of {choices}").format(
                    column=repr(column), table=repr(table), choices=", ".join(existing)
                )
            )


def check_columns_in_source(spec: JobSpec, data_dir: Path) -> None:
    """Reject a column list that names a column the table lacks, reading the table's columns.

    Source errors propagate as ExportDeskError. HTTP API sources are not checked, because
    their columns are the keys of the records, and a chosen key missing from a record is
    exported as NULL.
    """
    columns = spec.selection.columns
    if columns is None or spec.source.startswith(HTTP_PREFIX):
        return
    table = spec.selection.tables[0]
    source = open_source(spec.source, data_dir)
    try:
        existing = [column.name for column in source.table_columns(table)]  # type: ignore[union-attr]
    finally:
        source.close()
    check_columns_exist(columns, table, existing)


def submit(ctx: Context, spec: JobSpec, now: dt.datetime | None = None) -> Job:
    """Validate `spec` and queue a job for it."""
    validate_spec(spec)
    job = ctx.store.create(ctx.owner, spec, artifact_file_name(spec), now=now)
    log.info("Job %s: queued %s from %s", job.id, spec.format, "demo" if spec.source == "demo" else "a URL source")
    return job


def export_again(ctx: Context, job_id: str, now: dt.datetime | None = None) -> Job:
    """Queue a new job with the same settings as an ended one.

    The retention is the original's, but at least `MIN_EXPORT_AGAIN_RETENTION_S`: a job made
    with a retention of seconds (which the CLI allows) would otherwise expire again before
    the user could download its file.
    """
    job = ctx.store.get(ctx.owner, job_id)
    retention_s = max(job.spec.retention_s, MIN_EXPORT_AGAIN_RETENTION_S)
    return submit(ctx, dataclasses.replace(job.spec, retention_s=retention_s), now)


def cancel(ctx: Context, job_id: str) -> Job:
    job = ctx.store.request_cancel(ctx.owner, job_id)
    if job.state is JobState.CANCELLED:
        ctx.storage.delete_job_files(job.owner, job.id)
    return job


def remove(ctx: Context, job_id: str) -> Job:
    """Delete an ended job and its artifact at once."""
    job = ctx.store.get(ctx.owner, job_id)
    if job.state.is_active:
        raise InvalidTransition(job_id, job.state, JobState.CANCELLED)
    ctx.storage.delete_job_files(job.owner, job.id)
    return ctx.store.remove(ctx.owner, job_id)


def artifact_for_download(ctx: Context, job_id: str, now: dt.datetime | None = None) -> tuple[Job, Path]:
    """Return the ready job and its file, refusing an expired one even if the file still exists."""
    job = ctx.store.get(ctx.owner, job_id)
    if job.is_expired_at(now or utcnow()):
        raise ArtifactExpired(job_id)
    if job.state is not JobState.READY:
        raise ArtifactNotReady(job)
    try:
        path = ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    except PathOutsideStorage:
        log.warning("Job %s: its folder leads out of storage; refusing to read through it", job.id)
        raise ArtifactExpired(job_id) from None
    if not path.is_file():
        raise ArtifactExpired(job_id)
    return job, path


class InvalidDestination(ValueError):
    pass


def resolve_destination(requested: Path | str, file_name: str) -> Path:
    """Return the file to write: `destination`, or `file_name` inside it when it is a folder.

    Only a regular file may be replaced; a device, a socket or a path written with a trailing
    slash over a file is rejected.
    """
    # Path() drops a trailing slash, so the text as given is checked for one.
    text = str(requested)
    destination = Path(text).expanduser()
    if destination.is_dir():
        return destination / file_name
    if text.endswith(("/", "\\")):
        raise InvalidDestination(
            tr("{path} is not a folder: remove the trailing slash or create the folder").format(path=text)
        )
    if destination.exists() and not destination.is_file():
        raise InvalidDestination(
            tr("{path} is not a regular file: choose a file or a folder").format(path=destination)
        )
    if not destination.parent.is_dir():
        raise InvalidDestination(
            tr("Folder {folder} does not exist: create it or choose another").format(folder=destination.parent)
        )
    return destination


def download(
    ctx: Context,
    job_id: str,
    destination: Path | str,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Copy the artifact to `destination` through a temporary file, verify SHA-256, rename."""
    job, source = artifact_for_download(ctx, job_id, now)
    target = resolve_destination(destination, job.file_name)
    storage_root = ctx.storage.root.resolve()
    if target.resolve().is_relative_to(storage_root):
        # The retention sweep deletes every file there that belongs to no export.
        raise InvalidDestination(
            tr(
                "{path} is inside ExportDesk's storage folder {folder}, where files that belong "
                "to no export are deleted: choose another folder"
            ).format(path=target, folder=storage_root)
        )
    try:
        # Once open, the copy goes on even if a sweep deletes the file (POSIX keeps its data).
        reader = open(source, "rb")
    except FileNotFoundError:
        raise ArtifactExpired(job_id) from None
    # A short temporary name: the final name may already be near the file system's limit.
    fd, temporary_name = tempfile.mkstemp(prefix=".exportdesk-", suffix=".part", dir=target.parent)
    temporary = Path(temporary_name)
    # mkstemp creates 0600; the user's own copy gets the mode any new file of theirs gets.
    os.chmod(temporary, 0o666 & ~_current_umask())
    digest = hashlib.sha256()
    copied = 0
    try:
        with reader, os.fdopen(fd, "wb") as writer:
            while chunk := reader.read(_COPY_CHUNK):
                writer.write(chunk)
                digest.update(chunk)
                copied += len(chunk)
                if progress is not None:
                    progress(copied, job.bytes_written)
            writer.flush()
            os.fsync(writer.fileno())
        if digest.hexdigest() != job.sha256:
            raise ChecksumMismatch(f"Job {job.id}: the copy's SHA-256 differs from the artifact's")
        os.replace(temporary, target)
        fsync_dir(target.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    ctx.store.mark_downloaded(ctx.owner, job.id, now)
    log.info("Job %s: downloaded %d bytes to %s", job.id, copied, target)
    return target


def new_spec(
    source: str,
    tables: tuple[str, ...] = (),
    query: str | None = None,
    profile: str = "excel-ru",
    name: str = "",
    retention_s: int = 24 * 3600,
    format_name: str = "csv",
    options: dict[str, Any] | None = None,
    columns: tuple[str, ...] | None = None,
) -> JobSpec:
    """Build a job spec; `columns` (one table only) limits the export to those columns, in that order."""
    return JobSpec(
        source=source,
        selection=Selection(tables=tables, query=query, columns=columns),
        format=format_name,
        profile=profile,
        name=name,
        retention_s=retention_s,
        options=dict(options or {}),
    )
