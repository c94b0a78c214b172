"""The catalogue of messages users see: state labels and one message per error code.

The technical detail (exception, SQL, HTTP status) goes to the log with the job id, never here.
"""

from __future__ import annotations

from exportdesk.i18n import register, tr
from exportdesk.jobs import ErrorCode, Job, JobState

STATE_LABELS: dict[JobState, str] = {
    JobState.QUEUED: "Queued",
    JobState.RUNNING: "Running",
    JobState.READY: "Ready",
    JobState.FAILED: "Error",
    JobState.CANCELLED: "Cancelled",
    JobState.EXPIRED: "Retention period expired",
}

ERROR_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.INTERRUPTED: "The export was interrupted. Export again to start it anew.",
    ErrorCode.SOURCE_UNREACHABLE: "Could not connect to the data source. Check that it is available and export again.",
    ErrorCode.TABLE_NOT_FOUND: "The table was not found in the source. Check the selection and export again.",
    ErrorCode.QUERY_INVALID: "The database rejected the query. Check the query text and export again.",
    ErrorCode.DISK_FULL: "Not enough disk space. Free some space and export again.",
    ErrorCode.PERMISSION_DENIED: "No permission to write the file. Check the folder's permissions and export again.",
    ErrorCode.CREDENTIALS_REJECTED: "The source rejected the user name or password. Check them and export again.",
    ErrorCode.ENCODING_UNSUPPORTED: "Some text cannot be written in the chosen encoding. Choose UTF-8 and export again.",
    ErrorCode.RESPONSE_INVALID: "The service's response is not the data its settings expect. Check the source settings and export again.",
    ErrorCode.INTERNAL: "The export failed because of an internal error. Export again; if it repeats, send the log to support.",
}

# Variants that name the value the user chose, where the job recorded it.
SUBJECT_MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.TABLE_NOT_FOUND: "The table «{subject}» was not found in the source. Check the selection and export again.",
    ErrorCode.SOURCE_UNREACHABLE: "Could not open the data source {subject}. Check that it is available and export again.",
    ErrorCode.ENCODING_UNSUPPORTED: "Some text cannot be written in the encoding {subject}. Choose UTF-8 and export again.",
}

EXPIRED_MESSAGE = "The file is no longer available: its retention period has expired. Export again."
CANCELLED_MESSAGE = "The export was cancelled."

register(
    {
        "Queued": "В очереди",
        "Running": "Выполняется",
        "Ready": "Готово",
        "Error": "Ошибка",
        "Cancelled": "Отменено",
        "Retention period expired": "Срок хранения истёк",
    }
)
register(
    {
        ERROR_MESSAGES[ErrorCode.INTERRUPTED]: "Экспорт прерван. Запустите экспорт заново.",
        ERROR_MESSAGES[ErrorCode.SOURCE_UNREACHABLE]: "Не удалось подключиться к источнику данных. Проверьте, что он доступен, и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.TABLE_NOT_FOUND]: "Таблица не найдена в источнике. Проверьте выбор и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.QUERY_INVALID]: "База данных отклонила запрос. Проверьте текст запроса и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.DISK_FULL]: "Недостаточно места на диске. Освободите место и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.PERMISSION_DENIED]: "Нет прав на запись файла. Проверьте права доступа к папке и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.CREDENTIALS_REJECTED]: "Источник отклонил имя пользователя или пароль. Проверьте их и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.ENCODING_UNSUPPORTED]: "Часть текста нельзя записать в выбранной кодировке. Выберите UTF-8 и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.RESPONSE_INVALID]: "Ответ сервиса не совпадает с тем, что ожидают настройки источника. Проверьте настройки и повторите экспорт.",
        ERROR_MESSAGES[ErrorCode.INTERNAL]: "Экспорт не удался из-за внутренней ошибки. Повторите экспорт; если ошибка повторится, отправьте журнал в поддержку.",
        SUBJECT_MESSAGES[ErrorCode.TABLE_NOT_FOUND]: "Таблица «{subject}» не найдена в источнике. Проверьте выбор и повторите экспорт.",
        SUBJECT_MESSAGES[ErrorCode.ENCODING_UNSUPPORTED]: "Часть текста нельзя записать в кодировке {subject}. Выберите UTF-8 и повторите экспорт.",
        SUBJECT_MESSAGES[ErrorCode.SOURCE_UNREACHABLE]: "Не удалось открыть источник данных {subject}. Проверьте, что он доступен, и повторите экспорт.",
        EXPIRED_MESSAGE: "Файл больше недоступен: срок хранения истёк. Запустите экспорт заново.",
        CANCELLED_MESSAGE: "Экспорт отменён.",
    }
)


def state_label(state: JobState) -> str:
    return tr(STATE_LABELS[state])


def error_message(code: ErrorCode) -> str:
    return tr(ERROR_MESSAGES[code])


def job_message(job: Job) -> str:
    """Return the one-line message for a job's state, or "" when it needs none."""
    if job.state is JobState.FAILED:
        code = job.error_code or ErrorCode.INTERNAL
        if job.error_subject and code in SUBJECT_MESSAGES:
            return tr(SUBJECT_MESSAGES[code]).format(subject=job.error_subject)
        return error_message(code)
    if job.state is JobState.EXPIRED:
        return tr(EXPIRED_MESSAGE)
    if job.state is JobState.CANCELLED:
        return tr(CANCELLED_MESSAGE)
    return ""
