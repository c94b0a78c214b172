"""A job's column list: stored as JSON, and checked before the job is queued."""

from __future__ import annotations

import pytest

from exportdesk.engine import actions
from exportdesk.jobs import Selection


def test_selection_json_round_trip() -> None:
    selection = Selection(tables=("orders",), columns=("total", "id"))

    data = selection.to_json()

    assert data["columns"] == ["total", "id"]
    assert Selection.from_json(data) == selection


def test_old_selection_reads_all_columns() -> None:
    assert Selection.from_json({"tables": ["orders"], "query": None}).columns is None
    assert "columns" not in Selection(tables=("orders",)).to_json()


@pytest.mark.parametrize(
    "tables, query, columns, expected",
    [
        (("a", "b"), None, ("id",), "single table only"),
        ((), "SELECT 1", ("id",), "single table only"),
        (("a",), None, (), "column list is empty"),
        (("a",), None, ("id", "id"), "Column 'id' is listed twice"),
        (("a",), None, ("id", ""), "empty name"),
    ],
)
def test_invalid_column_lists_rejected(
    tables: tuple[str, ...], query: str | None, columns: tuple[str, ...], expected: str
) -> None:
    spec = actions.new_spec("demo", tables, query, columns=columns)

    with pytest.raises(actions.InvalidSpec) as raised:
        actions.validate_spec(spec)

    assert expected in str(raised.value)


def test_valid_column_list_accepted() -> None:
    actions.validate_spec(actions.new_spec("demo", ("flights",), columns=("carrier", "year")))


def test_unknown_column_named_with_choices() -> None:
    with pytest.raises(actions.InvalidSpec) as raised:
        actions.check_columns_exist(["id", "prise"], "orders", ["id", "price", "name"])

    assert str(raised.value) == "Column 'prise' not found in table 'orders': use one of id, price, name"
