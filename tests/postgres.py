"""A throwaway PostgreSQL cluster on a free loopback port, started from the server binaries."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """PostgreSQL could not be started; the message says why."""


def _bin_dir() -> Path:
    override = os.environ.get("GUTBOT_PG_BIN")
    candidates = [override] if override else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and Path(candidate, "initdb").exists() and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) not found; `make test` installs them with "
        "apt-get (package postgresql), or set GUTBOT_PG_BIN to their folder"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """initdb + pg_ctl in a temporary folder; as root, run as the ``postgres`` system user."""

    def __init__(self, *, durable: bool = False) -> None:
        #: False (tests): no fsync, for speed. True (benchmarks): commits reach the disk, as in
        #: production, so the figures are not flattered.
        self.durable = durable
        self.bin = _bin_dir()
        self.port = _free_port()
        self.root = Path(tempfile.mkdtemp(prefix="gutbot-pg-"))
        self.data = self.root / "data"
        self._as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = list(args)
        if self._as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        """Create the cluster and start the server (fails with the server's own words)."""
        if self._as_root:
            try:
                shutil.chown(self.root, user="postgres", group="postgres")
            except (LookupError, PermissionError) as exc:
                raise PostgresUnavailable(
                    f"cannot hand {self.root} to user postgres: {exc}"
                ) from exc
        init = self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )
        if init.returncode != 0:
            raise PostgresUnavailable(
                f"initdb failed: {init.stderr.strip() or init.stdout.strip()}"
            )
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        start = self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )
        if start.returncode != 0:
            log = (
                (self.root / "log").read_text(errors="replace")
                if (self.root / "log").exists()
                else ""
            )
            raise PostgresUnavailable(f"pg_ctl start failed: {start.stderr.strip()} {log[-2000:]}")

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy async URL of a database in this cluster."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    async def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import asyncpg

        name = "t_" + uuid.uuid4().hex[:12]
        conn = await asyncpg.connect(host="127.0.0.1", port=self.port, user="postgres")
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return self.url(name)
