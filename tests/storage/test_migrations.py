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


async def test_names_and_zones_stored_before_0008_are_encrypted_and_read_back(
    database_url: str,
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select, text

    from storage.models import PendingUpload, Sample, User

    db = open_database(database_url)
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    plain = {
        "timezone": "Europe/Rome",
        "original_filename": "john-doe-feature-table.tsv",
        "sample_label": "JD-2026-11",
        "filename": "jane-roe-taxonomy.tsv",
    }
    try:
        await db.upgrade("0007")
        async with db.engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO users (id, telegram_id, timezone, followups_enabled, "
                    "weekly_summary, created_at, updated_at) "
                    "VALUES (1, 4242424242, :timezone, true, false, :now, :now)"
                ),
                {"timezone": plain["timezone"], "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO samples (user_id, original_filename, detected_format, method, "
                    "sample_label, sha256, profile, report, created_at) VALUES (1, "
                    ":original_filename, 'metaphlan', 'shotgun', :sample_label, 'ab', 'x', 'x', "
                    ":now)"
                ),
                {**plain, "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO pending_uploads (user_id, kind, filename, sha256, data, state, "
                    "expires_at, created_at) VALUES (1, 'awaiting_companion', :filename, 'cd', "
                    "'x', 'x', :now, :now)"
                ),
                {**plain, "now": now},
            )
            await conn.execute(
                text(
                    "INSERT INTO message_counts (telegram_id, minute, used) VALUES (4242424242, 1, 1)"
                )
            )
        await db.upgrade("0008")
        async with db.engine.connect() as conn:
            raw = [
                *(await conn.execute(text("SELECT timezone FROM users"))).one(),
                *(
                    await conn.execute(text("SELECT original_filename, sample_label FROM samples"))
                ).one(),
                *(await conn.execute(text("SELECT filename FROM pending_uploads"))).one(),
            ]
            counts = (await conn.execute(text("SELECT * FROM message_counts"))).all()
        assert not set(raw) & set(plain.values()) and all(raw)
        assert counts == []
        async with db.transaction() as session:
            user = await session.scalar(select(User))
            sample = await session.scalar(select(Sample.original_filename))
            label = await session.scalar(select(Sample.sample_label))
            waiting = await session.scalar(select(PendingUpload.filename))
        assert user is not None and user.timezone == plain["timezone"]
        assert (sample, label, waiting) == (
            plain["original_filename"],
            plain["sample_label"],
            plain["filename"],
        )
        await db.downgrade("0007")
        async with db.engine.connect() as conn:
            back = (
                await conn.execute(text("SELECT original_filename, sample_label FROM samples"))
            ).one()
        assert tuple(back) == (plain["original_filename"], plain["sample_label"])
    finally:
        await db.close()
