"""The SQLite file deleted or replaced under a running bot is noticed; migrations take turns."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from bot.local_bot import LocalBot
from bot.settings import Settings
from content.messages import text
from storage import StorageUnavailable, open_database
from tests.bot.conftest import consent


async def test_a_deleted_database_file_stops_saving_and_says_so(bot_settings: Settings) -> None:
    async with LocalBot(bot_settings) as bot:
        await consent(bot, 1)
        path = bot.db.sqlite_path
        assert path is not None and path.exists()
        assert await bot.db.ping()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        assert not await bot.db.ping()  # /readyz turns red
        calls = await bot.say(1, "/checkin")
        assert [c.text for c in calls if c.method == "sendMessage"][-1] == text(
            "common.storage_down"
        )
        with pytest.raises(StorageUnavailable):
            async with bot.db.transaction():
                pass


async def test_a_replaced_database_file_is_noticed(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    db = open_database(f"sqlite+aiosqlite:///{path}")
    await db.upgrade()
    assert db.file_intact()
    await db.close()
    os.replace(path, tmp_path / "old.db")
    path.write_bytes(b"")  # another file now has the name
    assert not db.file_intact()
    assert not await db.ping()


async def test_two_processes_migrating_one_fresh_file_take_turns(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    script = (
        "import asyncio, sys\n"
        "from storage import open_database\n"
        "async def main():\n"
        "    db = open_database(sys.argv[1])\n"
        "    await db.upgrade()\n"
        "    await db.close()\n"
        "asyncio.run(main())\n"
    )
    root = Path(__file__).resolve().parents[2]
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            script,
            url,
            cwd=root,
            env={**os.environ, "PYTHONPATH": str(root)},
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(3)
    ]
    results = [await p.communicate() for p in processes]
    codes = [p.returncode for p in processes]
    assert codes == [0, 0, 0], [err.decode()[-500:] for _, err in results]
    db = open_database(url)
    assert await db.current_revision() is not None
    await db.close()
