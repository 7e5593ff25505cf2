"""Migrations are the only way the schema is made: stairway up/down/up and model agreement."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage import open_database
from storage.database import alembic_config
from storage.models import Base


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


async def test_stairway_every_revision_up_down_up(database_url: str) -> None:
    db = open_database(database_url)
    try:
        previous = "base"
        for revision in _revisions():
            await db.upgrade(revision)
            await db.downgrade(previous)
            await db.upgrade(revision)
            assert await db.current_revision() == revision
            previous = revision
    finally:
        await db.close()


async def test_head_schema_matches_models(database_url: str) -> None:
    db = open_database(database_url)
    try:
        await db.upgrade()
        async with db.engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata)
            )
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert diff == []
        assert set(Base.metadata.tables) <= tables
    finally:
        await db.close()


async def test_downgrade_to_base_removes_every_table(database_url: str) -> None:
    db = open_database(database_url)
    try:
        await db.upgrade()
        await db.downgrade("base")
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        assert tables <= {"alembic_version"}
    finally:
        await db.close()


@pytest.mark.postgres
async def test_workers_starting_together_migrate_once(postgres_cluster) -> None:  # type: ignore[no-untyped-def]
    url = await postgres_cluster.create_database()
    databases = [open_database(url) for _ in range(4)]
    try:
        await asyncio.gather(*(db.upgrade() for db in databases))
        assert {await db.current_revision() for db in databases} == {_revisions()[-1]}
    finally:
        for db in databases:
            await db.close()
