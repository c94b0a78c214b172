"""Run the command-line interface, as the `exportdesk` script does: `python -m exportdesk …`."""

import sys

from exportdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
