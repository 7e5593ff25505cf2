"""Health data is encrypted at rest; keys rotate without losing anything."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Text, select, type_coerce

from storage import Database
from storage.crypto import EncryptionKeyError, configure_keys, generate_key
from storage.maintenance import rotate_encryption
from storage.models import Sample, SymptomEntry
from storage.users import ensure_user


async def _store(db: Database) -> int:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=99)
        session.add(
            Sample(
                user_id=user.id,
                original_filename="p.txt",
                detected_format="metaphlan3",
                method="shotgun",
                sample_label="S1",
                sha256="c" * 64,
                profile={"taxa": [{"name": "Bifidobacterium", "abundance": 0.012}]},
                report={"samples": [{"sample_id": "S1"}]},
            )
        )
        session.add(
            SymptomEntry(
                user_id=user.id, day=date(2026, 11, 5), bloating=7, note="cramps after lunch"
            )
        )
        return user.id


async def _raw(db: Database) -> tuple[str, str, str]:
    async with db.transaction() as session:
        profile = await session.scalar(select(type_coerce(Sample.profile, Text)))
        note = await session.scalar(select(type_coerce(SymptomEntry.note, Text)))
        bloating = await session.scalar(select(type_coerce(SymptomEntry.bloating, Text)))
    assert profile is not None and note is not None and bloating is not None
    return profile, note, bloating


async def test_health_data_is_not_readable_in_the_database(db: Database) -> None:
    await _store(db)
    profile, note, bloating = await _raw(db)
    assert "Bifidobacterium" not in profile
    assert "cramps" not in note
    assert bloating != "7"
    async with db.transaction() as session:
        entry = await session.scalar(select(SymptomEntry))
        sample = await session.scalar(select(Sample))
    assert entry is not None and sample is not None
    assert (entry.bloating, entry.note) == (7, "cramps after lunch")
    assert sample.profile["taxa"][0]["name"] == "Bifidobacterium"


async def test_rotation_reencrypts_with_the_new_key(
    db: Database, encryption_keys: list[str]
) -> None:
    await _store(db)
    before = await _raw(db)
    new_key = generate_key()
    configure_keys([new_key, *encryption_keys])
    try:
        changed = await rotate_encryption(db)
        assert changed == 2
        after = await _raw(db)
        assert all(a != b for a, b in zip(before, after, strict=True))
        configure_keys([new_key])  # the old key is gone: everything must still read
        async with db.transaction() as session:
            entry = await session.scalar(select(SymptomEntry))
        assert entry is not None and entry.note == "cramps after lunch"
        configure_keys(encryption_keys)  # and the old key alone can no longer read it
        async with db.transaction() as session:
            with pytest.raises(EncryptionKeyError):
                await session.scalar(select(SymptomEntry))
    finally:
        configure_keys(encryption_keys)


def test_malformed_key_is_refused() -> None:
    with pytest.raises(EncryptionKeyError, match="malformed"):
        configure_keys(["not-a-key"])
