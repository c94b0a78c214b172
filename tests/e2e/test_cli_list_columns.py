"""`exportdesk list`: the columns line up whatever the width of the state label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk import cli
from exportdesk.context import Context
from exportdesk.i18n import set_language
from tests.gui.job_factory import JobFactory


@pytest.fixture
def language(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    yield
    set_language("en")


@pytest.mark.parametrize("locale", ["ru_RU.UTF-8", "en_US.UTF-8"])
def test_list_columns_line_up(
    language: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], locale: str
) -> None:
    monkeypatch.setenv("LANG", locale)
    data_dir = tmp_path / "data"
    ctx = Context(data_dir)
    try:
        factory = JobFactory(ctx)
        expired = factory.expired()
        ready = factory.ready()
        queued = factory.queued()
    finally:
        ctx.close()

    assert cli.main(["--data-dir", str(data_dir), "list"]) == cli.EXIT_OK

    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("    ")]
    assert len(lines) == 3
    by_id = {line.split()[0]: line for line in lines}
    assert set(by_id) == {expired.id, ready.id, queued.id}
    # The file name is the last column, so it starts at the same column on every line.
    file_columns = {cli.display_width(line) - cli.display_width(line.split()[-1]) for line in lines}
    assert len(file_columns) == 1
    assert cli.display_width("Срок хранения истёк") == 19
    assert cli.display_width("表") == 2
