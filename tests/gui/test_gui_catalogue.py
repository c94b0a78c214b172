"""Every English string that the window passes to tr() has a Russian translation."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import exportdesk.gui
from exportdesk.gui.csv_options import DELIMITER_CHOICES, ENCODING_CHOICES, LINE_END_CHOICES
from exportdesk.gui.download import _FILE_FILTERS
from exportdesk.gui.job_actions import _JOB_ACTION_TEXT
from exportdesk.gui.job_filter import STATE_FILTER_LABELS
from exportdesk.gui.job_model import COLUMN_TITLES
from exportdesk.gui.labels import FORMAT_EXPLANATIONS, FORMAT_LABELS, PROFILE_EXPLANATIONS, PROFILE_LABELS
from exportdesk.gui.settings_dialog import LANGUAGE_CHOICES
from exportdesk.i18n import RU

GUI_DIR = Path(exportdesk.gui.__file__).parent


def import_gui_modules() -> None:
    for module in pkgutil.iter_modules([str(GUI_DIR)]):
        importlib.import_module(f"exportdesk.gui.{module.name}")


def tr_literals(path: Path) -> list[tuple[int, str]]:
    """Return (line, text) of each tr("...") call with a string literal argument in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" and node.args:
            argument = node.args[0]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.append((node.lineno, argument.value))
    return found


def test_every_tr_literal_is_translated() -> None:
    import_gui_modules()
    missing = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted(GUI_DIR.glob("*.py"))
        for line, text in tr_literals(path)
        if text not in RU
    ]
    assert missing == []


def test_indirect_texts_are_translated() -> None:
    import_gui_modules()
    texts = list(COLUMN_TITLES.values()) + list(PROFILE_LABELS.values()) + list(PROFILE_EXPLANATIONS.values())
    texts += [text.title for text in _JOB_ACTION_TEXT.values()] + [text.description for text in _JOB_ACTION_TEXT.values()]
    texts += [label for key, label in LANGUAGE_CHOICES if key == "system"]
    texts += list(FORMAT_LABELS.values()) + list(FORMAT_EXPLANATIONS.values())
    texts += list(STATE_FILTER_LABELS.values()) + list(_FILE_FILTERS.values())
    # The delimiter symbols are shown as they are, and only their word labels are translated.
    texts += [label for label, _value in DELIMITER_CHOICES if label.isalpha()]
    texts += [label for label, _value in LINE_END_CHOICES + ENCODING_CHOICES]
    assert [text for text in texts if text not in RU] == []


def test_russian_texts_contain_the_same_placeholders() -> None:
    import_gui_modules()
    for path in sorted(GUI_DIR.glob("*.py")):
        for _line, text in tr_literals(path):
            english = {part.split("}")[0] for part in text.split("{")[1:]}
            russian = {part.split("}")[0] for part in RU[text].split("{")[1:]}
            assert english == russian, text


def registered_pairs(path: Path) -> list[tuple[int, str, str]]:
    """Return (line, English, Russian) of each literal entry in the file's register({...}) calls."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "register" and node.args):
            continue
        catalogue = node.args[0]
        if not isinstance(catalogue, ast.Dict):
            continue
        for key, value in zip(catalogue.keys, catalogue.values):
            if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
                found.append((key.lineno, str(key.value), str(value.value)))
    return found


def test_no_text_registered_twice_differently() -> None:
    # register() overwrites silently, so two modules giving one English text two translations
    # would show one of them in the wrong place.
    package_dir = GUI_DIR.parent
    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in sorted(package_dir.rglob("*.py")):
        for line, english, russian in registered_pairs(path):
            where = f"{path.relative_to(package_dir)}:{line}"
            if english in seen and seen[english][0] != russian:
                conflicts.append(f"{english!r}: {seen[english][0]!r} at {seen[english][1]}, {russian!r} at {where}")
            seen.setdefault(english, (russian, where))
    assert conflicts == []
