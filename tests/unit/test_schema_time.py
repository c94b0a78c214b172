"""`UtcDateTime`: timestamps read back from the job table equal what was written."""

from __future__ import annotations

import datetime as dt

import pytest

from exportdesk.store.schema import UtcDateTime

UTC = dt.timezone.utc


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 12, 4, 23, 19, 32, 123456, tzinfo=UTC),
        dt.datetime(2026, 1, 1, 0, 0, 0, 0, tzinfo=UTC),
        dt.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=UTC),
        dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))),
    ],
)
def test_utc_datetime_round_trip(value: dt.datetime) -> None:
    column = UtcDateTime()
    stored = column.process_bind_param(value, None)

    assert stored is not None
    assert len(stored) == 26
    loaded = column.process_result_value(stored, None)
    assert loaded == value
    assert loaded is not None and loaded.tzinfo is UTC


def test_utc_datetime_reads_stored_text() -> None:
    loaded = UtcDateTime().process_result_value("2026-03-05 07:08:09.000010", None)

    assert loaded == dt.datetime(2026, 3, 5, 7, 8, 9, 10, tzinfo=UTC)


def test_utc_datetime_none() -> None:
    column = UtcDateTime()

    assert column.process_bind_param(None, None) is None
    assert column.process_result_value(None, None) is None
