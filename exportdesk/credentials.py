"""Secrets (database passwords, API tokens): the only module that reads or writes them.

Secrets live in the OS keyring through `keyring`, or, when the user chose "ask each time"
or no keyring backend works, only in this process's memory for the session. They never go
to the job table, settings, logs, exception messages or a worker's command line: a worker
gets them as JSON on its standard input.

A backend that keeps secrets in a plain file (`keyrings.alt`) or fails on every call counts
as unavailable: ExportDesk never falls back to plaintext.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from typing import IO, TYPE_CHECKING

from sqlalchemy.engine import URL, make_url

# keyring is imported where it is used: it takes about 30 ms to import, and a worker process
# imports this module for every job but reads the keyring only for a source with a stored password.
if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE = "ExportDesk"
_UNSAFE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")

_session: dict[str, str] = {}
_session_lock = threading.Lock()


class SecretStoreUnavailable(Exception):
    def __init__(self) -> None:
        super().__init__(
            "The system password store is unavailable, so the password cannot be saved. "
            "Choose to enter it each time instead."
        )


def _backends(backend: KeyringBackend) -> list[KeyringBackend]:
    return list(getattr(backend, "backends", None) or [backend])


def keyring_available() -> bool:
    """Tell whether the active keyring backend stores secrets safely (not in a plain file)."""
    import keyring

    backend = keyring.get_keyring()
    usable = [
        b
        for b in _backends(backend)
        if not type(b).__module__.startswith(_UNSAFE_BACKEND_MODULES) and getattr(b, "priority", 0) > 0
    ]
    return bool(usable) and len(usable) == len(_backends(backend))


def save_secret(ref: str, secret: str) -> None:
    """Store a secret in the OS keyring; raise `SecretStoreUnavailable` where none works."""
    _note(secret)
    if not keyring_available():
        raise SecretStoreUnavailable()
    import keyring
    import keyring.errors

    try:
        keyring.set_password(SERVICE, ref, secret)
    except keyring.errors.KeyringError as error:
        log.warning("Keyring: cannot save the secret %s (%s)", ref, type(error).__name__)
        raise SecretStoreUnavailable() from None


def remember_for_session(ref: str, secret: str) -> None:
    """Keep a secret in memory only, for "ask each time"."""
    _note(secret)
    with _session_lock:
        _session[ref] = secret


def load_secret(ref: str) -> str | None:
    with _session_lock:
        if ref in _session:
            return _session[ref]
    if not keyring_available():
        return None
    import keyring
    import keyring.errors

    try:
        secret = keyring.get_password(SERVICE, ref)
    except keyring.errors.KeyringError as error:
        log.warning("Keyring: cannot read the secret %s (%s)", ref, type(error).__name__)
        return None
    if secret is not None:
        _note(secret)
    return secret


def delete_secret(ref: str) -> None:
    with _session_lock:
        _session.pop(ref, None)
    if keyring_available():
        import keyring
        import keyring.errors

        try:
            keyring.delete_password(SERVICE, ref)
        except keyring.errors.PasswordDeleteError:
            pass


def session_secrets(refs: list[str]) -> dict[str, str]:
    """Return the in-memory secrets among `refs`, to hand to a worker process."""
    with _session_lock:
        return {ref: _session[ref] for ref in refs if ref in _session}


def read_secrets_from(stream: IO[str]) -> None:
    """Load secrets that the parent process wrote as one JSON object, into this session."""
    text = stream.read()
    if text.strip():
        for ref, secret in json.loads(text).items():
            remember_for_session(str(ref), str(secret))


# SQLAlchemy URLs -------------------------------------------------------------------------------


def _without_password(url: URL) -> str:
    # URL.set(password=None) leaves the password as it is (None means "unchanged" there),
    # so replace the field of the named tuple instead.
    return url._replace(password=None).render_as_string(hide_password=False)


def url_secret_ref(url: str | URL) -> str:
    """Name the keyring entry of a URL's password by the URL without it."""
    parsed = make_url(url) if isinstance(url, str) else url
    public = _without_password(parsed)
    return "url:" + hashlib.sha256(public.encode()).hexdigest()[:32]


def split_url_password(url: str) -> tuple[str, str | None]:
    """Return the URL without its password, and the password."""
    parsed = make_url(url)
    if parsed.password is None:
        return url, None
    public = _without_password(parsed)
    _note(str(parsed.password))
    return public, str(parsed.password)


def with_password(url: str) -> str:
    """Return the URL with its password put back from the session or the keyring, if any."""
    parsed = make_url(url)
    if parsed.username is None or parsed.password is not None:
        return url
    secret = load_secret(url_secret_ref(parsed))
    if secret is None:
        return url
    return parsed.set(password=secret).render_as_string(hide_password=False)


# Redaction -------------------------------------------------------------------------------------

_known: set[str] = set()


def _note(secret: str) -> None:
    if len(secret) >= 3:
        _known.add(secret)


def redact(text: str) -> str:
    """Replace every secret this process has handled with `***`."""
    for secret in _known:
        if secret in text:
            text = text.replace(secret, "***")
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that removes known secrets from every record, arguments included."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _known:
            message = record.getMessage()
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return True
