"""User-facing names of sources, CSV profiles and formats, shared by the job list and dialogs."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from exportdesk.i18n import QT_TR_NOOP, current_language, tr
from exportdesk.jobs import JobSpec
from exportdesk.sources import http_config_of
from exportdesk.sources.demo import DEMO_SOURCE, DEMO_TITLE

PROFILE_LABELS: dict[str, str] = {
    "excel-ru": QT_TR_NOOP("Excel (ru)"),
    "excel-en": QT_TR_NOOP("Excel (en)"),
    "utf8": QT_TR_NOOP("UTF-8"),
    "custom": QT_TR_NOOP("Custom"),
}
PROFILE_EXPLANATIONS: dict[str, str] = {
    "excel-ru": QT_TR_NOOP("Semicolons, decimal commas and a byte order mark: Excel with Russian regional settings opens it as a table."),
    "excel-en": QT_TR_NOOP("Commas, decimal points and a byte order mark: Excel with English regional settings opens it as a table."),
    "utf8": QT_TR_NOOP("Commas, decimal points and no byte order mark: for scripts, databases and other programs."),
    "custom": QT_TR_NOOP("Your own delimiter, line ending, encoding, header and NULL text, with decimal points and no byte order mark."),
}
# The formats the new export dialog offers, in its order.
OFFERED_FORMATS = ("csv", "xlsx", "jsonl", "json")
# Names of every format a job can have, including those only the command line creates.
FORMAT_LABELS: dict[str, str] = {
    "csv": QT_TR_NOOP("CSV"),
    "jsonl": QT_TR_NOOP("JSON Lines"),
    "json": QT_TR_NOOP("JSON"),
    "xlsx": QT_TR_NOOP("Excel (XLSX)"),
}
FORMAT_EXPLANATIONS: dict[str, str] = {
    "csv": QT_TR_NOOP("A table for Excel and other spreadsheet programs."),
    "jsonl": QT_TR_NOOP("One object per line: for scripts and large data."),
    "json": QT_TR_NOOP("One array: for small exports and web tools."),
    "xlsx": QT_TR_NOOP("An Excel workbook with typed cells: numbers, dates and text stay what they are."),
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
