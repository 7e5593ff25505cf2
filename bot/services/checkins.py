"""The daily check-in: its steps, each answer saved at once, and triage of every alarm answer.

Every answer carries the id of the row it answers and the step it was asked at, so a restart,
another worker, a double tap or a button pressed days later never writes wrong data: such a tap
comes back ``stale``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.services.profile import user_facts
from content.triage import LEVELS, CheckinAnswers, triage_checkin
from content.triage.checkin import LOOSE_FROM
from storage import Database, Session
from storage.models import Dialog, EntryStatus, SymptomEntry, User, utcnow
from storage.questionnaires import abandon_open_responses
from storage.symptoms import abandon_open_entries, entries_since, get_entry, open_entry


class CheckinStep(StrEnum):
    """The steps of a check-in, in the order asked (stored in ``SymptomEntry.step``)."""

    STOOL_FORM = "stool_form"
    BOWEL_MOVEMENTS = "bowel_movements"
    BLOATING = "bloating"
    PAIN = "pain"
    MOOD = "mood"
    ALARM_BLOOD = "alarm_blood"
    ALARM_BLACK = "alarm_black"
    ALARM_WEIGHT = "alarm_weight"
    ALARM_FEVER = "alarm_fever"
    NOTE = "note"


STEPS = tuple(CheckinStep)
#: The key each alarm step is stored under in ``SymptomEntry.alarms``.
ALARM_STEPS = {
    CheckinStep.ALARM_BLOOD: "blood",
    CheckinStep.ALARM_BLACK: "black",
    CheckinStep.ALARM_WEIGHT: "weight",
    CheckinStep.ALARM_FEVER: "fever",
}
#: The CheckinAnswers field each alarm step answers.
ANSWER_FIELDS = {
    CheckinStep.ALARM_BLOOD: "blood",
    CheckinStep.ALARM_BLACK: "black",
    CheckinStep.ALARM_WEIGHT: "weight_loss",
    CheckinStep.ALARM_FEVER: "fever",
}
#: The answers each step offers; anything else (a forged button) is refused, never stored.
STEP_VALUES: dict[str, frozenset[int]] = {
    CheckinStep.STOOL_FORM: frozenset(range(8)),  # Bristol 1-7, 0 for "no bowel movement"
    CheckinStep.BOWEL_MOVEMENTS: frozenset(range(6)),  # 0-4, 5 for "5 or more"
    CheckinStep.BLOATING: frozenset(range(11)),
    CheckinStep.PAIN: frozenset(range(11)),
    CheckinStep.MOOD: frozenset({-1, 1, 2, 3, 4, 5}),  # -1 for "skip"
    **{step: frozenset({0, 1}) for step in ALARM_STEPS},
    CheckinStep.NOTE: frozenset({0, 1}),
}
#: What ``Step.step`` says when the check-in now waits for a typed note (the entry stays at
#: its "note" step; the waiting itself is the user's dialogue state, ``Dialog.CHECKIN_NOTE``).
NOTE_TEXT = "note_text"


@dataclass(frozen=True)
class Week:
    """Today's bloating and pain beside the average of the week before (None: not comparable)."""

    first: bool
    bloating: tuple[int, float] | None = None
    pain: tuple[int, float] | None = None


@dataclass(frozen=True)
class Step:
    """Where a check-in stands after a command or a tap."""

    entry_id: int
    step: str | None
    resumed: bool = False
    stale: bool = False
    advice: str | None = None
    #: Set when the check-in was completed by this action.
    week: Week | None = None


def local_today(timezone: str | None) -> date:
    """Today in the user's time zone (UTC when unknown)."""
    try:
        zone = ZoneInfo(timezone) if timezone else ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


async def checkin_answers(session: Session, user: Any, entry: SymptomEntry) -> CheckinAnswers:
    """What this check-in has recorded so far, with how many days before it were loose too."""
    earlier = await entries_since(session=session, user=user, since=entry.day - timedelta(days=14))
    loose = {e.day for e in earlier if e.id != entry.id and (e.stool_form or 0) >= LOOSE_FROM}
    run = 0
    while entry.day - timedelta(days=run + 1) in loose:
        run += 1
    alarms = entry.alarms or {}
    return CheckinAnswers(
        stool_form=entry.stool_form,
        bowel_movements=entry.bowel_movements,
        pain=entry.pain,
        blood=alarms.get("blood"),
        black=alarms.get("black"),
        weight_loss=alarms.get("weight"),
        fever=alarms.get("fever"),
        note=entry.note,
        loose_days_before=run,
    )


def checkin_advice(before: CheckinAnswers, after: CheckinAnswers, user: Any) -> str | None:
    """The advice to send when an answer raised the check-in's tier (or added a note)."""
    facts = user_facts(user)
    old, new = triage_checkin(before, facts), triage_checkin(after, facts)
    if LEVELS.index(new.level) < LEVELS.index(old.level):
        return new.message
    if new.level == old.level and set(new.notes) - set(old.notes):
        return new.message
    return None


async def begin(db: Database, user: Any) -> Step:
    """Start today's check-in, or resume the unfinished one."""
    async with db.transaction() as session:
        entry = await open_entry(session=session, user=user, day=local_today(user.timezone))
        resumed = entry.step is not None
        if entry.step is None:
            entry.step = CheckinStep.STOOL_FORM
        await _set_dialog(session, user, None)  # a note it was waiting for is asked again
        return Step(entry.id, entry.step, resumed=resumed)


async def _set_dialog(session: Session, user: Any, dialog: Dialog | None) -> None:
    """Set or clear the check-in's note dialogue (another dialogue is left alone)."""
    stored = user if isinstance(user, User) else await session.get(User, user.id)
    if stored is None:
        return
    if dialog is not None or stored.dialog == Dialog.CHECKIN_NOTE:
        stored.dialog = dialog


def _next_step(entry: SymptomEntry, step: CheckinStep) -> CheckinStep | None:
    index = STEPS.index(step) + 1
    if step == CheckinStep.STOOL_FORM and entry.bowel_movements == 0:
        index += 1  # "no bowel movement today" already answered the count
    return STEPS[index] if index < len(STEPS) else None


def _apply(entry: SymptomEntry, step: CheckinStep, value: int) -> None:
    if step == CheckinStep.STOOL_FORM:
        entry.stool_form = value or None
        if value == 0:
            entry.bowel_movements = 0
    elif step == CheckinStep.BOWEL_MOVEMENTS:
        entry.bowel_movements = value
    elif step in {CheckinStep.BLOATING, CheckinStep.PAIN}:
        setattr(entry, step, value)
    elif step == CheckinStep.MOOD:
        entry.mood = None if value < 0 else value
    elif step in ALARM_STEPS:
        entry.alarms = {**(entry.alarms or {}), ALARM_STEPS[step]: bool(value)}


def _complete(entry: SymptomEntry) -> None:
    entry.status, entry.step, entry.completed_at = EntryStatus.COMPLETE, None, utcnow()


async def answer(db: Database, user: Any, entry_id: int, step_index: int, value: int) -> Step:
    """Save one answer; the advice when it raised the tier; the next step or the week's view."""
    if not 0 <= step_index < len(STEPS):
        return Step(entry_id, None, stale=True)
    step = STEPS[step_index]
    if value not in STEP_VALUES[step]:
        return Step(entry_id, None, stale=True)
    async with db.transaction() as session:
        entry = await get_entry(session=session, user=user, entry_id=entry_id)
        if entry is None or entry.status != EntryStatus.IN_PROGRESS or entry.step != step:
            return Step(entry_id, None, stale=True)
        before = await checkin_answers(session, user, entry) if step in ALARM_STEPS else None
        _apply(entry, step, value)
        advice = None
        if before is not None:
            # Only this alarm answer changed: no second read of the earlier check-ins.
            changed: dict[str, Any] = {ANSWER_FIELDS[step]: bool(value)}
            advice = checkin_advice(before, replace(before, **changed), user)
        following = _next_step(entry, step)
        if step == CheckinStep.NOTE and value == 1:
            await _set_dialog(session, user, Dialog.CHECKIN_NOTE)
            return Step(entry.id, NOTE_TEXT, advice=advice)
        elif following is None or step == CheckinStep.NOTE:
            _complete(entry)
            return Step(entry.id, None, advice=advice, week=await week_of(session, user, entry))
        else:
            entry.step = following
        return Step(entry.id, entry.step, advice=advice)


async def finish_without_note(db: Database, user: Any, entry_id: int) -> Step:
    """Complete a check-in that offered a note, without one."""
    async with db.transaction() as session:
        entry = await get_entry(session=session, user=user, entry_id=entry_id)
        if entry is None or entry.status != EntryStatus.IN_PROGRESS:
            return Step(entry_id, None, stale=True)
        _complete(entry)
        await _set_dialog(session, user, None)
        return Step(entry.id, None, week=await week_of(session, user, entry))


async def take_note(session: Session, user: User, note: str) -> Step | None:
    """Save typed text as the note of the check-in waiting for one (None: none waits)."""
    if user.dialog != Dialog.CHECKIN_NOTE:
        return None
    user.dialog = None
    entries = await entries_since(
        session=session,
        user=user,
        since=local_today(user.timezone) - timedelta(days=1),
        completed_only=False,
    )
    waiting = [
        e for e in entries if e.status == EntryStatus.IN_PROGRESS and e.step == CheckinStep.NOTE
    ]
    if not waiting:
        return None
    entry = waiting[-1]
    before = await checkin_answers(session, user, entry)
    entry.note = note[:2000]
    advice = checkin_advice(before, replace(before, note=entry.note), user)
    _complete(entry)
    return Step(entry.id, None, advice=advice, week=await week_of(session, user, entry))


async def week_of(session: Session, user: Any, entry: SymptomEntry) -> Week:
    """Today's bloating and pain against the average of the seven days before."""
    week = await entries_since(session=session, user=user, since=entry.day - timedelta(days=7))
    earlier = [e for e in week if e.id != entry.id]
    if not earlier:
        return Week(first=True)

    def compare(field: str) -> tuple[int, float] | None:
        values = [getattr(e, field) for e in earlier if getattr(e, field) is not None]
        today = getattr(entry, field)
        if not values or today is None:
            return None
        return today, sum(values) / len(values)

    return Week(first=False, bloating=compare("bloating"), pain=compare("pain"))


async def cancel(*, session: Session, user: User) -> bool:
    """Abandon unfinished check-ins and questionnaires (for /cancel)."""
    entries = await abandon_open_entries(session=session, user=user)
    responses = await abandon_open_responses(session=session, user=user)
    await _set_dialog(session, user, None)
    return bool(entries or responses)
