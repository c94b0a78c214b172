"""Language choice and the Russian text of every user-facing English string.

The English text is the key: `tr("Download")` returns «Скачать» when the language is Russian.
A string missing from `RU` is shown in English and reported by the catalogue test.
"""

from __future__ import annotations

import locale
import os

LANGUAGES = ("ru", "en")
_current = "en"

RU: dict[str, str] = {}


def system_language() -> str:
    """Return "ru" when the system locale is Russian, else "en"."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "ru" if value.lower().startswith("ru") else "en"
    code = locale.getlocale()[0] or ""
    return "ru" if code.lower().startswith("ru") else "en"


def resolve_language(setting: str) -> str:
    return setting if setting in LANGUAGES else system_language()


def set_language(language: str) -> None:
    global _current
    _current = resolve_language(language)


def current_language() -> str:
    return _current


def tr(text: str) -> str:
    """Return the text in the current language."""
    if _current == "ru":
        return RU.get(text, text)
    return text


def register(catalogue: dict[str, str]) -> None:
    """Add Russian translations; modules call this once with their own strings."""
    RU.update(catalogue)
