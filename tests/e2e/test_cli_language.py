"""The command line in the user's language: help, argparse's own texts and usage errors.

Most cases call exportdesk.cli.main() in this process, which reads the language setting and
the locale variables the way the `exportdesk` command does. One case runs the real command.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk import argparse_i18n, cli
from exportdesk.i18n import set_language, tr

COMMANDS = [
    [], ["export"], ["list"], ["status"], ["wait"], ["download"], ["cancel"], ["remove"], ["source"],
    ["source", "add"], ["source", "list"], ["source", "test"], ["source", "remove"], ["verify"], ["run"], ["sweep"],
]

# Latin words a Russian user may meet: the program, its commands and the values typed on the
# command line, and product and format names. Option names, {choice} lists, $VARIABLES, URLs,
# 'quoted values' and durations such as 24h are removed before the check.
ALLOWED_LATIN = {
    "exportdesk", "ExportDesk", "export", "list", "status", "wait", "download", "cancel", "remove", "source",
    "add", "test", "verify", "run", "sweep",
    "CSV", "csv", "XLSX", "xlsx", "JSON", "Lines", "json", "jsonl", "ZIP", "Excel", "SQL", "SQLAlchemy", "URL",
    "HTTP", "API", "NULL", "SHA-256", "utf-8", "cp1251", "excel-ru", "basic", "X-API-Key",
    "data.items", "next", "next_cursor", "cursor", "next_url",
    "s", "m", "h", "d",  # the units of a duration
}
NOT_WORDS = re.compile(
    r"(?<![\w-])--?[a-z][a-z-]*"  # option names
    r"|\{[^}]*\}"  # choice lists
    r"|\$[A-Z_]+"  # environment variables
    r"|https?://\S+"
    r"|'[^']*'"  # values the user typed or should type
    r"|\b\d+[smhd]\b"  # durations
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]")


def foreign_words(text: str) -> list[str]:
    """Return the Latin-script words of `text` that are not on the allow-list."""
    return [word for word in LATIN_WORD.findall(NOT_WORDS.sub(" ", text)) if word not in ALLOWED_LATIN]


@pytest.fixture
def fresh_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Point the CLI at a data folder that does not exist yet, so the language setting is "system"."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("EXPORTDESK_DATA_DIR", str(data_dir))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    yield data_dir
    set_language("en")


def run_main(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """Run the CLI's main() until argparse exits, returning the exit code, stdout and stderr."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(arguments))
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command) or "exportdesk")
def test_russian_help_has_no_english(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path, command: list[str]
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    code, out, _err = run_main(capsys, *command, "--help")
    assert code == 0
    assert out.startswith("использование: exportdesk")
    assert "параметры:" in out
    assert foreign_words(out) == []


def test_help_leaves_data_folder_alone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    run_main(capsys, "--help")
    assert not fresh_data_dir.exists()


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["exprot"], "exportdesk: ошибка: КОМАНДА: недопустимое значение 'exprot' (допустимые: 'export', "),
        (["status"], "exportdesk status: ошибка: не указаны обязательные аргументы: ЗАДАНИЕ"),
        (["export", "--source", "demo", "--format", "pdf"], "exportdesk export: ошибка: --format: недопустимое значение 'pdf'"),
        (["export", "--source", "demo", "--table", "t", "--retention", "soon"], "ошибка: --retention: недопустимый срок 'soon'"),
        (["export", "--source", "demo", "--table", "t", "--query", "q"], "ошибка: --query: нельзя указывать вместе с --table"),
        (["--bogus"], "exportdesk: ошибка: неизвестные аргументы: --bogus"),
        (["download", "x", "--to"], "ошибка: --to: нужно одно значение"),
        (["export", "--source", "demo"], "ошибка: укажите либо --table ТАБЛИЦА (одну или несколько), либо --query SQL"),
    ],
    ids=["unknown command", "missing argument", "bad choice", "bad duration", "exclusive options", "unknown option",
         "missing value", "handler usage error"],
)
def test_russian_usage_errors(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fresh_data_dir: Path,
    arguments: list[str],
    expected: str,
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    code, out, err = run_main(capsys, *arguments)
    assert code == 2
    assert out == ""
    assert err.startswith("использование: exportdesk")
    assert expected in err
    assert foreign_words(err) == []


def test_english_help_unchanged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, out, _err = run_main(capsys, "download", "--help")
    assert code == 0
    assert out.startswith("usage: exportdesk download [-h] --to PATH JOB\n")
    assert "\npositional arguments:\n  JOB " in out
    assert "\noptions:\n  -h, --help  show this help message and exit\n" in out
    assert "  --to PATH   destination file or folder\n" in out


def test_english_usage_error_unchanged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code, _out, err = run_main(capsys, "export", "--source", "demo", "--format", "pdf")
    assert code == 2
    assert err.startswith("usage: exportdesk export ")
    assert err.endswith(
        "exportdesk export: error: argument --format: invalid choice: 'pdf' (choose from 'csv', 'xlsx', 'jsonl', 'json')\n"
    )


def test_language_setting_beats_locale(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path, tmp_path: Path
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    chosen = tmp_path / "english"
    chosen.mkdir()
    (chosen / "settings.json").write_text(json.dumps({"language": "en"}), encoding="utf-8")
    for data_dir_option in (["--data-dir", str(chosen)], [f"--data-dir={chosen}"], ["--data", str(chosen)]):
        code, out, _err = run_main(capsys, "--account", "a", *data_dir_option, "list", "--help")
        assert code == 0, data_dir_option
        assert out.startswith("usage: exportdesk list"), data_dir_option


def test_argparse_names_restored_after_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], fresh_data_dir: Path
) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    run_main(capsys, "--help")
    assert argparse.ArgumentParser(prog="other").format_usage() == "usage: other [-h]\n"


def test_russian_help_from_real_command(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in ("LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="ru_RU.UTF-8", EXPORTDESK_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "exportdesk.cli", "status"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stderr.endswith("exportdesk status: ошибка: не указаны обязательные аргументы: ЗАДАНИЕ\n")


def argparse_lookups() -> tuple[set[str], set[str]]:
    """Return the literal texts that this Python's argparse passes to `_` and to `ngettext`."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found: dict[str, set[str]] = {"_": set(), "ngettext": set()}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in found and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found[node.func.id].add(first.value)
    return found["_"], found["ngettext"]


def test_argparse_still_looks_up_our_texts() -> None:
    # argparse_i18n swaps these two module-level names; without them argparse stays English.
    assert callable(getattr(argparse, "_", None))
    assert callable(getattr(argparse, "ngettext", None))
    singular, plural = argparse_lookups()
    # A text missing here was reworded in this Python: add the new wording to ARGPARSE_TEXTS.
    assert [text for text in argparse_i18n.ARGPARSE_TEXTS if text not in singular] == []
    assert [text for text in argparse_i18n.ARGPARSE_PLURAL_TEXTS if text not in plural] == []


def test_argparse_translations_keep_placeholders() -> None:
    placeholder = re.compile(r"%(?:\(\w+\))?[sr]")
    set_language("ru")
    try:
        for text in argparse_i18n.ARGPARSE_TEXTS:
            translated = tr(text)
            assert translated != text, text
            assert sorted(placeholder.findall(translated)) == sorted(placeholder.findall(text)), text
        for count, form in ((1, "нужно 1 значение"), (3, "нужно 3 значения"), (5, "нужно 5 значений")):
            assert argparse_i18n._ngettext("expected %s argument", "expected %s arguments", count) % count == form
    finally:
        set_language("en")
