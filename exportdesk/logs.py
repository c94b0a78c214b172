"""Logging to rotating files in the data folder's `logs/`; messages never carry a secret."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
from collections.abc import Iterator
from pathlib import Path

from exportdesk.credentials import RedactingFilter

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class JobIdFilter(logging.Filter):
    """A logging filter that starts each record that does not name the job with "Job <id>: ".

    A worker process runs one job, so every record it writes is about that job, also those of
    modules that do not know the job (formats, sources). The details panel finds a job's log
    lines by its id.
    """

    def __init__(self, job_id: str) -> None:
        super().__init__()
        self._job_id = job_id

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._job_id not in message:
            record.msg, record.args = f"Job {self._job_id}: {message}", None
        return True


def setup_logging(folder: Path, file_name: str, level: int = logging.INFO, job_id: str | None = None) -> Path:
    """Add a rotating log file to the root logger; with `job_id`, every record names that job."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / file_name
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2 * 1024 * 1024, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    if job_id is not None:
        handler.addFilter(JobIdFilter(job_id))
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
    return path


@contextlib.contextmanager
def logging_to_file(folder: Path, file_name: str, level: int = logging.INFO) -> Iterator[None]:
    """Send log records to `folder/file_name` while the block runs, then restore the root logger.

    Handlers added inside the block are closed at its end too. When the file cannot be opened,
    records are dropped: with no handler at all, Python would print warnings on stderr.
    """
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    try:
        setup_logging(folder, file_name, level)
    except OSError:
        root.addHandler(logging.NullHandler())
    try:
        yield
    finally:
        for handler in [handler for handler in root.handlers if handler not in handlers_before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level_before)
