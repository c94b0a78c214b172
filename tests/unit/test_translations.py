"""The translation files: complete, compiled from their current sources, and read correctly at run time.

The completeness test runs pyside6-lupdate over exportdesk/ into a copy of each committed .ts
file, as scripts/update-translations.sh does but keeping vanished messages. A new text then
shows up as unfinished, and a text that is gone from the code shows up as vanished. Both
fail the test: scripts/update-translations.sh drops vanished texts and adds new ones.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk import i18n
from exportdesk.gui.formatting import format_count, format_remaining, format_size, format_timestamp
from exportdesk.i18n import CONTEXT, set_language, tr, translator

REPO_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = REPO_DIR / "exportdesk"
TRANSLATIONS_DIR = REPO_DIR / "resources" / "translations"
BIN_DIR = Path(sys.executable).parent
LANGUAGES = {"ru": "ru_RU", "en": "en_US"}
# The same options as scripts/update-translations.sh, without -no-obsolete.
LUPDATE_OPTIONS = ["-extensions", "py", "-locations", "none", "-source-language", "en"]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%L?n")


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("en")


def run_tool(name: str, *arguments: str) -> None:
    tool = BIN_DIR / name
    if not tool.exists():
        pytest.fail(f"{tool} not found: install PySide6 into the venv with scripts/setup.sh")
    result = subprocess.run([str(tool), *arguments], capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, f"{name} failed with exit {result.returncode}:\n{result.stderr}"


@pytest.fixture(scope="module")
def updated_ts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    """Return the root of each .ts file after lupdate ran over the current code."""
    folder = tmp_path_factory.mktemp("ts")
    roots = {}
    for language, target in LANGUAGES.items():
        path = folder / f"exportdesk_{language}.ts"
        shutil.copyfile(TRANSLATIONS_DIR / path.name, path)
        extra = ["-pluralonly"] if language == "en" else []
        run_tool("pyside6-lupdate", *LUPDATE_OPTIONS, "-target-language", target, *extra, str(PACKAGE_DIR), "-ts", str(path))
        roots[language] = ET.parse(path).getroot()
    return roots


def messages(root: ET.Element) -> list[ET.Element]:
    return list(root.iter("message"))


def translation_type(message: ET.Element) -> str:
    return message.find("translation").get("type", "finished")  # type: ignore[union-attr]


def translated_forms(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


def test_every_text_has_finished_russian(updated_ts: dict[str, ET.Element]) -> None:
    unfinished = [m.findtext("source") for m in messages(updated_ts["ru"]) if translation_type(m) == "unfinished"]
    # Run scripts/update-translations.sh and translate these in resources/translations/exportdesk_ru.ts.
    assert unfinished == []


def test_every_english_plural_is_finished(updated_ts: dict[str, ET.Element]) -> None:
    unfinished = [m.findtext("source") for m in messages(updated_ts["en"]) if translation_type(m) == "unfinished"]
    # Run scripts/update-translations.sh and fill the forms in resources/translations/exportdesk_en.ts.
    assert unfinished == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_vanished_texts_left(updated_ts: dict[str, ET.Element], language: str) -> None:
    vanished = [m.findtext("source") for m in messages(updated_ts[language]) if translation_type(m) in ("vanished", "obsolete")]
    # scripts/update-translations.sh removes texts that are no longer in the code.
    assert vanished == []


def test_every_text_is_in_the_empty_context(updated_ts: dict[str, ET.Element]) -> None:
    # tr() looks texts up in the empty context, where lupdate puts bare tr("…") calls. A
    # self.tr("…") or QCoreApplication.translate("Context", …) call would never be found.
    # The one other context contains Qt's own file-dialog labels (exportdesk/gui/qt_texts.py).
    contexts = {context.findtext("name") or "" for context in updated_ts["ru"].iter("context")}
    assert contexts == {CONTEXT, "QFileDialog"}


def test_counts_are_plural_messages(updated_ts: dict[str, ET.Element]) -> None:
    # A text with %n that lupdate saw without a count argument would show "%n" to the user.
    singular = [
        m.findtext("source")
        for m in messages(updated_ts["ru"])
        if re.search("%L?n", m.findtext("source") or "") and m.get("numerus") != "yes"
    ]
    assert singular == []


def test_translations_keep_placeholders(updated_ts: dict[str, ET.Element]) -> None:
    mismatched = []
    for message in messages(updated_ts["ru"]):
        if translation_type(message) == "unfinished":
            continue
        source = message.findtext("source") or ""
        expected = sorted(set(PLACEHOLDER.findall(source)))
        for form in translated_forms(message):
            if sorted(set(PLACEHOLDER.findall(form))) != expected:
                mismatched.append((source, form))
    assert mismatched == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_files_are_current(tmp_path: Path, language: str) -> None:
    compiled = tmp_path / f"exportdesk_{language}.qm"
    run_tool("pyside6-lrelease", str(TRANSLATIONS_DIR / f"exportdesk_{language}.ts"), "-qm", str(compiled))
    # If this fails, run scripts/update-translations.sh and commit the .qm files.
    assert compiled.read_bytes() == (TRANSLATIONS_DIR / compiled.name).read_bytes()


def tr_calls() -> Iterator[tuple[str, ast.Call, bool]]:
    """Yield (where, call, inside an f-string) for each tr() and QT_TR_NOOP() call in the package."""
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(node) for joined in ast.walk(tree) if isinstance(joined, ast.JoinedStr) for node in ast.walk(joined)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "QT_TR_NOOP"):
                yield f"{path.relative_to(REPO_DIR)}:{node.lineno}", node, id(node) in in_fstring


def test_tr_calls_are_visible_to_lupdate() -> None:
    problems = []
    for where, call, in_fstring in tr_calls():
        text = call.args[0] if call.args else None
        literal = isinstance(text, ast.Constant) and isinstance(text.value, str)
        if in_fstring and literal:
            problems.append(f"{where}: tr() of a literal inside an f-string, which lupdate skips")
        if call.keywords:
            problems.append(f"{where}: keyword argument, which lupdate ignores: pass it by position")
        if isinstance(text, ast.JoinedStr):
            problems.append(f"{where}: f-string text, which cannot match a translation")
        if call.func.id == "QT_TR_NOOP" and not literal:  # type: ignore[attr-defined]
            problems.append(f"{where}: QT_TR_NOOP() needs a string literal")
    assert problems == []


def test_tr_works_without_qt_application() -> None:
    # The CLI and the worker processes have no QCoreApplication, so this runs in a fresh interpreter.
    code = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from exportdesk.i18n import set_language, tr\n"
        "set_language('ru')\n"
        "assert QCoreApplication.instance() is None\n"
        "print(tr('Ready'), tr('%Ln row(s)', None, 22))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60, cwd=REPO_DIR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Готово 22 строки"


RUSSIAN_ROWS = [
    (0, "0 строк"),
    (1, "1 строка"),
    (2, "2 строки"),
    (5, "5 строк"),
    (11, "11 строк"),
    (21, "21 строка"),
    (22, "22 строки"),
    (25, "25 строк"),
    (111, "111 строк"),
    (1001, "1\u00a0001 строка"),
]


@pytest.mark.parametrize(("count", "text"), RUSSIAN_ROWS)
def test_russian_row_plurals(language: None, count: int, text: str) -> None:
    set_language("ru")
    assert tr("%Ln row(s)", None, count) == text


@pytest.mark.parametrize(("count", "text"), [(0, "0 rows"), (1, "1 row"), (2, "2 rows"), (1001, "1,001 rows")])
def test_english_row_plurals(language: None, count: int, text: str) -> None:
    set_language("en")
    assert tr("%Ln row(s)", None, count) == text


@pytest.mark.parametrize(
    ("remaining", "text"),
    [
        (dt.timedelta(hours=21, minutes=5), "21 час 5 минут"),
        (dt.timedelta(hours=22, minutes=2), "22 часа 2 минуты"),
        (dt.timedelta(hours=11, minutes=1), "11 часов 1 минута"),
        (dt.timedelta(days=2, hours=1), "2 дня 1 час"),
        (dt.timedelta(days=5), "5 дней"),
        (dt.timedelta(seconds=30), "меньше минуты"),
    ],
)
def test_russian_countdown(language: None, remaining: dt.timedelta, text: str) -> None:
    set_language("ru")
    assert format_remaining(remaining) == text


def test_plain_n_is_not_grouped(language: None) -> None:
    set_language("en")
    assert tr("%n minute(s)", None, 1234) == "1234 minute(s)"


def test_untranslated_text_stays_english(language: None) -> None:
    set_language("ru")
    assert tr("No such text in the catalogue") == "No such text in the catalogue"


def test_missing_translation_file_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, language: None, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("EXPORTDESK_RESOURCES", str(tmp_path))
    monkeypatch.setattr(i18n, "_translators", {})
    set_language("ru")
    assert translator() is None
    assert tr("Ready") == "Ready"
    assert tr("%Ln row(s)", None, 2) == "2 row(s)"
    assert "exportdesk_ru.qm not found" in caplog.text


def test_russian_locale_formatting(language: None) -> None:
    set_language("ru")
    assert format_count(1_234_567) == "1\u00a0234\u00a0567"
    assert format_size(13_002_342) == "12,4 МБ"
    assert format_size(5) == "5 байт"
    moment = dt.datetime(2026, 12, 4, 14, 5, tzinfo=dt.timezone.utc)
    local = moment.astimezone().replace(tzinfo=None)
    assert format_timestamp(moment) == local.strftime("%d.%m.%Y %H:%M")


def test_english_locale_formatting(language: None) -> None:
    set_language("en")
    assert format_count(1_234_567) == "1,234,567"
    assert format_size(13_002_342) == "12.4 MB"
    assert format_size(1) == "1 byte"
    moment = dt.datetime(2026, 12, 4, 14, 5, tzinfo=dt.timezone.utc)
    local = moment.astimezone()
    hour = local.hour % 12 or 12
    suffix = "AM" if local.hour < 12 else "PM"
    # Qt 6.11 puts a narrow no-break space before AM/PM, as CLDR does for en_US.
    expected = f"{local.month}/{local.day}/{local:%y} {hour}:{local:%M}\u202f{suffix}"
    assert format_timestamp(moment) == expected


def test_translator_checked_directly(language: None) -> None:
    set_language("ru")
    loaded = translator()
    assert loaded is not None
    assert loaded.translate(CONTEXT, "Stored: %Ln file(s), {size}", None, 21) == "Хранится: %Ln файл, {size}"
