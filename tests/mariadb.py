"""A throwaway MariaDB server on 127.0.0.1 for tests, from the Debian mariadb-server package."""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class MariaDbServer:
    host: str
    port: int
    user: str
    password: str
    database: str
    socket_path: Path

    def url(self, with_password: bool = True) -> str:
        secret = f":{self.password}" if with_password else ""
        return f"mysql+pymysql://{self.user}{secret}@{self.host}:{self.port}/{self.database}?charset=utf8mb4"


def find_mariadb_bin(name: str) -> str | None:
    return shutil.which(name) or next((str(p) for p in (Path("/usr/sbin") / name,) if p.exists()), None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_socket(process: subprocess.Popen[bytes], socket_path: Path, log_path: Path) -> None:
    """Wait until the server accepts connections on its socket, or fail with its error log."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"mariadbd exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
        if socket_path.exists():
            with socket.socket(socket.AF_UNIX) as probe:
                try:
                    probe.connect(str(socket_path))
                    return
                except OSError:
                    pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"mariadbd did not start within {START_TIMEOUT_S} s:\n{log_path.read_text(errors='replace')}")
        # The server offers no readiness notification without systemd, so its socket is polled.
        time.sleep(0.05)


@contextmanager
def running_mariadb(password: str = "maria-test-Пароль-42") -> Iterator[MariaDbServer]:
    """Start a server with an `exportdesk` user and an empty `shop` database; stop and delete it afterwards.

    mariadbd refuses to run as root, so as root the data folder belongs to the `mysql` user and
    the server runs as that user. Raises `RuntimeError` when MariaDB is not installed.
    """
    install_db, server, client = find_mariadb_bin("mariadb-install-db"), find_mariadb_bin("mariadbd"), shutil.which("mariadb")
    if install_db is None or server is None or client is None:
        raise RuntimeError("MariaDB server binaries (mariadb-install-db, mariadbd, mariadb) not found")
    folder = Path(tempfile.mkdtemp(prefix="exportdesk-mariadb-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, user="mysql")
        prefix = ["runuser", "-u", "mysql", "--"]
    data = folder / "data"
    socket_path = folder / "socket"
    log_path = folder / "error.log"
    port = _free_port()
    subprocess.run(
        [*prefix, install_db, "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=socket", "--skip-test-db"],
        check=True,
        capture_output=True,
    )
    process = subprocess.Popen(
        [
            *prefix, server, "--no-defaults", f"--datadir={data}", f"--socket={socket_path}", f"--port={port}",
            "--bind-address=127.0.0.1", f"--log-error={log_path}", f"--pid-file={folder / 'pid'}",
            "--innodb-buffer-pool-size=32M", "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_socket(process, socket_path, log_path)
        quoted_password = password.replace("\\", "\\\\").replace("'", "\\'")
        setup = (
            "CREATE DATABASE shop CHARACTER SET utf8mb4;"
            f"CREATE USER 'exportdesk'@'127.0.0.1' IDENTIFIED BY '{quoted_password}';"
            "GRANT ALL ON shop.* TO 'exportdesk'@'127.0.0.1';"
        )
        # mariadb-install-db gives the OS user who ran it an account with socket authentication.
        os_user = "mysql" if prefix else getpass.getuser()
        subprocess.run([*prefix, client, "--no-defaults", f"--socket={socket_path}", "-u", os_user, "-e", setup], check=True, capture_output=True)
        yield MariaDbServer("127.0.0.1", port, "exportdesk", password, "shop", socket_path)
    finally:
        # The data folder is deleted next, so the server need not shut down cleanly.
        process.kill()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)
