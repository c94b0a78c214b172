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
from exportdesk.i18n import QT_TR_NOOP, format_count, tr
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


@dataclass(frozen=True)
class VerifyProblem:
    """One way an artifact differs from its manifest or its record.

    `str()` is the English text, with the technical cause, for the log. `message()` is the text
    in the user's language, which names the file and what to do.
    """

    # An English text marked with QT_TR_NOOP, with {name} and the keys of `values` as placeholders.
    text: str
    # The file, or the ZIP member, at fault.
    name: str
    values: tuple[tuple[str, int], ...] = ()
    # The technical cause, such as an OSError's text, for the log only.
    detail: str = ""

    def __str__(self) -> str:
        english = self.text.format(name=self.name, **dict(self.values))
        return f"{english} ({self.detail})" if self.detail else english

    def message(self) -> str:
        numbers = {key: format_count(value) for key, value in self.values}
        return tr(self.text).format(name=self.name, **numbers)


@dataclass
class VerifyReport:
    checked: list[str] = field(default_factory=list)
    problems: list[VerifyProblem] = field(default_factory=list)

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
                report.problems.append(
                    VerifyProblem(QT_TR_NOOP("{name} has no manifest.json, so its files cannot be checked: export again"), path.name)
                )
                return report
            manifest = json.loads(archive.read(MANIFEST_NAME))
            listed = set()
            for entry in manifest.get("tables", []):
                name = entry["file"]
                listed.add(name)
                if name not in names:
                    report.problems.append(
                        VerifyProblem(QT_TR_NOOP("{name} is listed in the manifest but missing: export again"), name)
                    )
                    continue
                sha256, size = _member_sha256(archive, name)
                if sha256 != entry["sha256"] or size != entry["bytes"]:
                    report.problems.append(
                        VerifyProblem(
                            QT_TR_NOOP(
                                "{name} differs from the manifest (SHA-256 or size), so it was changed or damaged "
                                "after the export: export again"
                            ),
                            name,
                        )
                    )
                else:
                    report.checked.append(name)
            for extra in sorted(names - listed - {MANIFEST_NAME}):
                report.problems.append(
                    VerifyProblem(
                        QT_TR_NOOP("{name} is not listed in the manifest, so it was added after the export: remove it or export again"), extra
                    )
                )
    except zipfile.BadZipFile as error:
        report.problems.append(
            VerifyProblem(QT_TR_NOOP("{name} is not a ZIP archive or is damaged: check the file or export again"), path.name, detail=str(error))
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        report.problems.append(
            VerifyProblem(QT_TR_NOOP("the manifest.json in {name} is damaged and cannot be read: export again"), path.name, detail=repr(error))
        )
    except OSError as error:
        report.problems.append(
            VerifyProblem(QT_TR_NOOP("cannot read {name}: check that the file exists and that you can read it"), path.name, detail=str(error))
        )
    return report


def verify_file(path: Path, sha256: str | None, size: int | None) -> VerifyReport:
    """Check a single-file artifact against the SHA-256 and size recorded with its job.

    Raises OSError when the file cannot be read.
    """
    report = VerifyReport()
    digest = hashlib.sha256()
    total = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            total += len(chunk)
    if sha256 is not None and digest.hexdigest() != sha256:
        report.problems.append(
            VerifyProblem(
                QT_TR_NOOP(
                    "{name} does not match the recorded SHA-256, so it was changed or damaged "
                    "after the export: export again"
                ),
                path.name,
            )
        )
    elif size is not None and total != size:
        report.problems.append(
            VerifyProblem(
                QT_TR_NOOP(
                    "{name} is {size} bytes, not the recorded {recorded}, so it was changed or damaged "
                    "after the export: export again"
                ),
                path.name,
                (("size", total), ("recorded", size)),
            )
        )
    else:
        report.checked.append(path.name)
    return report
