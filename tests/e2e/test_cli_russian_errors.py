"""Errors from the export and download options, in Russian: translated and naming the value given."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from exportdesk import cli
from exportdesk.engine import actions
from exportdesk.i18n import set_language


@pytest.fixture
def russian(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("EXPORTDESK_DATA_DIR", str(tmp_path / "data"))
    for variable in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    set_language("ru")
    yield
    set_language("en")


def test_too_long_retention_names_value(russian: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "--source", "demo", "--table", "airlines", "--retention", "99999d"])

    err = capsys.readouterr().err
    assert exited.value.code == cli.EXIT_USAGE
    assert err.startswith("использование: exportdesk export ")
    assert "недопустимый срок хранения '99999d': укажите не больше 3650 дней" in err
    assert "8639913600" not in err


def test_zero_retention_rejected(russian: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["export", "--source", "demo", "--table", "airlines", "--retention", "0s"])

    err = capsys.readouterr().err
    assert exited.value.code == cli.EXIT_USAGE
    assert "недопустимый срок хранения '0s': укажите не меньше 1s" in err


def test_missing_folder_message_translated(russian: None, tmp_path: Path) -> None:
    with pytest.raises(actions.InvalidDestination) as raised:
        actions.resolve_destination(tmp_path / "nowhere" / "out.csv", "out.csv")
    assert str(raised.value) == f"Папка {tmp_path / 'nowhere'} не существует: создайте её или выберите другую"


def test_spec_retention_message_translated(russian: None) -> None:
    spec = actions.new_spec("demo", ("airlines",), retention_s=actions.MAX_RETENTION_S + 1)
    with pytest.raises(actions.InvalidSpec) as raised:
        actions.validate_spec(spec)
    assert str(raised.value).startswith("Срок хранения ")
    assert str(raised.value).endswith("укажите не больше 3650 дней")
