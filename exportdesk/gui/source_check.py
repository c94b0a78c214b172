"""Saved sources as the window shows them, and the blocking connection test behind «Test connection».

Nothing here imports Qt: the dialogs run `check_connection()` in `BackgroundTasks`.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from exportdesk.i18n import tr
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources import http_config_of, http_source_string, resolve_url
from exportdesk.sources.http import HttpApiConfig, open_http_source
from exportdesk.sources.sql import SqlSource, source_error
from exportdesk.store.saved_sources import SavedSource

log = logging.getLogger(__name__)

# Seconds a connection test waits for the server to accept the connection or respond.
CONNECT_TIMEOUT_S = 10
# Drivers whose DBAPI `connect()` takes `connect_timeout` in seconds.
_TIMEOUT_DRIVERS = ("postgresql", "mysql")


def kind_labels() -> dict[str, str]:
    """Return the saved-source kinds and their names in the UI language."""
    return {"sql": tr("SQL database"), "http": tr("HTTP JSON API")}


def kind_label(kind: str) -> str:
    return kind_labels().get(kind, kind)


def saved_source_string(saved: SavedSource) -> str:
    """Return the job's source string for a saved source: its URL, or its HTTP settings (no secret)."""
    if saved.kind == "http":
        return http_source_string(HttpApiConfig.from_json(saved.settings["config"]))
    return str(saved.settings["url"])


def source_address(saved: SavedSource) -> str:
    """Return where a saved source points, without a password: the URL or the API's base URL."""
    if saved.kind == "http":
        return str(saved.settings.get("config", {}).get("base_url", ""))
    return str(saved.settings.get("url", ""))


def _with_connect_timeout(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() in _TIMEOUT_DRIVERS and "connect_timeout" not in parsed.query:
        parsed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_S)})
    return parsed.render_as_string(hide_password=False)


def _check_sql(url: str) -> None:
    # The constructor rejects an invalid URL, a missing driver and a missing SQLite file.
    SqlSource(url).close()
    engine = sa.create_engine(_with_connect_timeout(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            sa.inspect(connection).get_table_names()
    except sa.exc.SQLAlchemyError as error:
        raise source_error(error) from error
    finally:
        engine.dispose()


def check_connection(source: str, data_dir: Path) -> None:
    """Connect to a source once and read its table names or first page.

    Blocks for up to about CONNECT_TIMEOUT_S per network step, so run it off the GUI thread.
    Raises ExportDeskError with the code of the catalogue message to show.
    """
    config = http_config_of(source)
    if config is not None:
        quick = dataclasses.replace(config, timeout_s=(float(CONNECT_TIMEOUT_S), float(CONNECT_TIMEOUT_S)), max_retries=0)
        opened = open_http_source(quick)
        try:
            opened.test_connection()
        finally:
            opened.close()
        return
    try:
        url = resolve_url(source, data_dir)
    except ValueError as error:
        raise ExportDeskError(ErrorCode.SOURCE_UNREACHABLE, f"invalid source: {error}") from error
    _check_sql(url)
