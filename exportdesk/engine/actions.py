"""What a user can do with jobs, shared by the GUI and the CLI. Every call acts as `ctx.owner`."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from exportdesk.context import Context
from exportdesk.formats.csv import get_profile
from exportdesk.jobs import InvalidTransition, Job, JobSpec, JobState, Selection, utcnow
from exportdesk.storage import fsync_dir, safe_file_stem

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


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def artifact_file_name(spec: JobSpec) -> str:
    default = spec.selection.tables[0] if len(spec.selection.tables) == 1 else "export"
    stem = safe_file_stem(spec.name or default)
    extension = ".zip" if len(spec.selection.tables) > 1 else f".{spec.format}"
    return stem + extension


def validate_spec(spec: JobSpec) -> None:
    if spec.format != "csv":
        raise InvalidSpec(f"Unsupported format {spec.format!r}: use csv")
    get_profile(spec.profile)
    if bool(spec.selection.tables) == bool(spec.selection.query):
        raise InvalidSpec("Choose either one or more tables or a query")
    if spec.selection.query is not None and not spec.selection.query.strip():
        raise InvalidSpec("The query is empty")
    if spec.retention_s < 60:
        raise InvalidSpec(f"Retention {spec.retention_s} s is too short: use at least 60 s")


def submit(ctx: Context, spec: JobSpec, now: dt.datetime | None = None) -> Job:
    """Validate `spec` and queue a job for it."""
    validate_spec(spec)
    job = ctx.store.create(ctx.owner, spec, artifact_file_name(spec), now=now)
    log.info("Job %s: queued %s from %s", job.id, spec.format, "demo" if spec.source == "demo" else "a URL source")
    return job


def export_again(ctx: Context, job_id: str, now: dt.datetime | None = None) -> Job:
    """Queue a new job with the same settings as an ended one."""
    job = ctx.store.get(ctx.owner, job_id)
    return submit(ctx, job.spec, now)


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
    path = ctx.storage.artifact_path(job.owner, job.id, job.file_name)
    if not path.exists():
        raise ArtifactExpired(job_id)
    return job, path


def download(
    ctx: Context,
    job_id: str,
    destination: Path,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Copy the artifact to `destination` through a temporary file, verify SHA-256, rename."""
    job, source = artifact_for_download(ctx, job_id, now)
    destination = destination.expanduser()
    if destination.is_dir():
        destination = destination / job.file_name
    try:
        # Once open, the copy goes on even if a sweep deletes the file (POSIX keeps its data).
        reader = open(source, "rb")
    except FileNotFoundError:
        raise ArtifactExpired(job_id) from None
    fd, temporary_name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".part", dir=destination.parent)
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
        os.replace(temporary, destination)
        fsync_dir(destination.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    log.info("Job %s: downloaded %d bytes to %s", job.id, copied, destination)
    return destination


def new_spec(
    source: str,
    tables: tuple[str, ...] = (),
    query: str | None = None,
    profile: str = "excel-ru",
    name: str = "",
    retention_s: int = 24 * 3600,
) -> JobSpec:
    return JobSpec(
        source=source,
        selection=Selection(tables=tables, query=query),
        format="csv",
        profile=profile,
        name=name,
        retention_s=retention_s,
    )
