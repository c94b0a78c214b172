"""The log lines about one job, read back from the log files of the data folder.

Every process writes its own log file in the log folder (`app.log` of the window,
`worker.log` of the workers, `engine.log` and `cli.log` of the command line), and
`RotatingFileHandler` keeps older parts as `NAME.log.1`, `NAME.log.2`, … (see
`exportdesk.logs`). A record starts with its time stamp, and the lines after it that do not
start with one (a traceback) belong to it. The records about a job are those that contain
its id: the engine starts its messages with "Job <id>: ", and a worker adds that prefix to
every record it writes.

Reading is bounded: at most `MAX_FILE_BYTES` from the end of each file and `MAX_TOTAL_BYTES`
in all, so a huge log cannot stall the caller, at the cost of missing the oldest lines of
such a log. Every line returned goes through `redact_log_text`, although the writer redacts
too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from exportdesk.credentials import redact

MAX_LINES = 200
# The size at which `exportdesk.logs` rotates a file, so older parts are not larger.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024

# "2026-12-05 00:27:08,123 ", the `asctime` that `exportdesk.logs.FORMAT` starts with.
_RECORD_START = re.compile(rb"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")
_LOG_NAME = re.compile(r"^(?P<base>.+\.log)(?:\.(?P<number>\d+))?$")
# The password of a URL's user: "scheme://user:PASSWORD@host".
_URL_PASSWORD = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]*:)[^\s@/]+(?P<tail>@)")


@dataclass(frozen=True)
class _Record:
    """One log record: its time stamp and its lines, the first one with the stamp."""

    stamp: bytes
    lines: list[bytes]


def redact_log_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace known secrets, `secrets`, and any password inside a URL with `***`."""
    text = redact(text)
    for secret in secrets:
        if len(secret) >= 3:
            text = text.replace(secret, "***")
    return _URL_PASSWORD.sub(r"\g<head>***\g<tail>", text)


def source_secrets(source: str) -> list[str]:
    """Return the password in a source URL, if it has one, to redact from what is shown."""
    try:
        password = make_url(source).password
    except (ArgumentError, ValueError):
        return []
    return [str(password)] if password else []


def log_files(folder: Path) -> list[list[Path]]:
    """Return the log files in `folder`, grouped by the file they rotate from, newest part first."""
    families: dict[str, list[tuple[int, Path]]] = {}
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = _LOG_NAME.match(path.name)
        if match is None or not path.is_file():
            continue
        number = int(match["number"]) if match["number"] else 0
        families.setdefault(match["base"], []).append((number, path))
    return [[path for _number, path in sorted(parts)] for _base, parts in sorted(families.items())]


def read_job_log(
    folder: Path,
    job_id: str,
    secrets: Iterable[str] = (),
    max_lines: int = MAX_LINES,
    max_file_bytes: int = MAX_FILE_BYTES,
    max_total_bytes: int = MAX_TOTAL_BYTES,
) -> list[str]:
    """Return the last `max_lines` lines of the records that contain `job_id`, oldest first, redacted."""
    needle = job_id.encode()
    budget = max_total_bytes
    records: list[_Record] = []
    for family in log_files(folder):
        found: list[_Record] = []
        for path in family:
            if budget <= 0 or sum(len(record.lines) for record in found) >= max_lines:
                break
            data, read = _read_tail(path, min(max_file_bytes, budget))
            budget -= read
            # An older part goes before the records already found in the newer ones.
            found[0:0] = [record for record in _split_records(data) if any(needle in line for line in record.lines)]
        records.extend(found)
    # The sort is stable, so records with the same time stamp keep the order of their file.
    records.sort(key=lambda record: record.stamp)
    saved = list(secrets)
    lines = [line.decode("utf-8", errors="replace") for record in records for line in record.lines]
    return [redact_log_text(line, saved) for line in lines[-max_lines:]]


def _read_tail(path: Path, limit: int) -> tuple[bytes, int]:
    """Read at most `limit` bytes from the end of `path`, and return the whole lines and the bytes read."""
    try:
        with path.open("rb") as file:
            size = file.seek(0, 2)
            start = max(0, size - limit)
            file.seek(start)
            data = file.read(limit)
    except OSError:
        return b"", 0
    read = len(data)
    if start > 0:
        # The first line is probably cut, so it is dropped.
        newline = data.find(b"\n")
        data = data[newline + 1 :] if newline >= 0 else b""
    return data, read


def _split_records(data: bytes) -> list[_Record]:
    """Split log text into records. Lines before the first time stamp belong to no record and are dropped."""
    records: list[_Record] = []
    for line in data.splitlines():
        if _RECORD_START.match(line):
            records.append(_Record(line[:23], [line]))
        elif records and line:
            records[-1].lines.append(line)
    return records
