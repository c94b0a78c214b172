"""Entry script of the PyInstaller bundle: one executable for the window, the CLI and the worker.

A frozen bundle cannot run `python -m`, so the engine starts the bundle's own executable:
`exportdesk --worker --data-dir D --job ID --secrets-stdin` for a worker
(`exportdesk.engine.supervisor.worker_command`) and `exportdesk --data-dir D run` for a
background engine (`exportdesk.cli.start_background_engine`). Every other command line goes to
the CLI, which opens the window when no command is given.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from exportdesk.sources.demo import RESOURCES_ENV

WORKER_FLAG = "--worker"
LIBRARY_PATH_ENV = "LD_LIBRARY_PATH"
# PyInstaller's Linux bootloader keeps the caller's LD_LIBRARY_PATH here before it puts the
# bundle's library folder first, and leaves it unset when the caller had none (checked with
# PyInstaller 6.22).
ORIGINAL_LIBRARY_PATH_ENV = "LD_LIBRARY_PATH_ORIG"
# Makes a copy of this executable started from this process begin as a new application
# instance, which sets LD_LIBRARY_PATH for itself, instead of reusing this process's setup.
RESET_ENVIRONMENT_ENV = "PYINSTALLER_RESET_ENVIRONMENT"


def frozen_bundle_root() -> Path | None:
    """Return the bundle's folder of libraries and data (`_internal`), or None outside a bundle."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if not getattr(sys, "frozen", False) or bundle_root is None:
        return None
    return Path(bundle_root)


def restore_library_path(bundle_root: Path) -> None:
    """Give child processes the caller's LD_LIBRARY_PATH instead of the bundle's.

    Programs the app starts, such as xdg-open for "Open folder", would otherwise load the
    bundle's copies of system libraries (libreadline, libglib...) and may fail on another
    distribution. This process keeps the libraries it has loaded, because the dynamic loader
    reads the variable only at start. The bundle's own workers and background engine then
    start as new instances, so their bootloader puts the bundle's folder first again.
    """
    first_entry = os.environ.get(LIBRARY_PATH_ENV, "").split(os.pathsep)[0]
    if not first_entry or os.path.realpath(first_entry) != os.path.realpath(bundle_root):
        return  # The bootloader did not set it, so it stays as the caller gave it.
    original = os.environ.get(ORIGINAL_LIBRARY_PATH_ENV)
    if original is None:
        del os.environ[LIBRARY_PATH_ENV]
    else:
        os.environ[LIBRARY_PATH_ENV] = original
    os.environ[RESET_ENVIRONMENT_ENV] = "1"


def main(argv: list[str]) -> int:
    bundle_root = frozen_bundle_root()
    if bundle_root is not None:
        if sys.platform.startswith("linux"):
            restore_library_path(bundle_root)
        # Set in the environment, not only in this process, so the workers started from here
        # (which inherit os.environ) find the demo data too. A value set by the user wins.
        if not os.environ.get(RESOURCES_ENV):
            os.environ[RESOURCES_ENV] = str(bundle_root / "resources")

    if len(argv) > 1 and argv[1] == WORKER_FLAG:
        from exportdesk.engine import worker

        return worker.main(argv[2:])

    from exportdesk import cli

    return cli.main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
