"""Errors that come from below the command line, printed in Russian: HTTP source settings,
verification problems, a rejected data folder and the progress line's percentage.

Each case calls exportdesk.cli.main() in this process with LANG=ru_RU.UTF-8 and checks that
no Latin-script word outside the allow-list of test_cli_language reaches the user.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from exportdesk import cli
from exportdesk.formats.bundle import verify_file
from exportdesk.i18n import set_language
from exportdesk.jobs import JobState
from tests.e2e.test_cli_language import foreign_words, fresh_data_dir, run_main  # noqa: F401 - fresh_data_dir is a fixture


@pytest.fixture
def russian(monkeypatch: pytest.MonkeyPatch, fresh_data_dir: Path) -> Path:  # noqa: F811 - the imported fixture
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    return fresh_data_dir


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--page-size", "0"], "ошибка: недопустимый размер страницы 0: укажите целое число от 1 и больше"),
        (
            ["--records-path", "data..items"],
            "ошибка: недопустимый путь к записям 'data..items': укажите имена ключей через точку, например data.items",
        ),
        (["--http", "ftp://127.0.0.1/api"], "ошибка: недопустимый базовый URL 'ftp://127.0.0.1/api': укажите http://хост"),
        (
            ["--endpoint", "orders=http://127.0.0.2/orders"],
            "ошибка: конечная точка 'orders' ведёт за пределы http://127.0.0.1:9: укажите путь на этом сервере",
        ),
        (
            ["--pagination", "cursor", "--cursor-path", "meta."],
            "ошибка: недопустимый путь к курсору 'meta.': укажите имена ключей через точку",
        ),
    ],
    ids=["page size", "records path", "base URL", "endpoint outside", "cursor path"],
)
def test_bad_http_source_setting_in_russian(
    capsys: pytest.CaptureFixture[str], russian: Path, options: list[str], expected: str
) -> None:
    arguments = ["source", "add", "shop", "--http", "http://127.0.0.1:9", "--endpoint", "orders=/orders"]
    code, out, err = run_main(capsys, *arguments, *options)
    assert code == 2
    assert out == ""
    assert expected in err
    # The endpoint's name and path are values the user typed.
    assert foreign_words(err.replace("/api/orders", "").replace("orders", "")) == []


def write_bundle(path: Path, members: dict[str, bytes], listed: dict[str, bytes]) -> None:
    """Write a ZIP with `members` and a manifest that records `listed`."""
    tables = [
        {"table": name, "file": name, "rows": 1, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in listed.items()
    ]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps({"tables": tables}))


def test_failing_verify_in_russian(capsys: pytest.CaptureFixture[str], russian: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "выгрузка.ZIP"
    original = {"заказы.csv": b"id\n1\n", "клиенты.csv": b"id\n2\n", "товары.csv": b"id\n3\n"}
    changed = {"заказы.csv": b"id\n1\n", "клиенты.csv": b"id\n22\n", "лишний.csv": b"x\n"}
    write_bundle(bundle, changed, original)
    code = cli.main(["verify", str(bundle)])
    out = capsys.readouterr().out
    assert code == cli.EXIT_JOB_FAILED
    lines = out.splitlines()
    assert lines[0] == "верно    заказы.csv"
    assert "ОШИБКА   клиенты.csv не совпадает с манифестом (SHA-256 или размер)" in out
    assert "ОШИБКА   товары.csv указан в манифесте, но отсутствует в архиве: запустите экспорт снова" in out
    assert "ОШИБКА   лишний.csv не указан в манифесте, значит, файл добавлен после экспорта" in out
    assert len(lines) == 4
    assert foreign_words(out) == []


def test_verify_of_damaged_archive_in_russian(capsys: pytest.CaptureFixture[str], russian: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "выгрузка.ZIP"
    damaged.write_bytes(b"not a zip archive")
    code = cli.main(["verify", str(damaged)])
    out = capsys.readouterr().out
    assert code == cli.EXIT_JOB_FAILED
    assert out == "ОШИБКА   выгрузка.ZIP не является ZIP-архивом или повреждён: проверьте файл или запустите экспорт снова\n"
    assert foreign_words(out) == []


def test_size_problem_uses_russian_digit_grouping(tmp_path: Path) -> None:
    artifact = tmp_path / "заказы.csv"
    artifact.write_bytes(b"x" * 1234)
    report = verify_file(artifact, None, 12345)
    set_language("ru")
    try:
        message = report.problems[0].message()
    finally:
        set_language("en")
    assert message.startswith("размер заказы.csv в байтах — 1\u00a0234, а записан 12\u00a0345, значит, файл изменён")
    assert str(report.problems[0]).startswith("заказы.csv is 1234 bytes, not the recorded 12345")


def rejected_by_mode(folder: Path) -> str:
    folder.mkdir()
    folder.chmod(0o777)
    # shlex.quote() puts a path with Cyrillic letters in quotes, so the command can be pasted as is.
    command = f"chmod 700 {shlex.quote(str(folder))}"
    return f"Другие пользователи могут записывать в папку данных {folder} (права 777). Выполните {command}, "


def rejected_as_file(folder: Path) -> str:
    folder.write_text("not a folder")
    return f"{folder} — не папка, поэтому не может быть папкой данных. Выберите папку с помощью --data-dir"


def rejected_by_symlink(folder: Path) -> str:
    folder.mkdir(mode=0o700)
    (folder.parent / "elsewhere").mkdir()
    (folder / "exports").symlink_to(folder.parent / "elsewhere")
    return f"Папка хранилища {folder / 'exports'} — символическая ссылка. Замените её обычной папкой."


@pytest.mark.parametrize("make_folder", [rejected_by_mode, rejected_as_file, rejected_by_symlink])
def test_rejected_data_folder_in_russian(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path, make_folder: object
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    folder = tmp_path / "данные"
    expected = make_folder(folder)  # type: ignore[operator]
    try:
        code = cli.main(["--data-dir", str(folder), "list"])
    finally:
        set_language("en")
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE
    assert expected in err
    # Paths and the chmod command are what the user types, not words to translate.
    without_paths = re.sub(re.escape(str(tmp_path)) + r"\S*", "", err)
    assert foreign_words(without_paths.replace("chmod", "")) == []


@pytest.mark.parametrize(("language", "expected"), [("ru", "  12,5% 1/8 строк"), ("en", "  12.5% 1/8 rows")])
def test_progress_percentage_uses_locale_separator(language: str, expected: str) -> None:
    job = SimpleNamespace(rows_total=8, rows_done=1, state=JobState.RUNNING)
    set_language(language)
    try:
        line = cli._progress_line(job)  # type: ignore[arg-type]
    finally:
        set_language("en")
    assert line.endswith(expected)


def test_log_lines_stay_off_terminal(capsys: pytest.CaptureFixture[str], russian: Path, tmp_path: Path) -> None:
    missing = tmp_path / "нет" / "магазин.db"
    assert cli.main(["source", "add", "магазин", "--url", f"sqlite:///{missing}"]) == cli.EXIT_OK
    capsys.readouterr()

    # The real command, because pytest's own log handlers would hide what Python prints without one.
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    result = subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", "source", "test", "магазин"],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == cli.EXIT_JOB_FAILED
    assert result.stderr == "Не удалось подключиться к источнику данных. Проверьте, что он доступен, и повторите экспорт.\n"
    # The English log line goes to the data folder's log file instead.
    log_text = (russian / "logs" / cli.CLI_LOG_FILE).read_text(encoding="utf-8")
    assert "Source магазин: test failed with source_unreachable" in log_text
