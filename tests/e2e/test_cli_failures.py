"""CLI failures a user can cause: a full data folder and a download into the storage folder."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ENGLISH = {"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "", "LANGUAGE": ""}


def run_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, EXPORTDESK_DATA_DIR=str(data_dir), **ENGLISH)
    return subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def tiny_data_dir(tmp_path: Path) -> Iterator[Path]:
    """Mount a 1 MiB tmpfs as the data folder. Mounting needs root, as in CI."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(data_dir)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield data_dir
    finally:
        subprocess.run(["umount", str(data_dir)], check=True)


def test_demo_on_full_disk_names_folder(tiny_data_dir: Path) -> None:
    result = run_cli(tiny_data_dir, "export", "--source", "demo", "--table", "airlines", "--wait")

    assert "Traceback" not in result.stderr
    assert result.returncode == 1
    assert "Not enough disk space" in result.stderr
    assert str(tiny_data_dir / "demo") in result.stderr
    assert list((tiny_data_dir / "demo").glob("*.part")) == []


def test_download_into_storage_rejected(tmp_path: Path) -> None:
    source = tmp_path / "shop.sqlite3"
    connection = sqlite3.connect(source)
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)")
    connection.execute("INSERT INTO orders (total) VALUES (9.5)")
    connection.commit()
    connection.close()
    data_dir = tmp_path / "data"
    exported = run_cli(data_dir, "export", "--source", f"sqlite:///{source}", "--table", "orders", "--wait", "--json")
    assert exported.returncode == 0, exported.stderr
    job = json.loads(exported.stdout)

    storage = data_dir / "exports"
    result = run_cli(data_dir, "download", job["id"], "--to", f"{storage}/")

    assert result.returncode == 2
    assert "storage folder" in result.stderr
    assert not (storage / job["file_name"]).exists()
    assert list(storage.glob(".exportdesk-*")) == []
