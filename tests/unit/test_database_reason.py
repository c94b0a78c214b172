"""The database's reason for a rejected query: shown to the user, so free of URLs and secrets."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc

from exportdesk.jobs import ErrorCode
from exportdesk.sources.sql import MAX_REASON_CHARS, database_reason, source_error


def driver_error(message: str) -> sa_exc.ProgrammingError:
    return sa_exc.ProgrammingError("SELEC 1", {}, Exception(message))


def test_reason_is_first_line() -> None:
    error = driver_error('syntax error at or near "SELEC"\nLINE 2: SELEC 1\n        ^')
    assert database_reason(error) == 'syntax error at or near "SELEC"'


def test_reason_drops_urls_and_passwords() -> None:
    error = driver_error("syntax error near postgresql://ann:s3cret@db.local/shop password=hunter2 host=db.local")
    reason = database_reason(error)
    assert reason is not None
    assert "s3cret" not in reason
    assert "hunter2" not in reason
    assert "db.local" not in reason
    assert reason.startswith("syntax error near")


def test_reason_is_cut_to_limit() -> None:
    reason = database_reason(driver_error("x" * 5000))
    assert reason is not None
    assert len(reason) == MAX_REASON_CHARS


def test_reason_only_for_custom_query() -> None:
    error = driver_error('near "SELEC": syntax error')
    assert source_error(error, custom_query=True).subject == 'near "SELEC": syntax error'
    assert source_error(error).subject is None
    assert source_error(error).code is ErrorCode.QUERY_INVALID


def test_error_without_driver_message_has_no_reason() -> None:
    assert database_reason(sa_exc.ArgumentError("bad argument")) is None
