"""Export speed and time left of running jobs, from the progress the job list reads.

The job list reads `rows_done` of each running job up to ten times a second. `RateTracker`
keeps those samples, each with the moment it was read, over a sliding window of
`WINDOW_S` seconds, and estimates the speed as the rows gained from the window's oldest
sample to its newest divided by the seconds between them. A job that gains no rows for the
whole window has a speed of 0. A new attempt of a job (a restart, which may resume from a
checkpoint and so jump ahead) or fewer rows than before starts the samples again, so a jump
never counts as speed.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from exportdesk.i18n import QT_TR_NOOP, format_count, tr

# The sliding window of samples, in seconds.
WINDOW_S = 10.0
# No estimate before the samples span this many seconds: a shorter span shows more noise
# (batch sizes, read timing) than speed.
MIN_SPAN_S = 3.0
MIN_SAMPLES = 3

# Titles of the job list's columns, translated where they are shown.
SPEED_TITLE = QT_TR_NOOP("Speed")
TIME_LEFT_TITLE = QT_TR_NOOP("Time left")


@dataclass(frozen=True)
class RateEstimate:
    """The speed of one running job and its time left, where they can be estimated.

    `rows_per_s` is None while the samples span less than `MIN_SPAN_S`. `seconds_left` is None
    then too, and also when the total is unknown or the speed is 0.
    """

    rows_per_s: float | None
    seconds_left: float | None
    total_known: bool

    @property
    def estimating(self) -> bool:
        return self.rows_per_s is None


@dataclass
class _History:
    attempt: int
    rows_total: int | None
    # (seconds on the tracker's clock, rows done), oldest first.
    samples: deque[tuple[float, int]]


class RateTracker:
    """Samples of running jobs' progress by job id, and their speed and time left."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, window_s: float = WINDOW_S) -> None:
        self._clock = clock
        self._window_s = window_s
        self._histories: dict[str, _History] = {}

    def observe(self, job_id: str, attempt: int, rows_done: int, rows_total: int | None) -> None:
        """Record that a running job had `rows_done` rows at this moment of the clock."""
        now = self._clock()
        history = self._histories.get(job_id)
        restarted = history is not None and (history.attempt != attempt or rows_done < history.samples[-1][1])
        if history is None or restarted:
            history = _History(attempt, rows_total, deque())
            self._histories[job_id] = history
        history.rows_total = rows_total
        history.samples.append((now, rows_done))
        self._drop_old(history, now)

    def forget(self, job_id: str) -> None:
        """Drop a job's samples, for a job that is no longer running."""
        self._histories.pop(job_id, None)

    def forget_all_but(self, job_ids: set[str]) -> None:
        """Drop the samples of every job not in `job_ids`."""
        for job_id in [job_id for job_id in self._histories if job_id not in job_ids]:
            del self._histories[job_id]

    def estimate(self, job_id: str) -> RateEstimate | None:
        """Return the job's speed and time left, or None for a job without samples."""
        history = self._histories.get(job_id)
        if history is None:
            return None
        self._drop_old(history, self._clock())
        total_known = history.rows_total is not None
        first_at, first_rows = history.samples[0]
        last_at, last_rows = history.samples[-1]
        span = last_at - first_at
        if len(history.samples) < MIN_SAMPLES or span < MIN_SPAN_S:
            return RateEstimate(None, None, total_known)
        rate = (last_rows - first_rows) / span
        seconds_left = None
        if history.rows_total is not None and rate > 0:
            seconds_left = max(0, history.rows_total - last_rows) / rate
        return RateEstimate(rate, seconds_left, total_known)

    def _drop_old(self, history: _History, now: float) -> None:
        """Drop samples older than the window, but keep the newest one even when it is older."""
        samples = history.samples
        while len(samples) > 1 and samples[0][0] < now - self._window_s:
            samples.popleft()


# Text ------------------------------------------------------------------------------------------


def speed_text(estimate: RateEstimate | None) -> str:
    """Return the speed cell: "12,345 rows/s", or "" while there is no estimate."""
    if estimate is None or estimate.rows_per_s is None:
        return ""
    rate = estimate.rows_per_s
    if 0 < rate < 1:
        return tr("less than 1 row/s")
    return tr("%Ln row(s)/s", None, round(rate))


def time_left_text(estimate: RateEstimate | None) -> str:
    """Return the time left cell: "about 2 min 10 s", "estimating…", "no progress", or ""."""
    if estimate is None or not estimate.total_known:
        return ""
    if estimate.estimating:
        return tr("estimating…")
    if estimate.seconds_left is None:
        return tr("no progress")
    return format_time_left(estimate.seconds_left)


def format_time_left(seconds: float) -> str:
    """Format an estimated duration, rounded up to a step that keeps the text steady between reads.

    Under a minute the step is 5 s, under 10 minutes 10 s, and after that a minute.
    """
    if seconds < 60:
        rounded = max(5, _round_up(seconds, 5))
    elif seconds < 600:
        rounded = _round_up(seconds, 10)
    else:
        rounded = _round_up(seconds, 60)
    if rounded < 60:
        return tr("about {seconds} s").format(seconds=rounded)
    minutes, rest = divmod(rounded, 60)
    if rest:
        return tr("about {minutes} min {seconds} s").format(minutes=minutes, seconds=rest)
    if minutes < 60:
        return tr("about {minutes} min").format(minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if minutes == 0:
        return tr("about {hours} h").format(hours=format_count(hours))
    return tr("about {hours} h {minutes} min").format(hours=format_count(hours), minutes=minutes)


def _round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def speed_sort_key(estimate: RateEstimate | None) -> float:
    """Return the speed for sorting: -1 for a job without an estimate."""
    if estimate is None or estimate.rows_per_s is None:
        return -1.0
    return estimate.rows_per_s


def time_left_sort_key(estimate: RateEstimate | None) -> float:
    """Return the seconds left for sorting: infinity, so last in ascending order, when unknown."""
    if estimate is None or estimate.seconds_left is None:
        return math.inf
    return estimate.seconds_left
