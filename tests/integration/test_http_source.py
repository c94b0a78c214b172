"""The HTTP JSON API source against a real local server: pagination, resume, values, faults, secrets."""

from __future__ import annotations

import csv
import decimal
import io
import itertools
import json
import logging
import queue
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest
import requests

from exportdesk.formats import make_writer
from exportdesk.jobs import ErrorCode, ExportDeskError
from exportdesk.sources.http import (
    EXTRA_COLUMN,
    MAX_RETRY_AFTER_S,
    RESPONSE_INVALID,
    HttpApiConfig,
    HttpApiSource,
    HttpTableReader,
    InvalidHttpConfig,
)
from exportdesk.sources.sql import TransientSourceError
from tests.http_api import BIG_INT, COUPON_FROM, DECIMAL_TEXT, ApiServer, Fault, http_date, running_api

TOKEN = "tok-7f3e9a1c-Secret"
ORDERS = 2500
PAGE_SIZE = 100
COLUMNS = ["id", "customer", "amount", "price", "big", "paid", "note", "address", "tags", "discount", EXTRA_COLUMN]

# Settings of each pagination style for the routes of tests.http_api.
STYLES: dict[str, dict[str, Any]] = {
    "next_url": {
        "endpoints": {"orders": "/api/next/orders"},
        "pagination": "next_url",
        "next_url_path": "links.next",
        "records_path": "data.items",
        "total_path": "meta.total",
        "page_size_param": "size",
    },
    "link_header": {
        "endpoints": {"orders": "/api/link/orders"},
        "pagination": "link_header",
        "page_size_param": "size",
    },
    "cursor": {
        "endpoints": {"orders": "/api/cursor/orders"},
        "pagination": "cursor",
        "cursor_path": "next_cursor",
        "cursor_param": "cursor",
        "records_path": "items",
        "page_size_param": "size",
    },
    "offset": {
        "endpoints": {"orders": "/api/offset/orders"},
        "pagination": "offset",
        "records_path": "results",
        "total_path": "count",
    },
}


class FakeTime:
    """A monotonic clock that only `sleep` moves; records every pause."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def wall_clock(self) -> float:
        return 1_700_000_000.0 + self.now


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        yield server


@pytest.fixture
def session() -> Iterator[requests.Session]:
    # trust_env=False keeps proxy settings of the environment away from 127.0.0.1.
    http = requests.Session()
    http.trust_env = False
    yield http
    http.close()


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make_source(
    base_url: str, session: requests.Session, fake: FakeTime, secret: str | None = None, **settings: Any
) -> HttpApiSource:
    values: dict[str, Any] = {"page_size": PAGE_SIZE, "max_retries": 3, "timeout_s": (5.0, 10.0), **settings}
    config = HttpApiConfig(base_url=base_url, **values)
    return HttpApiSource(config, secret, session, sleep=fake.sleep, clock=fake.clock, wall_clock=fake.wall_clock)


Pages = list[tuple[list[list[Any]], list[Any]]]


def read_pages(source: HttpApiSource, after: list[Any] | None = None) -> tuple[list[str], Pages]:
    reader = source.open_table("orders", after=after)
    pages = list(reader.keyed_batches(1000))
    return [column.name for column in reader.columns], pages


def all_rows(pages: Pages) -> list[list[Any]]:
    return [row for rows, _ in pages for row in rows]


def compact(value: Any) -> str:
    """The JSON text expected for a nested value: compact, non-ASCII as is, decimals exact."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{json.dumps(k, ensure_ascii=False)}:{compact(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(compact(item) for item in value) + "]"
    if isinstance(value, decimal.Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def expected_rows(records: list[dict[str, Any]]) -> list[list[Any]]:
    rows = []
    for record in records:
        row = [record.get(name) for name in COLUMNS[:-1]]
        row = [compact(value) if isinstance(value, (dict, list)) else value for value in row]
        extras = {key: value for key, value in record.items() if key not in COLUMNS}
        rows.append(row + [compact(extras) if extras else None])
    return rows


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Pagination and resume ------------------------------------------------------------------------


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_reads_all_in_order(style: str, api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES[style])
    columns, pages = read_pages(source)
    rows = all_rows(pages)

    assert columns == COLUMNS
    assert [row[0] for row in rows] == list(range(1, ORDERS + 1))
    assert rows == expected_rows(api.datasets["orders"])
    assert len(pages) == ORDERS // PAGE_SIZE
    assert fake.sleeps == []


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_resumes_after_each_page(style: str, api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **{**STYLES[style], "page_size": 250})
    columns, pages = read_pages(source)
    assert len(pages) == 10

    for index, (_, key) in enumerate(pages):
        stored_key = json.loads(json.dumps(key))  # as the runner's checkpoint keeps it
        resumed_columns, resumed = read_pages(source, after=stored_key)
        assert resumed_columns == columns, f"columns after page {index}"
        assert all_rows(resumed) == all_rows(pages[index + 1 :]), f"rows after page {index}"


def write_csv(reader: HttpTableReader, sink: io.BytesIO, resumed_rows: int | None = None, pages: int | None = None) -> list[Any]:
    """Write `pages` pages (all by default) as the runner does, header after the first page.

    Returns the key of the last page written.
    """
    writer = make_writer("csv", "utf8", sink, resumed_rows)
    batches = reader.keyed_batches(1000)
    first = next(batches, None)
    writer.begin(reader.columns)
    last_key: list[Any] = []
    if first is not None:
        for number, (rows, key) in enumerate(itertools.chain([first], batches), start=1):
            writer.write_rows(rows)
            last_key = key
            if number == pages:
                break
    writer.end()
    return last_key


def test_csv_resume_byte_identical(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **{**STYLES["cursor"], "page_size": 250})
    whole = io.BytesIO()
    write_csv(source.open_table("orders"), whole)
    part = io.BytesIO()
    key = write_csv(source.open_table("orders"), part, pages=3)
    write_csv(source.open_table("orders", after=json.loads(json.dumps(key))), part, resumed_rows=750)

    assert part.getvalue() == whole.getvalue()
    records = list(csv.reader(io.StringIO(whole.getvalue().decode("utf-8"))))
    assert records[0] == COLUMNS
    assert len(records) == ORDERS + 1
    assert records[1][2] == str(decimal.Decimal(DECIMAL_TEXT) + 1)
    assert records[1][7] == '{"city":"Москва","zip":"000001","geo":{"lat":55.755800}}'
    assert records[COUPON_FROM][-1] == f'{{"coupon":{{"code":"ЛЕТО{COUPON_FROM}","percent":7.5}}}}'


def test_resume_after_last_page_sends_nothing(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["cursor"])
    _, pages = read_pages(source)
    last_key = pages[-1][1]
    requests_before = len(api.requests)

    columns, resumed = read_pages(source, after=last_key)

    assert last_key[0] is None
    assert resumed == []
    assert columns == COLUMNS
    assert len(api.requests) == requests_before


def test_resume_rejects_foreign_key(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["offset"])
    with pytest.raises(ValueError, match="not a page position"):
        source.open_table("orders", after=[100])
    with pytest.raises(ValueError, match="not a page position"):
        source.open_table("orders", after=[{"offset": 1}, "id", EXTRA_COLUMN])


def test_offset_survives_server_page_cap(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.max_limit = 90
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "page_size": 250})
    _, pages = read_pages(source)

    assert [row[0] for row in all_rows(pages)] == list(range(1, ORDERS + 1))


def test_offset_without_total_stops_on_empty_page(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "total_path": ""})
    _, pages = read_pages(source)

    assert len(all_rows(pages)) == ORDERS
    assert len(api.requests) == ORDERS // PAGE_SIZE + 1


def test_same_origin_redirect_followed(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["link_header"], "endpoints": {"orders": "/api/redirect?to=/api/link/orders"}}
    source = make_source(api.base_url, session, fake, **settings)
    _, pages = read_pages(source)

    assert len(all_rows(pages)) == ORDERS
    assert api.requests[1].path == "/api/link/orders"


# Columns and values ---------------------------------------------------------------------------


def test_columns_union_and_extra(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    columns, pages = read_pages(source)
    by_id = {row[0]: dict(zip(columns, row)) for row in all_rows(pages)}

    assert columns == COLUMNS
    assert by_id[1]["discount"] is None  # the key first appears in order 2
    assert by_id[2]["discount"] == decimal.Decimal("0.05")
    assert by_id[3]["note"] is None  # JSON null
    assert by_id[7]["note"] is None  # key missing
    assert by_id[1][EXTRA_COLUMN] is None
    assert by_id[COUPON_FROM][EXTRA_COLUMN] == f'{{"coupon":{{"code":"ЛЕТО{COUPON_FROM}","percent":7.5}}}}'
    assert by_id[COUPON_FROM + 1][EXTRA_COLUMN] is None


def test_extra_column_name_avoids_clash(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.datasets["orders"] = [{"id": 1, "_extra": "mine"}, {"id": 2, "late": True}]
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "page_size": 1})
    columns, pages = read_pages(source)

    assert columns == ["id", "_extra", "_extra_2"]
    assert all_rows(pages) == [[1, "mine", None], [2, None, '{"late":true}']]


def test_values_exact(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["link_header"])
    columns, pages = read_pages(source)
    first = dict(zip(columns, all_rows(pages)[0]))
    fifth = dict(zip(columns, all_rows(pages)[4]))

    assert isinstance(first["amount"], decimal.Decimal)
    assert str(first["amount"]) == str(decimal.Decimal(DECIMAL_TEXT) + 1)
    assert str(first["price"]) == "1.10"
    assert type(first["big"]) is int
    assert first["big"] == BIG_INT + 1
    assert first["paid"] is False
    assert first["customer"] == "Покупатель №1 «Ёлка»"
    assert first["address"] == '{"city":"Москва","zip":"000001","geo":{"lat":55.755800}}'
    assert first["tags"] == "[]"
    assert fifth["tags"] == '["срочно",5,null]'


def test_huge_integer_stays_exact(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    digits = "9" * 5000  # past Python's default limit of 4,300 digits for int() of a string
    api.datasets["orders"] = [{"id": 1, "n": decimal.Decimal(digits)}]
    source = make_source(api.base_url, session, fake, **STYLES["offset"])
    _, pages = read_pages(source)
    value = all_rows(pages)[0][1]

    assert isinstance(value, decimal.Decimal)
    assert format(value, "f") == digits


def test_empty_endpoint_has_extra_column_only(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["next_url"], "endpoints": {"orders": "/api/next/empty"}}
    source = make_source(api.base_url, session, fake, **settings)
    columns, pages = read_pages(source)

    assert pages == []
    assert columns == [EXTRA_COLUMN]


def test_list_tables_estimates(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["offset"], "endpoints": {"orders": "/api/offset/orders", "none": "/api/offset/empty"}}
    with_total = make_source(api.base_url, session, fake, **settings)
    without_total = make_source(api.base_url, session, fake, **{**settings, "total_path": ""})

    assert [(t.name, t.rows_estimate) for t in with_total.list_tables()] == [("orders", ORDERS), ("none", 0)]
    requests_before = len(api.requests)
    assert [(t.name, t.rows_estimate) for t in without_total.list_tables()] == [("orders", None), ("none", None)]
    assert len(api.requests) == requests_before


def test_count_rows_rejects_query(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["offset"])
    with pytest.raises(ExportDeskError) as caught:
        source.count_rows(query="SELECT 1")

    assert caught.value.code is ErrorCode.QUERY_INVALID


# Retries, timeouts and rate limits ------------------------------------------------------------


def test_retry_after_seconds_honoured(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {2: Fault("status", 429, {"Retry-After": "7"})}
    source = make_source(api.base_url, session, fake, **STYLES["offset"])
    _, pages = read_pages(source)

    assert fake.sleeps == [7.0]
    assert [row[0] for row in all_rows(pages)] == list(range(1, ORDERS + 1))


def test_retry_after_date_honoured(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    sent = 1_800_000_000.0  # far from the fake wall clock, so only the Date header can give 12 s
    api.faults = {1: Fault("status", 429, {"Date": http_date(sent), "Retry-After": http_date(sent + 12)})}
    source = make_source(api.base_url, session, fake, **STYLES["cursor"])
    _, pages = read_pages(source)

    assert fake.sleeps == [12.0]
    assert len(all_rows(pages)) == ORDERS


def test_retry_after_too_long_gives_up(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {1: Fault("status", 429, {"Retry-After": str(int(MAX_RETRY_AFTER_S) + 1)})}
    source = make_source(api.base_url, session, fake, **STYLES["cursor"])
    with pytest.raises(TransientSourceError):
        read_pages(source)

    assert fake.sleeps == []
    assert len(api.requests) == 1


def test_server_error_retried_then_transient(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.fault_every = Fault("status", 503)
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    with pytest.raises(TransientSourceError) as caught:
        read_pages(source)

    assert caught.value.code is ErrorCode.SOURCE_UNREACHABLE
    assert "HTTP 503" in caught.value.detail
    assert fake.sleeps == [0.5, 1.0, 2.0]
    assert len(api.requests) == 4


def test_server_error_once_recovers(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {3: Fault("status", 502)}
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    _, pages = read_pages(source)

    assert fake.sleeps == [0.5]
    assert [row[0] for row in all_rows(pages)] == list(range(1, ORDERS + 1))


def test_not_implemented_not_retried(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.fault_every = Fault("status", 501)
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    with pytest.raises(ExportDeskError) as caught:
        read_pages(source)

    assert not isinstance(caught.value, TransientSourceError)
    assert len(api.requests) == 1


def test_dropped_connection_retried(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {2: Fault("drop")}
    source = make_source(api.base_url, session, fake, **STYLES["link_header"])
    _, pages = read_pages(source)

    assert fake.sleeps == [0.5]
    assert [row[0] for row in all_rows(pages)] == list(range(1, ORDERS + 1))


def test_read_timeout_transient(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.fault_every = Fault("slow", delay_s=5.0)
    source = make_source(api.base_url, session, fake, **{**STYLES["cursor"], "timeout_s": (2.0, 0.2), "max_retries": 1})
    with pytest.raises(TransientSourceError) as caught:
        read_pages(source)

    assert "timed out" in caught.value.detail
    assert len(api.requests) == 2
    assert fake.sleeps == [0.5]


def test_slow_page_once_recovers(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {2: Fault("slow", delay_s=5.0)}
    source = make_source(api.base_url, session, fake, **{**STYLES["cursor"], "timeout_s": (2.0, 0.2)})
    _, pages = read_pages(source)

    assert len(all_rows(pages)) == ORDERS


def test_connection_refused(session: requests.Session, fake: FakeTime) -> None:
    base_url = f"http://127.0.0.1:{free_port()}"
    source = make_source(base_url, session, fake, **{**STYLES["offset"], "max_retries": 2})

    with pytest.raises(ExportDeskError) as checked:
        source.test_connection()
    assert checked.value.code is ErrorCode.SOURCE_UNREACHABLE
    assert checked.value.subject == base_url
    assert fake.sleeps == []

    with pytest.raises(TransientSourceError) as caught:
        read_pages(source)
    assert caught.value.code is ErrorCode.SOURCE_UNREACHABLE
    assert fake.sleeps == [0.5, 1.0]


def test_rate_limit_spaces_requests(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    sent_at: list[float] = []
    session.hooks["response"].append(lambda response, *args, **kwargs: sent_at.append(fake.now))
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "rate_limit_per_s": 4.0, "page_size": 500})
    _, pages = read_pages(source)
    gaps = [later - earlier for earlier, later in zip(sent_at, sent_at[1:])]

    assert len(sent_at) == 5
    assert gaps == [pytest.approx(0.25)] * 4
    assert fake.sleeps == [pytest.approx(0.25)] * 4
    assert len(all_rows(pages)) == ORDERS


def test_rate_limit_counts_retries(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.faults = {1: Fault("status", 503)}
    api.max_limit = ORDERS
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "rate_limit_per_s": 1.0, "page_size": ORDERS})
    read_pages(source)

    # The 0.5 s backoff, then 0.5 s more to keep the retry 1 s after the first request.
    assert fake.sleeps == [0.5, pytest.approx(0.5)]


# Errors ---------------------------------------------------------------------------------------


def test_wrong_token_rejected(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.auth = ("bearer", "the-right-token")
    source = make_source(api.base_url, session, fake, secret=TOKEN, auth="bearer", secret_ref="test", **STYLES["cursor"])

    with pytest.raises(ExportDeskError) as caught:
        read_pages(source)
    assert caught.value.code is ErrorCode.CREDENTIALS_REJECTED
    assert len(api.requests) == 1

    with pytest.raises(ExportDeskError) as checked:
        source.test_connection()
    assert checked.value.code is ErrorCode.CREDENTIALS_REJECTED


def test_missing_endpoint_not_found(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["offset"], "endpoints": {"orders": "/api/offset/orders", "refunds": "/api/offset/refunds"}}
    source = make_source(api.base_url, session, fake, **settings)

    with pytest.raises(ExportDeskError) as caught:
        list(source.open_table("refunds").keyed_batches(100))
    assert caught.value.code is ErrorCode.TABLE_NOT_FOUND
    assert caught.value.subject == "refunds"

    requests_before = len(api.requests)
    with pytest.raises(ExportDeskError) as unknown:
        source.open_table("invoices")
    assert unknown.value.code is ErrorCode.TABLE_NOT_FOUND
    assert unknown.value.subject == "invoices"
    assert len(api.requests) == requests_before


def test_invalid_json_rejected(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["cursor"], "endpoints": {"orders": "/api/bad-json"}}
    source = make_source(api.base_url, session, fake, **settings)
    with pytest.raises(ExportDeskError) as caught:
        read_pages(source)

    assert caught.value.code is RESPONSE_INVALID
    assert "invalid JSON" in caught.value.detail
    assert fake.sleeps == []


def test_missing_records_path_rejected(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **{**STYLES["cursor"], "records_path": "data.rows"})
    with pytest.raises(ExportDeskError) as caught:
        read_pages(source)

    assert caught.value.code is RESPONSE_INVALID
    assert "'data.rows'" in caught.value.detail


def test_repeated_cursor_rejected(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    settings = {**STYLES["cursor"], "endpoints": {"orders": "/api/stuck/orders"}}
    source = make_source(api.base_url, session, fake, **settings)
    with pytest.raises(ExportDeskError, match="repeats"):
        read_pages(source)

    assert len(api.requests) == 2


def test_test_connection_succeeds_once(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    source.test_connection()

    assert len(api.requests) == 1


def test_test_connection_does_not_retry(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.fault_every = Fault("status", 503)
    source = make_source(api.base_url, session, fake, **STYLES["next_url"])
    with pytest.raises(TransientSourceError):
        source.test_connection()

    assert len(api.requests) == 1
    assert fake.sleeps == []


# Credentials ----------------------------------------------------------------------------------

AUTH_CASES: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    "bearer": (("bearer", TOKEN), {"auth": "bearer"}),
    "basic": (("basic", "анна", TOKEN), {"auth": "basic", "auth_user": "анна"}),
    "api_key": (("api_key", "X-Api-Token", TOKEN), {"auth": "api_key", "api_key_header": "X-Api-Token"}),
}


@pytest.mark.parametrize("method", sorted(AUTH_CASES))
def test_token_only_in_headers(
    method: str, api: ApiServer, session: requests.Session, fake: FakeTime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server_auth, settings = AUTH_CASES[method]
    api.auth = server_auth
    api.faults = {2: Fault("status", 503), 4: Fault("drop")}
    source = make_source(api.base_url, session, fake, secret=TOKEN, secret_ref="test", **settings, **STYLES["next_url"])
    _, pages = read_pages(source)
    assert len(all_rows(pages)) == ORDERS

    api.auth = (*server_auth[:-1], "another-token")
    with pytest.raises(ExportDeskError) as rejected:
        read_pages(source)
    api.fault_every = Fault("status", 503)
    with pytest.raises(TransientSourceError) as transient:
        read_pages(source)

    assert rejected.value.code is ErrorCode.CREDENTIALS_REJECTED
    assert all(TOKEN not in request.path for request in api.requests)
    assert TOKEN not in str(rejected.value)
    assert TOKEN not in repr(rejected.value)
    assert TOKEN not in str(transient.value)
    assert TOKEN not in caplog.text
    assert "retry" in caplog.text  # the retries were logged, so the log was captured


def test_next_link_to_other_origin_refused(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    with running_api() as other:
        api.foreign_next = f"{other.base_url}/api/next/orders"
        settings = {"endpoints": {"orders": "/api/foreign/orders"}, "pagination": "next_url", "records_path": "items"}
        source = make_source(api.base_url, session, fake, secret=TOKEN, auth="bearer", secret_ref="test", **settings)
        with pytest.raises(ExportDeskError) as caught:
            read_pages(source)

        assert caught.value.code is RESPONSE_INVALID
        assert other.requests == []


def test_redirect_to_other_origin_refused(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    with running_api() as other:
        settings = {**STYLES["link_header"], "endpoints": {"orders": f"/api/redirect?to={other.base_url}/api/link/orders"}}
        source = make_source(api.base_url, session, fake, secret=TOKEN, auth="api_key", secret_ref="test", **settings)
        with pytest.raises(ExportDeskError) as caught:
            read_pages(source)

        assert caught.value.code is RESPONSE_INVALID
        assert "redirect" in caught.value.detail
        assert other.requests == []


@pytest.mark.parametrize("secret", [None, "", "line\nbreak-" + TOKEN, " " + TOKEN, TOKEN + "ё"])
def test_unusable_token_rejected(secret: str | None, session: requests.Session, fake: FakeTime) -> None:
    with pytest.raises(ExportDeskError) as caught:
        make_source("http://127.0.0.1:9", session, fake, secret=secret, auth="bearer", secret_ref="test", **STYLES["offset"])

    assert caught.value.code is ErrorCode.CREDENTIALS_REJECTED
    assert TOKEN not in str(caught.value)


def test_basic_password_any_characters(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    password = "пароль: «ёж» 🔑"
    api.auth = ("basic", "анна", password)
    settings = {**STYLES["offset"], "auth": "basic", "auth_user": "анна", "secret_ref": "test"}
    source = make_source(api.base_url, session, fake, secret=password, **settings)
    source.test_connection()

    assert len(api.requests) == 1


# Configuration --------------------------------------------------------------------------------


def test_config_json_round_trip() -> None:
    config = HttpApiConfig(
        base_url="https://api.example.test/v2/",
        endpoints={"orders": "orders", "заказы": "/v2/orders?kind=ru"},
        auth="api_key",
        api_key_header="X-API-Key",
        secret_ref="http:orders-api",
        pagination="cursor",
        timeout_s=(3.0, 20.0),
        rate_limit_per_s=2.5,
    )
    stored = json.loads(json.dumps(config.to_json()))

    assert HttpApiConfig.from_json(stored) == config
    assert stored["secret_ref"] == "http:orders-api"


@pytest.mark.parametrize(
    "settings",
    [
        {"pagination": "pages"},
        {"auth": "digest"},
        {"auth": "basic", "secret_ref": "s"},
        {"auth": "bearer"},
        {"endpoints": {}},
        {"endpoints": {"orders": "http://127.0.0.2:8000/orders"}},
        {"page_size": 0},
        {"timeout_s": (5.0,)},
        {"max_retries": -1},
        {"rate_limit_per_s": -1.0},
        {"api_key_header": "X Key", "auth": "api_key", "secret_ref": "s"},
        {"records_path": "data..items"},
        {"records_path": ".items"},
        {"total_path": "meta."},
        {"pagination": "next_url", "next_url_path": ""},
        {"pagination": "cursor", "cursor_path": "meta..cursor"},
    ],
)
def test_config_rejects_invalid(settings: dict[str, Any]) -> None:
    values = {"base_url": "http://127.0.0.1:8000", "endpoints": {"orders": "/orders"}, **settings}
    with pytest.raises(InvalidHttpConfig) as raised:
        HttpApiConfig(**values)
    # The setting at fault is named, so a form can point at its field.
    assert raised.value.setting in {*settings, "auth_user", "secret_ref"}


def test_config_accepts_unused_empty_cursor_path() -> None:
    config = HttpApiConfig(
        base_url="http://127.0.0.1:8000", endpoints={"orders": "/orders"}, pagination="none", cursor_path=""
    )
    assert config.cursor_path == ""


def test_config_error_names_value_and_fix() -> None:
    with pytest.raises(InvalidHttpConfig) as raised:
        HttpApiConfig(base_url="http://127.0.0.1:8000", endpoints={"orders": "/orders"}, records_path="data..items")
    assert str(raised.value) == (
        "invalid records path 'data..items': use key names joined by dots, e.g. data.items, "
        "or leave it empty when the body is the list"
    )
    assert (raised.value.setting, raised.value.value) == ("records_path", "data..items")


def test_config_rejects_unknown_key() -> None:
    data = HttpApiConfig(base_url="http://127.0.0.1:8000", endpoints={"orders": "/orders"}).to_json()
    data["token"] = "x"
    with pytest.raises(InvalidHttpConfig, match="token"):
        HttpApiConfig.from_json(data)


# Datasette ------------------------------------------------------------------------------------


def make_shop(path: Path, rows: int) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT, qty INTEGER, note TEXT)")
    connection.executemany(
        "INSERT INTO orders VALUES (?, ?, ?, ?)",
        [(n, f"Покупатель {n}", n * 3, None if n % 4 == 0 else f"заметка {n}") for n in range(1, rows + 1)],
    )
    connection.commit()
    connection.close()


def wait_for_line(lines: queue.Queue[str | None], text: str, timeout_s: float) -> None:
    """Wait until a line containing `text` arrives; fail on end of output or after the timeout."""
    seen: list[str] = []
    while True:
        line = lines.get(timeout=timeout_s)
        if line is None:
            pytest.fail("Datasette exited before it was ready:\n" + "".join(seen))
        if text in line:
            return
        seen.append(line)


def forward_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


@pytest.fixture
def datasette_url(tmp_path: Path) -> Iterator[str]:
    """Real Datasette serving a 1,200-row SQLite table on 127.0.0.1."""
    pytest.importorskip("datasette")
    database = tmp_path / "shop.db"
    make_shop(database, 1200)
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(database), "-h", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    lines: queue.Queue[str | None] = queue.Queue()
    forwarder = threading.Thread(target=forward_lines, args=(process.stderr, lines), daemon=True)
    forwarder.start()
    try:
        wait_for_line(lines, "Uvicorn running on", timeout_s=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        forwarder.join(timeout=10)
        process.stderr.close()


DATASETTE_STYLES: dict[str, dict[str, Any]] = {
    "next_url": {
        "endpoints": {"orders": "/shop/orders.json?_shape=objects"},
        "pagination": "next_url",
        "next_url_path": "next_url",
        "records_path": "rows",
        "total_path": "filtered_table_rows_count",
    },
    "link_header": {"endpoints": {"orders": "/shop/orders.json?_shape=array"}, "pagination": "link_header"},
    "cursor": {
        "endpoints": {"orders": "/shop/orders.json?_shape=objects"},
        "pagination": "cursor",
        "cursor_path": "next",
        "cursor_param": "_next",
        "records_path": "rows",
    },
}


def test_datasette_styles_and_resume(datasette_url: str, session: requests.Session, fake: FakeTime) -> None:
    for style, settings in DATASETTE_STYLES.items():
        source = make_source(datasette_url, session, fake, page_size=250, page_size_param="_size", **settings)
        columns, pages = read_pages(source)
        rows = all_rows(pages)

        assert columns == ["id", "customer", "qty", "note", EXTRA_COLUMN], style
        assert [row[0] for row in rows] == list(range(1, 1201)), style
        assert rows[3] == [4, "Покупатель 4", 12, None, None], style
        assert len(pages) == 5, style
        _, resumed = read_pages(source, after=json.loads(json.dumps(pages[1][1])))
        assert all_rows(resumed) == all_rows(pages[2:]), style

    totals = make_source(datasette_url, session, fake, page_size=250, page_size_param="_size", **DATASETTE_STYLES["next_url"])
    assert totals.count_rows("orders") == 1200


def test_chosen_keys_in_given_order(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.datasets["orders"] = [{"id": 1, "note": "a", "paid": True}, {"id": 2, "paid": False, "late": True}]
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "page_size": 1})
    reader = source.open_table("orders", columns=["paid", "note"])
    pages = list(reader.keyed_batches(1000))

    assert [column.name for column in reader.columns] == ["paid", "note"]
    # No `_extra` column: the keys not chosen are dropped, and a missing chosen key is NULL.
    assert all_rows(pages) == [[True, "a"], [False, None]]


def test_chosen_keys_resume_after_page(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    source = make_source(api.base_url, session, fake, **{**STYLES["cursor"], "page_size": 250})
    chosen = ["customer", "id"]
    whole = io.BytesIO()
    write_csv(source.open_table("orders", columns=chosen), whole)
    part = io.BytesIO()
    key = write_csv(source.open_table("orders", columns=chosen), part, pages=2)
    write_csv(source.open_table("orders", after=json.loads(json.dumps(key)), columns=chosen), part, resumed_rows=500)

    assert part.getvalue() == whole.getvalue()
    records = list(csv.reader(io.StringIO(whole.getvalue().decode("utf-8"))))
    assert records[0] == chosen
    assert records[1] == ["Покупатель №1 «Ёлка»", "1"]
    with pytest.raises(ValueError):
        source.open_table("orders", after=key, columns=["id"])


def test_table_columns_from_first_page(api: ApiServer, session: requests.Session, fake: FakeTime) -> None:
    api.datasets["orders"] = [{"id": 1, "note": "a"}, {"id": 2, "paid": False}, {"id": 3, "late": True}]
    source = make_source(api.base_url, session, fake, **{**STYLES["offset"], "page_size": 2})

    assert [column.name for column in source.table_columns("orders")] == ["id", "note", "paid"]
