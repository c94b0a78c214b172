"""Check and build the settings of a saved source from the form's values, with messages that name the value.

Nothing here imports Qt. `InvalidSourceForm.widget` is the form field to focus, passed through as is.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from exportdesk.i18n import tr
from exportdesk.sources.http import HttpApiConfig, InvalidHttpConfig

# Driver key -> (label shown, SQLAlchemy scheme with the driver this project installs or names).
DRIVERS: dict[str, tuple[str, str]] = {
    "sqlite": ("SQLite", "sqlite"),
    "postgresql": ("PostgreSQL", "postgresql+psycopg"),
    "mysql": ("MySQL", "mysql+pymysql"),
}


def auth_labels() -> dict[str, str]:
    """Return the HTTP authentication methods and their names in the UI language."""
    return {
        "none": tr("None"),
        "bearer": tr("Bearer token"),
        "basic": tr("User name and password (Basic)"),
        "api_key": tr("API key in a header"),
    }


def pagination_labels() -> dict[str, str]:
    """Return the pagination styles and their names in the UI language."""
    return {
        "none": tr("None: one request"),
        "next_url": tr("Next page URL in the body"),
        "link_header": tr("Link header (rel=\"next\")"),
        "cursor": tr("Cursor in the body"),
        "offset": tr("Offset and limit"),
    }


class InvalidSourceForm(ValueError):
    """A form value that cannot be saved: the message in the UI language, and the field to focus."""

    def __init__(self, message: str, widget: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.widget = widget


def check_sql_url(text: str, widget: Any = None) -> str:
    """Return the URL when SQLAlchemy can parse it and its driver is installed; else raise InvalidSourceForm."""
    if not text:
        raise InvalidSourceForm(
            tr("Type an SQLAlchemy URL, e.g. postgresql+psycopg://user@host/shop, or choose Connection fields."), widget
        )
    try:
        parsed = make_url(text)
    except ArgumentError:
        # The text is shown back only where it has no password: an unparsable URL may contain one.
        visible_part = text if "@" not in text else "…@" + text.rsplit("@", 1)[1]
        raise InvalidSourceForm(
            tr(
                "The URL \u201c{url}\u201d is not a valid SQLAlchemy URL. "
                "Use the form dialect://user@host/database, e.g. sqlite:////home/me/shop.db."
            ).format(url=visible_part),
            widget,
        ) from None
    try:
        parsed.get_dialect().import_dbapi()
    except NoSuchModuleError:
        raise InvalidSourceForm(
            tr("The database kind \u201c{kind}\u201d is unknown. Check the start of the URL, e.g. postgresql+psycopg:// or sqlite:///.").format(
                kind=parsed.drivername
            ),
            widget,
        ) from None
    except ImportError:
        raise InvalidSourceForm(
            tr(
                "The driver for \u201c{kind}\u201d is not installed. Install it, or name an installed driver in the URL, e.g. postgresql+psycopg://."
            ).format(kind=parsed.drivername),
            widget,
        ) from None
    return text


def build_sql_url(driver: str, host: str, port: int, database: str, user: str, widgets: dict[str, Any]) -> str:
    """Build an SQLAlchemy URL, without a password, from the connection fields. Port 0 means the default."""
    scheme = DRIVERS[driver][1]
    database = database.strip()
    if driver == "sqlite":
        if not database:
            raise InvalidSourceForm(tr("Type the path of the SQLite file, e.g. /home/me/shop.db."), widgets.get("database"))
        return URL.create(scheme, database=database).render_as_string(hide_password=False)
    if not host.strip():
        raise InvalidSourceForm(tr("Type the server's host name, e.g. 127.0.0.1."), widgets.get("host"))
    if not database:
        raise InvalidSourceForm(tr("Type the database name."), widgets.get("database"))
    url = URL.create(scheme, username=user.strip() or None, host=host.strip(), port=port or None, database=database)
    return url.render_as_string(hide_password=False)


def parse_endpoints(text: str, widget: Any = None) -> dict[str, str]:
    """Read one NAME=PATH per line; blank lines are skipped."""
    endpoints: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        name, separator, path = (part.strip() for part in line.partition("="))
        if not separator or not name or not path:
            raise InvalidSourceForm(
                tr("The endpoint line \u201c{line}\u201d is not valid. Write one NAME=PATH per line, e.g. orders=/api/orders.").format(line=line),
                widget,
            )
        if name in endpoints:
            raise InvalidSourceForm(tr("The endpoint \u201c{name}\u201d appears twice. Give each endpoint its own name.").format(name=name), widget)
        endpoints[name] = path
    if not endpoints:
        raise InvalidSourceForm(tr("Add at least one endpoint, one NAME=PATH per line, e.g. orders=/api/orders."), widget)
    return endpoints


def check_base_url(base_url: str, widget: Any = None) -> None:
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidSourceForm(
            tr("The base URL \u201c{url}\u201d is not valid. Use http://host or https://host, e.g. https://api.example.com.").format(url=base_url),
            widget,
        )


def build_http_config(settings: dict[str, Any], widgets: dict[str, Any]) -> HttpApiConfig:
    """Check the HTTP settings the form offers, then build the configuration the engine validates again."""
    check_base_url(str(settings["base_url"]), widgets.get("base_url"))
    if settings["auth"] == "basic" and (not settings["auth_user"] or ":" in settings["auth_user"]):
        raise InvalidSourceForm(tr("Type the user name for Basic authentication, without a colon."), widgets.get("auth_user"))
    if settings["auth"] != "basic":
        settings = {**settings, "auth_user": ""}
    if settings["auth"] != "api_key":
        settings = {**settings, "api_key_header": "X-API-Key"}
    try:
        return HttpApiConfig.from_json(settings)
    except InvalidHttpConfig as error:
        raise _http_problem(settings, widgets, error) from None


def _http_problem(settings: dict[str, Any], widgets: dict[str, Any], error: InvalidHttpConfig) -> InvalidSourceForm:
    """Word the engine's objection to the form's settings for the form, next to the field at fault."""
    if error.setting == "endpoints":
        return InvalidSourceForm(
            tr("The endpoint \u201c{name}\u201d leads to another server. Use a path on the base URL, e.g. /api/{name}.").format(
                name=error.value
            ),
            widgets.get("endpoints"),
        )
    if error.setting == "api_key_header":
        return InvalidSourceForm(
            tr("The header name \u201c{header}\u201d is not valid. Use letters, digits and hyphens, e.g. X-API-Key.").format(
                header=settings["api_key_header"]
            ),
            widgets.get("api_key_header"),
        )
    if error.setting == "records_path":
        return InvalidSourceForm(
            tr(
                "The records path \u201c{path}\u201d is not valid. Use key names joined by dots, e.g. data.items, "
                "or leave it empty when the body is the list."
            ).format(path=settings["records_path"]),
            widgets.get("records_path"),
        )
    # The form offers no other free-text setting, so the engine's own message is shown as is.
    return InvalidSourceForm(str(error), widgets.get(error.setting))
