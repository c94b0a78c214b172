"""Several tables in one ZIP with `manifest.json`, and verification of artifacts.

The manifest names the source (its URL never has a password), the selection, format and
profile, and for each table its file, columns, row count and SHA-256, with the ExportDesk
version and UTC timestamps. `verify_bundle` checks a ZIP against its manifest.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from exportdesk.formats import ByteSink
from exportdesk.sources.base import Column

MANIFEST_NAME = "manifest.json"
_CHUNK = 1024 * 1024


class HashingSink:
    """Pass bytes on to a sink while counting them and computing their SHA-256."""

    def __init__(self, sink: ByteSink) -> None:
        self._sink = sink
        self._digest = hashlib.sha256()
        self.bytes_written = 0

    def write(self, data: bytes) -> int:
        self._sink.write(data)
        self._digest.update(data)
        self.bytes_written += len(data)
        return len(data)

    def flush(self) -> None:
        flush = getattr(self._sink, "flush", None)
        if flush is not None:
            flush()

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@dataclass
class TableEntry:
    table: str
    file: str
    rows: int
    bytes: int
    sha256: str
    columns: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, table: str, file: str, rows: int, sink: HashingSink, columns: list[Column]) -> TableEntry:
        described = [{"name": column.name, "type": column.type_name} for column in columns]
        return cls(table, file, rows, sink.bytes_written, sink.hexdigest(), described)


def manifest_bytes(description: dict[str, Any], entries: list[TableEntry]) -> bytes:
    document = {**description, "tables": [asdict(entry) for entry in entries]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


@dataclass
class VerifyReport:
    checked: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _member_sha256(archive: zipfile.ZipFile, name: str) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def verify_bundle(path: Path) -> VerifyReport:
    """Check every file of a ZIP against `manifest.json`: present, same size and SHA-256, nothing extra."""
    report = VerifyReport()
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if MANIFEST_NAME not in names:
                report.problems.append(f"{MANIFEST_NAME} is missing")
                return report
            manifest = json.loads(archive.read(MANIFEST_NAME))
            listed = set()
            for entry in manifest.get("tables", []):
                name = entry["file"]
                listed.add(name)
                if name not in names:
                    report.problems.append(f"{name} is listed in the manifest but missing")
                    continue
                sha256, size = _member_sha256(archive, name)
                if sha256 != entry["sha256"] or size != entry["bytes"]:
                    report.problems.append(f"{name} differs from the manifest (SHA-256 or size)")
                else:
                    report.checked.append(name)
            for extra in sorted(names - listed - {MANIFEST_NAME}):
                report.problems.append(f"{extra} is not listed in the manifest")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
        report.problems.append(f"cannot read the archive: {error}")
    return report


def verify_file(path: Path, sha256: str | None, size: int | None) -> VerifyReport:
    """Check a single-file artifact against the SHA-256 and size recorded with its job."""
    report = VerifyReport()
    digest = hashlib.sha256()
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            total += len(chunk)
    if sha256 is not None and digest.hexdigest() != sha256:
        report.problems.append(f"{path.name}: SHA-256 differs from the recorded one")
    elif size is not None and total != size:
        report.problems.append(f"{path.name}: size {total} differs from the recorded {size}")
    else:
        report.checked.append(path.name)
    return report
