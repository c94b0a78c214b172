"""Build the optional C extension of the SQLite fast path; the rest is in pyproject.toml.

The extension needs a C compiler and SQLite's header and library (Debian: gcc,
libsqlite3-dev). When it cannot be built, the install goes on without it and every export
takes the general path in exportdesk/formats.
"""

from __future__ import annotations

import logging

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

log = logging.getLogger("exportdesk.setup")


class OptionalBuildExt(build_ext):
    """Build extensions, but let the install go on when one fails to compile or link."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # the compiler reports its own errors on stderr
            log.warning("Building the SQLite fast path failed (%s); exports use the general path", error)

    def build_extension(self, extension: Extension) -> None:
        try:
            super().build_extension(extension)
        except Exception as error:
            log.warning("Building %s failed (%s); exports use the general path", extension.name, error)


setup(
    ext_modules=[
        Extension(
            "exportdesk.fastpath._sqlite_text",
            sources=["exportdesk/fastpath/_sqlite_text.c"],
            libraries=["sqlite3"],
            extra_compile_args=["-O2"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": OptionalBuildExt},
)
