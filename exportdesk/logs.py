"""Logging to rotating files in the data folder's `logs/`; messages never carry a secret."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from exportdesk.credentials import RedactingFilter

FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


def setup_logging(folder: Path, file_name: str, level: int = logging.INFO) -> Path:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / file_name
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2 * 1024 * 1024, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root = logging.getLogger()
    root.setLevel(level)
    root.addHandler(handler)
    try:
        os.chmod(path, 0o600)
    except OSError:
        pass
    return path
