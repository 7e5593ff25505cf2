"""Progress and the doctor's export without Telegram, from rows written here (both databases).

The expected figures are worked out by hand from the rows each test stores.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.consent import Member
from bot.render.tracking import progress_text
from bot.services import doctor_export, progress
from bot.services.checkins import local_today
from content.messages import text
from storage import Database
from storage.models import EntryStatus, QuestionnaireResponse, SymptomEntry
from storage.users import ensure_user, give_consent


async def _member(db: Database, telegram_id: int) -> Member:
    async with db.transaction() as session:
        user = await ensure_user(session=session, telegram_id=telegram_id)
        await give_consent(session=session, user=user)
        return Member.of(user)


async def _log(db: Database, member: Member, days_ago: int, **answers: object) -> None:
    day = local_today(None) - timedelta(days=days_ago)
    status = answers.pop("status", EntryStatus.COMPLETE)
    async with db.transaction() as session:
        session.add(
            SymptomEntry(
                user_id=member.id,
                day=day,
                status=status,
                alarms=answers.pop("alarms", {}),
                completed_at=datetime.combine(day, time(20), tzinfo=UTC),
                **answers,
            )
        )


async def _score(db: Database, member: Member, days_ago: int, total: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    async with db.transaction() as session:
        session.add(
            QuestionnaireResponse(
                user_id=member.id,
                instrument="ibs_sss",
                status=EntryStatus.COMPLETE,
                items={},
                total=total,
                completed_at=when,
            )
        )


async def test_nothing_logged_is_no_progress_and_no_export(db: Database) -> None:
    member = await _member(db, 111)
    assert await progress.progress(db, member, 14) is None
    assert await doctor_export.doctor_export(db, member) is None


async def test_two_weeks_of_check_ins_give_the_change_and_the_usual_stool(db: Database) -> None:
    member = await _member(db, 112)
    # First week (13-7 days ago): bloating 6, pain 4; last week (6-0 days ago): bloating 2, pain 3.
    for days_ago in range(13, 6, -1):
        await _log(db, member, days_ago, stool_form=6, bloating=6, pain=4)
    for days_ago in range(6, -1, -1):
        await _log(db, member, days_ago, stool_form=4, bloating=2, pain=3)
    await _log(db, member, 2, stool_form=4, status=EntryStatus.ABANDONED)  # not counted
    result = await progress.progress(db, member, 14)
    assert result is not None
    assert result.days_logged == 14
    assert result.bloating_change == -4.0 and result.pain_change == -1.0
    # Type 4 on 7 of 14 finished days, type 6 on the other 7: a tie, so no usual type.
    assert result.usual_stool is None and result.stool_types == (4, 6)
    assert text("checkin.progress.stool_mixed", types="4, 6") in progress_text(result)
    await _log(db, member, 0, stool_form=4)  # one more type 4: 8 of 15
    again = await progress.progress(db, member, 14)
    assert again is not None and again.usual_stool == (4, 100 * 8 / 15)
    assert result.alarms == ()


async def test_an_ibs_sss_rise_of_50_or_more_is_flagged(db: Database) -> None:
    member = await _member(db, 113)
    for days_ago, total in ((40, 220), (20, 150), (1, 230)):
        await _score(db, member, days_ago, total)
    result = await progress.progress(db, member, None)
    assert result is not None
    assert result.latest_scores == {"ibs_sss": 230}
    assert result.ibs_sss_rise == 80  # from the low of 150 to 230
    small = await _member(db, 114)
    for days_ago, total in ((20, 200), (1, 240)):
        await _score(db, small, days_ago, total)
    assert (await progress.progress(db, small, None)).ibs_sss_rise is None  # type: ignore[union-attr]


async def test_the_export_keeps_unfinished_check_ins_with_a_safety_answer(db: Database) -> None:
    member = await _member(db, 115)
    await _log(db, member, 3, stool_form=7, bowel_movements=5, bloating=3, pain=5, mood=2)
    await _log(db, member, 1, alarms={"blood": True, "black": False}, status=EntryStatus.ABANDONED)
    await _log(db, member, 0, note="finished amoxicillin 3 days ago", bloating=1, pain=1)
    export = await doctor_export.doctor_export(db, member)
    assert export is not None
    assert [d.finished for d in export.days] == [True, False, True]
    assert [d.alarms for d in export.alarm_days] == [("blood",)]
    assert export.days[1].answered == ("blood", "black")
    assert export.notes == [(local_today(None), "finished amoxicillin 3 days ago")]
    assert export.mean_bloating == 2.0 and export.mean_pain == 3.0
    assert export.bristol_counts == {7: 1}
    assert export.days_logged == 3
