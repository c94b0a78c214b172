"""The source protocol: what the runner needs from any place data comes from."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Column:
    name: str
    type_name: str = ""


@dataclass(frozen=True)
class TableInfo:
    name: str
    rows_estimate: int | None
    is_view: bool = False


class TableReader(Protocol):
    """An open read of one table or query."""

    name: str
    columns: Sequence[Column]

    def batches(self, size: int) -> Iterator[Sequence[Sequence[Any]]]: ...


class Source(Protocol):
    def list_tables(self) -> list[TableInfo]: ...

    def count_rows(self, table: str | None = None, query: str | None = None) -> int | None: ...

    def close(self) -> None: ...
