"""Answers without Telegram: a topic remembered for /sources only with consent (both databases)."""

from __future__ import annotations

from bot.consent import Member
from bot.services import answers
from content import areas, get_topic, topics_in_area
from storage import Database
from storage.users import ensure_user, give_consent


async def _member(db: Database, telegram_id: int, *, consent: bool) -> Member:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        if consent:
            await give_consent(session=session, user=user)
        return Member.of(user)


def _a_topic() -> str:
    return topics_in_area(areas()[0])[0].id


async def test_a_topic_is_answered_and_remembered_with_consent(db: Database) -> None:
    member = await _member(db, 101, consent=True)
    topic_id = _a_topic()
    result = await answers.topic(db, member, topic_id)
    assert result is not None and result.topic == topic_id
    assert result.text.strip()
    assert all(get_topic(related) for related in result.related)  # buttons lead somewhere
    assert await answers.last_topic(db, member) == topic_id


async def test_without_consent_nothing_is_remembered(db: Database) -> None:
    member = await _member(db, 102, consent=False)
    assert await answers.topic(db, member, _a_topic()) is not None
    assert await answers.last_topic(db, member) is None


async def test_a_topic_that_no_longer_exists_is_none(db: Database) -> None:
    member = await _member(db, 103, consent=True)
    assert await answers.topic(db, member, "no.such_topic") is None
    assert await answers.last_topic(db, member) is None
