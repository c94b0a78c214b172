"""The PyInstaller bundle, run as a user runs it: its own executable in a clean environment.

The module builds the bundle from packaging/exportdesk.spec into a temporary folder (20 to
30 s on Debian 12 with 2 cores), or tests the bundle folder that the environment variable
EXPORTDESK_BUNDLE names, such as dist/exportdesk after `bash packaging/build.sh`. Every command
runs with only PATH, HOME and QT_QPA_PLATFORM set, so nothing comes from the venv.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import exportdesk
from tests.postgres import PostgresServer

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the bundle checks cover the Linux build only"
)

REPO_DIR = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO_DIR / "packaging" / "exportdesk.spec"
BUNDLE_ENV = "EXPORTDESK_BUNDLE"
EXECUTABLE_NAME = "exportdesk"
CLEAN_PATH = "/usr/bin:/bin"

# Below pytest's 300 s limit per test (pyproject.toml), so a slow build fails with PyInstaller's output.
BUILD_TIMEOUT_S = 240
COMMAND_TIMEOUT_S = 120
BACKGROUND_JOB_TIMEOUT_S = 60
# How long the window must keep running offscreen before the test stops it.
WINDOW_UP_S = 5.0
WINDOW_STOP_TIMEOUT_S = 30

# Rows of resources/demo/nycflights13/airlines.csv.
AIRLINES_ROWS = 16
# Name parts of files that must stay out of the bundle: the system GTK 3 that Qt's gtk3
# platform theme links, and Qt WebEngine, which PySide6-Essentials does not ship.
FORBIDDEN_NAME_PARTS = ("libgtk-3", "webengine")


@pytest.fixture(scope="module")
def bundle_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get(BUNDLE_ENV)
    if configured:
        folder = Path(configured).resolve()
        if not (folder / EXECUTABLE_NAME).is_file():
            pytest.fail(f"{BUNDLE_ENV}={configured} has no {EXECUTABLE_NAME} executable: build it with packaging/build.sh")
        return folder
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip(
            "PyInstaller is not installed: install the bundle extra (pip install -e '.[bundle]') "
            f"or set {BUNDLE_ENV} to a built bundle folder"
        )
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm",
            "--distpath", str(work / "dist"),
            "--workpath", str(work / "build"),
            str(SPEC_PATH),
        ],
        cwd=REPO_DIR,
        check=False,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    assert result.returncode == 0, f"PyInstaller failed with exit {result.returncode}:\n{result.stderr[-4000:]}"
    return work / "dist" / "exportdesk"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": CLEAN_PATH, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra}


def run_bundle(
    bundle: Path, data_dir: Path, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run one CLI command of the bundle, and fail the test with its stderr when it exits non-zero."""
    result = subprocess.run(
        [str(bundle / EXECUTABLE_NAME), "--data-dir", str(data_dir), *args],
        cwd=data_dir.parent,
        env=clean_env(data_dir.parent / "home", **(extra_env or {})),
        check=False,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    assert result.returncode == 0, f"{' '.join(args)}: exit {result.returncode}\n{result.stderr}"
    return result


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def bundle_files(bundle: Path) -> list[Path]:
    return [path for path in bundle.rglob("*") if path.is_file() or path.is_symlink()]


@pytest.fixture(scope="module")
def airlines_job(bundle_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("bundle-export") / "data"
    result = run_bundle(
        bundle_dir, data_dir,
        "export", "--source", "demo", "--table", "airlines", "--format", "csv", "--name", "Авиакомпании", "--wait", "--json",
    )
    return data_dir, json.loads(result.stdout)


def test_version_matches_package(bundle_dir: Path, tmp_path: Path) -> None:
    result = run_bundle(bundle_dir, tmp_path / "data", "--version")

    assert result.stdout.strip() == f"ExportDesk {exportdesk.__version__}"


def test_demo_export_ends_ready(airlines_job: tuple[Path, dict[str, Any]]) -> None:
    data_dir, job = airlines_job

    assert job["state"] == "ready", job["message"]
    assert job["rows"] == AIRLINES_ROWS
    assert job["rows_total"] == AIRLINES_ROWS
    assert job["name"] == "Авиакомпании"
    # The worker is the bundle's executable started with --worker, and it writes its own log.
    assert job["id"] in (data_dir / "logs" / "worker.log").read_text(encoding="utf-8")


def test_download_matches_sha256(airlines_job: tuple[Path, dict[str, Any]], bundle_dir: Path) -> None:
    data_dir, job = airlines_job
    target = data_dir.parent / "airlines-download.csv"

    result = run_bundle(bundle_dir, data_dir, "download", job["id"], "--to", str(target))

    assert Path(result.stdout.strip()) == target
    assert target.stat().st_size == job["bytes"]
    assert sha256_of(target) == job["sha256"]


def test_export_without_wait_runs_in_background(bundle_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job_id = run_bundle(bundle_dir, data_dir, "export", "--source", "demo", "--table", "airlines").stdout.strip()

    deadline = time.monotonic() + BACKGROUND_JOB_TIMEOUT_S
    while True:
        job = json.loads(run_bundle(bundle_dir, data_dir, "status", job_id, "--json").stdout)
        if job["state"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, f"the background engine did not end job {job_id} in {BACKGROUND_JOB_TIMEOUT_S} s"
        time.sleep(0.2)

    assert job["state"] == "ready", job["message"]
    assert job["rows"] == AIRLINES_ROWS


def test_postgres_export_uses_bundled_driver(bundle_dir: Path, tmp_path: Path, postgres: PostgresServer) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url())
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS bundle_items"))
        connection.execute(sa.text("CREATE TABLE bundle_items (id integer PRIMARY KEY, name text)"))
        connection.execute(sa.text("INSERT INTO bundle_items VALUES (1, 'один'), (2, 'two'), (3, NULL)"))
    engine.dispose()

    # No keyring works in the clean environment, so the CLI keeps the password for this run
    # and hands it to the worker on stdin. PSYCOPG_IMPL=binary makes psycopg fail instead of
    # falling back to a system libpq that the target system may not have.
    result = run_bundle(
        bundle_dir, tmp_path / "data",
        "export", "--source", postgres.url(), "--table", "bundle_items", "--profile", "utf8", "--wait", "--json",
        extra_env={"PSYCOPG_IMPL": "binary"},
    )
    job = json.loads(result.stdout)

    assert job["state"] == "ready", job["message"]
    assert job["rows"] == 3


def test_window_starts_offscreen(bundle_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    # Russian makes the window load Qt's qtbase_ru.qm from the bundle.
    env = clean_env(tmp_path / "home", LANG="ru_RU.UTF-8")
    window = subprocess.Popen(
        [str(bundle_dir / EXECUTABLE_NAME), "--data-dir", str(data_dir)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(WINDOW_UP_S)
        exit_code_while_up = window.poll()
        # The window quits on SIGTERM without asking, as at logout.
        window.send_signal(signal.SIGTERM)
        output, _ = window.communicate(timeout=WINDOW_STOP_TIMEOUT_S)
    finally:
        if window.poll() is None:
            window.kill()
            window.wait()

    assert exit_code_while_up is None, f"the window exited with {exit_code_while_up} within {WINDOW_UP_S} s:\n{output}"
    assert window.returncode == 0, output
    app_log = (data_dir / "logs" / "app.log").read_text(encoding="utf-8")
    assert "language ru" in app_log
    assert "qtbase_ru.qm" not in app_log, "the window did not find Qt's Russian translation in the bundle"
    assert "exportdesk_ru.qm" not in app_log, "the window did not find ExportDesk's Russian translation in the bundle"


def test_bundle_leaves_out_gtk_and_webengine(bundle_dir: Path) -> None:
    forbidden = [
        str(path.relative_to(bundle_dir))
        for path in bundle_files(bundle_dir)
        if any(part in path.name.lower() for part in FORBIDDEN_NAME_PARTS)
    ]

    assert forbidden == []


def test_bundle_contains_runtime_parts(bundle_dir: Path) -> None:
    internal = bundle_dir / "_internal"
    qt_dir = internal / "PySide6" / "Qt"

    assert (qt_dir / "plugins" / "platforms" / "libqxcb.so").is_file()
    assert (qt_dir / "plugins" / "platforms" / "libqoffscreen.so").is_file()
    assert (qt_dir / "translations" / "qtbase_ru.qm").is_file()
    assert (internal / "resources" / "demo" / "nycflights13" / "airlines.csv").is_file()
    assert (internal / "resources" / "translations" / "exportdesk_ru.qm").is_file()
    assert (internal / "resources" / "translations" / "exportdesk_en.qm").is_file()
    assert list((internal / "psycopg_binary").glob("pq.*.so")), "psycopg_binary's C extension is missing"
