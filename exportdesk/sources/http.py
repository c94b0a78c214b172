"""HTTP JSON APIs as a source: each configured endpoint is a table, read page by page.

Responses are parsed with `decimal.Decimal` for every number with a fraction or exponent,
so no value passes through a float. Integers stay `int`, except integers longer than
Python's int-to-string digit limit (4,300 digits by default), which become `Decimal` so the
CSV writer can still print them. NaN and Infinity, which are not JSON but which some servers
send, become Decimal too. Nested objects and lists reach the writer as compact JSON text.
NOTE: digits are kept but not the spelling: a top-level `1e5` reaches CSV as `100000`, and
inside nested JSON text it reads `1E+5`.

Columns are settled from the first page that has records: the keys of its records in
first-seen order, then a final column named `_extra` (or `_extra_2`, ... when a record
already has such a key). A key first seen on a later page goes into that record's `_extra`
cell as a JSON object, so a CSV header written after the first page stays valid for the
whole file. A record without one of the settled keys gets NULL there.

Credentials go only into request headers and only to the origin (scheme, host and port)
of `base_url`. A next-page link or a redirect to another origin is rejected.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import decimal
import email.utils
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.auth import AuthBase

from exportdesk.credentials import load_secret
from exportdesk.i18n import tr
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources.base import Column, TableInfo
from exportdesk.sources.sql import TransientSourceError

log = logging.getLogger(__name__)

PAGINATION_STYLES = ("none", "next_url", "link_header", "cursor", "offset")
AUTH_METHODS = ("none", "bearer", "basic", "api_key")
EXTRA_COLUMN = "_extra"

# Backoff before retry n (0-based) is BACKOFF_BASE_S * 2**n seconds, at most BACKOFF_MAX_S.
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 30.0
# A server that requests a longer pause than this gets a TransientSourceError at once, so the
# runner's own retry, from the last checkpoint, decides when to come back.
MAX_RETRY_AFTER_S = 300.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# 501 Not Implemented and 505 HTTP Version Not Supported do not go away on a retry.
PERMANENT_SERVER_ERRORS = frozenset({501, 505})

RESPONSE_INVALID = ErrorCode.RESPONSE_INVALID

# RFC 9110 token characters, the only ones allowed in a header name.
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")

# A page position: the next page's URL, cursor or offset.
Position = str | int


class InvalidHttpConfig(ValueError):
    """An HTTP API source configuration with a missing, unknown or out-of-range setting.

    The message is in the user's language. `setting` names the `HttpApiConfig` field at fault
    ("" for unknown keys), and `value` is its bad value or, for an endpoint, the endpoint's name.
    """

    def __init__(self, message: str, setting: str = "", value: Any = None) -> None:
        super().__init__(message)
        self.setting = setting
        self.value = value


@dataclass(frozen=True)
class HttpApiConfig:
    """Where and how to read an HTTP JSON API. It contains no secret, only `secret_ref`.

    Pagination styles and the settings each one reads:
    - "none": one request per endpoint.
    - "next_url": the next page's URL (absolute or relative) is at `next_url_path` in the body.
    - "link_header": the next page's URL is the `Link` header entry with rel="next".
    - "cursor": the next page's cursor is at `cursor_path` in the body and is sent back in
      the query parameter `cursor_param`.
    - "offset": `offset_param` and `limit_param` select each page, with `page_size` as the limit.
    Except with "offset", `page_size_param`, when set, sends `page_size` with the first request
    (and with every request of the "cursor" style). A missing, null or empty next URL or cursor,
    an empty page with "offset", or reaching the total at `total_path` with "offset" ends the
    read. Endpoint paths may carry a query string and must stay on the base URL's origin.
    """

    base_url: str
    endpoints: dict[str, str] = field(default_factory=dict)
    auth: str = "none"
    auth_user: str = ""
    api_key_header: str = "X-API-Key"
    secret_ref: str = ""
    pagination: str = "next_url"
    next_url_path: str = "next"
    cursor_path: str = "next_cursor"
    cursor_param: str = "cursor"
    offset_param: str = "offset"
    limit_param: str = "limit"
    page_size_param: str = ""
    records_path: str = ""
    total_path: str = ""
    page_size: int = 100
    # Seconds to wait for the connection, and for each read from the socket (not for the
    # whole response).
    timeout_s: tuple[float, float] = (10.0, 30.0)
    max_retries: int = 3
    # Requests per second, retries and redirects included. 0 means no limit.
    rate_limit_per_s: float = 0.0

    def __post_init__(self) -> None:
        validate_config(self)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["timeout_s"] = list(self.timeout_s)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HttpApiConfig:
        """Build a configuration from `to_json()` output; raise InvalidHttpConfig on unknown keys."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            names = ", ".join(unknown)
            raise InvalidHttpConfig(
                tr("unknown HTTP source settings {names}: save the source again in this version of ExportDesk").format(
                    names=names
                )
            )
        values = dict(data)
        if "timeout_s" in values:
            values["timeout_s"] = tuple(values["timeout_s"])
        if "endpoints" in values:
            values["endpoints"] = dict(values["endpoints"])
        return cls(**values)


def validate_config(config: HttpApiConfig) -> None:
    """Raise InvalidHttpConfig naming the first setting that cannot work."""
    _validate_location(config)
    _validate_auth(config)
    _validate_paging(config)
    if len(config.timeout_s) != 2 or not all(_is_positive_number(t) for t in config.timeout_s):
        raise InvalidHttpConfig(
            tr("invalid timeout {value}: use two numbers of seconds above 0, to connect and to read").format(
                value=repr(config.timeout_s)
            ),
            "timeout_s",
            config.timeout_s,
        )
    if isinstance(config.max_retries, bool) or not isinstance(config.max_retries, int) or config.max_retries < 0:
        raise InvalidHttpConfig(
            tr("invalid retry count {value}: use a whole number of 0 or more").format(value=repr(config.max_retries)),
            "max_retries",
            config.max_retries,
        )
    if not _is_positive_number(config.rate_limit_per_s) and config.rate_limit_per_s != 0:
        raise InvalidHttpConfig(
            tr("invalid rate limit {value}: use requests per second above 0, or 0 for no limit").format(
                value=repr(config.rate_limit_per_s)
            ),
            "rate_limit_per_s",
            config.rate_limit_per_s,
        )


def _validate_location(config: HttpApiConfig) -> None:
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidHttpConfig(
            tr("invalid base URL {url}: use http://host or https://host, e.g. https://api.example.com").format(
                url=repr(config.base_url)
            ),
            "base_url",
            config.base_url,
        )
    if not config.endpoints:
        raise InvalidHttpConfig(
            tr("no endpoints: add at least one endpoint as NAME=PATH, e.g. orders=/api/orders"), "endpoints"
        )
    for name, path in config.endpoints.items():
        if not name or not isinstance(path, str):
            raise InvalidHttpConfig(
                tr("invalid endpoint {name}: give it a name and a path, e.g. orders=/api/orders").format(
                    name=repr(name)
                ),
                "endpoints",
                name,
            )
        if origin(urljoin(config.base_url, path)) != origin(config.base_url):
            raise InvalidHttpConfig(
                tr("endpoint {name} leads outside {url}: use a path on that server, e.g. {example}").format(
                    name=repr(name), url=config.base_url, example=f"/api/{name}"
                ),
                "endpoints",
                name,
            )


def _validate_auth(config: HttpApiConfig) -> None:
    if config.auth not in AUTH_METHODS:
        raise InvalidHttpConfig(
            tr("invalid authentication {value}: use one of {choices}").format(
                value=repr(config.auth), choices=", ".join(AUTH_METHODS)
            ),
            "auth",
            config.auth,
        )
    if config.auth == "basic" and not config.auth_user:
        raise InvalidHttpConfig(
            tr("basic authentication needs a user name: give one, without a colon"), "auth_user", config.auth_user
        )
    if config.auth == "basic" and ":" in config.auth_user:
        raise InvalidHttpConfig(
            tr("invalid user name {user} for basic authentication: give a user name without a colon").format(
                user=repr(config.auth_user)
            ),
            "auth_user",
            config.auth_user,
        )
    if config.auth == "api_key" and not _HEADER_NAME.match(config.api_key_header):
        raise InvalidHttpConfig(
            tr("invalid API key header name {header}: use letters, digits and hyphens, e.g. X-API-Key").format(
                header=repr(config.api_key_header)
            ),
            "api_key_header",
            config.api_key_header,
        )
    if config.auth != "none" and not config.secret_ref:
        raise InvalidHttpConfig(
            tr("authentication {auth} needs a saved token or password: save the source again and give it").format(
                auth=repr(config.auth)
            ),
            "secret_ref",
            config.secret_ref,
        )


def _validate_paging(config: HttpApiConfig) -> None:
    if config.pagination not in PAGINATION_STYLES:
        raise InvalidHttpConfig(
            tr("invalid pagination style {value}: use one of {choices}").format(
                value=repr(config.pagination), choices=", ".join(PAGINATION_STYLES)
            ),
            "pagination",
            config.pagination,
        )
    if isinstance(config.page_size, bool) or not isinstance(config.page_size, int) or config.page_size < 1:
        raise InvalidHttpConfig(
            tr("invalid page size {value}: use a whole number of 1 or more").format(value=repr(config.page_size)),
            "page_size",
            config.page_size,
        )
    # A dotted path with an empty part, such as "data..items", can never match a response.
    if not _is_dotted_path(config.records_path, may_be_empty=True):
        raise InvalidHttpConfig(
            tr(
                "invalid records path {value}: use key names joined by dots, e.g. data.items, "
                "or leave it empty when the body is the list"
            ).format(value=repr(config.records_path)),
            "records_path",
            config.records_path,
        )
    if not _is_dotted_path(config.total_path, may_be_empty=True):
        raise InvalidHttpConfig(
            tr(
                "invalid total path {value}: use key names joined by dots, e.g. meta.total, "
                "or leave it empty when the API gives no total"
            ).format(value=repr(config.total_path)),
            "total_path",
            config.total_path,
        )
    if config.pagination == "next_url" and not _is_dotted_path(config.next_url_path, may_be_empty=False):
        raise InvalidHttpConfig(
            tr("invalid next page URL path {value}: use key names joined by dots, e.g. next").format(
                value=repr(config.next_url_path)
            ),
            "next_url_path",
            config.next_url_path,
        )
    if config.pagination == "cursor" and not _is_dotted_path(config.cursor_path, may_be_empty=False):
        raise InvalidHttpConfig(
            tr("invalid cursor path {value}: use key names joined by dots, e.g. next_cursor").format(
                value=repr(config.cursor_path)
            ),
            "cursor_path",
            config.cursor_path,
        )


def _is_dotted_path(path: Any, may_be_empty: bool) -> bool:
    if not isinstance(path, str):
        return False
    if not path:
        return may_be_empty
    return all(path.split("."))


def _is_positive_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


# JSON values ---------------------------------------------------------------------------------


def parse_json(content: bytes | str) -> Any:
    """Parse a response body, keeping every number exact (see the module docstring)."""
    return json.loads(content, parse_float=decimal.Decimal, parse_int=_parse_int, parse_constant=decimal.Decimal)


def _parse_int(text: str) -> int | decimal.Decimal:
    limit = sys.get_int_max_str_digits()
    if limit and len(text.lstrip("-")) > limit:
        return decimal.Decimal(text)
    return int(text)


def json_text(value: Any) -> str:
    """Write a parsed JSON value back as compact JSON text, numbers exactly as parsed."""
    if isinstance(value, dict):
        members = [f"{json.dumps(str(key), ensure_ascii=False)}:{json_text(item)}" for key, item in value.items()]
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(json_text(item) for item in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    # An int or a Decimal. str(Decimal) keeps the digits and exponent that were parsed.
    return str(value)


_MISSING = object()


def lookup(body: Any, path: str) -> Any:
    """Return the value at a dotted path (`data.items`, `results.0`), or `_MISSING`.

    An empty path returns the body itself. Digits index into lists. A key that contains a dot
    cannot be reached.
    """
    value = body
    for part in path.split(".") if path else []:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def cell_value(value: Any) -> Any:
    """Turn a record's value into a cell: nested objects and lists become JSON text."""
    if isinstance(value, (dict, list)):
        return json_text(value)
    return value


# Requests ------------------------------------------------------------------------------------


class _HeaderAuth(AuthBase):
    """Auth that sets one header on every request. Its repr never shows the value."""

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self._value = value

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers[self.name] = self._value
        return request

    def __repr__(self) -> str:
        return f"<header auth {self.name}>"


def make_auth(config: HttpApiConfig, secret: str | None) -> AuthBase | None:
    """Build the auth of the configured method; raise CREDENTIALS_REJECTED for an unusable secret.

    The error never contains the secret. Basic authentication encodes the user name and password
    as UTF-8 (RFC 7617), so any password works. A token must be ASCII without control
    characters or surrounding blanks, because it goes into a header as it is.
    """
    if config.auth == "none":
        return None
    if not secret:
        raise ExportDeskError(
            ErrorCode.CREDENTIALS_REJECTED, f"no secret stored for this {config.auth} source; enter it again"
        )
    if config.auth == "basic":
        pair = f"{config.auth_user}:{secret}".encode("utf-8")
        return _HeaderAuth("Authorization", "Basic " + base64.b64encode(pair).decode("ascii"))
    if not (secret.isascii() and secret.isprintable() and secret == secret.strip()):
        raise ExportDeskError(
            ErrorCode.CREDENTIALS_REJECTED,
            "the stored token cannot go into an HTTP header: it has a blank at either end, a control "
            "character or a non-ASCII character; enter it again",
        )
    if config.auth == "bearer":
        return _HeaderAuth("Authorization", "Bearer " + secret)
    return _HeaderAuth(config.api_key_header, secret)


def with_query(url: str, params: dict[str, str]) -> str:
    """Add query parameters to a URL as requests would, keeping the query it already has."""
    request = requests.PreparedRequest()
    request.prepare_url(url, params)
    return str(request.url)


def origin(url: str) -> tuple[str, str, int | None]:
    """Return (scheme, host, port) with the scheme's default port filled in."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), (parts.hostname or "").lower(), port or default


def retry_after_s(response: requests.Response, wall_clock: Callable[[], float]) -> float | None:
    """Return the pause that a `Retry-After` header requests, in seconds, or None.

    An HTTP-date is measured from the response's own `Date` header when it has one, so a
    difference between the two machines' clocks does not change the pause.
    """
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value))
    when = _http_date(value)
    if when is None:
        return None
    now = _http_date(response.headers.get("Date", "")) or dt.datetime.fromtimestamp(wall_clock(), dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def _http_date(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.timezone.utc)


class RateLimiter:
    """Spaces calls at least `1 / rate_per_s` seconds apart on the given clock."""

    def __init__(self, rate_per_s: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self._interval = 1.0 / rate_per_s if rate_per_s > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next_at: float | None = None

    def wait(self) -> None:
        if not self._interval:
            return
        now = self._clock()
        if self._next_at is not None and now < self._next_at:
            self._sleep(self._next_at - now)
            now = self._next_at
        self._next_at = now + self._interval


@dataclass(frozen=True)
class _Attempt:
    """The outcome of one request that a retry may cure."""

    failure: str
    delay_s: float


class HttpClient:
    """GETs JSON with the configured auth, timeouts, rate limit, redirects and retries."""

    def __init__(
        self,
        config: HttpApiConfig,
        auth: AuthBase | None,
        session: requests.Session,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
    ) -> None:
        self._config = config
        self._auth = auth
        self._session = session
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._limiter = RateLimiter(config.rate_limit_per_s, clock, sleep)
        self.origin = origin(config.base_url)

    def get_json(
        self, url: str, params: dict[str, str], endpoint: str, retries: int
    ) -> tuple[requests.Response, Any]:
        """GET `url` with `params` and parse its JSON body, retrying transient failures `retries` times.

        Raises TransientSourceError once the retries are spent, and ExportDeskError for a
        response that a retry cannot change (401, 403, 404, any other status that is not 2xx,
        429 or a retryable 5xx, and invalid JSON).
        """
        url = with_query(url, params)
        for attempt in range(retries + 1):
            outcome = self._try(url, endpoint, attempt)
            if not isinstance(outcome, _Attempt):
                return outcome
            if attempt == retries or outcome.delay_s > MAX_RETRY_AFTER_S:
                raise TransientSourceError(
                    ErrorCode.SOURCE_UNREACHABLE,
                    f"GET {url}: {outcome.failure} (attempt {attempt + 1} of {retries + 1})",
                    subject=self._config.base_url,
                )
            log.warning(
                "HTTP source: GET %s: %s; retry %d of %d in %.1f s",
                url, outcome.failure, attempt + 1, retries, outcome.delay_s,
            )
            self._sleep(outcome.delay_s)
        raise AssertionError("unreachable")

    def _try(self, url: str, endpoint: str, attempt: int) -> tuple[requests.Response, Any] | _Attempt:
        backoff = min(BACKOFF_BASE_S * 2**attempt, BACKOFF_MAX_S)
        try:
            response = self._send(url)
        except requests.exceptions.SSLError as error:
            raise ExportDeskError(
                ErrorCode.SOURCE_UNREACHABLE, f"GET {url}: TLS failed: {error}", subject=self._config.base_url
            ) from error
        except requests.Timeout:
            return _Attempt("timed out", backoff)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            return _Attempt(f"connection failed ({type(error).__name__}: {error})", backoff)
        except requests.exceptions.InvalidHeader:
            # Its message quotes the header value, which may be a secret.
            raise ExportDeskError(ErrorCode.CREDENTIALS_REJECTED, f"GET {url}: invalid header") from None
        except requests.RequestException as error:
            raise ExportDeskError(
                ErrorCode.SOURCE_UNREACHABLE, f"GET {url}: {type(error).__name__}: {error}", subject=self._config.base_url
            ) from error
        with response:
            status = response.status_code
            if status == 429 or (status >= 500 and status not in PERMANENT_SERVER_ERRORS):
                pause = retry_after_s(response, self._wall_clock)
                return _Attempt(f"HTTP {status} {response.reason}", backoff if pause is None else pause)
            raise_for_status(response, endpoint)
            return response, self._decode(response)

    def _send(self, url: str) -> requests.Response:
        """GET with redirects followed by hand, only within the configured origin."""
        for _ in range(MAX_REDIRECTS + 1):
            self._limiter.wait()
            response = self._session.get(url, auth=self._auth, timeout=self._config.timeout_s, allow_redirects=False)
            location = response.headers.get("Location")
            if response.status_code not in REDIRECT_STATUSES or not location:
                return response
            response.close()
            url = urljoin(response.url, location)
            self.check_origin(url, "a redirect")
        raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: more than {MAX_REDIRECTS} redirects")

    def check_origin(self, url: str, link_kind: str) -> None:
        """Raise unless `url` has the base URL's origin, so credentials go nowhere else."""
        if origin(url) != self.origin:
            raise ExportDeskError(
                RESPONSE_INVALID,
                f"{link_kind} leads to {url}, outside {self._config.base_url}; "
                "ExportDesk sends requests only to the base URL's scheme, host and port",
                subject=self._config.base_url,
            )

    def _decode(self, response: requests.Response) -> Any:
        try:
            return parse_json(response.content)
        except (ValueError, RecursionError) as error:
            raise ExportDeskError(
                RESPONSE_INVALID, f"GET {response.url}: invalid JSON ({error})", subject=self._config.base_url
            ) from None


def raise_for_status(response: requests.Response, endpoint: str) -> None:
    """Raise the ExportDeskError that a final, non-2xx status means, without quoting the body."""
    status = response.status_code
    if 200 <= status < 300:
        return
    detail = f"GET {response.url}: HTTP {status} {response.reason}"
    if status in (401, 403):
        raise ExportDeskError(ErrorCode.CREDENTIALS_REJECTED, detail)
    if status == 404:
        raise ExportDeskError(ErrorCode.TABLE_NOT_FOUND, detail, subject=endpoint)
    raise ExportDeskError(RESPONSE_INVALID, detail)


# Pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of records, where the next one starts (None after the last) and the total."""

    records: list[dict[str, Any]]
    next_position: Position | None
    total: int | None


class PageFetcher:
    """Builds the request for a page position and reads records, total and next position."""

    def __init__(self, config: HttpApiConfig, client: HttpClient) -> None:
        self._config = config
        self._client = client

    def fetch(self, endpoint: str, position: Position | None, retries: int | None = None) -> Page:
        """Fetch the page at `position` of `endpoint`, where None means the first page."""
        config = self._config
        url, params = self._request(endpoint, position)
        response, body = self._client.get_json(url, params, endpoint, config.max_retries if retries is None else retries)
        records = self._records(body, response.url)
        total = self._total(body)
        next_position = self._next_position(response, body, records, position, total)
        log.debug("HTTP source: GET %s: %d records, next page %r", response.url, len(records), next_position)
        return Page(records, next_position, total)

    def _request(self, endpoint: str, position: Position | None) -> tuple[str, dict[str, str]]:
        config = self._config
        if config.pagination in ("next_url", "link_header") and position is not None:
            url = str(position)
            self._client.check_origin(url, "the saved next page link")
            return url, {}
        url = urljoin(config.base_url, config.endpoints[endpoint])
        params: dict[str, str] = {}
        if config.pagination == "offset":
            params[config.offset_param] = str(position or 0)
            params[config.limit_param] = str(config.page_size)
            return url, params
        if config.page_size_param:
            params[config.page_size_param] = str(config.page_size)
        if config.pagination == "cursor" and position is not None:
            params[config.cursor_param] = str(position)
        return url, params

    def _records(self, body: Any, url: str) -> list[dict[str, Any]]:
        path = self._config.records_path
        records = lookup(body, path)
        if records is _MISSING or not isinstance(records, list):
            where = f"at {path!r}" if path else "as the whole body"
            raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: no list of records {where}", subject=self._config.base_url)
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                raise ExportDeskError(
                    RESPONSE_INVALID,
                    f"GET {url}: record {index} is a JSON {type(record).__name__}, not an object",
                    subject=self._config.base_url,
                )
        return records

    def _total(self, body: Any) -> int | None:
        if not self._config.total_path:
            return None
        value = lookup(body, self._config.total_path)
        if isinstance(value, bool) or not isinstance(value, (int, decimal.Decimal)):
            return None
        if isinstance(value, decimal.Decimal) and not (value.is_finite() and value == value.to_integral_value()):
            return None
        return int(value)

    def _next_position(
        self, response: requests.Response, body: Any, records: list[dict[str, Any]], position: Position | None, total: int | None
    ) -> Position | None:
        style = self._config.pagination
        if style == "none":
            return None
        if style == "offset":
            following = int(position or 0) + len(records)
            if not records or (total is not None and following >= total):
                return None
            return following
        if style == "link_header":
            link = response.links.get("next", {}).get("url")
        else:
            link = lookup(body, self._config.next_url_path if style == "next_url" else self._config.cursor_path)
        if link is _MISSING or link is None or link == "":
            return None
        if style == "cursor":
            return self._cursor(link, position, response.url)
        return self._link(link, response.url)

    def _cursor(self, cursor: Any, position: Position | None, url: str) -> Position:
        if isinstance(cursor, bool) or not isinstance(cursor, (str, int, decimal.Decimal)):
            raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: the cursor is a JSON {type(cursor).__name__}")
        following: Position = cursor if isinstance(cursor, (str, int)) else str(cursor)
        if position is not None and str(following) == str(position):
            raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: the next cursor repeats the current one")
        return following

    def _link(self, link: Any, url: str) -> str:
        if not isinstance(link, str):
            raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: the next page link is a JSON {type(link).__name__}")
        following = urljoin(url, link)
        self._client.check_origin(following, "the next page link")
        if following == url:
            raise ExportDeskError(RESPONSE_INVALID, f"GET {url}: the next page link repeats the current page")
        return following


# Tables --------------------------------------------------------------------------------------


def free_column_name(base: str, used_names: Sequence[str]) -> str:
    """Return `base`, or `base_2`, `base_3`, ... when a record already uses the name."""
    name, number = base, 2
    while name in used_names:
        name, number = f"{base}_{number}", number + 1
    return name


class HttpTableReader:
    """One read of an endpoint, page after page, that can continue after any yielded page.

    Each key that `keyed_batches` yields is `[next page position, *column names]`: the next
    page's URL, cursor or offset (None after the last page), then the settled column names,
    `_extra` last. A read opened with that key continues after the page and keeps the columns
    of the file already written, even if the first page it fetches has other keys.

    With `columns` the columns are those keys, in that order, and there is no `_extra`
    column: other keys are dropped, and a chosen key missing from a record is NULL.
    """

    ordered = True

    def __init__(
        self, fetcher: PageFetcher, name: str, after: Sequence[Any] | None = None, columns: Sequence[str] | None = None
    ) -> None:
        self.name = name
        self._fetcher = fetcher
        self.columns: list[Column] = []
        self._keys: list[str] = []
        self._key_set: frozenset[str] = frozenset()
        self._extra: str | None = None
        self._chosen = list(columns) if columns is not None else None
        self._position: Position | None = None
        self._finished = False
        if self._chosen is not None:
            self._settle(self._chosen, None)
        if after is not None:
            self._restore(after)

    def _restore(self, after: Sequence[Any]) -> None:
        after = list(after)
        position, names = after[0] if after else None, after[1:]
        valid_position = position is None or (isinstance(position, (str, int)) and not isinstance(position, bool))
        valid_names = names == self._chosen if self._chosen is not None else bool(names)
        if not valid_names or not valid_position or not all(isinstance(n, str) for n in names):
            raise ValueError(f"position {after!r} is not a page position of the HTTP endpoint {self.name!r}")
        if self._chosen is None:
            self._settle(names[:-1], names[-1])
        self._position = position
        self._finished = position is None

    def _settle(self, keys: list[str], extra: str | None) -> None:
        self._keys = keys
        self._key_set = frozenset(keys)
        self._extra = extra
        self.columns = [Column(key) for key in keys] + ([Column(extra)] if extra is not None else [])

    def _settle_from(self, records: list[dict[str, Any]]) -> None:
        seen: dict[str, None] = {}
        for record in records:
            for key in record:
                seen.setdefault(key)
        keys = list(seen)
        self._settle(keys, free_column_name(EXTRA_COLUMN, keys))

    def _row(self, record: dict[str, Any]) -> list[Any]:
        row = [cell_value(record.get(key)) for key in self._keys]
        if self._extra is not None:
            extras = {key: value for key, value in record.items() if key not in self._key_set}
            row.append(json_text(extras) if extras else None)
        return row

    def _key(self, position: Position | None) -> list[Any]:
        return [position, *(column.name for column in self.columns)]

    def keyed_batches(self, size: int) -> Iterator[tuple[list[list[Any]], list[Any]]]:
        """Yield `(rows, key)` once per non-empty page.

        `size` is ignored because a read can only resume at a page boundary, so a page is never
        split. `config.page_size` sets the batch size instead. After a read with no records at
        all, `columns` is just `_extra`.
        """
        while not self._finished:
            page = self._fetcher.fetch(self.name, self._position)
            self._position = page.next_position
            self._finished = page.next_position is None
            if not page.records:
                continue
            if not self.columns:
                self._settle_from(page.records)
            yield [self._row(record) for record in page.records], self._key(page.next_position)
        if not self.columns:
            self._settle([], EXTRA_COLUMN)

    def batches(self, size: int) -> Iterator[list[list[Any]]]:
        for rows, _ in self.keyed_batches(size):
            yield rows


class HttpApiSource:
    """An HTTP JSON API opened for reading, with one table per configured endpoint.

    `sleep`, `clock` (monotonic) and `wall_clock` (Unix time, for a `Retry-After` date when the
    response has no `Date` header) are injectable so tests run without real pauses.
    A session passed in stays open after `close()` because the caller owns it.
    """

    def __init__(
        self,
        config: HttpApiConfig,
        secret: str | None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.config = config
        auth = make_auth(config, secret)
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()
        client = HttpClient(config, auth, self._session, sleep, clock, wall_clock)
        self._fetcher = PageFetcher(config, client)

    def _endpoint(self, table: str) -> str:
        if table not in self.config.endpoints:
            raise ExportDeskError(ErrorCode.TABLE_NOT_FOUND, f"no endpoint named {table!r}", subject=table)
        return table

    def list_tables(self) -> list[TableInfo]:
        """List one table per endpoint. With `total_path` set, this fetches each endpoint's first page."""
        return [TableInfo(name, self.count_rows(name)) for name in self.config.endpoints]

    def count_rows(self, table: str | None = None, query: str | None = None) -> int | None:
        """Return the total at `total_path` of the endpoint's first page, or None without one."""
        if query is not None:
            raise ExportDeskError(ErrorCode.QUERY_INVALID, "an HTTP API source has no SQL queries; choose an endpoint")
        if table is None:
            raise ValueError("count_rows needs a table (an endpoint name)")
        endpoint = self._endpoint(table)
        if not self.config.total_path:
            return None
        return self._fetcher.fetch(endpoint, None).total

    def table_columns(self, table: str) -> list[Column]:
        """List the keys of the records on the endpoint's first page, in first-seen order.

        This fetches the page. Keys that first appear on a later page are not listed.
        """
        seen: dict[str, None] = {}
        for record in self._fetcher.fetch(self._endpoint(table), None).records:
            for key in record:
                seen.setdefault(key)
        return [Column(key) for key in seen]

    def open_table(
        self, table: str, after: Sequence[Any] | None = None, columns: Sequence[str] | None = None
    ) -> HttpTableReader:
        """Open a read of an endpoint, after the page whose key is `after` when given.

        With `columns` each row contains just those keys of the record, in that order.
        """
        return HttpTableReader(self._fetcher, self._endpoint(table), after, columns)

    def test_connection(self) -> None:
        """Fetch the first page of the first endpoint once, without retries.

        Raises the ExportDeskError a read would raise: CREDENTIALS_REJECTED, TABLE_NOT_FOUND,
        SOURCE_UNREACHABLE (also for a timeout), or the code for an unexpected response.
        """
        first = next(iter(self.config.endpoints))
        self._fetcher.fetch(first, None, retries=0)

    def begin_snapshot(self) -> contextlib.AbstractContextManager[None]:
        """Return a context that does nothing: an HTTP API offers no consistent snapshot."""
        return contextlib.nullcontext()

    def close(self) -> None:
        if self._owns_session:
            self._session.close()


def open_http_source(config: HttpApiConfig, session: requests.Session | None = None) -> HttpApiSource:
    """Open a source with its secret read from the keyring or the session's memory."""
    secret = load_secret(config.secret_ref) if config.auth != "none" else None
    return HttpApiSource(config, secret, session)
