#!/usr/bin/env bash
# Build the one-folder bundle dist/exportdesk/ with PyInstaller and print its size.
#
#   bash packaging/build.sh [--distpath DIR]
#
# Creates .venv when it is missing, installs ExportDesk with the `bundle` extra into it, and
# builds from packaging/exportdesk.spec. The bundle is for the OS and CPU it is built on.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage() {
    echo "usage: $0 [--distpath DIR]"
}

distpath="dist"
while [ $# -gt 0 ]; do
    case "$1" in
        --distpath)
            [ $# -ge 2 ] || { echo "build: --distpath needs a folder" >&2; usage >&2; exit 2; }
            distpath="$2"
            shift 2
            ;;
        -h|--help) usage; exit 0 ;;
        *) echo "build: unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

venv_python=".venv/bin/python"
if [ ! -x "$venv_python" ]; then
    if ! command -v python3 >/dev/null 2>&1; then
        echo "build: python3 not found. Install Python 3.11 or newer." >&2
        exit 1
    fi
    echo "build: creating .venv with $(python3 --version 2>&1)"
    python3 -m venv .venv
fi
if ! "$venv_python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
    echo "build: .venv runs $("$venv_python" --version 2>&1), but ExportDesk needs Python 3.11 or newer" >&2
    exit 1
fi

"$venv_python" -m pip install --quiet -e '.[bundle]'

start=$(date +%s)
"$venv_python" -m PyInstaller --noconfirm --clean \
    --distpath "$distpath" \
    --workpath build/pyinstaller \
    packaging/exportdesk.spec
end=$(date +%s)

bundle="$distpath/exportdesk"
echo "build: $bundle built in $((end - start)) s, $(du -sh "$bundle" | cut -f1)"
