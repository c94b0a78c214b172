"""`read_job_log`: one job's records from rotated log files, bounded and redacted; and the worker's job prefix."""

from __future__ import annotations

import logging
from pathlib import Path

from exportdesk.job_log import read_job_log, redact_log_text, source_secrets
from exportdesk.logs import logging_to_file, setup_logging

JOB = "11111111-2222-3333-4444-555555555555"
OTHER = "99999999-8888-7777-6666-555555555555"


def write(path: Path, *lines: str) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def test_records_of_job_merged_by_time(tmp_path: Path) -> None:
    write(
        tmp_path / "app.log",
        f"2026-12-05 10:00:01,000 10 INFO exportdesk.engine.dispatcher: Job {JOB}: claimed by instance a",
        f"2026-12-05 10:00:02,000 10 INFO exportdesk.engine.dispatcher: Job {OTHER}: claimed by instance a",
        f"2026-12-05 10:00:09,000 10 INFO exportdesk.engine.dispatcher: Job {JOB}: ended as ready",
    )
    write(
        tmp_path / "worker.log",
        f"2026-12-05 10:00:03,000 11 WARNING exportdesk.formats.xlsx: Job {JOB}: XLSX: too many columns",
        f"2026-12-05 10:00:04,000 12 ERROR exportdesk.engine.worker: Job {OTHER}: unexpected error in the worker",
        "Traceback (most recent call last):",
        '  File "x.py", line 1, in <module>',
        f"2026-12-05 10:00:05,000 11 INFO exportdesk.engine.runner: Job {JOB}: wrote 16 rows",
    )

    lines = read_job_log(tmp_path, JOB)

    assert [line.split(f"{JOB}: ", 1)[-1] for line in lines] == ["claimed by instance a", "XLSX: too many columns", "wrote 16 rows", "ended as ready"]
    assert not any(OTHER in line for line in lines)
    assert not any("Traceback" in line for line in lines)


def test_traceback_lines_follow_record(tmp_path: Path) -> None:
    write(
        tmp_path / "worker.log",
        f"2026-12-05 10:00:04,000 12 ERROR exportdesk.engine.worker: Job {JOB}: unexpected error in the worker",
        "Traceback (most recent call last):",
        "ValueError: boom",
        f"2026-12-05 10:00:05,000 12 INFO exportdesk.engine.runner: Job {OTHER}: wrote 1 rows",
    )

    lines = read_job_log(tmp_path, JOB)

    assert lines[1:] == ["Traceback (most recent call last):", "ValueError: boom"]


def test_rotated_parts_oldest_first(tmp_path: Path) -> None:
    write(tmp_path / "worker.log.2", f"2026-12-05 10:00:01,000 1 INFO w: Job {JOB}: first")
    write(tmp_path / "worker.log.1", f"2026-12-05 10:00:02,000 1 INFO w: Job {JOB}: second")
    write(tmp_path / "worker.log", f"2026-12-05 10:00:03,000 1 INFO w: Job {JOB}: third")
    write(tmp_path / "notes.txt", f"2026-12-05 10:00:04,000 1 INFO w: Job {JOB}: not a log")

    lines = read_job_log(tmp_path, JOB)

    assert [line.rsplit(": ", 1)[-1] for line in lines] == ["first", "second", "third"]


def test_keeps_only_last_lines(tmp_path: Path) -> None:
    write(tmp_path / "app.log", *(f"2026-12-05 10:00:{n // 1000:02d},{n % 1000:03d} 1 INFO a: Job {JOB}: line {n}" for n in range(500)))

    lines = read_job_log(tmp_path, JOB, max_lines=200)

    assert len(lines) == 200
    assert lines[0].endswith("line 300")
    assert lines[-1].endswith("line 499")


def test_reads_only_tail_of_big_file(tmp_path: Path) -> None:
    old = f"2026-12-05 09:00:00,000 1 INFO a: Job {JOB}: too old to read"
    filler = [f"2026-12-05 09:30:00,000 1 INFO a: Job {OTHER}: {'x' * 200}"] * 2000
    write(tmp_path / "app.log", old, *filler, f"2026-12-05 10:00:00,000 1 INFO a: Job {JOB}: recent")

    lines = read_job_log(tmp_path, JOB, max_file_bytes=64 * 1024)

    assert [line.rsplit(": ", 1)[-1] for line in lines] == ["recent"]


def test_total_budget_skips_older_parts(tmp_path: Path) -> None:
    write(tmp_path / "app.log.1", f"2026-12-05 09:00:00,000 1 INFO a: Job {JOB}: older part")
    write(tmp_path / "app.log", f"2026-12-05 10:00:00,000 1 INFO a: Job {JOB}: {'y' * 100}")

    lines = read_job_log(tmp_path, JOB, max_total_bytes=200)

    assert len(lines) == 1
    assert lines[0].endswith("y" * 100)


def test_missing_folder_gives_nothing(tmp_path: Path) -> None:
    assert read_job_log(tmp_path / "absent", JOB) == []


def test_password_redacted(tmp_path: Path) -> None:
    write(
        tmp_path / "app.log",
        f"2026-12-05 10:00:00,000 1 WARNING a: Job {JOB}: connect to postgresql://me:s3cret-pw@db:5432/shop failed",
        f"2026-12-05 10:00:01,000 1 WARNING a: Job {JOB}: server said: password s3cret-pw rejected",
    )

    lines = read_job_log(tmp_path, JOB, secrets=source_secrets("postgresql://me:s3cret-pw@db/shop"))

    assert not any("s3cret-pw" in line for line in lines)
    assert "postgresql://me:***@db:5432/shop" in lines[0]
    assert "password *** rejected" in lines[1]


def test_redact_log_text_url_without_known_secret() -> None:
    assert redact_log_text("GET https://bot:t0ken@api.example/v1") == "GET https://bot:***@api.example/v1"
    assert redact_log_text("at 10:00:01 user@host") == "at 10:00:01 user@host"


def test_source_secrets_of_plain_sources() -> None:
    assert source_secrets("demo") == []
    assert source_secrets("postgresql://me@db/shop") == []


def test_worker_records_name_job(tmp_path: Path) -> None:
    with logging_to_file(tmp_path, "other.log"):
        pass
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    level_before = root.level
    try:
        setup_logging(tmp_path, "worker.log", job_id=JOB)
        logging.getLogger("exportdesk.formats.xlsx").warning("XLSX: the table has %d columns", 20000)
        logging.getLogger("exportdesk.engine.runner").info("Job %s: wrote %d rows", JOB, 16)
    finally:
        for handler in [handler for handler in root.handlers if handler not in handlers_before]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level_before)

    text = (tmp_path / "worker.log").read_text(encoding="utf-8")
    assert f"Job {JOB}: XLSX: the table has 20000 columns" in text
    assert f"Job {JOB}: wrote 16 rows" in text
    assert f"Job {JOB}: Job {JOB}" not in text
    assert len(read_job_log(tmp_path, JOB)) == 2
