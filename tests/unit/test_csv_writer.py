"""CSV writer: profiles, quoting, NULL versus empty text, exact numbers, formula neutralising."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io

import pytest

from exportdesk.formats.csv import PROFILES, CsvWriter, InvalidCsvOptions, UnknownProfile, get_profile, profile_from_options
from exportdesk.sources.base import Column


class Sink:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)


def write_csv(profile: str, columns: list[str], rows: list[tuple[object, ...]]) -> bytes:
    sink = Sink()
    writer = CsvWriter(sink, get_profile(profile))
    writer.begin([Column(name) for name in columns])
    writer.write_rows(rows)
    writer.end()
    return sink.buffer.getvalue()


def test_excel_ru_cyrillic_has_bom_and_one_cell() -> None:
    data = write_csv("excel-ru", ["name"], [("Привет, мир",)])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == "name\r\nПривет, мир\r\n"


def test_excel_ru_uses_semicolon_without_sep_line() -> None:
    data = write_csv("excel-ru", ["Фамилия", "Город"], [("Иванов", "Москва")])
    text = data.decode("utf-8-sig")
    assert text == "Фамилия;Город\r\nИванов;Москва\r\n"
    assert "sep=" not in text


def test_utf8_profile_has_no_bom_and_uses_comma() -> None:
    data = write_csv("utf8", ["a", "b"], [(1, "x")])
    assert data == b"a,b\n1,x\n"


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_embedded_newlines_and_quotes_round_trip(profile: str) -> None:
    note = "Строка 1\nСтрока 2"
    org = 'ООО "Ромашка"'
    data = write_csv(profile, ["id", "note", "org"], [(1, note, org)])
    delimiter = get_profile(profile).delimiter
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))
    assert records[0] == ["id", "note", "org"]
    assert len(records) == 2
    assert records[1] == ["1", note, org]
    assert '"ООО ""Ромашка"""' in data.decode("utf-8-sig")


def test_formulas_neutralised_in_excel_profile_numbers_untouched() -> None:
    values = ["=1+1", "+7 (999) 000-00-00", "-скидка", "@home", "\ttab", "\rcr"]
    data = write_csv("excel-ru", ["v"], [(value,) for value in values] + [(-5,)])
    records = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [row[0] for row in records[1:-1]] == ["'" + value for value in values]
    assert records[-1] == ["-5"]


def test_formulas_kept_in_utf8_profile() -> None:
    data = write_csv("utf8", ["v"], [("=1+1",)])
    assert data == b"v\n=1+1\n"


def test_null_empty_and_text_null_stay_apart() -> None:
    data = write_csv("utf8", ["a", "b"], [(None, None), ("", 0), ("NULL", 1)])
    assert data == b'a,b\n,\n"",0\nNULL,1\n'


def test_numbers_are_exact() -> None:
    big = 2**63 - 1
    precise = decimal.Decimal("12345678901234567890.123456789012345678")
    data = write_csv("utf8", ["i", "f", "d", "tiny"], [(big, 10.357019999999999, precise, 1e-300)])
    fields = data.decode().splitlines()[1].split(",")
    assert fields[0] == str(big)
    assert float(fields[1]) == 10.357019999999999
    assert decimal.Decimal(fields[2]) == precise
    assert float(fields[3]) == 1e-300


def test_excel_ru_writes_decimal_comma() -> None:
    data = write_csv("excel-ru", ["f", "d"], [(2.5, decimal.Decimal("-0.125"))])
    assert data.decode("utf-8-sig").splitlines()[1] == "2,5;-0,125"


def test_dates_and_binary() -> None:
    stamp = dt.datetime(2013, 1, 1, 10, 0, tzinfo=dt.timezone.utc)
    data = write_csv("utf8", ["t", "d", "b", "flag"], [(stamp, dt.date(2013, 1, 2), b"\x00\xff", True)])
    assert data.decode().splitlines()[1] == "2013-01-01T10:00:00+00:00,2013-01-02,AP8=,true"


def test_unknown_profile_names_the_choices() -> None:
    with pytest.raises(UnknownProfile, match="excel-ru"):
        get_profile("excel")


@pytest.mark.parametrize("character", ["-", "/", ".", ":", "+", "=", "7", "e", "T", "Ж", " "])
def test_ambiguous_delimiter_rejected(character: str) -> None:
    with pytest.raises(InvalidCsvOptions) as error:
        profile_from_options("custom", {"csv": {"delimiter": character}})
    assert repr(character) in str(error.value)
    assert ", ; | or Tab" in str(error.value)


@pytest.mark.parametrize("character", ["-", "+", "0", "a", " "])
def test_ambiguous_quote_rejected(character: str) -> None:
    with pytest.raises(InvalidCsvOptions) as error:
        profile_from_options("custom", {"csv": {"quote": character}})
    assert repr(character) in str(error.value)
    assert "use \" or '" in str(error.value)


def test_decimal_comma_with_comma_rejected() -> None:
    with pytest.raises(InvalidCsvOptions, match="A decimal comma needs another delimiter"):
        profile_from_options("custom", {"csv": {"decimal_comma": True}})


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|", "#", "~"])
def test_accepted_delimiter_reads_back(delimiter: str) -> None:
    profile = profile_from_options("custom", {"csv": {"delimiter": delimiter}})
    row = (-5, 1.5e-7, decimal.Decimal("-0.25"), dt.datetime(2013, 1, 1, 10, 0, tzinfo=dt.timezone.utc), b"\xfb\xff", "a b")
    buffer = io.BytesIO()
    writer = CsvWriter(buffer, profile)
    writer.begin([Column(f"c{i}") for i in range(len(row))])
    writer.write_rows([row])

    records = list(csv.reader(io.StringIO(buffer.getvalue().decode(), newline=""), delimiter=delimiter))
    assert records[1] == ["-5", "1.5e-07", "-0.25", "2013-01-01T10:00:00+00:00", "+/8=", "a b"]
