"""Export again: the same settings, with a retention of at least the window's shortest."""

from __future__ import annotations

import pytest

from exportdesk.context import Context
from exportdesk.engine import actions


@pytest.mark.parametrize(
    ("original_s", "expected_s"),
    [
        (5, actions.MIN_EXPORT_AGAIN_RETENTION_S),
        (actions.MIN_EXPORT_AGAIN_RETENTION_S - 1, actions.MIN_EXPORT_AGAIN_RETENTION_S),
        (actions.MIN_EXPORT_AGAIN_RETENTION_S, actions.MIN_EXPORT_AGAIN_RETENTION_S),
        (2 * 86400, 2 * 86400),
    ],
)
def test_export_again_retention(ctx: Context, original_s: int, expected_s: int) -> None:
    spec = actions.new_spec("demo", ("airlines",), name="flights", retention_s=original_s, profile="utf8")
    original = actions.submit(ctx, spec)

    copy = actions.export_again(ctx, original.id)

    assert copy.id != original.id
    assert copy.spec.retention_s == expected_s
    assert copy.spec.selection == original.spec.selection
    assert copy.spec.name == "flights"
    assert copy.spec.profile == "utf8"
