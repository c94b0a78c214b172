"""ExportDesk: turns "export my data" into a job with a kept, downloadable artifact."""

from importlib import metadata

try:
    __version__ = metadata.version("exportdesk")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
