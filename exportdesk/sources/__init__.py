"""Sources of data: SQL databases through SQLAlchemy, HTTP JSON APIs, and the demo database.

A job names its source with one string: `demo`, an SQLAlchemy URL without its password, or
`http+json:` followed by the JSON of an `HttpApiConfig` (which names its secret but never contains it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import ArgumentError

from exportdesk.credentials import url_secret_ref, with_password
from exportdesk.sources.sql import SqlSource

if TYPE_CHECKING:
    from exportdesk.sources.http import HttpApiConfig, HttpApiSource

HTTP_PREFIX = "http+json:"


def http_source_string(config: HttpApiConfig) -> str:
    return HTTP_PREFIX + json.dumps(config.to_json(), sort_keys=True, ensure_ascii=False)


def http_config_of(source: str) -> HttpApiConfig | None:
    """Return the HTTP API settings a source string names, or None for other sources."""
    if not source.startswith(HTTP_PREFIX):
        return None
    from exportdesk.sources.http import HttpApiConfig

    data: dict[str, Any] = json.loads(source[len(HTTP_PREFIX) :])
    return HttpApiConfig.from_json(data)


def resolve_url(source: str, data_dir: Path) -> str:
    """Return the SQLAlchemy URL for a source name: `demo` or an SQLAlchemy URL itself."""
    from exportdesk.sources import demo

    if source == demo.DEMO_SOURCE:
        demo.ensure_demo_database(data_dir)
        return demo.demo_url(data_dir)
    return with_password(source)


def open_source(source: str, data_dir: Path) -> SqlSource | HttpApiSource:
    config = http_config_of(source)
    if config is not None:
        from exportdesk.sources.http import open_http_source

        return open_http_source(config)
    return SqlSource(resolve_url(source, data_dir))


def secret_ref_of(source: str) -> str | None:
    """Name the keyring entry a source's password or token is kept under, if it has one."""
    config = http_config_of(source)
    if config is not None:
        return config.secret_ref if config.auth != "none" else None
    try:
        return url_secret_ref(source)
    except ArgumentError:
        return None  # the demo source
