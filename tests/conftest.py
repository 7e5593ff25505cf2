"""Fixtures shared by the whole suite: the shared data folder and the databases."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """Path inside ../shared/data; fails under CI and skips elsewhere when the folder is absent."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"../shared/data is missing ({SHARED_DATA}); CI needs it beside the checkout"
            )
        pytest.skip(f"../shared/data not found at {SHARED_DATA}")
    return SHARED_DATA.joinpath(*parts)


@pytest.fixture(scope="session", autouse=True)
def encryption_keys() -> list[str]:
    """Health data is encrypted at rest: every test process gets its own random key."""
    from storage.crypto import configure_keys, generate_key

    keys = [generate_key()]
    configure_keys(keys)
    return keys


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The root of ../shared/data (see its README for provenance)."""
    return shared_path()


# --- databases -------------------------------------------------------------------------------

from collections.abc import AsyncIterator, Iterator  # noqa: E402

from tests.postgres import PostgresCluster, PostgresUnavailable  # noqa: E402


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One PostgreSQL cluster for the whole run; a failure to start fails the tests that need it."""
    try:
        cluster = PostgresCluster()
        cluster.start()
    except PostgresUnavailable as exc:
        pytest.fail(f"PostgreSQL could not be started: {exc}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'gutbot.db'}"
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return await cluster.create_database()


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[object]:
    """An open, fully migrated database (SQLite and PostgreSQL)."""
    from storage import open_database

    database = open_database(database_url)
    await database.upgrade()
    try:
        yield database
    finally:
        await database.close()
