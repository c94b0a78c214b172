"""Schema versions of the job database and the steps between them.

Each step takes a connection inside the upgrade transaction. Add a step for every schema
change and never edit a released one, so a data folder of any older release opens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import sqlalchemy as sa

from exportdesk.store.schema import meta_table

log = logging.getLogger(__name__)


# Version 1 as released, written out so later changes to the schema module cannot alter it.
_V1_STATEMENTS = (
    """CREATE TABLE IF NOT EXISTS jobs (
        id VARCHAR(36) NOT NULL, owner VARCHAR NOT NULL, name VARCHAR NOT NULL,
        state VARCHAR(16) NOT NULL, outcome VARCHAR(32), error_code VARCHAR(32),
        source VARCHAR NOT NULL, selection JSON NOT NULL, format VARCHAR(16) NOT NULL,
        profile VARCHAR(32) NOT NULL, options JSON NOT NULL, retention_s INTEGER NOT NULL,
        file_name VARCHAR NOT NULL, rows_done INTEGER NOT NULL, rows_total INTEGER,
        bytes_written INTEGER NOT NULL, sha256 VARCHAR(64), created_at VARCHAR(26) NOT NULL,
        started_at VARCHAR(26), finished_at VARCHAR(26), expires_at VARCHAR(26),
        progress_at VARCHAR(26), attempts INTEGER NOT NULL, cancel_requested BOOLEAN NOT NULL,
        lease_instance VARCHAR(36), lease_pid INTEGER, heartbeat_at VARCHAR(26), checkpoint JSON,
        PRIMARY KEY (id)
    )""",
    "CREATE INDEX IF NOT EXISTS ix_jobs_owner ON jobs (owner)",
    "CREATE INDEX IF NOT EXISTS ix_jobs_state ON jobs (state)",
    "CREATE INDEX IF NOT EXISTS ix_jobs_expires_at ON jobs (expires_at)",
)


def _create_v1(connection: sa.Connection) -> None:
    for statement in _V1_STATEMENTS:
        connection.exec_driver_sql(statement)


def _add_download_and_error_subject(connection: sa.Connection) -> None:
    connection.exec_driver_sql("ALTER TABLE jobs ADD COLUMN downloaded_at VARCHAR(26)")
    connection.exec_driver_sql("ALTER TABLE jobs ADD COLUMN error_subject VARCHAR")


def _add_sources(connection: sa.Connection) -> None:
    connection.exec_driver_sql(
        """CREATE TABLE IF NOT EXISTS sources (
            owner VARCHAR NOT NULL, name VARCHAR NOT NULL, kind VARCHAR(16) NOT NULL,
            settings JSON NOT NULL, created_at VARCHAR(26) NOT NULL,
            PRIMARY KEY (owner, name)
        )"""
    )


def _add_reminded_at(connection: sa.Connection) -> None:
    connection.exec_driver_sql("ALTER TABLE jobs ADD COLUMN reminded_at VARCHAR(26)")


MIGRATIONS: list[Callable[[sa.Connection], None]] = [
    _create_v1,
    _add_download_and_error_subject,
    _add_sources,
    _add_reminded_at,
]
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
