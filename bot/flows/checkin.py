"""Symptom check-ins, questionnaires (IBS-SSS-style, PHQ-4), /progress and the doctor's export.

Every tap is saved at once and carries the id of the row it answers, so a restart, another
worker, a double tap or a button pressed days later never writes wrong data.
"""

from __future__ import annotations

import csv
import io
import logging
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.analysis_pool import PoolBusy, shared_pool
from bot.charts import progress_png
from bot.consent import consented_user, user_facts
from bot.runtime import Context, settings_of, unit_of_work
from content.instruments import (
    IBS_SSS_MEANINGFUL_CHANGE,
    ibs_sss_band,
    ibs_sss_total,
    next_item,
    phq4_score,
)
from content.messages import text
from content.triage import LEVELS, CheckinAnswers, triage_checkin
from content.triage.checkin import LOOSE_FROM
from storage import Session
from storage.models import QuestionnaireResponse, SymptomEntry, User, utcnow
from storage.questionnaires import (
    abandon_open_responses,
    completed,
    get_response,
    open_response,
)
from storage.samples import list_samples
from storage.symptoms import abandon_open_entries, entries_since, get_entry, open_entry

log = logging.getLogger("gutbot.checkin")

STEPS = (
    "stool_form",
    "bowel_movements",
    "bloating",
    "pain",
    "mood",
    "alarm_blood",
    "alarm_black",
    "alarm_weight",
    "alarm_fever",
    "note",
)
ALARM_STEPS = {
    "alarm_blood": "blood",
    "alarm_black": "black",
    "alarm_weight": "weight",
    "alarm_fever": "fever",
}
#: The CheckinAnswers field each alarm step answers.
ANSWER_FIELDS = {
    "alarm_blood": "blood",
    "alarm_black": "black",
    "alarm_weight": "weight_loss",
    "alarm_fever": "fever",
}
NOTE_TEXT = "note_text"
QUESTIONNAIRE_EVERY = timedelta(days=14)
RANGES = {"14": 14, "90": 90, "0": None}


# --- helpers ---------------------------------------------------------------------------------


def local_today(user: User) -> date:
    """Today in the user's time zone (UTC when unknown)."""
    try:
        zone = ZoneInfo(user.timezone) if user.timezone else ZoneInfo("UTC")
    except ZoneInfoNotFoundError:
        zone = ZoneInfo("UTC")
    return utcnow().astimezone(zone).date()


def _row(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def step_keyboard(entry_id: int, step: str) -> InlineKeyboardMarkup:
    """The answers for one check-in step; callback data ``ci:<entry>:<step>:<value>``."""
    prefix = f"ci:{entry_id}:{STEPS.index(step)}"
    if step == "stool_form":
        rows = [[_button(text(f"checkin.bristol.{n}"), f"{prefix}:{n}")] for n in range(1, 8)]
        rows.append([_button(text("checkin.buttons.no_bm"), f"{prefix}:0")])
        return InlineKeyboardMarkup(rows)
    if step == "bowel_movements":
        labels = ["0", "1", "2", "3", "4", "5+"]
        return InlineKeyboardMarkup(
            _row([_button(v, f"{prefix}:{i}") for i, v in enumerate(labels)], 6)
        )
    if step in {"bloating", "pain"}:
        return InlineKeyboardMarkup(_row([_button(str(n), f"{prefix}:{n}") for n in range(11)], 6))
    if step == "mood":
        buttons = [_button(text(f"checkin.mood.{n}"), f"{prefix}:{n}") for n in range(1, 6)]
        return InlineKeyboardMarkup(
            [*_row(buttons, 3), [_button(text("checkin.buttons.skip"), f"{prefix}:-1")]]
        )
    if step in ALARM_STEPS:
        return InlineKeyboardMarkup(
            [
                [
                    _button(text("checkin.buttons.yes"), f"{prefix}:1"),
                    _button(text("checkin.buttons.no"), f"{prefix}:0"),
                ]
            ]
        )
    return InlineKeyboardMarkup(
        [
            [
                _button(text("checkin.buttons.add_note"), f"{prefix}:1"),
                _button(text("checkin.buttons.done"), f"{prefix}:0"),
            ]
        ]
    )


def step_question(step: str) -> str:
    """The question text of a step (with the safety intro before the first alarm question)."""
    question = text(f"checkin.ask.{step}")
    if step == "alarm_blood":
        return f"{text('checkin.alarm_intro')}\n\n{question}"
    return question


async def checkin_answers(session: Session, user: User, entry: SymptomEntry) -> CheckinAnswers:
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


def checkin_advice(before: CheckinAnswers, after: CheckinAnswers, user: User) -> str | None:
    """The advice to send when an answer raised the check-in's tier (or added a note)."""
    facts = user_facts(user)
    old, new = triage_checkin(before, facts), triage_checkin(after, facts)
    if LEVELS.index(new.level) < LEVELS.index(old.level):
        return new.message
    if new.level == old.level and set(new.notes) - set(old.notes):
        return new.message
    return None


# --- check-ins -------------------------------------------------------------------------------


async def begin_checkin(update: Update, context: Context) -> None:
    """/checkin (and the reminder's "do it now"): start or resume today's check-in."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            return
        entry = await open_entry(session=session, user=user, day=local_today(user))
        resumed = entry.step is not None
        if entry.step is None or entry.step == NOTE_TEXT:
            entry.step = "stool_form" if entry.step is None else "note"
        step, entry_id = entry.step, entry.id
    await message.reply_text(text("checkin.resumed" if resumed else "checkin.intro"))
    await message.reply_text(step_question(step), reply_markup=step_keyboard(entry_id, step))


def _next_step(entry: SymptomEntry, step: str) -> str | None:
    index = STEPS.index(step) + 1
    if step == "stool_form" and entry.bowel_movements == 0:
        index += 1  # "no bowel movement today" already answered the count
    return STEPS[index] if index < len(STEPS) else None


def _apply(entry: SymptomEntry, step: str, value: int) -> None:
    if step == "stool_form":
        entry.stool_form = value or None
        if value == 0:
            entry.bowel_movements = 0
    elif step == "bowel_movements":
        entry.bowel_movements = value
    elif step in {"bloating", "pain"}:
        setattr(entry, step, value)
    elif step == "mood":
        entry.mood = None if value < 0 else value
    elif step in ALARM_STEPS:
        entry.alarms = {**(entry.alarms or {}), ALARM_STEPS[step]: bool(value)}


async def on_checkin_tap(update: Update, context: Context) -> None:
    """One answer of a check-in."""
    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    _, raw_entry, raw_step, raw_value = query.data.split(":")
    step_index, value = int(raw_step), int(raw_value)
    if not 0 <= step_index < len(STEPS):
        await query.answer(text("checkin.stale"))
        return
    step = STEPS[step_index]
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            await query.answer()
            return
        entry = await get_entry(session=session, user=user, entry_id=int(raw_entry))
        advice: str | None = None
        if entry is None or entry.status != "in_progress" or entry.step != step:
            stale = True
        else:
            stale = False
            before = await checkin_answers(session, user, entry) if step in ALARM_STEPS else None
            _apply(entry, step, value)
            if before is not None:
                # Only this alarm answer changed: no second read of the earlier check-ins.
                changed: dict[str, Any] = {ANSWER_FIELDS[step]: bool(value)}
                after = replace(before, **changed)
                advice = checkin_advice(before, after, user)
            following = _next_step(entry, step)
            if step == "note" and value == 1:
                entry.step = NOTE_TEXT
            elif following is None or step == "note":
                entry.status, entry.step, entry.completed_at = "complete", None, utcnow()
            else:
                entry.step = following
            new_step, entry_id, status = entry.step, entry.id, entry.status
            summary = await _completion_text(session, user, entry) if status == "complete" else None
    if stale:
        await query.answer(text("checkin.stale"))
        return
    await query.answer(text("checkin.saved_step"))
    if advice is not None:
        await message.reply_text(advice)
    if status == "complete":
        await query.edit_message_text(summary or text("checkin.done"))
    elif new_step == NOTE_TEXT:
        await query.edit_message_text(
            text("checkin.note_prompt"), reply_markup=_note_done(entry_id)
        )
    elif new_step is not None:
        await query.edit_message_text(
            step_question(new_step), reply_markup=step_keyboard(entry_id, new_step)
        )


def _note_done(entry_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(text("checkin.buttons.done"), f"cinote:{entry_id}")]])


async def on_note_done(update: Update, context: Context) -> None:
    """Finish a check-in without a note after all."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    entry_id = int(query.data.split(":")[1])
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            await query.answer()
            return
        entry = await get_entry(session=session, user=user, entry_id=entry_id)
        if entry is None or entry.status != "in_progress":
            await query.answer(text("checkin.stale"))
            return
        entry.status, entry.step, entry.completed_at = "complete", None, utcnow()
        summary = await _completion_text(session, user, entry)
    await query.answer()
    await query.edit_message_text(summary)


async def intercept_text(update: Update, context: Context, session: Session, user: User) -> bool:
    """Free text while a check-in waits for its note: save it (and triage it). True if consumed."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    entries = await entries_since(
        session=session,
        user=user,
        since=local_today(user) - timedelta(days=1),
        completed_only=False,
    )
    waiting = [e for e in entries if e.status == "in_progress" and e.step == NOTE_TEXT]
    if not waiting:
        return False
    entry = waiting[-1]
    before = await checkin_answers(session, user, entry)
    entry.note = message.text[:2000]
    advice = checkin_advice(before, replace(before, note=entry.note), user)
    entry.status, entry.step, entry.completed_at = "complete", None, utcnow()
    summary = await _completion_text(session, user, entry)
    if advice is not None:
        await message.reply_text(advice)
    await message.reply_text(f"{text('checkin.note_saved')}\n\n{summary}")
    return True


async def _completion_text(session: Session, user: User, entry: SymptomEntry) -> str:
    week = await entries_since(session=session, user=user, since=entry.day - timedelta(days=7))
    earlier = [e for e in week if e.id != entry.id]
    if not earlier:
        return f"{text('checkin.done')}\n{text('checkin.compare_first')}"

    def compare(field: str) -> str:
        values = [getattr(e, field) for e in earlier if getattr(e, field) is not None]
        today = getattr(entry, field)
        if not values or today is None:
            return "-"
        average = text("checkin.avg", value=sum(values) / len(values))
        return text("checkin.today_vs", today=today, avg=average)

    return f"{text('checkin.done')}\n" + text(
        "checkin.compare_week", bloating=compare("bloating"), pain=compare("pain")
    )


# --- questionnaires --------------------------------------------------------------------------


def _question_keyboard(
    response_id: int, instrument: str, item_key: str, answers: tuple[int, ...]
) -> InlineKeyboardMarkup:
    prefix = f"qn:{response_id}:{item_key}"
    if instrument == "phq4":
        return InlineKeyboardMarkup(
            [[_button(text(f"checkin.q.phq_{v}"), f"{prefix}:{v}")] for v in answers]
        )
    if answers == (1, 0):
        return InlineKeyboardMarkup(
            [
                [
                    _button(text("checkin.buttons.yes"), f"{prefix}:1"),
                    _button(text("checkin.buttons.no"), f"{prefix}:0"),
                ]
            ]
        )
    return InlineKeyboardMarkup(_row([_button(str(v), f"{prefix}:{v}") for v in answers], 6))


def _question_text(instrument: str, item_key: str) -> str:
    question = text(f"checkin.q.{item_key}")
    if instrument == "phq4":
        return f"{text('checkin.q.phq4_intro')}\n\n{question}"
    return question


async def begin_questionnaire(update: Update, context: Context) -> None:
    """/questionnaire (and the reminder's "do it now"): choose which one to fill in."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        if await consented_user(session=session, update=update) is None:
            return
    markup = InlineKeyboardMarkup(
        [
            [_button(text("checkin.buttons.ibs_sss"), "qstart:ibs_sss")],
            [_button(text("checkin.buttons.phq4"), "qstart:phq4")],
        ]
    )
    await message.reply_text(text("checkin.q.choose"), reply_markup=markup)


async def on_questionnaire_start(update: Update, context: Context) -> None:
    """Start or resume the chosen questionnaire."""
    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    instrument = query.data.split(":")[1]
    if instrument not in {"ibs_sss", "phq4"}:
        await query.answer(text("checkin.stale"))
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            await query.answer()
            return
        response = await open_response(session=session, user=user, instrument=instrument)
        answers = dict(response.items or {})
        item = next_item(instrument, answers)
        response_id = response.id
    await query.answer()
    intro = text("checkin.q.resumed") if answers else text(f"checkin.q.{instrument}_intro")
    if instrument == "phq4" and not answers:
        intro = text("checkin.q.phq4_source")
    await message.reply_text(intro)
    if item is not None:
        await message.reply_text(
            _question_text(instrument, item.key),
            reply_markup=_question_keyboard(response_id, instrument, item.key, item.answers),
        )


async def on_questionnaire_tap(update: Update, context: Context) -> None:
    """One answer of a questionnaire; the next question replaces it in the same message."""
    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    _, raw_id, item_key, raw_value = query.data.split(":")
    value = int(raw_value)
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            await query.answer()
            return
        response = await get_response(session=session, user=user, response_id=int(raw_id))
        expected = (
            next_item(response.instrument, dict(response.items or {}))
            if response is not None and response.status == "in_progress"
            else None
        )
        if (
            response is None
            or expected is None
            or expected.key != item_key
            or value not in expected.answers
        ):
            await query.answer(text("checkin.stale"))
            return
        answers = {**(response.items or {}), item_key: value}
        response.items = answers
        instrument = response.instrument
        following = next_item(instrument, answers)
        result_text = None
        crisis = False
        if following is None:
            result_text, crisis = await _finish_questionnaire(session, user, response, answers)
        response_id = response.id
    await query.answer(text("checkin.saved_step"))
    if following is not None:
        await query.edit_message_text(
            _question_text(instrument, following.key),
            reply_markup=_question_keyboard(
                response_id, instrument, following.key, following.answers
            ),
        )
        return
    await query.edit_message_text(result_text or "")
    if crisis:
        await message.reply_text(text("checkin.q.phq4_crisis"))


async def _finish_questionnaire(
    session: Session, user: User, response: QuestionnaireResponse, answers: dict[str, int]
) -> tuple[str, bool]:
    from storage.reminders import ReminderQueue

    response.status, response.completed_at = "complete", utcnow()
    crisis = False
    if response.instrument == "ibs_sss":
        total = ibs_sss_total(answers)
        response.total = total
        lines = [
            text(
                "checkin.q.ibs_sss_result",
                total=total,
                band=text(f"checkin.band.{ibs_sss_band(total)}"),
            )
        ]
        earlier = [
            r
            for r in await completed(session=session, user=user, instrument="ibs_sss")
            if r.id != response.id
        ]
        if earlier and earlier[-1].total is not None and earlier[-1].completed_at is not None:
            change = total - earlier[-1].total
            lines.append(
                text(
                    "checkin.q.ibs_sss_change",
                    change=change,
                    date=earlier[-1].completed_at.strftime("%d %B %Y"),
                )
            )
            if change >= IBS_SSS_MEANINGFUL_CHANGE:
                lines.append(text("checkin.q.ibs_sss_rise"))
    else:
        result = phq4_score(answers)
        response.total = result.total
        lines = [
            text(
                "checkin.q.phq4_result",
                total=result.total,
                band=text(f"checkin.band.{result.band}"),
            )
        ]
        if result.anxiety_positive or result.depression_positive:
            lines.append(text("checkin.q.phq4_positive"))
            crisis = answers.get("down", 0) >= 2
    due = utcnow() + QUESTIONNAIRE_EVERY
    await ReminderQueue.add_in(
        session,
        user_id=user.id,
        kind="questionnaire",
        due_at=due,
        payload={"instrument": response.instrument},
        idempotency_key=f"questionnaire:{user.id}:{response.instrument}:{response.id}",
    )
    lines.append(text("checkin.q.next_due"))
    return "\n\n".join(lines), crisis


# --- progress, weekly summary, export --------------------------------------------------------


async def progress_command(update: Update, context: Context) -> None:
    """/progress: choose a period."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            return
        weekly = user.weekly_summary
    markup = InlineKeyboardMarkup(
        [
            [
                _button(text("checkin.buttons.range_2w"), "pg:14"),
                _button(text("checkin.buttons.range_3m"), "pg:90"),
                _button(text("checkin.buttons.range_all"), "pg:0"),
            ],
            [
                _button(
                    text("checkin.buttons.weekly_off" if weekly else "checkin.buttons.weekly_on"),
                    "pg:weekly",
                )
            ],
        ]
    )
    await message.reply_text(text("checkin.progress.choose"), reply_markup=markup)


def _fmt_delta(first: list[int], last: list[int]) -> str:
    if not first or not last:
        return text("checkin.progress.same")
    delta = sum(last) / len(last) - sum(first) / len(first)
    if abs(delta) < 0.5:
        return text("checkin.progress.same")
    key = "checkin.progress.worse" if delta > 0 else "checkin.progress.better"
    return text(key, delta=abs(delta))


async def progress_summary(
    session: Session, user: User, days: int | None
) -> tuple[str, dict[str, Any]] | None:
    """The text summary and chart data for a period (None when nothing was logged)."""
    today = local_today(user)
    since = None if days is None else today - timedelta(days=days)
    entries = await entries_since(session=session, user=user, since=since)
    scores = [
        r
        for r in await completed(session=session, user=user)
        if r.completed_at is not None and (since is None or r.completed_at.date() >= since)
    ]
    samples = [
        s
        for s in await list_samples(session=session, user=user)
        if since is None or s.created_at.date() >= since
    ]
    if not entries and not scores and not samples:
        return None
    start = since or min(
        [e.day for e in entries]
        + [r.completed_at.date() for r in scores if r.completed_at]
        + [s.created_at.date() for s in samples]
    )
    lines = [
        text(
            "checkin.progress.title",
            start=start.strftime("%d %b %Y"),
            end=today.strftime("%d %b %Y"),
        )
    ]
    lines.append(text("checkin.progress.days_logged", days=len({e.day for e in entries})))
    if entries:
        first_week = [e for e in entries if e.day < entries[0].day + timedelta(days=7)]
        last_week = [e for e in entries if e.day > entries[-1].day - timedelta(days=7)]
        if entries[-1].day - entries[0].day >= timedelta(days=7):
            lines.append(
                text(
                    "checkin.progress.change",
                    bloating=_fmt_delta(
                        [e.bloating for e in first_week if e.bloating is not None],
                        [e.bloating for e in last_week if e.bloating is not None],
                    ),
                    pain=_fmt_delta(
                        [e.pain for e in first_week if e.pain is not None],
                        [e.pain for e in last_week if e.pain is not None],
                    ),
                )
            )
        forms = Counter(e.stool_form for e in entries if e.stool_form)
        if forms:
            bristol, count = forms.most_common(1)[0]
            lines.append(
                text(
                    "checkin.progress.stool",
                    bristol=bristol,
                    share=100 * count / sum(forms.values()),
                )
            )
    latest: dict[str, QuestionnaireResponse] = {}
    for response in scores:
        latest[response.instrument] = response
    if latest:
        parts = [f"{text(f'checkin.buttons.{name}')}: {r.total}" for name, r in latest.items()]
        lines.append(text("checkin.progress.questionnaires", scores="; ".join(parts)))
    if samples:
        lines.append(text("checkin.progress.tests", count=len(samples)))
    attention: list[str] = []
    alarms = sorted({k for e in entries for k, v in (e.alarms or {}).items() if v is True})
    if alarms:
        attention.append(text("checkin.progress.attention_alarm", which=", ".join(alarms)))
    ibs = [r.total for r in scores if r.instrument == "ibs_sss" and r.total is not None]
    if (
        len(ibs) >= 2
        and max(ibs[i] - min(ibs[:i]) for i in range(1, len(ibs))) >= IBS_SSS_MEANINGFUL_CHANGE
    ):
        rise = max(ibs[i] - min(ibs[:i]) for i in range(1, len(ibs)))
        attention.append(text("checkin.progress.attention_rise", points=rise))
    if attention:
        lines.append(text("checkin.progress.attention", items="; ".join(attention)))
    chart = {
        "days": [(e.day.isoformat(), e.stool_form, e.bloating, e.pain) for e in entries],
        "scores": [
            (r.completed_at.date().isoformat(), r.instrument, r.total)
            for r in scores
            if r.completed_at and r.total is not None
        ],
        "tests": [
            (s.created_at.date().isoformat(), f"test {i + 1}")
            for i, s in enumerate(reversed(samples))
        ],
        "title": lines[0],
        "labels": {
            key: text(f"checkin.chart.{key}")
            for key in (
                "typical",
                "stool_form",
                "bristol_axis",
                "bloating",
                "pain",
                "scale_axis",
                "ibs_sss",
                "phq4",
                "score_axis",
                "date_axis",
                "empty",
            )
        },
    }
    return "\n".join(lines), chart


async def on_progress(update: Update, context: Context) -> None:
    """A period was chosen (or the weekly summary toggled)."""
    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    choice = query.data.split(":")[1]
    await query.answer()
    if choice == "weekly":
        await _toggle_weekly(update, context)
        return
    if choice not in RANGES:
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            return
        summary = await progress_summary(session, user, RANGES[choice])
    if summary is None:
        await message.reply_text(text("checkin.progress.empty"))
        return
    body, chart_data = summary
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    settings = settings_of(context)
    try:
        chart = await shared_pool(settings.analysis_workers, settings.analysis_queue_limit).run(
            progress_png, chart_data
        )
    except PoolBusy:
        chart = None
    await message.reply_text(body)
    if chart is not None:
        await message.reply_photo(photo=chart, caption=text("checkin.progress.chart_caption"))


async def _toggle_weekly(update: Update, context: Context) -> None:
    from storage.reminders import ReminderQueue

    message = update.effective_message
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            return
        user.weekly_summary = not user.weekly_summary
        if user.weekly_summary:
            due = utcnow() + timedelta(days=7)
            await ReminderQueue.add_in(
                session,
                user_id=user.id,
                kind="weekly_summary",
                due_at=due,
                payload=None,
                idempotency_key=f"weekly_summary:{user.id}:{due.date().isoformat()}",
            )
            reply = text("checkin.progress.weekly_on")
        else:
            await ReminderQueue.cancel_kinds_in(session, user_id=user.id, kinds=("weekly_summary",))
            reply = text("checkin.progress.weekly_off")
    if message is not None:
        await message.reply_text(reply)


async def weekly_summary_text(*, session: Session, user: User) -> str:
    """The weekly summary message (sent by the reminders engine)."""
    summary = await progress_summary(session, user, 7)
    if summary is None:
        return f"{text('checkin.progress.weekly_title')}\n\n{text('checkin.progress.empty')}"
    return f"{text('checkin.progress.weekly_title')}\n\n{summary[0]}"


async def export_csv(update: Update, context: Context) -> None:
    """/export csv: a clinician-friendly CSV and a short text summary."""
    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await consented_user(session=session, update=update)
        if user is None:
            return
        entries = await entries_since(session=session, user=user, since=None)
        scores = await completed(session=session, user=user)
        samples = await list_samples(session=session, user=user)
    if not entries and not scores and not samples:
        await message.reply_text(text("checkin.export.none"))
        return
    await message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "date",
            "record",
            "bristol_type",
            "bowel_movements",
            "bloating_0_10",
            "pain_0_10",
            "mood_1_5",
            "blood",
            "black_stool",
            "weight_loss",
            "fever",
            "score",
            "details",
        ]
    )
    for e in entries:
        alarms = e.alarms or {}
        writer.writerow(
            [
                e.day.isoformat(),
                "check-in",
                e.stool_form or "",
                "" if e.bowel_movements is None else e.bowel_movements,
                "" if e.bloating is None else e.bloating,
                "" if e.pain is None else e.pain,
                e.mood or "",
                *(_yn(alarms.get(k)) for k in ("blood", "black", "weight", "fever")),
                "",
                e.note or "",
            ]
        )
    for r in scores:
        when = r.completed_at.date().isoformat() if r.completed_at else ""
        name = "IBS-SSS-style" if r.instrument == "ibs_sss" else "PHQ-4"
        writer.writerow([when, name, "", "", "", "", "", "", "", "", "", r.total, ""])
    for s in reversed(samples):
        sample = s.report["samples"][0]
        writer.writerow(
            [
                s.created_at.date().isoformat(),
                "microbiome test",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                f"Shannon {sample['alpha']['shannon']:.2f}",
                s.report.get("format", ""),
            ]
        )
    dates = (
        [e.day for e in entries]
        + [r.completed_at.date() for r in scores if r.completed_at]
        + [s.created_at.date() for s in samples]
    )
    forms = Counter(e.stool_form for e in entries if e.stool_form)
    distribution = ", ".join(f"type {k}: {v}" for k, v in sorted(forms.items())) or "-"
    bloat = [e.bloating for e in entries if e.bloating is not None]
    pain = [e.pain for e in entries if e.pain is not None]
    lines = [
        text(
            "checkin.export.summary_title",
            start=min(dates).strftime("%d %b %Y"),
            end=max(dates).strftime("%d %b %Y"),
        ),
        text("checkin.export.bristol", distribution=distribution),
        text(
            "checkin.export.averages",
            bloating=_mean(bloat),
            pain=_mean(pain),
            days=len({e.day for e in entries}),
        ),
    ]
    for instrument, name in (("ibs_sss", "IBS-SSS-style"), ("phq4", "PHQ-4")):
        values = [
            f"{r.total} ({r.completed_at:%d %b})"
            for r in scores
            if r.instrument == instrument and r.completed_at
        ]
        if values:
            lines.append(text("checkin.export.scores", name=name, values=", ".join(values)))
    if samples:
        tests = ", ".join(
            f"{s.created_at:%d %b %Y} (Shannon {s.report['samples'][0]['alpha']['shannon']:.2f})"
            for s in reversed(samples)
        )
        lines.append(text("checkin.export.tests", tests=tests))
    await message.reply_text("\n".join(lines))
    await message.reply_document(
        document=io.BytesIO(buffer.getvalue().encode("utf-8")),
        filename="gutbot-symptoms-for-doctor.csv",
        caption=text("checkin.export.caption"),
    )


def _yn(value: object) -> str:
    return "yes" if value is True else ("no" if value is False else "")


def _mean(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "-"


async def on_cancel(*, session: Session, user: User) -> bool:
    """Abandon unfinished check-ins and questionnaires."""
    entries = await abandon_open_entries(session=session, user=user)
    responses = await abandon_open_responses(session=session, user=user)
    return bool(entries or responses)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Check-in, questionnaire and progress handlers."""
    return [
        CommandHandler("checkin", begin_checkin),
        CommandHandler("questionnaire", begin_questionnaire),
        CommandHandler("progress", progress_command),
        CallbackQueryHandler(on_checkin_tap, pattern=r"^ci:\d+:\d+:-?\d+$"),
        CallbackQueryHandler(on_note_done, pattern=r"^cinote:\d+$"),
        CallbackQueryHandler(on_questionnaire_start, pattern=r"^qstart:\w+$"),
        CallbackQueryHandler(on_questionnaire_tap, pattern=r"^qn:\d+:\w+:\d+$"),
        CallbackQueryHandler(on_progress, pattern=r"^pg:(14|90|0|weekly)$"),
    ]


def commands() -> list[tuple[str, str]]:
    """Menu entries."""
    return [
        ("checkin", text("menu.checkin")),
        ("questionnaire", text("menu.questionnaire")),
        ("progress", text("menu.progress")),
    ]
