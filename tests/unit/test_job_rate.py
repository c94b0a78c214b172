"""`RateTracker`: speed and time left from progress samples on an injected clock, and their text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from exportdesk.gui.job_rate import (
    MIN_SPAN_S,
    WINDOW_S,
    RateEstimate,
    RateTracker,
    format_time_left,
    speed_sort_key,
    speed_text,
    time_left_sort_key,
    time_left_text,
)
from exportdesk.i18n import set_language


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(clock: Clock) -> RateTracker:
    return RateTracker(clock)


@pytest.fixture
def russian() -> Iterator[None]:
    set_language("ru")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield


def feed(tracker: RateTracker, clock: Clock, rows_per_s: float, seconds: float, start_rows: int = 0,
         total: int | None = 100_000, attempt: int = 1) -> int:
    """Observe a steady job every 0.1 s for `seconds`, and return the rows done at the end."""
    started = clock.now
    steps = round(seconds * 10)
    for step in range(steps + 1):
        clock.now = started + step / 10
        rows = start_rows + round((clock.now - started) * rows_per_s)
        tracker.observe("job", attempt, rows, total)
    return rows


def test_no_estimate_before_min_span(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=1000, seconds=MIN_SPAN_S - 0.5)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.estimating
    assert estimate.seconds_left is None
    assert time_left_text(estimate) == "estimating…"
    assert speed_text(estimate) == ""


def test_unknown_job_has_no_estimate(tracker: RateTracker) -> None:
    assert tracker.estimate("other") is None
    assert speed_text(None) == ""
    assert time_left_text(None) == ""


def test_steady_rate(tracker: RateTracker, clock: Clock) -> None:
    rows = feed(tracker, clock, rows_per_s=1000, seconds=20)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.rows_per_s == pytest.approx(1000, rel=0.01)
    assert estimate.seconds_left == pytest.approx((100_000 - rows) / 1000, rel=0.01)
    assert speed_text(estimate) == "1,000 rows/s"
    assert time_left_text(estimate) == "about 1 min 20 s"


def test_window_forgets_old_speed(tracker: RateTracker, clock: Clock) -> None:
    rows = feed(tracker, clock, rows_per_s=100, seconds=30, total=None)
    feed(tracker, clock, rows_per_s=5000, seconds=WINDOW_S + 1, start_rows=rows, total=None)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.rows_per_s == pytest.approx(5000, rel=0.02)


def test_stall_reaches_zero(tracker: RateTracker, clock: Clock) -> None:
    rows = feed(tracker, clock, rows_per_s=1000, seconds=10)
    for _ in range(int(WINDOW_S * 10) + 1):
        clock.now += 0.1
        tracker.observe("job", 1, rows, 100_000)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.rows_per_s == 0
    assert estimate.seconds_left is None
    assert speed_text(estimate) == "0 rows/s"
    assert time_left_text(estimate) == "no progress"


def test_stall_slows_estimate_gradually(tracker: RateTracker, clock: Clock) -> None:
    rows = feed(tracker, clock, rows_per_s=1000, seconds=10)
    for _ in range(50):
        clock.now += 0.1
        tracker.observe("job", 1, rows, 100_000)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.rows_per_s is not None
    assert 300 < estimate.rows_per_s < 700


def test_restart_with_jump_starts_over(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=1000, seconds=10)
    # The new attempt resumes from a checkpoint far ahead of the last sample.
    clock.now += 1
    tracker.observe("job", 2, 60_000, 100_000)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.estimating
    feed(tracker, clock, rows_per_s=500, seconds=5, start_rows=60_000, attempt=2)
    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.rows_per_s == pytest.approx(500, rel=0.02)


def test_fewer_rows_starts_over(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=1000, seconds=10)
    clock.now += 0.1
    tracker.observe("job", 1, 0, 100_000)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.estimating


def test_total_unknown_gives_speed_only(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=2500, seconds=10, total=None)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.seconds_left is None
    assert speed_text(estimate) == "2,500 rows/s"
    assert time_left_text(estimate) == ""


def test_forget_drops_job(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=1000, seconds=5)
    tracker.forget("job")

    assert tracker.estimate("job") is None


def test_rows_past_total_leave_nothing(tracker: RateTracker, clock: Clock) -> None:
    feed(tracker, clock, rows_per_s=1000, seconds=10, total=5_000)

    estimate = tracker.estimate("job")
    assert estimate is not None
    assert estimate.seconds_left == 0
    assert time_left_text(estimate) == "about 5 s"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "about 5 s"),
        (42, "about 45 s"),
        (58, "about 1 min"),
        (130, "about 2 min 10 s"),
        (131, "about 2 min 20 s"),
        (599, "about 10 min"),
        (601, "about 11 min"),
        (3600, "about 1 h"),
        (3 * 3600 + 61, "about 3 h 2 min"),
        (1500 * 3600, "about 1,500 h"),
    ],
)
def test_time_left_format(seconds: float, text: str) -> None:
    assert format_time_left(seconds) == text


def test_slow_speed_text() -> None:
    assert speed_text(RateEstimate(0.4, None, False)) == "less than 1 row/s"
    assert speed_text(RateEstimate(1.2, None, False)) == "1 row/s"


def test_russian_text(russian: None) -> None:
    assert speed_text(RateEstimate(12345, 130, True)) == "12\u00a0345 строк/с"
    assert speed_text(RateEstimate(1, 130, True)) == "1 строка/с"
    assert speed_text(RateEstimate(3, 130, True)) == "3 строки/с"
    assert time_left_text(RateEstimate(12345, 130, True)) == "≈ 2 мин 10 с"
    assert time_left_text(RateEstimate(None, None, True)) == "оценивается…"


def test_sort_keys() -> None:
    assert speed_sort_key(None) == -1
    assert speed_sort_key(RateEstimate(None, None, True)) == -1
    assert speed_sort_key(RateEstimate(12.5, 3, True)) == 12.5
    assert time_left_sort_key(RateEstimate(12.5, 3, True)) == 3
    assert time_left_sort_key(RateEstimate(12.5, None, False)) == float("inf")
    assert time_left_sort_key(None) == float("inf")


def test_forget_all_but_keeps_listed(tracker: RateTracker, clock: Clock) -> None:
    tracker.observe("kept", 1, 10, None)
    tracker.observe("dropped", 1, 10, None)

    tracker.forget_all_but({"kept"})

    assert tracker.estimate("kept") is not None
    assert tracker.estimate("dropped") is None
