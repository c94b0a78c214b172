"""Settings for the whole suite: Qt runs offscreen and each test gets its own data folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from exportdesk.context import Context  # noqa: E402


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("EXPORTDESK_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[Context]:
    context = Context(data_dir)
    yield context
    context.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator["PostgresServer"]:
    """A real PostgreSQL server on 127.0.0.1, shared by the session."""
    from tests.postgres import PostgresServer, running_postgres  # noqa: F401

    try:
        with running_postgres() as server:
            yield server
    except RuntimeError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def mariadb() -> Iterator["MariaDbServer"]:
    """A real MariaDB server on 127.0.0.1, shared by the session."""
    from tests.mariadb import MariaDbServer, running_mariadb  # noqa: F401

    try:
        with running_mariadb() as server:
            yield server
    except RuntimeError as error:
        pytest.skip(str(error))
