"""CSV writer with profiles, RFC 4180 quoting and exact values.

NULL is an empty unquoted field and an empty string is `""`, so the two stay apart when read
back. Floats are written with `repr`, the shortest text that reads back as the same double;
decimals are written in positional notation with every digit.
"""

from __future__ import annotations

import base64
import codecs
import dataclasses
import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from exportdesk.formats import ByteSink
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources.base import Column

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvProfile:
    key: str
    delimiter: str
    line_end: str
    bom: bool
    decimal_comma: bool
    neutralise_formulas: bool
    encoding: str = "utf-8"
    header: bool = True
    quote: str = '"'
    null_marker: str = ""


PROFILES: dict[str, CsvProfile] = {
    "excel-ru": CsvProfile(
        key="excel-ru", delimiter=";", line_end="\r\n", bom=True, decimal_comma=True, neutralise_formulas=True
    ),
    "excel-en": CsvProfile(
        key="excel-en", delimiter=",", line_end="\r\n", bom=True, decimal_comma=False, neutralise_formulas=True
    ),
    "utf8": CsvProfile(
        key="utf8", delimiter=",", line_end="\n", bom=False, decimal_comma=False, neutralise_formulas=False
    ),
    # Settings come from the job's options["csv"]; these are the starting values.
    "custom": CsvProfile(
        key="custom", delimiter=",", line_end="\n", bom=False, decimal_comma=False, neutralise_formulas=False
    ),
}
DEFAULT_PROFILE = "excel-ru"
LINE_ENDS = {"lf": "\n", "crlf": "\r\n"}
# Codecs that write a byte order mark on every encode() call, so once per batch. A profile
# uses the codec without the mark and sets `bom`, and the writer writes the mark once per file.
# Python's utf-16 and utf-32 write the machine's byte order, so the profile fixes little-endian.
SIGNATURE_ENCODINGS = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le", "utf-32": "utf-32-le"}


def QT_TR_NOOP(text: str) -> str:  # the name pyside6-lupdate looks for
    """Mark `text` for translation and return it unchanged.

    exportdesk.i18n has the same marker, but importing it loads Qt, which the worker process
    that writes CSV files does not otherwise need.
    """
    return text


class _TranslatedError(ValueError):
    """Carry an English message template marked with QT_TR_NOOP, and translate it when shown."""

    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values

    def __str__(self) -> str:
        from exportdesk.i18n import tr  # on use only; see QT_TR_NOOP

        return tr(self.template).format(**self.values)


class InvalidCsvOptions(_TranslatedError):
    pass


def profile_from_options(key: str, options: dict[str, Any]) -> CsvProfile:
    """Return the profile `key` with the job's overrides applied, after checking them.

    `options["csv"]` may set `delimiter`, `quote` (one character each), `line_end` ("lf" or
    "crlf"), `encoding`, `bom`, `header`, `null` (the text written for NULL) and
    `decimal_comma`; `options["neutralise_formulas"]` switches formula neutralising.
    """
    profile = get_profile(key)
    overrides = dict(options.get("csv") or {})
    changes: dict[str, Any] = {}
    if "delimiter" in overrides:
        changes["delimiter"] = str(overrides["delimiter"])
    if "quote" in overrides:
        changes["quote"] = str(overrides["quote"])
    if "line_end" in overrides:
        if overrides["line_end"] not in LINE_ENDS:
            raise InvalidCsvOptions(QT_TR_NOOP("Invalid line end {value!r}: use lf or crlf"), value=overrides["line_end"])
        changes["line_end"] = LINE_ENDS[overrides["line_end"]]
    if "encoding" in overrides:
        try:
            changes["encoding"] = codecs.lookup(str(overrides["encoding"])).name
        except LookupError:
            raise InvalidCsvOptions(
                QT_TR_NOOP("Unknown encoding {value!r}: use, for example, utf-8 or cp1251"), value=overrides["encoding"]
            ) from None
    for name in ("bom", "header", "decimal_comma"):
        if name in overrides:
            changes[name] = bool(overrides[name])
    if changes.get("encoding") in SIGNATURE_ENCODINGS:
        encoding = changes["encoding"]
        if changes.get("bom") is False:
            raise InvalidCsvOptions(
                QT_TR_NOOP("The encoding {encoding} always starts with a byte order mark: use {other} for a file without one"),
                encoding=encoding,
                other=SIGNATURE_ENCODINGS[encoding],
            )
        changes["encoding"] = SIGNATURE_ENCODINGS[encoding]
        changes["bom"] = True
    if "null" in overrides:
        changes["null_marker"] = str(overrides["null"])
    if "neutralise_formulas" in options:
        changes["neutralise_formulas"] = bool(options["neutralise_formulas"])
    profile = dataclasses.replace(profile, **changes)
    _check_profile(profile)
    return profile


def _is_ambiguous(character: str) -> bool:
    """Tell whether `character` can occur in a field the writer leaves unquoted.

    Numbers, dates, booleans, base64 and UUIDs are written unquoted, so they may contain
    letters, digits and `+ - . / : =`. A space is rejected too, because many readers trim it.
    """
    return character.isalnum() or (character.isspace() and character != "\t") or character in "+-./:="


def _check_profile(profile: CsvProfile) -> None:
    special = ("\r", "\n")
    if len(profile.delimiter) != 1 or profile.delimiter in special:
        raise InvalidCsvOptions(
            QT_TR_NOOP("Invalid delimiter {value!r}: use one character such as , ; or Tab"), value=profile.delimiter
        )
    if _is_ambiguous(profile.delimiter):
        raise InvalidCsvOptions(
            QT_TR_NOOP(
                "Invalid delimiter {value!r}: numbers, dates and binary values are written unquoted "
                "and can contain it, so use , ; | or Tab"
            ),
            value=profile.delimiter,
        )
    if len(profile.quote) != 1 or profile.quote in special or profile.quote == profile.delimiter:
        raise InvalidCsvOptions(
            QT_TR_NOOP("Invalid quote character {value!r}: use one character other than the delimiter"), value=profile.quote
        )
    if _is_ambiguous(profile.quote):
        raise InvalidCsvOptions(
            QT_TR_NOOP(
                "Invalid quote character {value!r}: numbers, dates and binary values are written unquoted "
                "and can contain it, so use \" or '"
            ),
            value=profile.quote,
        )
    if profile.decimal_comma and profile.delimiter == ",":
        raise InvalidCsvOptions(QT_TR_NOOP("A decimal comma needs another delimiter than ',': use ; | or Tab"))
    marker = profile.null_marker
    if any(part in marker for part in (profile.delimiter, profile.quote, *special)):
        raise InvalidCsvOptions(
            QT_TR_NOOP("Invalid NULL marker {value!r}: it must not contain the delimiter, the quote or a line break"),
            value=marker,
        )
    if profile.encoding in SIGNATURE_ENCODINGS:
        raise InvalidCsvOptions(
            QT_TR_NOOP("Use {other} with a byte order mark, not {encoding}"),
            other=SIGNATURE_ENCODINGS[profile.encoding],
            encoding=profile.encoding,
        )
    if profile.bom and not profile.encoding.startswith("utf"):
        raise InvalidCsvOptions(
            QT_TR_NOOP("A byte order mark needs a UTF encoding, not {encoding}"), encoding=profile.encoding
        )


class UnknownProfile(_TranslatedError):
    def __init__(self, key: str) -> None:
        super().__init__(QT_TR_NOOP("Unknown CSV profile {value!r}: use one of {choices}"), value=key, choices=", ".join(PROFILES))


def get_profile(key: str) -> CsvProfile:
    try:
        return PROFILES[key]
    except KeyError:
        raise UnknownProfile(key) from None


def _make_text_formatter(profile: CsvProfile) -> Callable[[str], str]:
    delimiter = profile.delimiter
    quote = profile.quote
    doubled = quote + quote
    neutralise = profile.neutralise_formulas
    null_marker = profile.null_marker

    def format_text(value: str) -> str:
        if not value:
            return doubled
        if neutralise and value.startswith(FORMULA_PREFIXES):
            value = "'" + value
        # A text equal to the NULL marker is quoted, so the two stay apart.
        if delimiter in value or quote in value or "\n" in value or "\r" in value or value == null_marker:
            return quote + value.replace(quote, doubled) + quote
        return value

    return format_text


def _format_decimal(value: decimal.Decimal) -> str:
    if not value.is_finite():
        return str(value)
    return format(value, "f")


class CsvWriter:
    """Write rows of one table as CSV text into a byte sink."""

    def __init__(self, sink: ByteSink, profile: CsvProfile, resumed: bool = False) -> None:
        self._sink = sink
        self._profile = profile
        self._resumed = resumed
        self._null = profile.null_marker
        self._format_text = _make_text_formatter(profile)
        self._number_fixup: Callable[[str], str] = (
            (lambda text: text.replace(".", ",")) if profile.decimal_comma else (lambda text: text)
        )

    def _format_value(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            return self._format_text(value)
        if value is None:
            return self._null
        if kind is int:
            return str(value)
        if kind is float:
            return self._number_fixup(repr(value))
        if kind is bool:
            return "true" if value else "false"
        if isinstance(value, decimal.Decimal):
            return self._number_fixup(_format_decimal(value))
        if isinstance(value, (dt.datetime, dt.date, dt.time)):
            return value.isoformat()
        if isinstance(value, (bytes, bytearray, memoryview)):
            # Empty binary is quoted like empty text, so it stays apart from NULL.
            return base64.b64encode(bytes(value)).decode("ascii") or self._profile.quote * 2
        if isinstance(value, uuid.UUID):
            return str(value)
        return self._format_text(str(value))

    def _encode(self, text: str) -> None:
        try:
            data = text.encode(self._profile.encoding)
        except UnicodeEncodeError as error:
            character = error.object[error.start : error.end]
            raise ExportDeskError(
                ErrorCode.ENCODING_UNSUPPORTED, f"{character!r} not in {self._profile.encoding}", subject=self._profile.encoding
            ) from None
        self._sink.write(data)

    def begin(self, columns: Sequence[Column]) -> None:
        if self._resumed:
            return
        if self._profile.bom:
            self._sink.write("\ufeff".encode(self._profile.encoding))
        if self._profile.header:
            header = self._profile.delimiter.join(self._format_text(c.name) for c in columns)
            self._encode(header + self._profile.line_end)

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        delimiter = self._profile.delimiter
        line_end = self._profile.line_end
        format_value = self._format_value
        lines = [delimiter.join([format_value(value) for value in row]) for row in rows]
        if lines:
            self._encode(line_end.join(lines) + line_end)

    def end(self) -> None:
        pass
