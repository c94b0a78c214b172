"""The set-up scripts print their own lines in Russian under a Russian locale.

Only paths that install nothing run here: --help, an unknown option, and
install-system-deps.sh without package groups, which checks the venv and stops.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
SCRIPTS = REPO_DIR / "scripts"


def run_script(name: str, *arguments: str, locale: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env["LANG"] = locale
    return subprocess.run(
        ["bash", str(SCRIPTS / name), *arguments], env=env, capture_output=True, text=True, timeout=60, cwd=REPO_DIR
    )


@pytest.mark.parametrize("name", ["setup.sh", "install-system-deps.sh"])
def test_help_in_russian(name: str) -> None:
    result = run_script(name, "--help", locale="ru_RU.UTF-8")
    assert result.returncode == 0
    assert result.stdout.startswith("использование: ")


@pytest.mark.parametrize("name", ["setup.sh", "install-system-deps.sh"])
def test_help_in_english(name: str) -> None:
    result = run_script(name, "--help", locale="en_US.UTF-8")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: ")


@pytest.mark.parametrize(("name", "prefix"), [("setup.sh", "setup"), ("install-system-deps.sh", "install-system-deps")])
def test_unknown_option_in_russian(name: str, prefix: str) -> None:
    result = run_script(name, "--bogus", locale="ru_RU.UTF-8")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"{prefix}: неизвестный параметр: --bogus"
    assert lines[1].startswith("использование: ")


def test_lc_all_beats_lang() -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="ru_RU.UTF-8", LC_ALL="C.UTF-8")
    result = subprocess.run(
        ["bash", str(SCRIPTS / "setup.sh"), "--help"], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.startswith("usage: ")


@pytest.mark.skipif(
    not (REPO_DIR / ".venv" / "bin" / "python").exists() or shutil.which("dpkg-query") is None,
    reason="needs the project's .venv and a Debian-based system",
)
def test_nothing_to_install_in_russian() -> None:
    # Without --gui or --test the only check is for a working venv, which .venv proves.
    result = run_script("install-system-deps.sh", locale="ru_RU.UTF-8")
    assert result.returncode == 0
    assert result.stdout == "install-system-deps: все системные пакеты установлены\n"
