"""User-facing names of sources, CSV profiles and formats, shared by the job list and dialogs."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from exportdesk.i18n import current_language, register, tr
from exportdesk.jobs import JobSpec
from exportdesk.sources import http_config_of
from exportdesk.sources.demo import DEMO_SOURCE, DEMO_TITLE

register(
    {
        "Excel (ru)": "Excel (ru)",
        "UTF-8": "UTF-8",
        "Semicolons, decimal commas and a byte order mark: Excel with Russian regional settings opens it as a table.":
            "Точка с запятой, десятичная запятая и метка порядка байтов: Excel с русскими региональными настройками откроет файл как таблицу.",
        "Commas, decimal points and no byte order mark: for scripts, databases and other programs.":
            "Запятые, десятичные точки, без метки порядка байтов: для скриптов, баз данных и других программ.",
        "SQL query": "SQL-запрос",
        "Tables: {tables}": "Таблицы: {tables}",
        "CSV": "CSV",
        "JSON Lines": "JSON Lines",
        "JSON": "JSON",
        "Excel (XLSX)": "Excel (XLSX)",
        "A table for Excel and other spreadsheet programs.": "Таблица для Excel и других табличных программ.",
        "One object per line: for scripts and large data.": "Один объект на строку: для скриптов и больших объёмов данных.",
        "One array: for small exports and web tools.": "Один массив: для небольших экспортов и веб-инструментов.",
        "Excel (en)": "Excel (en)",
        "Commas, decimal points and a byte order mark: Excel with English regional settings opens it as a table.":
            "Запятые, десятичные точки и метка порядка байтов: Excel с английскими региональными настройками откроет файл как таблицу.",
        "An Excel workbook with typed cells: numbers, dates and text stay what they are.":
            "Книга Excel с типизированными ячейками: числа, даты и текст остаются тем, что они есть.",
        "Custom": "Свой",
        "Your own delimiter, line ending, encoding, header and NULL text, with decimal points and no byte order mark.":
            "Свои разделитель, конец строки, кодировка, заголовок и текст для NULL; десятичные точки, без метки порядка байтов.",
    }
)

PROFILE_LABELS: dict[str, str] = {"excel-ru": "Excel (ru)", "excel-en": "Excel (en)", "utf8": "UTF-8", "custom": "Custom"}
PROFILE_EXPLANATIONS: dict[str, str] = {
    "excel-ru": "Semicolons, decimal commas and a byte order mark: Excel with Russian regional settings opens it as a table.",
    "excel-en": "Commas, decimal points and a byte order mark: Excel with English regional settings opens it as a table.",
    "utf8": "Commas, decimal points and no byte order mark: for scripts, databases and other programs.",
    "custom": "Your own delimiter, line ending, encoding, header and NULL text, with decimal points and no byte order mark.",
}
# The formats the new export dialog offers, in its order.
OFFERED_FORMATS = ("csv", "xlsx", "jsonl", "json")
# Names of every format a job can have, including those only the command line creates.
FORMAT_LABELS: dict[str, str] = {"csv": "CSV", "jsonl": "JSON Lines", "json": "JSON", "xlsx": "Excel (XLSX)"}
FORMAT_EXPLANATIONS: dict[str, str] = {
    "csv": "A table for Excel and other spreadsheet programs.",
    "jsonl": "One object per line: for scripts and large data.",
    "json": "One array: for small exports and web tools.",
    "xlsx": "An Excel workbook with typed cells: numbers, dates and text stay what they are.",
}


def demo_title() -> str:
    return DEMO_TITLE.get(current_language(), DEMO_TITLE["en"])


def source_title(source: str) -> str:
    """Return the demo source's title, or the URL with any password replaced by ***."""
    if source == DEMO_SOURCE:
        return demo_title()
    config = http_config_of(source)
    if config is not None:
        return config.base_url
    try:
        return make_url(source).render_as_string(hide_password=True)
    except ArgumentError:
        return source


def profile_label(profile: str) -> str:
    return tr(PROFILE_LABELS.get(profile, profile))


def format_name(format_key: str) -> str:
    """Return a format's name, e.g. "JSON Lines", or the key in capitals for an unknown one."""
    label = FORMAT_LABELS.get(format_key)
    return tr(label) if label is not None else format_key.upper()


def format_label(spec: JobSpec) -> str:
    """Return the format, with the profile for CSV: "CSV, Excel (ru)", "JSON Lines"."""
    if spec.format == "csv":
        return f"{format_name(spec.format)}, {profile_label(spec.profile)}"
    return format_name(spec.format)


def selection_text(spec: JobSpec) -> str:
    """Describe what the job exports: its tables, or that it runs an SQL query."""
    if spec.selection.query:
        return tr("SQL query")
    return tr("Tables: {tables}").format(tables=", ".join(spec.selection.tables))
