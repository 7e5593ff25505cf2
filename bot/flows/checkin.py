"""Symptom check-ins, questionnaires (IBS-SSS-style, PHQ-4), /progress and the doctor's export.

Handlers only read the tap, call one service (``bot.services``) and reply; the services save
every answer at once against the row and step it answers (so stale taps are harmless).
"""

from __future__ import annotations

import io
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction
from telegram.ext import BaseHandler

from bot.analysis_pool import JobFailed, PoolBusy, pool_of
from bot.callbacks import (
    CHECKIN,
    CHECKIN_NOTE_DONE,
    PROGRESS,
    QUESTIONNAIRE,
    QUESTIONNAIRE_START,
    CheckinTap,
    Choice,
    QuestionnaireTap,
    RowId,
)
from bot.charts import doctor_pdf, progress_png
from bot.flows.registry import Command, Flow
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.render.tracking import (
    completion_text,
    doctor_csv,
    doctor_pdf_data,
    export_summary,
    progress_chart_data,
    progress_text,
    score_text,
)
from bot.runtime import Context, database_of, settings_of
from bot.services import checkins, followups, progress, questionnaires
from bot.services.checkins import ALARM_STEPS, NOTE_TEXT, STEPS, CheckinStep, Step
from bot.services.doctor_export import doctor_export
from content.instruments import Item
from content.messages import text
from storage import Session
from storage.models import Dialog, User


def _row(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + width] for i in range(0, len(buttons), width)]


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


def _yes_no(pack: Any) -> InlineKeyboardMarkup:
    yes, no = text("checkin.buttons.yes"), text("checkin.buttons.no")
    return InlineKeyboardMarkup([[_button(yes, pack(1)), _button(no, pack(0))]])


def step_keyboard(entry_id: int, step: str) -> InlineKeyboardMarkup:
    """The answers for one check-in step."""

    def pack(value: int) -> str:
        return CHECKIN.pack(entry_id, STEPS.index(step), value)

    if step == CheckinStep.STOOL_FORM:
        rows = [[_button(text(f"checkin.bristol.{n}"), pack(n))] for n in range(1, 8)]
        rows.append([_button(text("checkin.buttons.no_bm"), pack(0))])
        return InlineKeyboardMarkup(rows)
    if step == CheckinStep.BOWEL_MOVEMENTS:
        labels = ["0", "1", "2", "3", "4", "5+"]
        return InlineKeyboardMarkup(_row([_button(v, pack(i)) for i, v in enumerate(labels)], 6))
    if step in {CheckinStep.BLOATING, CheckinStep.PAIN}:
        return InlineKeyboardMarkup(_row([_button(str(n), pack(n)) for n in range(11)], 6))
    if step == CheckinStep.MOOD:
        buttons = [_button(text(f"checkin.mood.{n}"), pack(n)) for n in range(1, 6)]
        return InlineKeyboardMarkup(
            [*_row(buttons, 3), [_button(text("checkin.buttons.skip"), pack(-1))]]
        )
    if step in ALARM_STEPS:
        return _yes_no(pack)
    return InlineKeyboardMarkup(
        [
            [
                _button(text("checkin.buttons.add_note"), pack(1)),
                _button(text("checkin.buttons.done"), pack(0)),
            ]
        ]
    )


def step_question(step: str) -> str:
    """The question text of a step (with the safety intro before the first alarm question)."""
    question = text(f"checkin.ask.{step}")
    if step == CheckinStep.ALARM_BLOOD:
        return f"{text('checkin.alarm_intro')}\n\n{question}"
    return question


# --- check-ins -------------------------------------------------------------------------------


@command()
async def begin_checkin(call: Call) -> None:
    """/checkin (and the reminder's "do it now"): start or resume today's check-in."""
    step = await checkins.begin(database_of(call.context), call.member)
    assert step.step is not None
    await call.message.reply_text(text("checkin.resumed" if step.resumed else "checkin.intro"))
    await call.message.reply_text(
        step_question(step.step), reply_markup=step_keyboard(step.entry_id, step.step)
    )


@button(CHECKIN, answer=False)
async def on_checkin_tap(tap: Tap[CheckinTap]) -> None:
    """One answer of a check-in."""
    entry_id, step_index, value = tap.data
    step = await checkins.answer(database_of(tap.context), tap.member, entry_id, step_index, value)
    await _after_step(tap, step)


async def _after_step(tap: Tap[Any], step: Step) -> None:
    if step.stale:
        await tap.query.answer(text("checkin.stale"))
        return
    await tap.query.answer(text("checkin.saved_step"))
    if step.advice is not None:
        await tap.message.reply_text(step.advice)
    if step.week is not None:
        await tap.query.edit_message_text(completion_text(step.week))
    elif step.step == NOTE_TEXT:
        done = _button(text("checkin.buttons.done"), CHECKIN_NOTE_DONE.pack(step.entry_id))
        await tap.query.edit_message_text(
            text("checkin.note_prompt"), reply_markup=InlineKeyboardMarkup([[done]])
        )
    elif step.step is not None:
        await tap.query.edit_message_text(
            step_question(step.step), reply_markup=step_keyboard(step.entry_id, step.step)
        )


@button(CHECKIN_NOTE_DONE, answer=False)
async def on_note_done(tap: Tap[RowId]) -> None:
    """Finish a check-in without a note after all."""
    step = await checkins.finish_without_note(database_of(tap.context), tap.member, tap.data.row)
    if step.stale or step.week is None:
        await tap.query.answer(text("checkin.stale"))
        return
    await tap.query.answer()
    await tap.query.edit_message_text(completion_text(step.week))


async def intercept_text(update: Update, context: Context, session: Session, user: User) -> bool:
    """Free text while a check-in waits for its note: save it (and triage it). True if consumed."""
    message = update.effective_message
    if message is None or message.text is None:
        return False
    step = await checkins.take_note(session, user, message.text)
    if step is None or step.week is None:
        return False
    if step.advice is not None:
        await message.reply_text(step.advice)
    await message.reply_text(f"{text('checkin.note_saved')}\n\n{completion_text(step.week)}")
    return True


# --- questionnaires --------------------------------------------------------------------------


def _question_keyboard(response_id: int, instrument: str, item: Item) -> InlineKeyboardMarkup:
    def pack(value: int) -> str:
        return QUESTIONNAIRE.pack(response_id, item.key, value)

    if instrument == "phq4":
        return InlineKeyboardMarkup(
            [[_button(text(f"checkin.q.phq_{v}"), pack(v))] for v in item.answers]
        )
    if item.answers == (1, 0):
        return _yes_no(pack)
    return InlineKeyboardMarkup(_row([_button(str(v), pack(v)) for v in item.answers], 6))


def _question_text(instrument: str, item: Item) -> str:
    question = text(f"checkin.q.{item.key}")
    if instrument == "phq4":
        return f"{text('checkin.q.phq4_intro')}\n\n{question}"
    return question


@command()
async def begin_questionnaire(call: Call) -> None:
    """/questionnaire (and the reminder's "do it now"): choose which one to fill in."""
    markup = InlineKeyboardMarkup(
        [
            [_button(text(f"checkin.buttons.{name}"), QUESTIONNAIRE_START.pack(name))]
            for name in questionnaires.INSTRUMENTS
        ]
    )
    await call.message.reply_text(text("checkin.q.choose"), reply_markup=markup)


@button(QUESTIONNAIRE_START)
async def on_questionnaire_start(tap: Tap[Choice]) -> None:
    """Start or resume the chosen questionnaire."""
    instrument = tap.data.value
    state = await questionnaires.start(database_of(tap.context), tap.member, instrument)
    if state.resumed:
        intro = text("checkin.q.resumed")
    elif instrument == "phq4":
        intro = text("checkin.q.phq4_source")
    else:
        intro = text(f"checkin.q.{instrument}_intro")
    await tap.message.reply_text(intro)
    if state.item is not None:
        await tap.message.reply_text(
            _question_text(instrument, state.item),
            reply_markup=_question_keyboard(state.response_id, instrument, state.item),
        )


@button(QUESTIONNAIRE, answer=False)
async def on_questionnaire_tap(tap: Tap[QuestionnaireTap]) -> None:
    """One answer of a questionnaire; the next question replaces it in the same message."""
    response_id, item_key, value = tap.data
    state = await questionnaires.answer(
        database_of(tap.context), tap.member, response_id, item_key, value
    )
    if state.stale:
        await tap.query.answer(text("checkin.stale"))
        return
    await tap.query.answer(text("checkin.saved_step"))
    if state.item is not None:
        await tap.query.edit_message_text(
            _question_text(state.instrument, state.item),
            reply_markup=_question_keyboard(state.response_id, state.instrument, state.item),
        )
        return
    assert state.score is not None
    await tap.query.edit_message_text(score_text(state.score))
    if state.score.crisis:
        await tap.message.reply_text(text("checkin.q.phq4_crisis"))


# --- progress, weekly summary, export --------------------------------------------------------


@command()
async def progress_command(call: Call) -> None:
    """/progress: choose a period."""
    weekly = await followups.weekly_summary_on(database_of(call.context), call.member)
    weekly_key = "checkin.buttons.weekly_off" if weekly else "checkin.buttons.weekly_on"
    markup = InlineKeyboardMarkup(
        [
            [
                _button(text("checkin.buttons.range_2w"), PROGRESS.pack("14")),
                _button(text("checkin.buttons.range_3m"), PROGRESS.pack("90")),
                _button(text("checkin.buttons.range_all"), PROGRESS.pack("0")),
            ],
            [_button(text(weekly_key), PROGRESS.pack("weekly"))],
        ]
    )
    await call.message.reply_text(text("checkin.progress.choose"), reply_markup=markup)


@button(PROGRESS)
async def on_progress(tap: Tap[Choice]) -> None:
    """A period was chosen (or the weekly summary toggled)."""
    if tap.data.value == "weekly":
        await _toggle_weekly(tap)
        return
    message, context = tap.message, tap.context
    summary = await progress.progress(
        database_of(context), tap.member, progress.RANGES[tap.data.value]
    )
    if summary is None:
        await message.reply_text(text("checkin.progress.empty"))
        return
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    settings = settings_of(context)
    try:
        chart = await pool_of(settings).run(progress_png, progress_chart_data(summary))
    except (PoolBusy, JobFailed):
        chart = None
    await message.reply_text(progress_text(summary))
    if chart is not None:
        await message.reply_photo(photo=chart, caption=text("checkin.progress.chart_caption"))


async def _toggle_weekly(tap: Tap[Choice]) -> None:
    weekly = await followups.toggle_weekly_summary(database_of(tap.context), tap.member)
    if weekly is not None:
        key = "checkin.progress.weekly_on" if weekly else "checkin.progress.weekly_off"
        await tap.message.reply_text(text(key))


@command()
async def export_csv(call: Call) -> None:
    """/export csv: a text summary, a one-page PDF for a GP and the full CSV table."""
    export = await doctor_export(database_of(call.context), call.member)
    if export is None:
        await call.message.reply_text(text("checkin.export.none"))
        return
    await call.message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    await call.message.reply_text(export_summary(export))
    today = checkins.local_today(call.member.timezone)
    try:
        page = await pool_of(settings_of(call.context)).run(
            doctor_pdf, doctor_pdf_data(export, today)
        )
    except (PoolBusy, JobFailed):
        page = None
    if page is not None:
        await call.message.reply_document(
            document=io.BytesIO(page),
            filename="gutbot-summary-for-doctor.pdf",
            caption=text("checkin.export.pdf_caption"),
        )
    await call.message.reply_document(
        document=io.BytesIO(doctor_csv(export)),
        filename="gutbot-symptoms-for-doctor.csv",
        caption=text("checkin.export.caption"),
    )
    if page is None:
        await call.message.reply_text(text("checkin.export.pdf_busy"))


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Check-in, questionnaire and progress handlers."""
    return [
        *button_handlers(
            on_checkin_tap, on_note_done, on_questionnaire_start, on_questionnaire_tap, on_progress
        )
    ]


FLOW = Flow(
    name="checkin",
    handlers=handlers,
    commands=(
        Command("checkin", "tracking", handler=begin_checkin),
        Command("questionnaire", "tracking", handler=begin_questionnaire),
        Command("progress", "tracking", handler=progress_command),
    ),
    text_hook=intercept_text,
    dialogs=(Dialog.CHECKIN_NOTE,),
    cancel_hook=checkins.cancel,
    actions={
        "checkin.begin": begin_checkin,
        "questionnaire.begin": begin_questionnaire,
        "doctor_export": export_csv,
    },
)
