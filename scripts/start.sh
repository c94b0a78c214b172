#!/usr/bin/env bash
# Install what ExportDesk needs, then start it. Without arguments it opens the window on the
# demo data. Any arguments go to the `exportdesk` command, e.g. `scripts/start.sh list`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-system-deps.sh --gui
bash scripts/setup.sh
exec .venv/bin/exportdesk "$@"
