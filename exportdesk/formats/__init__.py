"""Writers that turn batches of rows into the bytes of an artifact."""

from __future__ import annotations

from typing import Any, Protocol, Sequence

from exportdesk.sources.base import Column


class ByteSink(Protocol):
    def write(self, data: bytes) -> int: ...


class Writer(Protocol):
    """Writes one table: `begin` once, `write_rows` per batch, `end` once."""

    def begin(self, columns: Sequence[Column]) -> None: ...

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None: ...

    def end(self) -> None: ...


FORMATS = ("csv",)
