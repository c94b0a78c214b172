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
from exportdesk.i18n import current_language, language_locale, set_language, tr, translations_dir, translator
from exportdesk.logs import setup_logging

log = logging.getLogger(__name__)

LOG_FILE_NAME = "app.log"
# Python runs signal handlers only between bytecodes, so a timer lets Ctrl+C reach Python.
_SIGNAL_POLL_MS = 250


# The translators apply_language() installed, removed again when the language changes.
_installed_translators: list[QTranslator] = []
_qt_translators: dict[str, QTranslator | None] = {}


def _qt_translator(language: str) -> QTranslator | None:
    """Return Qt's own translation (qtbase_<language>.qm) from PySide6's translations folder, or None."""
    if language not in _qt_translators:
        qt_translator = QTranslator()
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_translator.load(f"qtbase_{language}", folder):
            _qt_translators[language] = qt_translator
        else:
            log.warning("Qt translation qtbase_%s.qm not found in %s, so Qt's own texts stay in English", language, folder)
            _qt_translators[language] = None
    return _qt_translators[language]


def apply_language(app: QApplication, setting: str) -> list[QTranslator]:
    """Set the UI language from the `language` setting and install its translators in `app`.

    ExportDesk's own translator lets Qt translate through it as well, and Qt's `qtbase_ru.qm`
    translates Qt's texts: standard buttons, file dialogs and the text fields' context menus.
    Returns the installed translators.
    """
    for installed in _installed_translators:
        app.removeTranslator(installed)
    _installed_translators.clear()
    set_language(setting)
    QLocale.setDefault(language_locale())
    if translator() is None:
        log.warning(
            "Translation exportdesk_%s.qm not found in %s, so the window is shown in English", current_language(), translations_dir()
        )
    candidates = [translator()]
    if current_language() != "en":
        candidates.append(_qt_translator(current_language()))
    for candidate in candidates:
        if candidate is not None and app.installTranslator(candidate):
            _installed_translators.append(candidate)
    return list(_installed_translators)


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
        log.error("Data folder rejected: %s", error.english)
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
        controller.start(minimized=ctx.settings.start_minimized)
        code = app.exec()
    finally:
        signal_timer.stop()
        activation.close()
        controller.shutdown()
        ctx.close()
        window_lock.release()
    log.info("ExportDesk window stopped with exit code %d", code)
    return code
