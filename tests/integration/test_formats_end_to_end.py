"""Formats through the real runner: XLSX sheets, ZIP bundles with a manifest, CSV options."""

from __future__ import annotations

import codecs
import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from exportdesk.context import Context
from exportdesk.engine import actions, runner
from exportdesk.engine.runner import run_job
from exportdesk.fastpath import sqlite_export
from exportdesk.formats.bundle import verify_bundle
from exportdesk.formats.csv import InvalidCsvOptions, profile_from_options
from exportdesk.jobs import Job, JobState


def make_source(path: Path, rows: int = 25) -> str:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, amount REAL)")
    connection.executemany("INSERT INTO t VALUES (?, ?, ?)", [(i, f"имя {i}", i / 4) for i in range(1, rows + 1)])
    connection.execute("CREATE TABLE u (code TEXT)")
    connection.execute("INSERT INTO u VALUES ('=SUM(A1)'), (NULL), ('')")
    connection.commit()
    connection.close()
    return f"sqlite:///{path}"


def run(ctx: Context, spec: actions.JobSpec) -> tuple[Job, Path]:
    job = actions.submit(ctx, spec)
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    assert claimed.id == job.id
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    assert ended.state is JobState.READY, ended.error_code
    return ended, ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name)


def test_xlsx_rows_continue_on_new_sheets(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db")
    spec = actions.new_spec(url, ("t",), format_name="xlsx", options={"xlsx_rows_per_sheet": 10})
    job, path = run(ctx, spec)
    assert job.file_name == "t.xlsx"
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    assert list(sheets) == ["t", "t (2)", "t (3)"]
    assert [len(rows) - 1 for rows in sheets.values()] == [10, 10, 5]
    assert [row[0] for rows in sheets.values() for row in rows[1:]] == list(range(1, 26))
    assert sheets["t"][1] == (1, "имя 1", 0.25)


def test_zip_bundle_has_verifiable_manifest(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db")
    job, path = run(ctx, actions.new_spec(url, ("t", "u"), profile="utf8", name="bundle"))
    assert job.file_name == "bundle.zip"
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["manifest.json", "t.csv", "u.csv"]
        manifest = json.loads(archive.read("manifest.json"))
        rows_u = list(csv.reader(io.StringIO(archive.read("u.csv").decode("utf-8"), newline="")))
    assert manifest["source"] == url
    assert manifest["format"] == "csv"
    assert manifest["profile"] == "utf8"
    assert [entry["rows"] for entry in manifest["tables"]] == [25, 3]
    assert manifest["tables"][0]["columns"][0] == {"name": "id", "type": "INTEGER"}
    # A one-column NULL is an empty line, which the csv module reads as an empty record.
    assert rows_u == [["code"], ["=SUM(A1)"], [], [""]]
    assert verify_bundle(path).ok

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data + b"x" if name == "t.csv" else data)
    report = verify_bundle(tampered)
    assert not report.ok
    assert [problem.name for problem in report.problems] == ["t.csv"]
    assert str(report.problems[0]).startswith("t.csv differs from the manifest (SHA-256 or size)")


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"csv": {"delimiter": "\t", "line_end": "crlf", "null": "NULL"}}, b"code\r\n'=SUM(A1)\r\nNULL\r\n\"\"\r\n"),
        ({"neutralise_formulas": False}, "\ufeffcode\r\n=SUM(A1)\r\n\r\n\"\"\r\n".encode()),
        ({"csv": {"header": False, "encoding": "cp1251", "bom": False}}, b"'=SUM(A1)\r\n\r\n\"\"\r\n"),
    ],
)
def test_csv_options_override_profile(ctx: Context, tmp_path: Path, options: dict[str, object], expected: bytes) -> None:
    url = make_source(tmp_path / "s.db")
    profile = "excel-ru" if "neutralise_formulas" in options or "header" in options.get("csv", {}) else "excel-en"  # type: ignore[union-attr]
    if "delimiter" in options.get("csv", {}):  # type: ignore[union-attr]
        profile = "custom"
        options = {**options, "neutralise_formulas": True}
    _, path = run(ctx, actions.new_spec(url, ("u",), profile=profile, options=options))
    assert path.read_bytes() == expected


def test_excel_en_profile(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db", rows=1)
    _, path = run(ctx, actions.new_spec(url, ("t",), profile="excel-en"))
    assert path.read_bytes() == "\ufeffid,name,amount\r\n1,имя 1,0.25\r\n".encode()


def test_invalid_csv_options_rejected(ctx: Context) -> None:
    for options in ({"csv": {"delimiter": ";;"}}, {"csv": {"encoding": "klingon"}}, {"csv": {"null": "a,b"}}):
        with pytest.raises(actions.InvalidSpec):
            actions.submit(ctx, actions.new_spec("demo", ("airlines",), profile="custom", options=options))


def test_text_outside_encoding_fails_clearly(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "s.db", rows=1)
    connection = sqlite3.connect(tmp_path / "s.db")
    connection.execute("UPDATE t SET name = 'emoji 😀'")
    connection.commit()
    connection.close()
    job = actions.submit(ctx, actions.new_spec(url, ("t",), profile="custom", options={"csv": {"encoding": "cp1251"}}))
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    ended = run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir)
    assert ended.state is JobState.FAILED
    assert ended.error_subject == "cp1251"
    assert ctx.storage.job_dir(job.owner, job.id).exists() is False


# Each encoding that starts with a byte order mark: the mark and the codec for the text after it.
SIGNATURES = {
    "utf-8-sig": (codecs.BOM_UTF8, "utf-8"),
    "utf-16": (codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-32": (codecs.BOM_UTF32_LE, "utf-32-le"),
}


def expected_csv_text(rows: int) -> str:
    lines = ["id,name,amount"] + [f"{i},имя {i},{i / 4!r}" for i in range(1, rows + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("fast", [True, False], ids=["sqlite-fast-path", "general-path"])
@pytest.mark.parametrize("encoding", list(SIGNATURES))
def test_signature_encoding_one_bom_per_file(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, fast: bool
) -> None:
    monkeypatch.setattr(runner, "BATCH_ROWS", 100)
    monkeypatch.setattr(sqlite_export, "CHUNK_ROWS", 100)
    monkeypatch.setattr(sqlite_export, "GENERAL_BATCH_ROWS", 100)
    if not fast:
        monkeypatch.setenv(sqlite_export.DISABLE_ENV, "off")
    url = make_source(tmp_path / "s.db", rows=350)
    options = {"csv": {"encoding": encoding}}
    _, path = run(ctx, actions.new_spec(url, ("t",), profile="custom", options=options))

    bom, codec = SIGNATURES[encoding]
    data = path.read_bytes()
    assert data.startswith(bom)
    text = data[len(bom) :].decode(codec)
    assert "\ufeff" not in text
    assert text == expected_csv_text(350)


@pytest.mark.parametrize("encoding", list(SIGNATURES))
def test_signature_encoding_resumes_without_bom(ctx: Context, tmp_path: Path, encoding: str) -> None:
    url = make_source(tmp_path / "s.db", rows=350)
    spec = actions.new_spec(url, ("t",), profile="custom", options={"csv": {"encoding": encoding}})
    _, path = run(ctx, spec)
    reference = path.read_bytes()

    # Leave the second job as a stopped worker does: a partial file that ends after row 200 and
    # a checkpoint at that row.
    job = actions.submit(ctx, spec)
    claimed = ctx.store.claim_next("test")
    assert claimed is not None
    assert claimed.id == job.id
    bom, codec = SIGNATURES[encoding]
    head = bom + expected_csv_text(200).encode(codec)
    assert reference.startswith(head)
    writer = ctx.storage.open_writer(job.owner, job.id, job.file_name)
    writer.write(head)
    writer.sync()
    writer.close()
    ctx.store.report_progress(job.id, 200, len(head), checkpoint={"key": [200], "offset": len(head), "rows": 200})
    ended = run_job(ctx.store, ctx.storage, ctx.store.engine_get(job.id), ctx.paths.data_dir)

    assert ended.state is JobState.READY, ended.error_code
    assert ended.rows_done == 350
    assert ctx.storage.artifact_path(ended.owner, ended.id, ended.file_name).read_bytes() == reference


def test_signature_encoding_without_bom_rejected() -> None:
    with pytest.raises(InvalidCsvOptions, match="use utf-16-le"):
        profile_from_options("custom", {"csv": {"encoding": "utf-16", "bom": False}})
