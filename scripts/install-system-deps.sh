#!/usr/bin/env bash
# Install the Debian packages that ExportDesk needs, with apt-get.
#
#   --gui   libraries that Qt needs to open a window on a real X display
#   --test  tools the tests use: Xvfb, D-Bus, a tray host, sqlite3, ImageMagick, PostgreSQL,
#           MariaDB, gnome-keyring as a real Secret Service for the keyring tests, and
#           LibreOffice Calc to open exported XLSX files
#   either  also gcc, libsqlite3-dev and python3-dev, to build the SQLite fast path's C reader
#
# Packages that are already installed are skipped. When nothing is missing, apt-get is not run
# at all. As root apt-get runs directly, otherwise through sudo. Without sudo the script prints
# the apt-get command to run and exits with status 1.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Print the first argument under a Russian locale (LC_ALL, LC_MESSAGES or LANG, the first one
# set, starting with "ru"), otherwise the second. Output of apt-get and pip is left as it is.
say() {
    case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in
        ru*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$2" ;;
    esac
}

gui_packages=(
    libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-sync1
    libx11-xcb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core
)
# postgresql is the Debian 12 metapackage for the PostgreSQL 15 server; mariadb-server is
# MariaDB 10.11. The tests start their own throwaway servers, never the system services.
test_packages=(xvfb xauth dbus dbus-x11 trayer sqlite3 imagemagick postgresql mariadb-server gnome-keyring libreoffice-calc-nogui)
# gcc, libsqlite3-dev and python3-dev build the C reader of the SQLite fast path
# (exportdesk/fastpath), for the app as well as for the tests. Without them the install still
# works, and exports take the slower general path.
build_packages=(gcc libsqlite3-dev python3-dev)

usage() {
    say "использование: $0 [--gui] [--test]" "usage: $0 [--gui] [--test]"
}

want_gui=0
want_test=0
for arg in "$@"; do
    case "$arg" in
        --gui) want_gui=1 ;;
        --test) want_test=1 ;;
        -h|--help) usage; exit 0 ;;
        *) say "install-system-deps: неизвестный параметр: $arg" "install-system-deps: unknown option: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# True when `python3 -m venv` can create a virtual environment with pip. Debian's python3
# needs the python3-venv package for that. The project's own .venv proves it already worked.
venv_works() {
    if [ -x "$repo_root/.venv/bin/python" ]; then
        return 0
    fi
    if ! command -v python3 >/dev/null 2>&1; then
        return 1
    fi
    local probe
    probe="$(mktemp -d)"
    if python3 -m venv "$probe/venv" >/dev/null 2>&1; then
        rm -rf "$probe"
        return 0
    fi
    rm -rf "$probe"
    return 1
}

wanted=()
if [ "$want_gui" = 1 ]; then
    wanted+=("${gui_packages[@]}")
fi
if [ "$want_test" = 1 ]; then
    wanted+=("${test_packages[@]}")
fi
if [ "$want_gui" = 1 ] || [ "$want_test" = 1 ]; then
    wanted+=("${build_packages[@]}")
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
    say "install-system-deps: dpkg-query не найден, значит, система не основана на Debian." \
        "install-system-deps: dpkg-query not found, so this is not a Debian-based system." >&2
    say "install-system-deps: установите сами пакеты, равноценные этим: ${wanted[*]} python3-venv" \
        "install-system-deps: install the equivalents of these packages yourself: ${wanted[*]} python3-venv" >&2
    exit 0
fi

missing=()
for package in "${wanted[@]}"; do
    if ! is_installed "$package"; then
        missing+=("$package")
    fi
done
if ! venv_works && ! is_installed python3-venv; then
    missing+=(python3-venv)
fi

if [ "${#missing[@]}" -eq 0 ]; then
    say "install-system-deps: все системные пакеты установлены" "install-system-deps: all system packages are installed"
    exit 0
fi

say "install-system-deps: не хватает пакетов: ${missing[*]}" "install-system-deps: missing packages: ${missing[*]}"
install_args=(install -y --no-install-recommends "${missing[@]}")

if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get "${install_args[@]}"
elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update
    sudo env DEBIAN_FRONTEND=noninteractive apt-get "${install_args[@]}"
else
    say "install-system-deps: запущено не от root, и sudo не найден. Выполните от root:" \
        "install-system-deps: not root and sudo not found. Run as root:" >&2
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get ${install_args[*]}" >&2
    exit 1
fi
