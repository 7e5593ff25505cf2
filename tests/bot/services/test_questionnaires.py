"""Questionnaire answers: only the expected item is saved; the score comes at the end."""

from __future__ import annotations

from bot.services import questionnaires
from storage import Database
from storage.users import ensure_user


async def test_an_answer_to_another_item_is_stale_and_changes_nothing(db: Database) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=3)
    started = await questionnaires.start(db, user, "phq4")
    assert started.item is not None
    wrong = "down" if started.item.key != "down" else "nervous"
    stale = await questionnaires.answer(db, user, started.response_id, wrong, 1)
    assert stale.stale
    again = await questionnaires.start(db, user, "phq4")
    assert again.item is not None and again.item.key == started.item.key


async def test_four_phq4_answers_give_a_score_and_the_crisis_flag(db: Database) -> None:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=4)
    state = await questionnaires.start(db, user, "phq4")
    while state.item is not None:
        state = await questionnaires.answer(db, user, state.response_id, state.item.key, 3)
    assert state.score is not None
    assert state.score.total == 12  # four items, each "nearly every day" (3), summed by hand
    assert state.score.positive and state.score.crisis
