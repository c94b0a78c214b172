"""Start ExportDesk's window: the same as running `exportdesk` with no arguments."""

import sys

from exportdesk.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
