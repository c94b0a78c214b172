"""Collect PySide6.QtGui as PyInstaller's own hook does, minus the Qt plugins ExportDesk does not use.

PyInstaller runs a hook from `hookspath` in place of its bundled hook of the same name. Every
plugin that is collected also brings the shared libraries it links, so leaving a plugin out
here keeps those libraries out of the bundle too.
"""

from __future__ import annotations

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Paths under Qt's plugins folder. Patterns use PurePath.match, so `*` stays in one folder.
EXCLUDED_PLUGINS = (
    # The GTK 3 platform theme links the system libgtk-3 and its whole stack (cairo, pango,
    # atk...), which do not belong in a bundle. Qt then uses its own file dialogs and colours.
    "platformthemes/libqgtk3.*",
    # The virtual keyboard is written in QML, so it would bring Qt Quick and Qt QML.
    "platforminputcontexts/libqtvirtualkeyboardplugin.*",
    # The window runs on X11 (xcb, under XWayland on a Wayland desktop) or offscreen. The
    # embedded-device, VNC and native Wayland platforms and their helper plugins stay out.
    "platforms/libqeglfs.*",
    "platforms/libqlinuxfb.*",
    "platforms/libqminimal.*",
    "platforms/libqminimalegl.*",
    "platforms/libqvkkhrdisplay.*",
    "platforms/libqvnc.*",
    "platforms/libqwayland*",
    "egldeviceintegrations/*",
    "generic/*",
    "wayland-decoration-client/*",
    "wayland-graphics-integration-client/*",
    "wayland-shell-integration/*",
)


def is_excluded(source: str) -> bool:
    path = PurePath(source)
    return any(path.match(pattern) for pattern in EXCLUDED_PLUGINS)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, destination) for source, destination in binaries if not is_excluded(source)]
