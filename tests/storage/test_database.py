"""The connection pool: a pooled PostgreSQL connection killed while idle is replaced unnoticed."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

import storage.database as database_module
from storage import Database, open_database


async def _small_pool(cluster: object) -> Database:
    """A fresh PostgreSQL database behind a pool of one connection."""
    from tests.postgres import PostgresCluster

    assert isinstance(cluster, PostgresCluster)
    return open_database(await cluster.create_database(), pool_size=1)


@pytest.mark.postgres
async def test_idle_connection_killed_by_the_server_is_replaced(
    postgres_cluster: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await _small_pool(postgres_cluster)
    url = db.engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    try:
        async with db.engine.connect() as conn:
            pid = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        # What a server restart or an idle timeout does to a pooled connection.
        admin = open_database(url)
        try:
            async with admin.engine.connect() as conn:
                killed = await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                assert killed.scalar_one() is True
        finally:
            await admin.close()
        async with db.transaction() as session:
            new_pid = (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        assert new_pid != pid
    finally:
        await db.close()


@pytest.mark.postgres
async def test_busy_connections_are_not_pinged(
    postgres_cluster: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = await _small_pool(postgres_cluster)
    pings: list[object] = []
    original = db.engine.sync_engine.dialect.do_ping

    def counting_ping(dbapi_connection: object) -> bool:
        pings.append(dbapi_connection)
        return bool(original(dbapi_connection))

    monkeypatch.setattr(db.engine.sync_engine.dialect, "do_ping", counting_ping)
    try:
        for _ in range(5):
            async with db.transaction() as session:
                await session.execute(text("SELECT 1"))
        assert pings == []  # reused within the idle threshold: no extra round trip
        monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
        async with db.transaction() as session:
            await session.execute(text("SELECT 1"))
        assert len(pings) == 1
    finally:
        await db.close()


async def test_a_commit_that_need_not_wait_for_the_disk_is_still_a_commit(db: Database) -> None:
    from storage.database import commit_without_disk_wait
    from storage.models import User
    from storage.users import ensure_user

    postgres = db.dialect == "postgresql"
    show = text("SHOW synchronous_commit")
    async with db.transaction() as session:
        configured = await session.scalar(show) if postgres else None
        user = await ensure_user(session=session, telegram_id=777)
        user.last_topic = "symptoms.bloating_gas"
        await commit_without_disk_wait(session)
        if postgres:
            assert await session.scalar(show) == "off"
    async with db.transaction() as session:
        if postgres:  # only that transaction: the next one is back to the server's setting
            assert await session.scalar(show) == configured
        stored = await session.scalar(select(User).where(User.telegram_id == 777))
    assert stored is not None and stored.last_topic == "symptoms.bloating_gas"
