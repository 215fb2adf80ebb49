"""A throwaway PostgreSQL server for tests: ``initdb`` + ``pg_ctl`` in a temporary directory,
listening only on a private Unix socket, removed when stopped.

The server binaries come from the Debian ``postgresql`` package (``/usr/lib/postgresql/*/bin``)
or ``$EGOVKIT_PG_BIN``. PostgreSQL refuses to run as root, so under root the commands run as the
``postgres`` user through ``runuser``.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from types import TracebackType

from egovkit.errors import ConfigurationError, StorageError


def find_bin_dir() -> Path | None:
    """The newest PostgreSQL server ``bin`` directory, or ``None`` when none is installed."""
    configured = os.environ.get("EGOVKIT_PG_BIN")
    candidates = [Path(configured)] if configured else []
    root = Path("/usr/lib/postgresql")
    if root.is_dir():
        versions = [p for p in root.iterdir() if p.name.replace(".", "").isdigit()]
        versions.sort(key=lambda p: float(p.name), reverse=True)
        candidates += [p / "bin" for p in versions]
    for candidate in candidates:
        if (candidate / "initdb").is_file() and (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ThrowawayCluster:
    """Start with ``with ThrowawayCluster() as cluster:``; :attr:`url` reaches the
    ``postgres`` database as the ``postgres`` superuser; :meth:`new_database` gives a fresh one.
    """

    def __init__(self, bin_dir: Path | None = None) -> None:
        found = bin_dir or find_bin_dir()
        if found is None:
            raise ConfigurationError(
                "PostgreSQL server binaries not found (install the Debian package 'postgresql' "
                "or set EGOVKIT_PG_BIN)",
                code="postgres.binaries",
            )
        self.bin_dir = found
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="egovkit-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self._as_postgres = os.geteuid() == 0
        self._running = False

    @property
    def url(self) -> str:
        """The URL of the ``postgres`` database."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        """The URL of database ``name`` on this server."""
        return f"postgresql://postgres@/{name}?host={self.sockets}&port={self.port}"

    def _command(self, *args: str) -> list[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            self._command(*args), capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise StorageError(
                f"{args[0]} failed: {result.stderr.strip() or result.stdout.strip()}",
                code="postgres.cluster",
            )

    def start(self) -> ThrowawayCluster:
        """Create the cluster and start the server (waits until it accepts connections)."""
        self.sockets.mkdir()
        if self._as_postgres:
            user = pwd.getpwnam("postgres")
            for path in (self.root, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.sockets} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
            "-o", options, "start",
        )  # fmt: skip
        self._running = True
        return self

    def new_database(self) -> str:
        """Create an empty database; returns its URL."""
        import psycopg

        name = f"egov_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def stop(self) -> None:
        """Stop the server and remove every file it wrote."""
        try:
            if self._running:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
                self._running = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayCluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


__all__ = ["ThrowawayCluster", "find_bin_dir"]
