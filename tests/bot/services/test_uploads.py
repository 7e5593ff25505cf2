"""Which documents may be results files, and uploads kept for a second step (both databases)."""

from __future__ import annotations

import pytest

from bot.services import uploads
from storage import Database
from storage.users import ensure_user


@pytest.mark.parametrize(
    ("filename", "mime", "expected"),
    [
        ("profile.tsv", "text/tab-separated-values", None),
        ("table.qza", None, None),  # a QIIME 2 artifact (a ZIP)
        ("merged_abundance_table", None, None),  # no ending at all: let the reader decide
        (
            "report.pdf",
            "application/pdf",
            uploads.Refusal("upload.refused_type", "pdf"),
        ),
        ("photo.jpg", "image/jpeg", uploads.Refusal("upload.refused_type", "image")),
        ("notes.docx", None, uploads.Refusal("upload.refused_ending", ".docx")),
    ],
)
def test_refusal_names_the_type_or_the_ending(
    filename: str, mime: str | None, expected: uploads.Refusal | None
) -> None:
    assert uploads.refusal(filename, mime) == expected


async def test_a_waiting_half_is_found_and_the_pair_hash_does_not_depend_on_order(
    db: Database,
) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=7)
    await uploads.keep_waiting(
        db, user, kind=uploads.COMPANION, data=b"taxonomy", filename="tax.tsv", sha="a", state={}
    )
    arrived = await uploads.arrival(db, user, b"counts", "table.tsv")
    assert arrived.pair == {"tax.tsv": b"taxonomy", "table.tsv": b"counts"}
    assert arrived.stored_id is None
    swapped = {"table.tsv": b"counts", "tax.tsv": b"taxonomy"}
    assert uploads.pair_sha(arrived.pair) == uploads.pair_sha(swapped)


async def test_a_choice_is_only_read_by_its_owner_and_forgotten_after(db: Database) -> None:
    async with db.transaction() as session:
        owner = await ensure_user(session=session, telegram_id=8)
        other = await ensure_user(session=session, telegram_id=9)
    kept = await uploads.keep_waiting(
        db,
        owner,
        kind=uploads.CHOICE,
        data=b"x",
        filename="m.tsv",
        sha="s",
        state={"sample_ids": ["A", "B"]},
    )
    pending = kept.id
    assert await uploads.waiting_choice(db, other, pending) is None
    found = await uploads.waiting_choice(db, owner, pending)
    assert found is not None and found.sample_ids == ("A", "B")
    await uploads.forget(db, owner, pending)
    assert await uploads.waiting_choice(db, owner, pending) is None


async def test_a_second_half_of_the_same_kind_says_what_it_replaced(db: Database) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=10)
    first = await uploads.keep_waiting(
        db, user, kind=uploads.COMPANION, data=b"a", filename="first.tsv", sha="1", state={}
    )
    again = await uploads.keep_waiting(
        db, user, kind=uploads.COMPANION, data=b"a", filename="first.tsv", sha="1", state={}
    )
    second = await uploads.keep_waiting(
        db, user, kind=uploads.COMPANION, data=b"b", filename="second.tsv", sha="2", state={}
    )
    assert first.replaced is None and again.replaced is None  # the same file is no replacement
    assert second.replaced == "first.tsv"


def test_no_real_results_file_is_refused_by_its_ending() -> None:
    from tests.conftest import shared_path

    wild = shared_path("wild", "README.md").parent
    names = [p.name for p in wild.iterdir() if p.name != "README.md"]
    assert len(names) >= 40
    refused = [n for n in names if uploads.refusal(n, None) is not None]
    assert refused == []
