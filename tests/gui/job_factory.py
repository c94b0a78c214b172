"""`JobFactory`: jobs in a chosen state in the job table, for window tests that need no worker."""

from __future__ import annotations

import datetime as dt

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.jobs import ErrorCode, Job

# A lease that no dispatcher in the tests holds, so a claimed job stays as the test left it.
TEST_INSTANCE = "test-instance"


class JobFactory:
    """Put jobs into the job table in a given state, without running a worker."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def queued(self, table: str = "airlines", name: str = "", now: dt.datetime | None = None, format_name: str = "csv") -> Job:
        spec = actions.new_spec("demo", tables=(table,), name=name, format_name=format_name)
        return actions.submit(self.ctx, spec, now=now)

    def running(self, table: str = "airlines", name: str = "", now: dt.datetime | None = None) -> Job:
        job = self.queued(table, name, now)
        claimed = self.ctx.store.claim_next(TEST_INSTANCE, now=now)
        assert claimed is not None and claimed.id == job.id
        return claimed

    def ready(self, table: str = "airlines", name: str = "", now: dt.datetime | None = None, size: int = 1234) -> Job:
        job = self.running(table, name, now)
        return self.ctx.store.finish_ready(job.id, rows=16, bytes_written=size, sha256="ab" * 32, now=now)

    def failed(self, table: str = "weather", name: str = "", now: dt.datetime | None = None) -> Job:
        job = self.running(table, name, now)
        return self.ctx.store.fail(job.id, ErrorCode.SOURCE_UNREACHABLE, now=now)

    def cancelled(self, table: str = "planes", name: str = "", now: dt.datetime | None = None) -> Job:
        job = self.running(table, name, now)
        return self.ctx.store.mark_cancelled(job.id, now=now)

    def expired(self, table: str = "airports", name: str = "", now: dt.datetime | None = None) -> Job:
        job = self.ready(table, name, now)
        return self.ctx.store.expire(job.id)
