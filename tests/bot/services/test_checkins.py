"""The check-in without Telegram: steps in order, forged and stale taps, the note, advice (both DBs)."""

from __future__ import annotations

from bot.consent import Member
from bot.services import checkins
from bot.services.checkins import NOTE_TEXT, STEPS, CheckinStep
from storage import Database
from storage.models import Dialog, EntryStatus, SymptomEntry, User
from storage.users import ensure_user, give_consent


async def _member(db: Database, telegram_id: int) -> Member:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        return Member.of(user)


def _at(step: CheckinStep) -> int:
    return STEPS.index(step)


async def _entry(db: Database, entry_id: int) -> SymptomEntry:
    async with db.transaction() as session:
        entry = await session.get(SymptomEntry, entry_id)
        assert entry is not None
        return entry


async def test_every_step_in_order_then_the_note_then_done(db: Database) -> None:
    member = await _member(db, 91)
    step = await checkins.begin(db, member)
    assert step.step == CheckinStep.STOOL_FORM and not step.resumed
    answers = {
        CheckinStep.STOOL_FORM: 4,
        CheckinStep.BOWEL_MOVEMENTS: 2,
        CheckinStep.BLOATING: 3,
        CheckinStep.PAIN: 1,
        CheckinStep.MOOD: 4,
        CheckinStep.ALARM_BLOOD: 0,
        CheckinStep.ALARM_BLACK: 0,
        CheckinStep.ALARM_WEIGHT: 0,
        CheckinStep.ALARM_FEVER: 0,
    }
    for expected, value in answers.items():
        assert step.step == expected
        step = await checkins.answer(db, member, step.entry_id, _at(expected), value)
        assert not step.stale and step.advice is None
    assert step.step == CheckinStep.NOTE
    done = await checkins.answer(db, member, step.entry_id, _at(CheckinStep.NOTE), 0)
    assert done.step is None and done.week is not None and done.week.first
    entry = await _entry(db, step.entry_id)
    assert entry.status == EntryStatus.COMPLETE
    assert (entry.stool_form, entry.bowel_movements, entry.bloating, entry.pain) == (4, 2, 3, 1)
    assert entry.alarms == {"blood": False, "black": False, "weight": False, "fever": False}


async def test_no_bowel_movement_answers_the_count_too(db: Database) -> None:
    member = await _member(db, 92)
    step = await checkins.begin(db, member)
    step = await checkins.answer(db, member, step.entry_id, _at(CheckinStep.STOOL_FORM), 0)
    assert step.step == CheckinStep.BLOATING  # the count is skipped
    entry = await _entry(db, step.entry_id)
    assert entry.stool_form is None and entry.bowel_movements == 0


async def test_forged_stale_and_foreign_taps_write_nothing(db: Database) -> None:
    member = await _member(db, 93)
    stranger = await _member(db, 94)
    step = await checkins.begin(db, member)
    at = _at(CheckinStep.STOOL_FORM)
    assert (await checkins.answer(db, member, step.entry_id, at, 9)).stale  # Bristol 9
    assert (await checkins.answer(db, member, step.entry_id, len(STEPS), 1)).stale
    assert (await checkins.answer(db, member, step.entry_id, _at(CheckinStep.PAIN), 5)).stale
    assert (await checkins.answer(db, stranger, step.entry_id, at, 4)).stale
    entry = await _entry(db, step.entry_id)
    assert entry.stool_form is None and entry.pain is None
    assert entry.step == CheckinStep.STOOL_FORM
    # The same tap twice: the second comes back stale and changes nothing.
    assert not (await checkins.answer(db, member, step.entry_id, at, 6)).stale
    assert (await checkins.answer(db, member, step.entry_id, at, 2)).stale
    assert (await _entry(db, step.entry_id)).stool_form == 6


async def test_a_fever_answer_brings_advice_at_once(db: Database) -> None:
    member = await _member(db, 95)
    step = await checkins.begin(db, member)
    for at, value in ((CheckinStep.STOOL_FORM, 7), (CheckinStep.BOWEL_MOVEMENTS, 5)):
        step = await checkins.answer(db, member, step.entry_id, _at(at), value)
    for at in (CheckinStep.BLOATING, CheckinStep.PAIN, CheckinStep.MOOD):
        step = await checkins.answer(db, member, step.entry_id, _at(at), 2)
    for at in (CheckinStep.ALARM_BLOOD, CheckinStep.ALARM_BLACK, CheckinStep.ALARM_WEIGHT):
        step = await checkins.answer(db, member, step.entry_id, _at(at), 0)
    fever = await checkins.answer(db, member, step.entry_id, _at(CheckinStep.ALARM_FEVER), 1)
    # Watery stools (Bristol 7), 5+ a day and a fever: the same advice a typed message gets.
    assert fever.advice
    assert fever.step == CheckinStep.NOTE


async def test_a_typed_note_completes_the_check_in_it_waits_for(db: Database) -> None:
    member = await _member(db, 96)
    step = await checkins.begin(db, member)
    entry_id = step.entry_id
    for at in STEPS[:-1]:
        value = 4 if at == CheckinStep.STOOL_FORM else (1 if at == CheckinStep.MOOD else 0)
        step = await checkins.answer(db, member, entry_id, _at(at), value)
    waiting = await checkins.answer(db, member, entry_id, _at(CheckinStep.NOTE), 1)
    assert waiting.step == NOTE_TEXT
    async with db.transaction() as session:
        user = await session.get(User, member.id)
        assert user is not None and user.dialog == Dialog.CHECKIN_NOTE
        done = await checkins.take_note(session, user, "finished amoxicillin 3 days ago")
        assert done is not None and done.step is None and user.dialog is None
        # Nothing waits any more: the next text is an ordinary question.
        assert await checkins.take_note(session, user, "and another thing") is None
    entry = await _entry(db, entry_id)
    assert entry.note == "finished amoxicillin 3 days ago"
    assert entry.status == EntryStatus.COMPLETE


async def test_begin_resumes_todays_unfinished_check_in(db: Database) -> None:
    member = await _member(db, 97)
    first = await checkins.begin(db, member)
    await checkins.answer(db, member, first.entry_id, _at(CheckinStep.STOOL_FORM), 3)
    again = await checkins.begin(db, member)
    assert again.entry_id == first.entry_id and again.resumed
    assert again.step == CheckinStep.BOWEL_MOVEMENTS
