"""Log exceptions that nothing caught, and tell the user briefly instead of failing silently.

An exception raised in a Qt slot reaches `sys.excepthook`, and the window stays open. The
traceback goes to the log only, and the message names the log file.
"""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from exportdesk.i18n import tr

log = logging.getLogger(__name__)

_message_open = False


def _show_message(log_path: Path) -> None:
    """Show one short message at a time, and only from the GUI thread."""
    global _message_open
    app = QApplication.instance()
    if app is None or _message_open or threading.current_thread() is not threading.main_thread():
        return
    _message_open = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, tr("Unexpected error"), tr(
            "Something went wrong, and the last action may not have finished. ExportDesk keeps running."
        ), parent=QApplication.activeWindow())
        box.setInformativeText(tr("The details are in the log: {path}").format(path=str(log_path)))
        box.exec()
    finally:
        _message_open = False


def install_excepthook(log_path: Path) -> None:
    """Log uncaught exceptions of every thread, and show a message for those of the GUI thread."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, traceback)
            return
        log.critical("Unhandled exception", exc_info=(kind, error, traceback))
        _show_message(log_path)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "unknown"
        log.critical("Unhandled exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
