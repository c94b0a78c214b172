"""The message catalogue: every error code and state reads in both languages, without technical text."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from exportdesk.i18n import CONTEXT, set_language, translator
from exportdesk.jobs import ErrorCode, Job, JobSpec, JobState, Selection
from exportdesk.messages import (
    CANCELLED_MESSAGE,
    ERROR_MESSAGES,
    EXPIRED_MESSAGE,
    STATE_LABELS,
    SUBJECT_MESSAGES,
    job_message,
    state_label,
)

TECHNICAL_WORDS = ("Traceback", "Error:", "Exception", "sqlite", "psycopg", "SELECT", "errno", "None")


@pytest.fixture
def language() -> Iterator[None]:
    yield
    set_language("en")


def failed_job(code: ErrorCode, subject: str | None = None) -> Job:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    return Job(
        id="id", owner="o", spec=JobSpec(source="demo", selection=Selection(tables=("t",))), state=JobState.FAILED,
        outcome=None, error_code=code, file_name="t.csv", rows_done=0, rows_total=None, bytes_written=0,
        sha256=None, created_at=now, started_at=None, finished_at=now, expires_at=None, progress_at=None,
        attempts=1, cancel_requested=False, lease_pid=None, lease_instance=None, heartbeat_at=None,
        error_subject=subject,
    )


RUSSIAN_STATE_LABELS = {
    JobState.QUEUED: "В очереди",
    JobState.RUNNING: "Выполняется",
    JobState.READY: "Готово",
    JobState.FAILED: "Ошибка",
    JobState.CANCELLED: "Отменено",
    JobState.EXPIRED: "Срок хранения истёк",
}


def test_every_message_has_russian() -> None:
    russian = translator("ru")
    assert russian is not None
    texts = [*ERROR_MESSAGES.values(), *SUBJECT_MESSAGES.values(), *STATE_LABELS.values(), EXPIRED_MESSAGE, CANCELLED_MESSAGE]
    missing = [text for text in texts if not russian.translate(CONTEXT, text)]
    assert missing == []


@pytest.mark.parametrize("lang", ["ru", "en"])
@pytest.mark.parametrize("code", list(ErrorCode))
def test_error_codes_render_without_technical_text(code: ErrorCode, lang: str, language: None) -> None:
    set_language(lang)
    for job in (failed_job(code), failed_job(code, subject="orders")):
        message = job_message(job)
        assert message
        for word in TECHNICAL_WORDS:
            assert word not in message, (code, lang, word)
    if lang == "ru":
        # Only the name of an encoding may stay in Latin letters.
        text = job_message(failed_job(code)).replace("UTF-8", "")
        assert not any("a" <= letter <= "z" for letter in text.lower())


@pytest.mark.parametrize("state", list(JobState))
def test_state_labels_in_russian(state: JobState, language: None) -> None:
    set_language("ru")
    assert state_label(state) == RUSSIAN_STATE_LABELS[state]


def test_subject_is_named(language: None) -> None:
    set_language("ru")
    job = dataclasses.replace(failed_job(ErrorCode.TABLE_NOT_FOUND), error_subject="заказы")
    assert job_message(job) == "Таблица «заказы» не найдена в источнике. Проверьте выбор и повторите экспорт."
