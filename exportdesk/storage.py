"""Managed storage of artifacts: owner folders, safe file names, atomic finishing, checksums.

Layout: `<data-dir>/exports/<owner>/<job-id>/<file name>`. Folders are 0700 and files 0600.
A job writes `<file name>.part`; only `ArtifactWriter.finish()` gives it its final name,
after flush and fsync, so a partial file is never offered as finished.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import signal
import unicodedata
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
_COPY_CHUNK = 1024 * 1024

# Names Windows reserves for devices, with or without an extension. Windows also treats the
# superscript digits ¹ ² ³ as digits in COM and LPT names.
_RESERVED_WINDOWS = (
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{device}{digit}" for device in ("COM", "LPT") for digit in "123456789¹²³"}
)
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
# Most file systems allow 255 bytes in a name; this leaves room for an extension, `.part`
# and the temporary name of a download.
MAX_STEM_BYTES = 180


class PathOutsideStorage(ValueError):
    pass


def safe_file_stem(name: str, fallback: str = "export") -> str:
    """Turn a user's export name into a file name stem that is safe on every platform.

    Path separators, `..`, `:`, wildcard and control characters become `_`, reserved Windows
    device names get a `_` appended, and letters of any script are kept.
    """
    text = unicodedata.normalize("NFC", name).strip()
    text = _UNSAFE_CHARS.sub("_", text)
    text = text.replace("..", "_")
    text = re.sub(r"_+", "_", text).strip(" ._")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED_WINDOWS:
        text = f"{text}_"
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_STEM_BYTES:
        text = encoded[:MAX_STEM_BYTES].decode("utf-8", errors="ignore")
    return text.rstrip(" .") or fallback


def owner_folder_name(owner: str) -> str:
    """Map an owner such as `alice/local` to a folder name that no other owner shares.

    The readable part is cleaned like a file name, so two owners can clean to the same text.
    The hash of the exact owner keeps their folders apart.
    """
    digest = hashlib.sha256(owner.encode("utf-8")).hexdigest()[:12]
    return f"{safe_file_stem(owner.replace('/', '_'), fallback='owner')[:60]}-{digest}"


def ensure_private_dir(path: Path) -> Path:
    # NOTE: on Windows chmod cannot keep other users out; an owner-only ACL is not set yet.
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class Storage:
    def __init__(self, root: Path) -> None:
        self.root = ensure_private_dir(root)

    def owner_dir(self, owner: str) -> Path:
        return self.root / owner_folder_name(owner)

    def job_dir(self, owner: str, job_id: str) -> Path:
        return self._inside(self.owner_dir(owner) / job_id, owner)

    def artifact_path(self, owner: str, job_id: str, file_name: str) -> Path:
        return self._inside(self.job_dir(owner, job_id) / file_name, owner)

    def _inside(self, path: Path, owner: str) -> Path:
        base = self.owner_dir(owner).resolve()
        resolved = path.resolve()
        if resolved != base and base not in resolved.parents:
            raise PathOutsideStorage(f"{path} resolves outside the storage folder {base}")
        return path

    def open_writer(self, owner: str, job_id: str, file_name: str) -> ArtifactWriter:
        ensure_private_dir(self.owner_dir(owner))
        job_dir = ensure_private_dir(self.job_dir(owner, job_id))
        return ArtifactWriter(job_dir / file_name)

    def resume_writer(self, owner: str, job_id: str, file_name: str, offset: int) -> ArtifactWriter:
        """Reopen a job's `.part` file at a checkpoint's byte offset; raise `CannotResume` if it is short."""
        return ArtifactWriter(self.job_dir(owner, job_id) / file_name, resume_at=offset)

    def delete_job_files(self, owner: str, job_id: str) -> bool:
        """Delete the job's folder and everything in it; return False when it did not exist."""
        folder = self.job_dir(owner, job_id)
        if not folder.exists():
            return False
        try:
            shutil.rmtree(folder)
        except FileNotFoundError:
            # A sweep deleted the folder, or part of it, meanwhile; finish what is left.
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            if folder.exists():
                raise
            return False
        log.info("Job %s: deleted folder %s", job_id, folder)
        return True

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.root).free

    def job_folders(self) -> list[tuple[str, Path]]:
        """List `(job id, entry)` for every entry inside an owner folder, files included."""
        found: list[tuple[str, Path]] = []
        for owner_dir in self.owner_folders():
            for job_dir in sorted(owner_dir.iterdir()):
                found.append((job_dir.name, job_dir))
        return found

    def owner_folders(self) -> list[Path]:
        return sorted(p for p in self.root.iterdir() if p.is_dir() and not p.is_symlink())

    def stray_entries(self) -> list[Path]:
        """List what lies in the storage root besides owner folders: files and symbolic links."""
        return sorted(p for p in self.root.iterdir() if p.is_symlink() or not p.is_dir())


FAULT_ENV = "EXPORTDESK_TEST_FAULT"


def _inject_fault(point: str) -> None:
    """Kill this process at `point` when the crash tests ask for it through `EXPORTDESK_TEST_FAULT`.

    The tests set it to `kill-before-rename` or `kill-after-rename` to stop a worker exactly
    at the moment a real crash is least likely to be caught by chance.
    """
    if os.environ.get(FAULT_ENV) == f"kill-{point}":
        os.kill(os.getpid(), signal.SIGKILL)


class CannotResume(Exception):
    pass


class ArtifactWriter:
    """A binary file written as `<name>.part`, hashed while written, renamed by `finish()`.

    With `resume_at` the existing `.part` file is cut to that many bytes and writing goes on
    from there. The SHA-256 of the kept bytes is computed again by reading them.
    """

    def __init__(self, final_path: Path, resume_at: int | None = None) -> None:
        self.final_path = final_path
        self.part_path = final_path.with_name(final_path.name + PART_SUFFIX)
        self._digest = hashlib.sha256()
        self.bytes_written = 0
        self._finished = False
        if resume_at is None:
            fd = os.open(self.part_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            self._file: BinaryIO = os.fdopen(fd, "wb", buffering=_COPY_CHUNK)
            return
        try:
            size = self.part_path.stat().st_size
        except FileNotFoundError:
            raise CannotResume(f"{self.part_path} is missing") from None
        if size < resume_at:
            raise CannotResume(f"{self.part_path} has {size} bytes, fewer than the checkpoint's {resume_at}")
        fd = os.open(self.part_path, os.O_RDWR)
        os.ftruncate(fd, resume_at)
        self._file = os.fdopen(fd, "r+b", buffering=_COPY_CHUNK)
        while chunk := self._file.read(_COPY_CHUNK):
            self._digest.update(chunk)
        self.bytes_written = resume_at
        self._file.seek(resume_at)

    def write(self, data: bytes) -> int:
        self._file.write(data)
        self._digest.update(data)
        self.bytes_written += len(data)
        return len(data)

    def flush(self) -> None:
        self._file.flush()

    def sync(self) -> None:
        """Flush and fsync, so a checkpoint may name `bytes_written` as durable."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close and keep the partial file, to resume from it later."""
        if not self._file.closed:
            self._file.flush()
            self._file.close()
        self._finished = True

    def finish(self) -> str:
        """Flush, fsync, rename to the final name and fsync the folder; return the SHA-256."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        _inject_fault("before-rename")
        os.replace(self.part_path, self.final_path)
        fsync_dir(self.final_path.parent)
        _inject_fault("after-rename")
        self._finished = True
        return self._digest.hexdigest()

    def abort(self) -> None:
        """Close and delete the partial file."""
        if not self._file.closed:
            self._file.close()
        self.part_path.unlink(missing_ok=True)

    def __enter__(self) -> ArtifactWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._finished:
            self.abort()
