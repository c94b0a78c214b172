"""Schema versions of the job database and the steps between them.

Each step takes a connection inside the upgrade transaction. Add a step for every schema
change and never edit a released one, so a data folder of any older release opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa

from exportdesk.store.schema import jobs_table, meta_table

log = logging.getLogger(__name__)


def _create_v1(connection: sa.Connection) -> None:
    jobs_table.create(connection, checkfirst=True)


MIGRATIONS: list[Callable[[sa.Connection], None]] = [_create_v1]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(Exception):
    def __init__(self, found: int) -> None:
        super().__init__(
            f"The job database has schema version {found}, newer than this release "
            f"understands ({SCHEMA_VERSION}). Install the newer ExportDesk again."
        )


def read_version(connection: sa.Connection) -> int:
    meta_table.create(connection, checkfirst=True)
    value = connection.execute(
        sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")
    ).scalar()
    return int(value) if value is not None else 0


def upgrade(engine: sa.Engine) -> int:
    """Bring the database to `SCHEMA_VERSION` in one transaction; return the version found."""
    with engine.connect().execution_options(immediate=True) as connection, connection.begin():
        found = read_version(connection)
        if found > SCHEMA_VERSION:
            raise SchemaTooNew(found)
        for step in range(found, SCHEMA_VERSION):
            log.info("Job database: migrating schema %d -> %d", step, step + 1)
            MIGRATIONS[step](connection)
        if found != SCHEMA_VERSION:
            connection.execute(sa.delete(meta_table).where(meta_table.c.key == "schema_version"))
            connection.execute(sa.insert(meta_table).values(key="schema_version", value=str(SCHEMA_VERSION)))
    return found
