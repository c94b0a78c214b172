"""A JSON API test server on 127.0.0.1 with every pagination style, auth and injected faults.

Routes (`N` is a page size, `O` an offset; `DATASET` is a key of `ApiServer.datasets`):
- `/api/next/DATASET?size=N[&after=O]`: `{"data": {"items": [...]}, "meta": {"total": T},
  "links": {"next": "/api/next/...?after=O&size=N"}}` with a relative next link.
- `/api/link/DATASET?size=N[&after=O]`: the records as the body; the absolute next URL in
  `Link: <...>; rel="next"`.
- `/api/cursor/DATASET?size=N[&cursor=C]`: `{"items": [...], "next_cursor": C}` with an
  opaque cursor, null after the last page.
- `/api/offset/DATASET?offset=O&limit=N`: `{"results": [...], "count": T}`; the limit is cut
  to `ApiServer.max_limit`.
- `/api/foreign/DATASET`: a first page whose next link is `ApiServer.foreign_next`.
- `/api/stuck/DATASET`: a cursor page whose next cursor is always the same.
- `/api/redirect?to=URL`: a 302 to URL.
- `/api/bad-json`: a body that is not JSON.
Anything else is a 404. With `ApiServer.auth` set, every request must carry it, else 401.
"""

from __future__ import annotations

import base64
import decimal
import email.utils
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

DECIMAL_TEXT = "12345678901234567890.123456789"
BIG_INT = 2**70
# The orders that carry a `coupon` key, a key that no record of an early page has.
COUPON_FROM = 1500


def to_json_text(value: Any) -> str:
    """Write JSON with decimals as they are; the standard encoder cannot write a Decimal exactly."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {to_json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_json_text(item) for item in value) + "]"
    if isinstance(value, decimal.Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def make_order(number: int) -> dict[str, Any]:
    """Build order `number` (1-based): Cyrillic text, NULLs, nested values, exact numbers, varying keys."""
    order: dict[str, Any] = {
        "id": number,
        "customer": f"Покупатель №{number} «Ёлка»",
        "amount": decimal.Decimal(DECIMAL_TEXT) + number,
        "price": decimal.Decimal(f"{number}.10"),
        "big": BIG_INT + number,
        "paid": number % 2 == 0,
        "note": None if number % 3 == 0 else f"заметка {number}",
        "address": {"city": "Москва", "zip": f"{number:06d}", "geo": {"lat": decimal.Decimal("55.755800")}},
        "tags": ["срочно", number, None] if number % 5 == 0 else [],
    }
    if number % 4 == 2:
        order["discount"] = decimal.Decimal("0.05")
    if number % 7 == 0:
        del order["note"]
    if number >= COUPON_FROM and number % 10 == 0:
        order["coupon"] = {"code": f"ЛЕТО{number}", "percent": decimal.Decimal("7.5")}
    return order


@dataclass(frozen=True)
class Fault:
    """One injected failure: an HTTP status (with headers), a dropped connection, or a slow reply."""

    kind: str  # "status", "drop" or "slow"
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass(frozen=True)
class RecordedRequest:
    path: str
    headers: dict[str, str]


class ApiServer(ThreadingHTTPServer):
    """The server and its settings; tests change the settings between requests."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ApiHandler)
        self.datasets: dict[str, list[dict[str, Any]]] = {"orders": [make_order(n) for n in range(1, 2501)], "empty": []}
        self._texts: dict[str, list[str]] = {}
        self.auth: tuple[str, ...] | None = None
        self.max_limit = 1000
        self.faults: dict[int, Fault] = {}
        self.fault_every: Fault | None = None
        self.foreign_next = ""
        self.requests: list[RecordedRequest] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, path: str, headers: dict[str, str]) -> int:
        """Store a request and return its number, counting from 1."""
        with self._lock:
            self.requests.append(RecordedRequest(path, headers))
            return len(self.requests)

    def record_texts(self, dataset: str) -> list[str]:
        """Return the dataset's records as JSON text, rendered once."""
        with self._lock:
            if dataset not in self._texts:
                self._texts[dataset] = [to_json_text(record) for record in self.datasets[dataset]]
            return self._texts[dataset]


class ApiHandler(BaseHTTPRequestHandler):
    server: ApiServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        log.debug("test API: " + format, *args)

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        number = self.server.record(self.path, dict(self.headers.items()))
        fault = self.server.faults.get(number) or self.server.fault_every
        if fault is not None and self._apply_fault(fault):
            return
        if not self._authorised():
            self._send_json(401, {"error": "unauthorised"}, {"WWW-Authenticate": 'Bearer realm="test"'})
            return
        self._route()

    def _apply_fault(self, fault: Fault) -> bool:
        """Act out the fault; return True when it replaced the response."""
        if fault.kind == "drop":
            self.close_connection = True
            return True
        if fault.kind == "slow":
            self.server.stopping.wait(fault.delay_s)
            return False
        self._send_json(fault.status, {"error": "injected"}, fault.headers)
        return True

    def _authorised(self) -> bool:
        auth = self.server.auth
        if auth is None:
            return True
        if auth[0] == "bearer":
            return self.headers.get("Authorization") == f"Bearer {auth[1]}"
        if auth[0] == "basic":
            pair = f"{auth[1]}:{auth[2]}".encode("utf-8")
            return self.headers.get("Authorization") == "Basic " + base64.b64encode(pair).decode("ascii")
        return self.headers.get(auth[1]) == auth[2]

    def _route(self) -> None:
        parts = urlsplit(self.path)
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        segments = parts.path.strip("/").split("/")
        if segments == ["api", "bad-json"]:
            self._send_text(200, '{"items": [1, 2', {})
            return
        if segments == ["api", "redirect"]:
            self._send_text(302, "", {"Location": query["to"]})
            return
        if len(segments) != 3 or segments[0] != "api" or segments[2] not in self.server.datasets:
            self._send_json(404, {"error": "not found"}, {})
            return
        self._send_page(segments[1], segments[2], query)

    def _send_page(self, style: str, dataset: str, query: dict[str, str]) -> None:
        texts = self.server.record_texts(dataset)
        if style in ("cursor", "stuck"):
            start = int(base64.urlsafe_b64decode(query["cursor"]).decode()) if "cursor" in query else 0
        elif style == "offset":
            start = int(query.get("offset", "0"))
        else:
            start = int(query.get("after", "0"))
        size = int(query.get("limit", "0")) if style == "offset" else int(query.get("size", "100"))
        end = min(start + min(size, self.server.max_limit), len(texts))
        records = "[" + ", ".join(texts[start:end]) + "]"
        following = end if end < len(texts) else None
        page = self._page_body(style, f"/api/{style}/{dataset}", records, start, following, len(texts))
        if page is None:
            self._send_json(404, {"error": "not found"}, {})
        else:
            self._send_text(200, *page)

    def _page_body(
        self, style: str, path: str, records: str, start: int, following: int | None, total: int
    ) -> tuple[str, dict[str, str]] | None:
        """Return the body and headers of a page in the style's shape, or None for an unknown style."""
        size = (following or total) - start
        if style == "next":
            link = "null" if following is None else json.dumps(f"{path}?after={following}&size={size}")
            return f'{{"data": {{"items": {records}}}, "meta": {{"total": {total}}}, "links": {{"next": {link}}}}}', {}
        if style == "link":
            if following is None:
                return records, {}
            return records, {"Link": f'<{self.server.base_url}{path}?after={following}&size={size}>; rel="next"'}
        if style in ("cursor", "stuck"):
            position = start if style == "stuck" else following
            cursor = "null" if position is None else json.dumps(base64.urlsafe_b64encode(str(position).encode()).decode())
            return f'{{"items": {records}, "next_cursor": {cursor}}}', {}
        if style == "offset":
            return f'{{"results": {records}, "count": {total}}}', {}
        if style == "foreign":
            return f'{{"items": {records}, "next": {json.dumps(self.server.foreign_next)}}}', {}
        return None

    def _send_json(self, status: int, body: Any, headers: dict[str, str]) -> None:
        self._send_text(status, to_json_text(body), headers)

    def _send_text(self, status: int, text: str, headers: dict[str, str]) -> None:
        data = text.encode("utf-8")
        self.log_request(status)
        self.send_response_only(status)
        if "Date" not in headers:
            self.send_header("Date", self.date_time_string())
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


@contextmanager
def running_api() -> Iterator[ApiServer]:
    """Serve on a free port of 127.0.0.1 in a background thread; stop and close afterwards."""
    server = ApiServer()
    # shutdown() waits for the next poll, so a short interval keeps each test's teardown short.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="test-api", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def http_date(timestamp: float) -> str:
    return email.utils.formatdate(timestamp, usegmt=True)
