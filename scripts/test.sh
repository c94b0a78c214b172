#!/usr/bin/env bash
# Install what the tests need, then run pytest with Qt offscreen and, when dbus-run-session
# exists, on a private D-Bus session bus. Arguments go to pytest, and the exit status is pytest's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-system-deps.sh --gui --test
bash scripts/setup.sh --test

export QT_QPA_PLATFORM=offscreen
command=(.venv/bin/python -m pytest -p no:cacheprovider "$@")
if command -v dbus-run-session >/dev/null 2>&1; then
    command=(dbus-run-session -- "${command[@]}")
fi
exec "${command[@]}"
