"""Failures end as clear states: disk full, missing table or file, bad query, busy database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions
from exportdesk.engine.runner import run_job
from exportdesk.jobs import ErrorCode, Job, JobState
from exportdesk.messages import error_message, job_message
from exportdesk.i18n import set_language


def make_source(path: Path, rows: int = 5000) -> str:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)")
    connection.executemany("INSERT INTO t (name) VALUES (?)", [(f"строка {i} " + "x" * 200,) for i in range(rows)])
    connection.commit()
    connection.close()
    return f"sqlite:///{path}?timeout=0.05"


def run_in_process(ctx: Context, spec: actions.JobSpec, **kwargs: object) -> Job:
    job = actions.submit(ctx, spec)
    claimed = ctx.store.claim_next("test-instance")
    assert claimed is not None
    assert claimed.id == job.id
    return run_job(ctx.store, ctx.storage, claimed, ctx.paths.data_dir, **kwargs)  # type: ignore[arg-type]


def job_files(ctx: Context, job: Job) -> list[Path]:
    folder = ctx.storage.job_dir(job.owner, job.id)
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def small_exports(ctx: Context) -> Iterator[Context]:
    """Mount a 1 MiB tmpfs over the storage folder; needs root, as in CI."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(ctx.storage.root)], capture_output=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.decode().strip()}")
    try:
        yield ctx
    finally:
        subprocess.run(["umount", str(ctx.storage.root)], check=True)


def test_disk_full_found_before_writing(small_exports: Context, tmp_path: Path) -> None:
    ctx = small_exports
    url = make_source(tmp_path / "source.db")
    ended = run_in_process(ctx, actions.new_spec(url, ("t",)))
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.DISK_FULL
    assert job_files(ctx, ended) == []


def test_disk_full_while_writing(small_exports: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = small_exports
    url = make_source(tmp_path / "source.db")
    # Report plenty of free space so the estimate passes and the write itself hits ENOSPC.
    monkeypatch.setattr(type(ctx.storage), "free_bytes", lambda self: 1 << 40)
    ended = run_in_process(ctx, actions.new_spec(url, ("t",)))
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.DISK_FULL
    assert job_files(ctx, ended) == []
    set_language("ru")
    try:
        assert error_message(ErrorCode.DISK_FULL).startswith("Недостаточно места на диске")
    finally:
        set_language("en")


@pytest.mark.parametrize(
    ("table", "query", "code"),
    [
        ("no_such_table", None, ErrorCode.TABLE_NOT_FOUND),
        (None, "SELECT * FROM t WHERE", ErrorCode.QUERY_INVALID),
        (None, "SELECT * FROM missing_table", ErrorCode.TABLE_NOT_FOUND),
    ],
)
def test_source_errors_have_codes(
    ctx: Context, tmp_path: Path, table: str | None, query: str | None, code: ErrorCode
) -> None:
    url = make_source(tmp_path / "source.db", rows=10)
    spec = actions.new_spec(url, (table,) if table else (), query)
    ended = run_in_process(ctx, spec)
    assert ended.state is JobState.FAILED
    assert ended.error_code is code
    assert job_files(ctx, ended) == []


def test_missing_sqlite_file_is_unreachable(ctx: Context, tmp_path: Path) -> None:
    ended = run_in_process(ctx, actions.new_spec(f"sqlite:///{tmp_path / 'absent.db'}", ("t",)))
    assert ended.error_code is ErrorCode.SOURCE_UNREACHABLE
    assert not (tmp_path / "absent.db").exists()


def test_non_database_file_is_unreachable(ctx: Context, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.db"
    text_file.write_text("not an SQLite database\n", encoding="utf-8")
    ended = run_in_process(ctx, actions.new_spec(f"sqlite:///{text_file}", ("t",)))
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.SOURCE_UNREACHABLE
    assert job_files(ctx, ended) == []


def test_busy_database_is_retried(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "source.db", rows=10)
    blocker = sqlite3.connect(tmp_path / "source.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    pauses: list[float] = []

    def release_on_first_pause(seconds: float) -> None:
        pauses.append(seconds)
        if blocker.in_transaction:
            blocker.execute("COMMIT")

    ended = run_in_process(ctx, actions.new_spec(url, ("t",), profile="utf8"), sleep=release_on_first_pause)
    blocker.close()
    assert pauses == [0.5]
    assert ended.state is JobState.READY
    assert ended.rows_done == 10


def test_busy_database_gives_up_after_retries(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "source.db", rows=10)
    blocker = sqlite3.connect(tmp_path / "source.db", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    pauses: list[float] = []
    try:
        ended = run_in_process(ctx, actions.new_spec(url, ("t",)), sleep=pauses.append)
    finally:
        blocker.execute("COMMIT")
        blocker.close()
    assert pauses == [0.5, 1.0, 2.0]
    assert ended.state is JobState.FAILED
    assert ended.error_code is ErrorCode.SOURCE_LOCKED
    set_language("ru")
    try:
        assert job_message(ended).startswith("База данных заблокирована другой программой. Закройте эту программу")
    finally:
        set_language("en")


def test_rejected_query_names_database_reason(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "source.db", rows=1)
    ended = run_in_process(ctx, actions.new_spec(url, query="SELEC 1"))
    assert ended.error_code is ErrorCode.QUERY_INVALID
    assert ended.error_subject == 'near "SELEC": syntax error'
    assert job_message(ended) == (
        'The database rejected the query: near "SELEC": syntax error. Fix the query and export again.'
    )
    set_language("ru")
    try:
        assert job_message(ended) == (
            'База данных отклонила запрос: near "SELEC": syntax error. Исправьте запрос и запустите экспорт снова.'
        )
    finally:
        set_language("en")


def test_missing_table_message_names_it(ctx: Context, tmp_path: Path) -> None:
    url = make_source(tmp_path / "source.db", rows=1)
    ended = run_in_process(ctx, actions.new_spec(url, ("отчёт_2024",)))
    assert ended.error_subject == "отчёт_2024"
    assert "«отчёт_2024»" in job_message(ended)
    set_language("ru")
    try:
        assert job_message(ended).startswith("Таблица «отчёт_2024» не найдена")
    finally:
        set_language("en")
