"""Collect PySide6.QtNetwork as PyInstaller's own hook does, minus its plugins.

ExportDesk uses QtNetwork only for QLocalServer and QLocalSocket (one window per data folder),
which need no plugin. The network-information plugins would bring the system GLib/GIO and
NetworkManager D-Bus code, and the TLS plugins serve only QSslSocket, which the app does not use.
"""

from __future__ import annotations

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies, pyside6_library_info

EXCLUDED_PLUGINS = ("networkinformation/*", "tls/*")


def is_excluded(source: str) -> bool:
    path = PurePath(source)
    return any(path.match(pattern) for pattern in EXCLUDED_PLUGINS)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if not is_excluded(source)]
binaries += pyside6_library_info.collect_qtnetwork_files()
