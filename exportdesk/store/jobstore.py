"""`JobStore`: every read and write of the job table, each write one transaction.

User-facing calls take the owner, and a job of another owner is `JobNotFound`. Calls made
by the engine for a job it already runs (progress, finishing, failing) take only the id.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from exportdesk.jobs import (
    TRANSITIONS,
    ErrorCode,
    InvalidTransition,
    Job,
    JobSpec,
    JobState,
    Outcome,
    Selection,
    utcnow,
)
from exportdesk.store import migrations
from exportdesk.store.schema import create_engine, jobs_table

J = jobs_table.c
# Ids bound in one `IN (...)`: SQLite before 3.32 allows 999 parameters per statement.
_IDS_PER_QUERY = 500


_LIST_VALUES_SQL = (
    f"SELECT {', '.join(column.name for column in jobs_table.columns)} FROM {jobs_table.name} "
    "WHERE owner = ? ORDER BY created_at DESC, id"
)


class JobNotFound(LookupError):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"Job {job_id} not found")
        self.job_id = job_id


def _row_to_job(row: sa.Row[Any]) -> Job:
    spec = JobSpec(
        source=row.source,
        selection=Selection.from_json(row.selection),
        format=row.format,
        profile=row.profile,
        name=row.name,
        retention_s=row.retention_s,
        options=dict(row.options or {}),
    )
    return Job(
        id=row.id,
        owner=row.owner,
        spec=spec,
        state=JobState(row.state),
        outcome=Outcome(row.outcome) if row.outcome else None,
        error_code=ErrorCode(row.error_code) if row.error_code else None,
        file_name=row.file_name,
        rows_done=row.rows_done,
        rows_total=row.rows_total,
        bytes_written=row.bytes_written,
        sha256=row.sha256,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        expires_at=row.expires_at,
        progress_at=row.progress_at,
        attempts=row.attempts,
        cancel_requested=bool(row.cancel_requested),
        lease_pid=row.lease_pid,
        lease_instance=row.lease_instance,
        heartbeat_at=row.heartbeat_at,
        checkpoint=row.checkpoint,
        downloaded_at=row.downloaded_at,
        error_subject=row.error_subject,
        reminded_at=row.reminded_at,
    )


class JobStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            # Create it owner-only: the table names sources, queries and export names.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        self._engine = create_engine(path)
        migrations.upgrade(self._engine)
        for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            if companion.exists():
                os.chmod(companion, 0o600)

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[sa.Connection]:
        with self._engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        with self._engine.connect().execution_options(immediate=True) as connection, connection.begin():
            yield connection

    # Reads -------------------------------------------------------------------------------

    def get(self, owner: str, job_id: str) -> Job:
        with self._read() as connection:
            row = connection.execute(
                sa.select(jobs_table).where(J.id == job_id, J.owner == owner)
            ).first()
        if row is None:
            raise JobNotFound(job_id)
        return _row_to_job(row)

    def list(self, owner: str) -> list[Job]:
        with self._read() as connection:
            rows = connection.execute(
                sa.select(jobs_table).where(J.owner == owner).order_by(J.created_at.desc(), J.id)
            ).all()
        return [_row_to_job(row) for row in rows]

    def list_values(self, owner: str) -> list[tuple[Any, ...]]:
        """List the owner's job rows as SQLite stores them, newest first, in `jobs_table` column order.

        Timestamps stay text and JSON columns stay JSON text: `job_list.JobListReader` converts
        only the rows that changed since its previous read. Safe to call from any thread, as
        every `JobStore` call is: each one checks a connection out of the engine's pool.
        """
        with self._read() as connection:
            # The DB-API cursor returns plain tuples: SQLAlchemy's rows took longer than the query.
            cursor = connection.connection.cursor()
            try:
                cursor.execute(_LIST_VALUES_SQL, (owner,))
                rows: list[tuple[Any, ...]] = cursor.fetchall()
            finally:
                cursor.close()
        return rows

    def list_active(self, owner: str, job_ids: Collection[str] = ()) -> list[Job]:
        """List the owner's queued and running jobs, plus the jobs in `job_ids` in any state, newest first.

        The job list polls this while exports run: it reads a few rows where `list` reads them all.
        """
        condition = J.state.in_([JobState.QUEUED.value, JobState.RUNNING.value])
        if job_ids:
            condition = sa.or_(condition, J.id.in_(list(job_ids)))
        with self._read() as connection:
            rows = connection.execute(
                sa.select(jobs_table).where(J.owner == owner, condition).order_by(J.created_at.desc(), J.id)
            ).all()
        return [_row_to_job(row) for row in rows]

    def engine_get(self, job_id: str) -> Job:
        """Read a job the engine already runs, by id, whatever its owner."""
        with self._read() as connection:
            row = connection.execute(sa.select(jobs_table).where(J.id == job_id)).first()
        if row is None:
            raise JobNotFound(job_id)
        return _row_to_job(row)

    def engine_jobs_in(self, *states: JobState) -> list[Job]:
        """List jobs of every owner in the given states, for recovery and the retention sweep."""
        with self._read() as connection:
            rows = connection.execute(
                sa.select(jobs_table).where(J.state.in_([s.value for s in states])).order_by(J.created_at)
            ).all()
        return [_row_to_job(row) for row in rows]

    def engine_jobs_among(self, job_ids: Collection[str]) -> list[Job]:
        """Read the jobs of every owner whose ids are in `job_ids`; unknown ids are left out."""
        ids = list(job_ids)
        jobs: list[Job] = []
        with self._read() as connection:
            # Chunks keep each statement under SQLite's limit on bound parameters.
            for start in range(0, len(ids), _IDS_PER_QUERY):
                chunk = ids[start : start + _IDS_PER_QUERY]
                rows = connection.execute(sa.select(jobs_table).where(J.id.in_(chunk))).all()
                jobs.extend(_row_to_job(row) for row in rows)
        return jobs

    def engine_all_ids(self) -> set[str]:
        with self._read() as connection:
            return set(connection.execute(sa.select(J.id)).scalars())

    # Transitions -------------------------------------------------------------------------

    def _move(
        self,
        connection: sa.Connection,
        job_id: str,
        target: JobState,
        values: dict[str, Any],
        owner: str | None = None,
    ) -> Job:
        query = sa.select(jobs_table).where(J.id == job_id)
        if owner is not None:
            query = query.where(J.owner == owner)
        row = connection.execute(query).first()
        if row is None:
            raise JobNotFound(job_id)
        current = JobState(row.state)
        if target not in TRANSITIONS[current]:
            raise InvalidTransition(job_id, current, target)
        connection.execute(
            sa.update(jobs_table).where(J.id == job_id).values(state=target.value, **values)
        )
        updated = connection.execute(sa.select(jobs_table).where(J.id == job_id)).one()
        return _row_to_job(updated)

    def create(
        self,
        owner: str,
        spec: JobSpec,
        file_name: str,
        rows_total: int | None = None,
        now: dt.datetime | None = None,
    ) -> Job:
        """Insert a new queued job with a random UUID."""
        job_id = str(uuid.uuid4())
        values = {
            "id": job_id,
            "owner": owner,
            "name": spec.name,
            "state": JobState.QUEUED.value,
            "source": spec.source,
            "selection": spec.selection.to_json(),
            "format": spec.format,
            "profile": spec.profile,
            "options": spec.options,
            "retention_s": spec.retention_s,
            "file_name": file_name,
            "rows_done": 0,
            "rows_total": rows_total,
            "bytes_written": 0,
            "created_at": now or utcnow(),
            "attempts": 0,
            "cancel_requested": False,
        }
        with self._write() as connection:
            connection.execute(sa.insert(jobs_table).values(**values))
            return _row_to_job(connection.execute(sa.select(jobs_table).where(J.id == job_id)).one())

    def claim_next(self, instance: str, now: dt.datetime | None = None) -> Job | None:
        """Move the oldest queued job of any owner to running under this instance's lease."""
        now = now or utcnow()
        with self._write() as connection:
            job_id = connection.execute(
                sa.select(J.id).where(J.state == JobState.QUEUED.value).order_by(J.created_at, J.id).limit(1)
            ).scalar()
            if job_id is None:
                return None
            return self._move(
                connection,
                job_id,
                JobState.RUNNING,
                {
                    "started_at": now,
                    "heartbeat_at": now,
                    "lease_instance": instance,
                    "lease_pid": None,
                    "attempts": J.attempts + 1,
                    # A job resumed from a checkpoint keeps the progress recorded with it.
                    "rows_done": sa.case((J.checkpoint.is_(None), 0), else_=J.rows_done),
                    "bytes_written": sa.case((J.checkpoint.is_(None), 0), else_=J.bytes_written),
                },
            )

    def set_lease_pid(self, job_id: str, pid: int, now: dt.datetime | None = None) -> None:
        with self._write() as connection:
            connection.execute(
                sa.update(jobs_table)
                .where(J.id == job_id, J.state == JobState.RUNNING.value)
                .values(lease_pid=pid, heartbeat_at=now or utcnow())
            )

    def renew_heartbeat(self, job_id: str, now: dt.datetime | None = None) -> None:
        with self._write() as connection:
            connection.execute(
                sa.update(jobs_table)
                .where(J.id == job_id, J.state == JobState.RUNNING.value)
                .values(heartbeat_at=now or utcnow())
            )

    def report_progress(
        self,
        job_id: str,
        rows_done: int,
        bytes_written: int,
        rows_total: int | None = None,
        now: dt.datetime | None = None,
        checkpoint: dict[str, Any] | None = None,
    ) -> bool:
        """Record progress (and a checkpoint) and renew the heartbeat.

        Return True when the job should stop: a cancel was requested or it is no longer running.
        A checkpoint must describe bytes already flushed and fsynced to the `.part` file.
        """
        now = now or utcnow()
        values: dict[str, Any] = {
            "rows_done": rows_done,
            "bytes_written": bytes_written,
            "progress_at": now,
            "heartbeat_at": now,
        }
        if rows_total is not None:
            values["rows_total"] = rows_total
        if checkpoint is not None:
            values["checkpoint"] = checkpoint
        with self._write() as connection:
            connection.execute(
                sa.update(jobs_table).where(J.id == job_id, J.state == JobState.RUNNING.value).values(**values)
            )
            row = connection.execute(sa.select(J.state, J.cancel_requested).where(J.id == job_id)).first()
        return row is None or bool(row.cancel_requested) or row.state != JobState.RUNNING.value

    def finish_ready(
        self,
        job_id: str,
        rows: int,
        bytes_written: int,
        sha256: str,
        now: dt.datetime | None = None,
    ) -> Job:
        now = now or utcnow()
        with self._write() as connection:
            retention_s = connection.execute(sa.select(J.retention_s).where(J.id == job_id)).scalar()
            if retention_s is None:
                raise JobNotFound(job_id)
            return self._move(
                connection,
                job_id,
                JobState.READY,
                {
                    "outcome": Outcome.COMPLETED.value,
                    "rows_done": rows,
                    "rows_total": rows,
                    "bytes_written": bytes_written,
                    "sha256": sha256,
                    "finished_at": now,
                    "expires_at": now + dt.timedelta(seconds=retention_s),
                    "checkpoint": None,
                    "lease_pid": None,
                    "lease_instance": None,
                },
            )

    def requeue(self, job_id: str, keep_checkpoint: bool) -> Job:
        """Put an interrupted running job back in the queue, to resume or to start over."""
        values: dict[str, Any] = {"lease_pid": None, "lease_instance": None, "heartbeat_at": None}
        if not keep_checkpoint:
            values.update(checkpoint=None, rows_done=0, bytes_written=0)
        with self._write() as connection:
            return self._move(connection, job_id, JobState.QUEUED, values)

    def fail(
        self,
        job_id: str,
        code: ErrorCode,
        outcome: Outcome = Outcome.ERROR,
        now: dt.datetime | None = None,
        subject: str | None = None,
    ) -> Job:
        with self._write() as connection:
            return self._move(
                connection,
                job_id,
                JobState.FAILED,
                {
                    "outcome": outcome.value,
                    "error_code": code.value,
                    "error_subject": subject,
                    "bytes_written": 0,  # the partial file is deleted with the failure
                    "finished_at": now or utcnow(),
                    "checkpoint": None,
                    "lease_pid": None,
                    "lease_instance": None,
                },
            )

    def request_cancel(self, owner: str, job_id: str, now: dt.datetime | None = None) -> Job:
        """Cancel a queued job at once, or flag a running one for its worker to stop."""
        with self._write() as connection:
            job = self._get_for_update(connection, owner, job_id)
            if job.state is JobState.QUEUED:
                return self._move(connection, job_id, JobState.CANCELLED, self._cancel_values(now))
            if job.state is JobState.RUNNING:
                connection.execute(sa.update(jobs_table).where(J.id == job_id).values(cancel_requested=True))
                return _row_to_job(connection.execute(sa.select(jobs_table).where(J.id == job_id)).one())
            raise InvalidTransition(job_id, job.state, JobState.CANCELLED)

    def mark_cancelled(self, job_id: str, now: dt.datetime | None = None) -> Job:
        with self._write() as connection:
            return self._move(connection, job_id, JobState.CANCELLED, self._cancel_values(now))

    @staticmethod
    def _cancel_values(now: dt.datetime | None) -> dict[str, Any]:
        return {
            "outcome": Outcome.CANCELLED_BY_USER.value,
            "bytes_written": 0,
            "finished_at": now or utcnow(),
            "checkpoint": None,
            "lease_pid": None,
            "lease_instance": None,
        }

    def mark_downloaded(self, owner: str, job_id: str, now: dt.datetime | None = None) -> None:
        """Record the first download, so the expiry reminder skips a file already saved."""
        with self._write() as connection:
            connection.execute(
                sa.update(jobs_table)
                .where(J.id == job_id, J.owner == owner, J.downloaded_at.is_(None))
                .values(downloaded_at=now or utcnow())
            )

    def mark_reminded(self, owner: str, job_ids: Collection[str], now: dt.datetime | None = None) -> None:
        """Record that the user was reminded of these jobs' expiry, so a restart does not remind again."""
        ids = list(job_ids)
        if not ids:
            return
        with self._write() as connection:
            for start in range(0, len(ids), _IDS_PER_QUERY):
                connection.execute(
                    sa.update(jobs_table)
                    .where(J.id.in_(ids[start : start + _IDS_PER_QUERY]), J.owner == owner, J.reminded_at.is_(None))
                    .values(reminded_at=now or utcnow())
                )

    def usage(self, owner: str, now: dt.datetime | None = None) -> tuple[int, int]:
        """Return the number of the owner's unexpired ready artifacts and their total size in bytes."""
        with self._read() as connection:
            row = connection.execute(
                sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(J.bytes_written), 0)).where(
                    J.owner == owner, J.state == JobState.READY.value, J.expires_at > (now or utcnow())
                )
            ).one()
        return int(row[0]), int(row[1])

    def expire_due(self, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
        """Move every ready job whose `expires_at` is at or before `now` to expired, in one transaction.

        Returns `(job id, expires_at)` of each. The ids are read under the write lock that
        BEGIN IMMEDIATE takes, so the update changes exactly those jobs.
        """
        due = sa.and_(J.state == JobState.READY.value, J.expires_at <= now)
        with self._write() as connection:
            expired = [(row.id, row.expires_at) for row in connection.execute(sa.select(J.id, J.expires_at).where(due))]
            if expired:
                connection.execute(
                    sa.update(jobs_table).where(due).values(state=JobState.EXPIRED.value, outcome=Outcome.RETENTION_ELAPSED.value)
                )
        return expired

    def expire(self, job_id: str, outcome: Outcome = Outcome.RETENTION_ELAPSED) -> Job:
        with self._write() as connection:
            return self._move(connection, job_id, JobState.EXPIRED, {"outcome": outcome.value})

    def remove(self, owner: str, job_id: str) -> Job:
        """Delete an ended job's row; the caller deletes its artifact folder."""
        with self._write() as connection:
            job = self._get_for_update(connection, owner, job_id)
            if job.state.is_active:
                raise InvalidTransition(job_id, job.state, JobState.CANCELLED)
            connection.execute(sa.delete(jobs_table).where(J.id == job_id))
            return job

    def _get_for_update(self, connection: sa.Connection, owner: str, job_id: str) -> Job:
        row = connection.execute(sa.select(jobs_table).where(J.id == job_id, J.owner == owner)).first()
        if row is None:
            raise JobNotFound(job_id)
        return _row_to_job(row)
