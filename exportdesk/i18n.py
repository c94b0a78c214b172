"""Language choice, and the translation of user-facing text from Qt's compiled .qm files.

The English text is the key: `tr("Download")` returns «Скачать» when the language is Russian.
The translations live in resources/translations/: exportdesk_ru.ts contains every message in
Russian, and exportdesk_en.ts only the English plural forms. `tr()` calls a QTranslator
loaded from the matching .qm file directly, so it works in the CLI and in worker processes,
which have no QCoreApplication. A text without a translation is shown in English.

The register({...}) dictionaries that modules used to call are gone: a Russian text now lives only
in exportdesk_ru.ts. How to add a user-facing string:

1. Write `tr("English text")` with the literal text. A text that shows a count takes the count
   as the third positional argument and `%Ln` for the number: `tr("%Ln row(s)", None, rows)`.
   pyside6-lupdate reads positional arguments only, so never pass `n` or the
   disambiguation by keyword. A text kept in a constant and translated later is marked with
   `QT_TR_NOOP("English text")` where it is written.
2. Run `scripts/update-translations.sh`. It adds the new text to the .ts files.
3. Translate it in resources/translations/exportdesk_ru.ts, with Qt Linguist or in a text
   editor. For a count, fill the three Russian forms (1, 2–4 and 5 items) in exportdesk_ru.ts
   and the two English forms in exportdesk_en.ts. Remove `type="unfinished"` from each
   finished translation.
4. Run the script again: it compiles the .qm files that the app loads. Commit the .ts and
   .qm files. tests/unit/test_translations.py fails while a message has no finished
   Russian translation or a compiled .qm file does not match its .ts source.
"""

from __future__ import annotations

import locale
import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import QLocale, QTranslator

log = logging.getLogger(__name__)

LANGUAGES = ("ru", "en")
# Every message is in the empty context: lupdate puts a bare tr("…") call there.
CONTEXT = ""
TRANSLATIONS_FOLDER = "translations"
CATALOGUE_NAME = "exportdesk"

_current = "en"
_translators: dict[str, QTranslator | None] = {}
_lock = threading.Lock()


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


def translations_dir() -> Path:
    """Return the folder with the compiled exportdesk_<language>.qm files."""
    # Imported here because exportdesk.sources imports modules that import this one.
    from exportdesk.sources.demo import resources_dir

    return resources_dir() / TRANSLATIONS_FOLDER


def _load_translator(language: str) -> QTranslator | None:
    translator = QTranslator()
    folder = translations_dir()
    file_name = f"{CATALOGUE_NAME}_{language}"
    if not translator.load(file_name, str(folder)):
        log.warning("Translation %s.qm not found in %s, so the interface is shown in English", file_name, folder)
        return None
    return translator


def translator(language: str | None = None) -> QTranslator | None:
    """Return the loaded translator of `language` (default: the current one), or None if it is missing."""
    language = language or _current
    with _lock:
        if language not in _translators:
            _translators[language] = _load_translator(language)
        return _translators[language]


def set_language(language: str) -> None:
    """Switch to the language of the `language` setting: "ru", "en", or anything else for the system's."""
    global _current
    _current = resolve_language(language)
    translator(_current)


def current_language() -> str:
    return _current


def language_locale(language: str | None = None) -> QLocale:
    """Return the QLocale that formats numbers, dates and sizes in `language` (default: the current one)."""
    if (language or _current) == "ru":
        return QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def tr(text: str, disambiguation: str | None = None, n: int = -1, /) -> str:
    """Return `text` in the current language, with the plural form for `n` when `n` is 0 or more.

    In the result, `%Ln` becomes `n` with the locale's digit grouping and `%n` becomes `n` without
    it, as QCoreApplication.translate() does.
    """
    loaded = translator()
    translated = loaded.translate(CONTEXT, text, disambiguation, n) if loaded is not None else ""
    if not translated:
        translated = text
    if n >= 0:
        translated = translated.replace("%Ln", language_locale().toString(n)).replace("%n", str(n))
    return translated


def format_count(value: int) -> str:
    """Format a whole number with the locale's digit grouping: 1 234 567 in Russian, 1,234,567 in English."""
    return language_locale().toString(value)


def format_size(size_bytes: int) -> str:
    """Format a byte count with binary multiples and the locale's unit names: «12,4 МБ», "12.4 MB"."""
    if size_bytes < 1024:
        # Qt 6.11 writes "1 bytes" and «1 байты» below one kilobyte, so these get their own plurals.
        return tr("%Ln byte(s)", None, size_bytes)
    return language_locale().formattedDataSize(size_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


def format_percent(fraction: float) -> str:
    """Format a fraction as a percentage with one decimal and the locale's separator: «12,5%», "12.5%"."""
    return language_locale().toString(fraction * 100, "f", 1) + "%"


def QT_TR_NOOP(text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark `text` for pyside6-lupdate and return it unchanged; translate it later with tr(text)."""
    return text
