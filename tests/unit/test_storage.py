"""Storage: safe file names, owner-only permissions, atomic finish, paths kept inside."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from exportdesk.storage import PathOutsideStorage, Storage, safe_file_stem


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("..\\..\\Windows\\win.ini", "Windows_win.ini"),
        ("../../.bashrc", "bashrc"),
        ("отчёт/2024:март", "отчёт_2024_март"),
        ("CON", "CON_"),
        ("nul.txt", "nul.txt_"),
        ("", "export"),
        ("a\x00b\x1fc", "a_b_c"),
    ],
)
def test_safe_file_stem(name: str, expected: str) -> None:
    assert safe_file_stem(name) == expected


def test_artifact_paths_stay_inside_owner_folder(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "exports")
    for name in ("..\\..\\Windows\\win.ini", "../../.bashrc", "отчёт/2024:март", "CON"):
        path = storage.artifact_path("alice/local", "job-1", safe_file_stem(name) + ".csv")
        assert storage.owner_dir("alice/local").resolve() in path.resolve().parents
    with pytest.raises(PathOutsideStorage):
        storage.artifact_path("alice/local", "job-1", "../../../escape.csv")


def test_writer_finishes_atomically_with_private_modes(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "exports")
    with storage.open_writer("alice/local", "job-1", "out.csv") as writer:
        writer.write(b"a,b\n1,2\n")
        assert writer.part_path.exists()
        assert not writer.final_path.exists()
        digest = writer.finish()
    final = storage.artifact_path("alice/local", "job-1", "out.csv")
    assert final.read_bytes() == b"a,b\n1,2\n"
    assert digest == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert not final.with_name("out.csv.part").exists()
    assert stat.S_IMODE(final.stat().st_mode) == 0o600
    assert stat.S_IMODE(final.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(storage.owner_dir("alice/local").stat().st_mode) == 0o700


def test_writer_aborted_leaves_no_part(tmp_path: Path) -> None:
    storage = Storage(tmp_path / "exports")
    with pytest.raises(RuntimeError):
        with storage.open_writer("alice/local", "job-1", "out.csv") as writer:
            writer.write(b"partial")
            raise RuntimeError("simulated failure")
    assert list(storage.job_dir("alice/local", "job-1").iterdir()) == []


def test_default_data_dir_logs_to_platform_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from exportdesk.context import Context

    monkeypatch.delenv("EXPORTDESK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state-home"))
    default = Context()
    chosen = Context(tmp_path / "chosen")
    try:
        assert default.paths.data_dir == tmp_path / "data-home" / "ExportDesk"
        assert default.paths.logs == tmp_path / "state-home" / "ExportDesk" / "log"
        assert chosen.paths.logs == tmp_path / "chosen" / "logs"
    finally:
        default.close()
        chosen.close()
