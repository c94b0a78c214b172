"""Sources an owner saved by name. Settings never hold a secret: those are in the keyring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from exportdesk.jobs import utcnow
from exportdesk.store.jobstore import JobStore
from exportdesk.store.schema import sources_table

S = sources_table.c


class SourceNotFound(LookupError):
    def __init__(self, name: str) -> None:
        super().__init__(f"Source {name!r} not found")
        self.name = name


@dataclass(frozen=True)
class SavedSource:
    owner: str
    name: str
    kind: str  # "sql" or "http"
    settings: dict[str, Any]
    created_at: dt.datetime


class SavedSources:
    def __init__(self, store: JobStore) -> None:
        self._store = store

    def save(self, owner: str, name: str, kind: str, settings: dict[str, Any]) -> SavedSource:
        """Insert or replace the owner's source called `name`."""
        now = utcnow()
        with self._store._write() as connection:
            connection.execute(sa.delete(sources_table).where(S.owner == owner, S.name == name))
            connection.execute(
                sa.insert(sources_table).values(owner=owner, name=name, kind=kind, settings=settings, created_at=now)
            )
        return SavedSource(owner, name, kind, settings, now)

    def get(self, owner: str, name: str) -> SavedSource:
        with self._store._read() as connection:
            row = connection.execute(sa.select(sources_table).where(S.owner == owner, S.name == name)).first()
        if row is None:
            raise SourceNotFound(name)
        return SavedSource(row.owner, row.name, row.kind, dict(row.settings), row.created_at)

    def list(self, owner: str) -> list[SavedSource]:
        with self._store._read() as connection:
            rows = connection.execute(sa.select(sources_table).where(S.owner == owner).order_by(S.name)).all()
        return [SavedSource(row.owner, row.name, row.kind, dict(row.settings), row.created_at) for row in rows]

    def remove(self, owner: str, name: str) -> SavedSource:
        source = self.get(owner, name)
        with self._store._write() as connection:
            connection.execute(sa.delete(sources_table).where(S.owner == owner, S.name == name))
        return source
