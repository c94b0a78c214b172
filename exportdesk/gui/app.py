"""`run_gui()`: the window's entry point, called by `exportdesk` without a command."""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from exportdesk import __version__
from exportdesk.context import APP_NAME, Context, DataDirRejected, default_data_dir
from exportdesk.engine.instance import InstanceLock
from exportdesk.gui.controller import AppController
from exportdesk.gui.crash import install_excepthook
from exportdesk.gui.icons import app_icon
from exportdesk.gui.single_instance import ActivationServer, request_show, server_name
from exportdesk.i18n import current_language, register, set_language, tr
from exportdesk.logs import setup_logging

log = logging.getLogger(__name__)

LOG_FILE_NAME = "app.log"
# Python runs signal handlers only between bytecodes, so a timer lets Ctrl+C reach Python.
_SIGNAL_POLL_MS = 250

register(
    {
        "ExportDesk cannot start": "ExportDesk не может запуститься",
        "The data folder {path} cannot be opened: {reason}. Check its permissions, or set EXPORTDESK_DATA_DIR to another folder.":
            "Не удаётся открыть папку данных {path}: {reason}. Проверьте права доступа к ней или задайте другую папку в EXPORTDESK_DATA_DIR.",
        "The data folder {path} cannot be used. Check that it is a folder of yours that other users cannot write to, "
        "or set EXPORTDESK_DATA_DIR to another folder.":
            "Папку данных {path} нельзя использовать. Проверьте, что это ваша папка и другие пользователи не могут в неё записывать, "
            "или задайте другую папку в EXPORTDESK_DATA_DIR.",
        "ExportDesk is already open for this data folder (process {pid}).":
            "ExportDesk уже открыт для этой папки данных (процесс {pid}).",
    }
)


def apply_language(app: QApplication, setting: str) -> QTranslator | None:
    """Set the UI language from the `language` setting, and for Russian load Qt's own translation.

    Qt's `qtbase_ru.qm` translates the standard dialog buttons (OK, Cancel, Yes, No). Returns
    the installed translator, or None when none was installed.
    """
    set_language(setting)
    if current_language() != "ru":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return None
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load("qtbase_ru", folder):
        log.warning("Qt translation qtbase_ru.qm not found in %s, so standard buttons stay in English", folder)
        return None
    app.installTranslator(translator)
    return translator


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("exportdesk")
    return app


def _open_context(data_dir: Path | None, account: str | None) -> Context | None:
    try:
        return Context(data_dir, account)
    except DataDirRejected as error:
        log.error("Data folder rejected: %s", error)
        QMessageBox.critical(None, tr("ExportDesk cannot start"), tr(
            "The data folder {path} cannot be used. Check that it is a folder of yours that other users cannot write to, "
            "or set EXPORTDESK_DATA_DIR to another folder."
        ).format(path=str(data_dir or default_data_dir())))
        return None
    except OSError as error:
        path = error.filename or data_dir or ""
        QMessageBox.critical(None, tr("ExportDesk cannot start"), tr(
            "The data folder {path} cannot be opened: {reason}. Check its permissions, or set EXPORTDESK_DATA_DIR to another folder."
        ).format(path=str(path), reason=error.strerror or str(error)))
        return None


def _no_display() -> bool:
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")


def _show_running_window(window_lock: InstanceLock) -> None:
    """Bring the window that has taken `window_lock` to the front, or show that it is open if that fails."""
    if request_show(server_name(window_lock.path.parent)):
        log.info("ExportDesk is already open for this data folder, so its window was asked to come to the front")
        return
    QMessageBox.information(
        None,
        "ExportDesk",
        tr("ExportDesk is already open for this data folder (process {pid}).").format(pid=window_lock.holder_pid()),
    )


def _handle_signals(controller: AppController) -> QTimer:
    """Route SIGINT and SIGTERM to the window, and return the timer that lets Python see them."""
    # Ctrl+C in a terminal shows the same question as Quit. SIGTERM (e.g. at logout) quits without one.
    signal.signal(signal.SIGINT, lambda _number, _frame: controller.window.request_quit())
    signal.signal(signal.SIGTERM, lambda _number, _frame: controller.window.quit_leaving_jobs())
    signal_timer = QTimer()
    signal_timer.timeout.connect(lambda: None)
    signal_timer.start(_SIGNAL_POLL_MS)
    return signal_timer


def run_gui(data_dir: Path | None = None, account: str | None = None) -> int:
    """Open the window, run until the user quits, and return the process exit code."""
    if _no_display():
        print(
            "No display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open. "
            "Use the command line instead (exportdesk --help), or set QT_QPA_PLATFORM=offscreen.",
            file=sys.stderr,
        )
        return 2
    app = create_application()
    set_language("system")
    ctx = _open_context(data_dir, account)
    if ctx is None:
        return 1
    window_lock = InstanceLock(ctx.paths.data_dir, "window")
    if not window_lock.acquire():
        _show_running_window(window_lock)
        ctx.close()
        return 0
    # Listen at once, so a start right after this one finds the server. The window connects later.
    activation = ActivationServer(server_name(ctx.paths.data_dir))
    activation.listen()
    log_path = setup_logging(ctx.paths.logs, LOG_FILE_NAME)
    install_excepthook(log_path)
    apply_language(app, ctx.settings.language)
    log.info("ExportDesk %s window starting with data folder %s and language %s", __version__, ctx.paths.data_dir, current_language())

    icon = app_icon()
    app.setWindowIcon(icon)
    # The window decides when to quit: with a tray icon, closing it may only hide it.
    app.setQuitOnLastWindowClosed(False)
    controller = AppController(ctx, icon)
    controller.window.quitRequested.connect(app.quit)
    activation.showRequested.connect(controller.window.show_and_raise)

    signal_timer = _handle_signals(controller)
    try:
        controller.start()
        code = app.exec()
    finally:
        signal_timer.stop()
        activation.close()
        controller.shutdown()
        ctx.close()
        window_lock.release()
    log.info("ExportDesk window stopped with exit code %d", code)
    return code
