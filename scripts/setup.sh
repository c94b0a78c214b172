#!/usr/bin/env bash
# Create .venv (Python 3.11 or newer) and install ExportDesk into it in editable mode.
#
#   --test  also install the test dependencies (`pip install -e '.[test]'`)
#
# Safe to run again: pip runs only when pyproject.toml changed since the last successful
# install, `--test` follows a plain install, or `exportdesk` does not import.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Print the first argument under a Russian locale (LC_ALL, LC_MESSAGES or LANG, the first one
# set, starting with "ru"), otherwise the second. Output of apt-get and pip is left as it is.
say() {
    case "${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}" in
        ru*) printf '%s\n' "$1" ;;
        *) printf '%s\n' "$2" ;;
    esac
}

usage() {
    say "использование: $0 [--test]" "usage: $0 [--test]"
}

extras=""
for arg in "$@"; do
    case "$arg" in
        --test) extras="test,bundle" ;;
        -h|--help) usage; exit 0 ;;
        *) say "setup: неизвестный параметр: $arg" "setup: unknown option: $arg" >&2; usage >&2; exit 2 ;;
    esac
done

venv_python=".venv/bin/python"
stamp=".venv/exportdesk-setup.stamp"

check_python() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'
}

if [ -x "$venv_python" ] && ! check_python "$venv_python" 2>/dev/null; then
    say "setup: в .venv не Python 3.11 или новее, поэтому .venv создаётся заново" \
        "setup: .venv does not run Python 3.11 or newer; creating it again"
    rm -rf .venv
fi

if [ ! -x "$venv_python" ]; then
    if ! command -v python3 >/dev/null 2>&1; then
        say "setup: python3 не найден. Установите Python 3.11 или новее." "setup: python3 not found. Install Python 3.11 or newer." >&2
        exit 1
    fi
    if ! check_python python3; then
        found="$(python3 --version 2>&1)"
        say "setup: ExportDesk нужен Python 3.11 или новее, а python3 — это $found" \
            "setup: ExportDesk needs Python 3.11 or newer, but python3 is $found" >&2
        exit 1
    fi
    found="$(python3 --version 2>&1)"
    say "setup: создание .venv с $found" "setup: creating .venv with $found"
    # --clear replaces a broken .venv whose python link no longer resolves.
    python3 -m venv --clear .venv
fi

# setup.py and the C source decide what the install compiles, so a change to them reinstalls too.
wanted_stamp="$(cat pyproject.toml setup.py exportdesk/fastpath/_sqlite_text.c | sha256sum | cut -d' ' -f1) ${extras:-runtime}"
if [ -f "$stamp" ] && "$venv_python" -c 'import exportdesk' 2>/dev/null; then
    installed_stamp="$(cat "$stamp")"
    # A test install also satisfies a plain one.
    if [ "$installed_stamp" = "$wanted_stamp" ] || [ "$installed_stamp" = "${wanted_stamp% *} test,bundle" ]; then
        say "setup: .venv уже в актуальном состоянии" "setup: .venv is up to date"
        exit 0
    fi
fi

"$venv_python" -m pip install --upgrade pip
if [ -n "$extras" ]; then
    "$venv_python" -m pip install -e ".[$extras]"
else
    "$venv_python" -m pip install -e .
fi
echo "$wanted_stamp" > "$stamp"
