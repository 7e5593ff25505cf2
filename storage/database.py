"""Opening the database, migrating it with Alembic, and handing out sessions."""

from __future__ import annotations

import asyncio
import fcntl
import os
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.crypto import configure_keys

#: Advisory lock id that serialises migrations across workers on PostgreSQL.
MIGRATION_LOCK = 7_260_411
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class StorageUnavailable(RuntimeError):
    """The database file was deleted or replaced under the running bot: nothing can be saved."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at the package's migrations (no alembic.ini needed)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not left in free pages for anyone with the file.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: A pooled connection unused for longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 2.0
_IDLE_SINCE = "gutbot.idle_since"


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it has sat idle.

    SQLAlchemy's ``pool_pre_ping`` costs a round trip on every checkout; under load connections
    are seldom idle, so only those that waited long enough for the server to have gone away (a
    restart, a failover, an idle timeout) are checked. A dead one is replaced transparently; a
    connection that dies while in use invalidates the whole pool, so the next checkouts reconnect.
    """
    sync_engine = engine.sync_engine

    def checkin(dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            sync_engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            # The pool discards this connection and hands out a fresh one.
            raise DisconnectionError(f"stale pooled connection: {type(exc).__name__}") from exc

    event.listen(sync_engine, "checkin", checkin)
    event.listen(sync_engine, "checkout", checkout)


@dataclass
class Database:
    """An open database: the engine, a session factory, and schema migration."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    #: The SQLite file, watched so that a file deleted or replaced under the bot is noticed.
    sqlite_path: Path | None = None
    _identity: tuple[int, int] | None = None

    @property
    def dialect(self) -> str:
        """The backend name: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    def file_intact(self) -> bool:
        """False once the SQLite file is gone or another file took its place (True otherwise).

        SQLite keeps writing to a deleted file through its open handle, so without this check
        every "saved" would go to a file nobody can open again.
        """
        if self.sqlite_path is None:
            return True
        try:
            found = os.stat(self.sqlite_path)
        except FileNotFoundError:
            return self._identity is None
        identity = (found.st_dev, found.st_ino)
        if self._identity is None:
            self._identity = identity
        return identity == self._identity

    def _require_file(self) -> None:
        if not self.file_intact():
            raise StorageUnavailable("the SQLite database file was deleted or replaced")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session and one transaction: committed on success, rolled back on error."""
        self._require_file()
        async with self.sessions() as session, session.begin():
            yield session
        self._require_file()  # the commit went to a file that is gone: say so, not "saved"

    async def upgrade(self, revision: str = "head") -> None:
        """Migrate the schema to ``revision`` (the latest by default)."""
        await self._run_alembic(lambda cfg: command.upgrade(cfg, revision))

    async def downgrade(self, revision: str) -> None:
        """Migrate the schema down to ``revision`` (``base`` removes every table)."""
        await self._run_alembic(lambda cfg: command.downgrade(cfg, revision))

    async def current_revision(self) -> str | None:
        """The revision the database is at, or None before the first migration."""
        from alembic.runtime.migration import MigrationContext

        async with self.engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )

    async def ping(self) -> bool:
        """Whether the database answers a trivial query."""
        from sqlalchemy import text

        if not self.file_intact():
            return False
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    async def erase_traces(self) -> None:
        """After a deletion: leave no earlier copy of the deleted rows in the SQLite files.

        With ``secure_delete`` the rows are zeroed in the database pages, but the write-ahead log
        still holds the pages as they were until a checkpoint; this one copies the log back and
        truncates it. (PostgreSQL keeps dead row versions until autovacuum reuses their space.)
        """
        if self.dialect != "sqlite" or self.sqlite_path is None:
            return
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def close(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()

    async def _run_alembic(self, action: Any) -> None:
        if self.sqlite_path is not None:
            # Two processes started at once on a fresh file: one migrates, the other waits.
            lock = await asyncio.to_thread(_lock_file, self.sqlite_path)
            try:
                await self._migrate(action)
            finally:
                os.close(lock)
            self.file_intact()  # the file exists now: remember which one it is
            return
        await self._migrate(action)

    async def _migrate(self, action: Any) -> None:
        from sqlalchemy import text

        if self.dialect == "sqlite":
            await self._migrate_sqlite(action)
            return
        async with self.engine.begin() as conn:
            # Several workers start at once: one migrates, the others wait and find it done.
            await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            await conn.run_sync(lambda sync: action(alembic_config(sync)))

    async def _migrate_sqlite(self, action: Any) -> None:
        # SQLite changes a column by copying the table and dropping the old one; with foreign keys
        # on, dropping ``users`` would first delete every row that cascades from it (samples,
        # check-ins...). So keys are off while migrating (a pragma only takes effect outside a
        # transaction) and checked before they are on again.
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
            try:
                async with conn.begin():
                    await conn.run_sync(lambda sync: action(alembic_config(sync)))
                    broken = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                    if broken:
                        raise RuntimeError(f"a migration left {len(broken)} rows without owner")
            finally:
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()


def _lock_file(database: Path) -> int:
    """Hold an exclusive lock beside the SQLite file (released when the descriptor closes)."""
    fd = os.open(f"{database}.migrate.lock", os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def open_database(
    url: str,
    *,
    encryption_keys: Sequence[str] | None = None,
    echo: bool = False,
    pool_size: int | None = None,
) -> Database:
    """Create the engine for an SQLAlchemy async URL (the SQLite folder is created if missing).

    ``encryption_keys`` (newest first) encrypt health data at rest; when omitted, the keys already
    configured in this process are used.
    """
    if encryption_keys is not None:
        configure_keys(encryption_keys)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    elif pool_size is not None:
        # Connections above the pool size are closed on return; a new PostgreSQL connection costs
        # a backend process and a handshake, so the overflow is kept small and the pool steady.
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = max(2, pool_size // 4)
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        _ping_idle_connections(engine)
    sqlite_path = None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        sqlite_path = Path(str(parsed.database)).expanduser().resolve()
    database = Database(
        engine=engine,
        sessions=async_sessionmaker(engine, expire_on_commit=False),
        sqlite_path=sqlite_path,
    )
    database.file_intact()  # an existing file: remember which one it is
    return database


_NO_DISK_WAIT = text("SET LOCAL synchronous_commit TO OFF")


async def commit_without_disk_wait(session: AsyncSession) -> None:
    """Let this transaction's commit return before it reaches the disk (PostgreSQL; a no-op else).

    Only for writes a database crash may lose without harm: which topic a user last asked about,
    a bare user row (Telegram id and language) that the next message recreates. PostgreSQL keeps
    such a commit atomic and loses at most the last fraction of a second of them in a crash. Under
    load, waiting for the disk on every question was what made latency spike: one slow flush held
    every transaction and pooled connection waiting behind it. Health data never uses this.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(_NO_DISK_WAIT)


def dialect_insert(session: AsyncSession) -> Any:
    """The ``insert`` with ``on_conflict_do_...`` for the session's backend (PostgreSQL or SQLite)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert
