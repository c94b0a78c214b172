"""The data folder, settings and the objects every front end (GUI, CLI) works through."""

from __future__ import annotations

import errno
import getpass
import json
import logging
import os
import shlex
from dataclasses import asdict, dataclass, field
from pathlib import Path

import platformdirs
from sqlalchemy import exc as sa_exc

from exportdesk.storage import Storage
from exportdesk.store import JobStore

log = logging.getLogger(__name__)

APP_NAME = "ExportDesk"
DATA_DIR_ENV = "EXPORTDESK_DATA_DIR"
ACCOUNT_ENV = "EXPORTDESK_ACCOUNT"
LOCAL_ACCOUNT = "local"


def default_data_dir() -> Path:
    """Return `EXPORTDESK_DATA_DIR`, or the per-user app-data folder (~/.local/share/ExportDesk on Linux)."""
    configured = os.environ.get(DATA_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def current_owner(account: str | None = None) -> str:
    """Return the owner of new jobs: the OS user plus the source account (`local` by default)."""
    account = account or os.environ.get(ACCOUNT_ENV) or LOCAL_ACCOUNT
    return f"{getpass.getuser()}/{account}"


@dataclass(frozen=True)
class Paths:
    data_dir: Path
    # The platform's log folder for the default data folder; None keeps logs in `<data-dir>/logs`.
    log_dir: Path | None = None

    @property
    def database(self) -> Path:
        return self.data_dir / "jobs.sqlite3"

    @property
    def exports(self) -> Path:
        return self.data_dir / "exports"

    @property
    def logs(self) -> Path:
        return self.log_dir or self.data_dir / "logs"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"


@dataclass
class Settings:
    """User settings, stored as JSON in the data folder. They never contain a secret."""

    retention_s: int = 24 * 3600
    parallel_jobs: int = 2
    language: str = "system"  # "system", "ru" or "en"
    notifications: bool = True
    # Start with only the tray icon shown. Ignored when the desktop has no system tray.
    start_minimized: bool = False
    download_dir: str = ""
    last_choices: dict[str, object] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as error:
            log.warning("Settings: cannot read %s (%s); using defaults", path, error)
            return cls()
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        settings = cls(**known)
        settings.parallel_jobs = max(1, min(16, int(settings.parallel_jobs)))
        settings.retention_s = max(60, int(settings.retention_s))
        return settings

    def save(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, path)


def QT_TR_NOOP(text: str) -> str:  # the name pyside6-lupdate looks for
    """Mark `text` for translation and return it unchanged."""
    return text


def tr(text: str) -> str:
    """Return `text` in the current language.

    exportdesk.i18n is imported on use: it loads Qt, about 50 ms of the start of a worker
    process, which imports this module for `Paths` and never shows a message.
    """
    from exportdesk.i18n import tr as translate

    return translate(text)


class DataDirRejected(Exception):
    """The data folder cannot be used: it is not a folder, cannot be opened, or is not safe.

    A folder is not safe when another user owns it, others can write to it, or its storage
    folder is a symbolic link. `str(error)` is the message in the user's language, and `english` is the same message in
    English, for the log.
    """

    def __init__(self, text: str, **values: object) -> None:
        # `text` is marked with QT_TR_NOOP where it is raised, so it is in the catalogue.
        super().__init__(tr(text).format(**values))
        self.english = text.format(**values)


def check_data_dir(path: Path) -> None:
    """Reject a data folder that another OS user owns or that group or others can write.

    Exports hold the user's data, so a folder another account controls could read them or
    swap files under them. On Windows the owner-only ACL is set instead; this check is POSIX.
    """
    if os.name != "posix":
        return
    info = path.stat()
    if info.st_uid != os.getuid():
        raise DataDirRejected(
            QT_TR_NOOP(
                "The data folder {path} belongs to another user (user ID {uid}). "
                "Choose a folder of your own with --data-dir or $EXPORTDESK_DATA_DIR."
            ),
            path=path,
            uid=info.st_uid,
        )
    if info.st_mode & 0o022:
        raise DataDirRejected(
            QT_TR_NOOP(
                "Other users can write to the data folder {path} (mode {mode}). "
                "Run {command} so that only you can use it."
            ),
            path=path,
            mode=f"{info.st_mode & 0o777:o}",
            command=f"chmod 700 {shlex.quote(str(path))}",
        )
    if info.st_mode & 0o077:
        os.chmod(path, 0o700)  # ours, but readable by others: tighten it
    exports = path / "exports"
    if exports.is_symlink():
        raise DataDirRejected(
            QT_TR_NOOP("The storage folder {path} is a symbolic link. Replace it with a real folder."), path=exports
        )


def _open_failure_reason(error: BaseException) -> str:
    """Name why the data folder or its job database could not be opened, in the user's language.

    An error without a translated reason keeps the operating system's or SQLite's own text.
    """
    reasons = {
        errno.EACCES: QT_TR_NOOP("permission denied"),
        errno.EPERM: QT_TR_NOOP("permission denied"),
        errno.EROFS: QT_TR_NOOP("the file system is read-only"),
        errno.ENOSPC: QT_TR_NOOP("the disk is full"),
        errno.ENOTDIR: QT_TR_NOOP("a part of the path is not a folder"),
    }
    if isinstance(error, OSError) and error.errno in reasons:
        return tr(reasons[error.errno])
    detail = str(getattr(error, "orig", error))
    if "readonly database" in detail:
        return tr("the job database is read-only")
    if "unable to open database file" in detail:
        return tr("the job database file cannot be opened")
    if "database is locked" in detail:
        return tr("the job database is locked by another program")
    return detail


class Context:
    """The opened data folder: job store, storage, settings and the acting owner."""

    def __init__(self, data_dir: Path | None = None, account: str | None = None) -> None:
        # The default data folder logs to the platform's log folder (~/.local/state/ExportDesk/log
        # on Linux). A folder chosen with --data-dir or EXPORTDESK_DATA_DIR keeps its logs inside,
        # so separate data folders never mix their logs.
        chosen = data_dir is not None or bool(os.environ.get(DATA_DIR_ENV))
        log_dir = None if chosen else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
        self.paths = Paths((data_dir or default_data_dir()).expanduser().absolute(), log_dir)
        try:
            if self.paths.data_dir.exists():
                if not self.paths.data_dir.is_dir():
                    raise DataDirRejected(
                        QT_TR_NOOP(
                            "{path} is not a folder, so it cannot be the data folder. "
                            "Choose a folder with --data-dir or $EXPORTDESK_DATA_DIR."
                        ),
                        path=self.paths.data_dir,
                    )
                check_data_dir(self.paths.data_dir)
            else:
                self.paths.data_dir.mkdir(mode=0o700, parents=True)
            self.store = JobStore(self.paths.database)
        except (OSError, sa_exc.OperationalError) as error:
            raise DataDirRejected(
                QT_TR_NOOP(
                    "Cannot open the data folder {path}: {reason}. Check that it exists and that you can "
                    "write to it, or choose another with --data-dir or $EXPORTDESK_DATA_DIR."
                ),
                path=self.paths.data_dir,
                reason=_open_failure_reason(error),
            ) from error
        self.settings = Settings.load(self.paths.settings_file)
        self.storage = Storage(self.paths.exports)
        self.owner = current_owner(account)

    def save_settings(self) -> None:
        self.settings.save(self.paths.settings_file)

    def close(self) -> None:
        self.store.close()
