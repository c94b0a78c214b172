"""The job table: schema, migrations and `JobStore`, the only writer of job state."""

from exportdesk.store.jobstore import JobNotFound, JobStore

__all__ = ["JobNotFound", "JobStore"]
