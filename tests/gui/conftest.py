"""Fixtures for the window tests: a data folder with the demo database, and a running window.

Every test gets its own data folder under tmp_path. The demo database is built once per
session and copied into each folder, because building it takes a few seconds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from pytestqt.qtbot import QtBot  # noqa: E402

from exportdesk.context import Context  # noqa: E402
from exportdesk.gui.app import apply_language  # noqa: E402
from exportdesk.gui.background import BackgroundTasks  # noqa: E402
from exportdesk.gui.controller import AppController  # noqa: E402
from exportdesk.gui.icons import app_icon  # noqa: E402
from exportdesk.gui.quit_prompt import QuitChoice  # noqa: E402
from exportdesk.i18n import set_language  # noqa: E402
from exportdesk.sources import demo  # noqa: E402
from tests.gui.job_factory import JobFactory  # noqa: E402


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.ensure_demo_database(tmp_path_factory.mktemp("demo-template"))


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def russian(qapp: QApplication) -> Iterator[None]:
    """Switch the UI to Russian, with Qt's own translation, and back to English at the end."""
    apply_language(qapp, "ru")
    yield
    apply_language(qapp, "en")


@pytest.fixture
def gui_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_database: Path, english: None) -> Iterator[Context]:
    """Open a Context on a new data folder that already contains the demo database."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("EXPORTDESK_DATA_DIR", str(data_dir))
    target = demo.demo_database_path(data_dir)
    target.parent.mkdir(parents=True)
    shutil.copyfile(demo_database, target)
    context = Context(data_dir)
    yield context
    context.close()


@pytest.fixture
def controller(qtbot: QtBot, gui_ctx: Context) -> Iterator[AppController]:
    """Start the real window without a tray; at the end, stop its exports and shut it down."""
    app_controller = AppController(gui_ctx, app_icon(), use_tray=False, prepare_demo=False)
    app_controller.start()
    qtbot.waitExposed(app_controller.window)
    yield app_controller
    app_controller.window.quit_choice = QuitChoice.STOP_JOBS
    app_controller.window.cancel_active_jobs()
    app_controller.shutdown()


@pytest.fixture
def jobs(gui_ctx: Context) -> JobFactory:
    return JobFactory(gui_ctx)


@pytest.fixture
def tasks(qtbot: QtBot, request: pytest.FixtureRequest) -> Iterator[BackgroundTasks]:
    """Return a dialog's background tasks, which must all end within the test module's
    TASKS_SHUTDOWN_MS (10 s by default) after the test."""
    background = BackgroundTasks()
    yield background
    assert background.shutdown(getattr(request.module, "TASKS_SHUTDOWN_MS", 10_000))
