#!/usr/bin/env bash
# Save the user guide's screenshots to docs/images/ on a virtual X display (Xvfb).
# Arguments go to scripts/screenshots.py, e.g. --languages ru or --out /tmp/shots.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v xvfb-run >/dev/null 2>&1; then
    echo "screenshots: xvfb-run not found. Install it with: bash scripts/install-system-deps.sh --gui --test" >&2
    exit 1
fi

# A fixed screen, scale and font set keep the images the same from run to run.
export QT_QPA_PLATFORM=xcb
export QT_SCALE_FACTOR=1
unset QT_SCREEN_SCALE_FACTORS QT_AUTO_SCREEN_SCALE_FACTOR
command=(xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py "$@")
if command -v dbus-run-session >/dev/null 2>&1; then
    command=(dbus-run-session -- "${command[@]}")
fi
exec "${command[@]}"
