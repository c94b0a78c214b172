"""Owner-only access on the OS level: folder and file modes, and another OS user's view."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk.context import Context, DataDirRejected
from exportdesk.engine import actions
from exportdesk.engine.retention import sweep
from exportdesk.engine.runner import run_job
from exportdesk.storage import PathOutsideStorage

OTHER_USER = "exportdesk-other"


@pytest.fixture(scope="module")
def other_user() -> Iterator[str]:
    """A second OS account on this machine; creating it needs root, as in CI."""
    if os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("runuser") is None:
        pytest.skip("creating a second OS user needs root, useradd and runuser")
    created = subprocess.run(["useradd", "--no-create-home", OTHER_USER], capture_output=True)
    if created.returncode not in (0, 9):  # 9: the user exists already
        pytest.skip(f"useradd failed: {created.stderr.decode().strip()}")
    yield OTHER_USER
    if created.returncode == 0:
        subprocess.run(["userdel", OTHER_USER], check=False)


def make_ready_artifact(ctx: Context, tmp_path: Path) -> Path:
    import sqlite3

    source = tmp_path / "source.db"
    connection = sqlite3.connect(source)
    connection.execute("CREATE TABLE t (secret TEXT)")
    connection.execute("INSERT INTO t VALUES ('зарплата 100500')")
    connection.commit()
    connection.close()
    job = actions.submit(ctx, actions.new_spec(f"sqlite:///{source}", ("t",)))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    return ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name)


def test_artifact_modes_are_owner_only(ctx: Context, tmp_path: Path) -> None:
    artifact = make_ready_artifact(ctx, tmp_path)
    assert stat.S_IMODE(artifact.stat().st_mode) == 0o600
    assert stat.S_IMODE(artifact.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(artifact.parent.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(ctx.storage.root.stat().st_mode) == 0o700


def test_other_os_user_cannot_read_artifact(ctx: Context, tmp_path: Path, other_user: str) -> None:
    artifact = make_ready_artifact(ctx, tmp_path)
    # Let the other user reach the folders above the data folder, as on a shared machine.
    for parent in [tmp_path, *tmp_path.parents]:
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)
    attempt = subprocess.run(["runuser", "-u", other_user, "--", "cat", str(artifact)], capture_output=True)
    assert attempt.returncode != 0
    assert b"100500" not in attempt.stdout
    assert b"Permission denied" in attempt.stderr


def test_other_os_user_cannot_read_job_database(ctx: Context, tmp_path: Path, other_user: str) -> None:
    make_ready_artifact(ctx, tmp_path)
    for parent in [tmp_path, *tmp_path.parents]:
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)
    attempt = subprocess.run(["runuser", "-u", other_user, "--", "cat", str(ctx.paths.database)], capture_output=True)
    assert attempt.returncode != 0
    assert b"SQLite format" not in attempt.stdout
    assert stat.S_IMODE(ctx.paths.database.stat().st_mode) == 0o600
    assert stat.S_IMODE(ctx.paths.data_dir.stat().st_mode) == 0o700


def test_symlink_planted_in_storage_is_not_followed(ctx: Context, tmp_path: Path) -> None:
    artifact = make_ready_artifact(ctx, tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    planted = ctx.storage.owner_dir(ctx.owner) / "00000000-planted"
    planted.symlink_to(outside, target_is_directory=True)
    job_id = artifact.parent.name
    job = ctx.store.get(ctx.owner, job_id)
    # A job folder replaced by a link that leads out of storage is refused, not read through.
    artifact.parent.rename(tmp_path / "moved-away")
    artifact.parent.symlink_to(outside, target_is_directory=True)
    with pytest.raises(PathOutsideStorage):
        ctx.storage.artifact_path(job.owner, job.id, job.file_name)

    sweep(ctx.store, ctx.storage)
    assert not planted.exists()
    assert (outside / "precious.txt").read_text() == "keep"


def test_data_dir_writable_by_others_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    with pytest.raises(DataDirRejected, match="chmod 700"):
        Context(folder)


def test_data_dir_of_another_user_rejected(tmp_path: Path, other_user: str) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o700)
    shutil.chown(folder, user=other_user)
    with pytest.raises(DataDirRejected, match="another user"):
        Context(folder)


def test_symlinked_storage_rejected(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    outside = tmp_path / "outside"
    outside.mkdir()
    (folder / "exports").symlink_to(outside)
    with pytest.raises(DataDirRejected, match="symbolic link"):
        Context(folder)
