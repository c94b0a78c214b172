"""The C path for SQLite tables writes the same CSV and JSON Lines bytes as the general path."""

from __future__ import annotations

import dataclasses
import io
import math
import random
import sqlite3
import struct
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exportdesk.fastpath import sqlite_export
from exportdesk.formats.csv import CsvWriter, get_profile, profile_from_options
from exportdesk.formats.jsonl import JsonLinesWriter
from exportdesk.jobs import ExportDeskError
from exportdesk.sources.sql import SqlSource

_sqlite_text = pytest.importorskip("exportdesk.fastpath._sqlite_text", reason="the C extension was not built")

DECLARED_TYPES = ["INTEGER", "REAL", "TEXT", "NUMERIC(12,2)", "DECIMAL", "DATE", "DATETIME", "BOOLEAN", "BLOB", ""]
PROFILES = {
    "utf8": get_profile("utf8"),
    "excel-ru": get_profile("excel-ru"),
    "excel-en": get_profile("excel-en"),
    "jsonl": None,
    "custom": profile_from_options(
        "custom",
        {"csv": {"delimiter": "|", "quote": "'", "line_end": "crlf", "null": "NULL", "decimal_comma": True}, "neutralise_formulas": True},
    ),
}


class RecordingProgress:
    """Counts rows like the runner's progress, without a job table."""

    def __init__(self) -> None:
        self.rows = 0
        self.key: list[Any] | None = None
        self.calls = 0

    def add(self, rows: int, key: list[Any] | None) -> None:
        self.rows += rows
        self.key = key
        self.calls += 1


texts = st.one_of(
    st.text(alphabet=st.sampled_from(list("ab ,;|\"'=+-@\t\r\n.Ёжик0") + ["\x00", "😀"]), max_size=12),
    st.sampled_from(["NULL", "'NULL", "=NULL", ""]),
)
floats = st.one_of(
    st.floats(allow_nan=False),
    st.sampled_from([0.0, -0.0, 1e16, 1e-7, 5e-324, 2.2250738585072014e-308, 0.1, 0.30000000000000004, 1e22, 123.0]),
)
values = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.sampled_from([-(2**63), 2**63 - 1, 0]),
    floats,
    texts,
    st.binary(max_size=8),
)


def _make_table(path: Path, key_kind: str, types: list[str], rows: list[list[Any]]) -> None:
    columns = [f'"c{i} {declared}" {declared}' for i, declared in enumerate(types)]
    if key_kind == "integer":
        columns.insert(0, '"id" INTEGER PRIMARY KEY')
    elif key_kind == "text":
        columns.insert(0, '"code" TEXT PRIMARY KEY')
    with sqlite3.connect(path) as connection:
        connection.execute(f"CREATE TABLE t ({', '.join(columns)})")
        for number, row in enumerate(rows):
            prefix: list[Any] = []
            if key_kind == "integer":
                prefix = [number * 3]
            elif key_kind == "text":
                prefix = [f"k{number:05d}"]
            placeholders = ", ".join("?" * (len(prefix) + len(row)))
            connection.execute(f"INSERT INTO t VALUES ({placeholders})", [*prefix, *row])
    connection.close()


def _column_names(key_kind: str, types: list[str]) -> list[str]:
    key = {"rowid": [], "integer": ["id"], "text": ["code"]}[key_kind]
    return key + [f"c{i} {declared}" for i, declared in enumerate(types)]


def _general_bytes(source: SqlSource, profile: Any, after: list[Any] | None = None, columns: list[str] | None = None) -> bytes:
    buffer = io.BytesIO()
    reader = source.open_table("t", after=after, columns=columns)
    writer = JsonLinesWriter(buffer) if profile is None else CsvWriter(buffer, profile, resumed=after is not None)
    writer.begin(reader.columns)
    for rows in reader.batches(7):
        writer.write_rows(rows)
    return buffer.getvalue()


def _fast_bytes(
    source: SqlSource, path: Path, profile: Any, after: list[Any] | None = None, columns: list[str] | None = None
) -> bytes:
    buffer = io.BytesIO()
    progress = RecordingProgress()
    resumed_rows = 0 if after is not None else None
    assert sqlite_export.write_table(source, path, "t", profile, buffer, progress, after, resumed_rows, chosen=columns)
    return buffer.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key_kind=st.sampled_from(["rowid", "integer", "text"]),
    types=st.lists(st.sampled_from(DECLARED_TYPES), min_size=1, max_size=4),
    data=st.data(),
)
def test_fast_bytes_equal_general(key_kind: str, types: list[str], data: st.DataObject) -> None:
    rows = data.draw(st.lists(st.lists(values, min_size=len(types), max_size=len(types)), max_size=12))
    # Either every column, or some of them in any order, with or without the key.
    names = _column_names(key_kind, types)
    columns = data.draw(
        st.one_of(st.none(), st.permutations(names).flatmap(lambda order: st.integers(1, len(order)).map(lambda n: order[:n])))
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.sqlite3"
        _make_table(path, key_kind, types, rows)
        source = SqlSource(f"sqlite:///{path}")
        try:
            for name, profile in PROFILES.items():
                assert _fast_bytes(source, path, profile, columns=columns) == _general_bytes(source, profile, columns=columns), name
            if rows:
                split = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
                key_name = {"rowid": "rowid", "integer": "id", "text": "code"}[key_kind]
                with sqlite3.connect(path) as connection:
                    (key,) = connection.execute(f"SELECT {key_name} FROM t ORDER BY {key_name} LIMIT 1 OFFSET ?", (split,)).fetchone()
                connection.close()
                for name in ("excel-ru", "jsonl"):
                    profile = PROFILES[name]
                    fast = _fast_bytes(source, path, profile, [key], columns)
                    assert fast == _general_bytes(source, profile, [key], columns), name
        finally:
            source.close()


def test_fast_column_subset_without_key(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite3"
    _make_table(path, "integer", ["TEXT", "REAL"], [["b", 1.5], ["a", None]])
    source = SqlSource(f"sqlite:///{path}")
    try:
        data = _fast_bytes(source, path, PROFILES["utf8"], columns=["c1 REAL", "c0 TEXT"])
    finally:
        source.close()

    assert data.decode("utf-8").splitlines() == ["c1 REAL,c0 TEXT", "1.5,b", ",a"]


def test_json_floats_match_installed_orjson() -> None:
    assert sqlite_export.json_floats_match()


def test_format_double_matches_repr() -> None:
    special = [0.0, -0.0, 5e-324, 1e-5, 9.999999999999999e-06, 1e16, 2.0**53, 0.1, 1e-7, math.inf, -math.inf, math.nan]
    generator = random.Random(7)
    randoms = [struct.unpack("d", struct.pack("Q", generator.getrandbits(64)))[0] for _ in range(20_000)]
    scaled = [generator.random() * 10 ** generator.randint(-6, 17) for _ in range(20_000)]
    rounded = [round(generator.uniform(-1e6, 1e6), generator.randint(0, 6)) for _ in range(20_000)]
    # Neighbours of powers of ten and of two, where the decade estimate and the gap change.
    boundaries = []
    for exponent in range(-7, 18):
        for base in (10.0**exponent, float(f"1e{exponent}"), math.ldexp(1.0, 3 * exponent)):
            below = above = base
            for _ in range(20):
                boundaries += [below, above]
                below, above = math.nextafter(below, 0), math.nextafter(above, math.inf)
    decimals = [float(f"{generator.randint(1, 99999)}e{generator.randint(-9, 16)}") for _ in range(20_000)]
    for value in special + randoms + scaled + rounded + boundaries + decimals:
        assert _sqlite_text.format_double(value) == repr(value), value
        if math.isfinite(value):
            assert _sqlite_text.format_double(value, True).encode() == orjson.dumps(value), value


def test_invalid_utf8_fails_like_general(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
        connection.executemany("INSERT INTO t VALUES (?, ?)", [(i, f"row {i}") for i in range(1, 50)])
        connection.execute("INSERT INTO t VALUES (50, CAST(x'ff41' AS TEXT))")
    connection.close()
    source = SqlSource(f"sqlite:///{path}")
    try:
        with pytest.raises(ExportDeskError) as general:
            _general_bytes(source, PROFILES["utf8"])
        progress = RecordingProgress()
        with pytest.raises(ExportDeskError) as fast:
            sqlite_export.write_table(source, path, "t", PROFILES["utf8"], io.BytesIO(), progress)
    finally:
        source.close()
    assert fast.value.code is general.value.code
    assert progress.rows == 49
    assert progress.key == [49]


def test_profile_outside_utf8_takes_general_path() -> None:
    cp1251 = dataclasses.replace(get_profile("excel-ru"), encoding="cp1251", bom=False)
    assert not sqlite_export._profile_fits(cp1251)
    assert not sqlite_export._profile_fits(dataclasses.replace(get_profile("utf8"), delimiter="§"))
    assert sqlite_export._profile_fits(get_profile("excel-ru"))


def test_chunks_report_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "many.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, value REAL)")
        connection.executemany("INSERT INTO t VALUES (?, ?)", [(i, i / 7) for i in range(1, 2501)])
    connection.close()
    monkeypatch.setattr(sqlite_export, "CHUNK_ROWS", 1000)
    source = SqlSource(f"sqlite:///{path}")
    progress = RecordingProgress()
    try:
        sqlite_export.write_table(source, path, "t", PROFILES["utf8"], io.BytesIO(), progress)
    finally:
        source.close()
    assert progress.calls == 3
    assert progress.rows == 2500
    assert progress.key == [2500]


def test_json_keys_escaped_names(tmp_path: Path) -> None:
    path = tmp_path / "keys.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute('CREATE TABLE t ("a" INTEGER, "b\\c" TEXT, "Ж" BLOB, "ключ ""q""" REAL)')
        connection.execute("INSERT INTO t VALUES (1, 'x', x'00ff', 2.5)")
    connection.close()
    source = SqlSource(f"sqlite:///{path}")
    try:
        assert _fast_bytes(source, path, None) == _general_bytes(source, None)
    finally:
        source.close()
