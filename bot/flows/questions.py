"""Free-text questions: triage first, then a cited answer; /topics to browse, /sources to cite."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.consent import user_facts, user_for_update
from bot.runtime import Context, unit_of_work
from content.messages import text
from storage import Session
from storage.database import commit_without_disk_wait
from storage.models import User
from storage.samples import list_samples
from storage.symptoms import recent_entries

log = logging.getLogger("gutbot.questions")

LAST_TOPIC_KEY = "gutbot.last_topic"


async def answer_context(session: Session, user: User) -> Any:
    """What this user's own data says, for personalising an answer (consented users only)."""
    from analysis.model import Finding
    from content import AnswerContext

    samples = await list_samples(session=session, user=user, limit=1)
    entries = await recent_entries(session=session, user=user, days=7)
    findings: list[Finding] = []
    report_date = None
    method = None
    shannon = None
    shannon_percentile = None
    if samples:
        latest = samples[0]
        sample = latest.report["samples"][0]
        findings = [Finding.model_validate(f) for f in sample.get("findings", [])]
        report_date = latest.created_at
        method = latest.report.get("method")
        shannon = sample["alpha"]["shannon"]
        shannon_percentile = sample.get("percentiles", {}).get("shannon")
    bloating = [e.bloating for e in entries if e.bloating is not None]
    pain = [e.pain for e in entries if e.pain is not None]
    forms = [e.stool_form for e in entries if e.stool_form is not None]
    return AnswerContext(
        findings=findings,
        report_date=report_date,
        method=method,
        shannon=shannon,
        shannon_percentile=shannon_percentile,
        mean_bloating=sum(bloating) / len(bloating) if bloating else None,
        mean_pain=sum(pain) / len(pain) if pain else None,
        bristol_types=forms,
        user=user_facts(user),
    )


def topic_buttons(topic_ids: list[str]) -> list[list[InlineKeyboardButton]]:
    """One button per topic (its title)."""
    from content import get_topic

    return [
        [InlineKeyboardButton(get_topic(t).title[:60], callback_data=f"topic:{t}")]
        for t in topic_ids
    ]


async def on_text(update: Update, context: Context) -> None:
    """Free text: a dialogue that waits for text takes it; otherwise triage and answer."""
    from bot.app import text_hooks
    from content import answer

    message = update.effective_message
    if message is None or message.text is None:
        return
    # One transaction per question. Answering takes milliseconds, so no "typing" action is sent;
    # the reply is the progress.
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        ctx = None
        if user.has_consent:
            for hook in text_hooks():
                if await hook(update, context, session, user):
                    return
            ctx = await answer_context(session, user)
        result = answer(message.text, ctx)
        if result.topic is not None:
            _remember_topic_of(user, context, result.topic)
        await _commit_topic_without_disk_wait(session)
    # Any tier above routine sends its own message first, naming the reason; an emergency stops
    # there, anything else still gets the rest of the question answered.
    # A routine message can still carry a note (red stool after beetroot, dark stool on iron).
    first = result.triage.level != "routine" or result.triage.language == "en"
    if first and result.triage.message:
        await message.reply_text(result.triage.message)
    if result.triage.level == "emergency" or not result.text:
        return
    await _send_answer(message, result)


async def _send_answer(message: Message, result: Any) -> None:
    rows: list[list[InlineKeyboardButton]] = []
    if result.topic is None and result.suggestions:
        rows = topic_buttons(list(result.suggestions)[:3])
    elif result.topic is not None:
        rows = topic_buttons(list(result.related)[:3])
        rows.append(
            [
                InlineKeyboardButton(
                    text("browse.sources_button"), callback_data=f"src:{result.topic}"
                )
            ]
        )
    await message.reply_text(result.text, reply_markup=InlineKeyboardMarkup(rows) if rows else None)


async def _commit_topic_without_disk_wait(session: Session) -> None:
    # Only the last topic, or a new user's bare row, is written by a question: if anything is.
    if session.new or session.dirty:
        await commit_without_disk_wait(session)


def _remember_topic_of(user: User, context: Context, topic_id: str) -> None:
    # Which topic a user asked about is kept only with consent; otherwise in this worker's memory.
    if user.has_consent:
        user.last_topic = topic_id
    elif context.user_data is not None:
        context.user_data[LAST_TOPIC_KEY] = topic_id


async def on_topic(update: Update, context: Context) -> None:
    """A topic button: its short answer, personalised when the user's data bears on it."""
    from content import answer_topic

    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    await query.answer()
    topic_id = query.data.split(":", 1)[1]
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        ctx = await answer_context(session, user) if user.has_consent else None
        try:
            result = answer_topic(topic_id, ctx)
        except KeyError:
            result = None
        else:
            _remember_topic_of(user, context, topic_id)
            await _commit_topic_without_disk_wait(session)
    if result is None:
        await message.reply_text(text("common.stale_button"))
        return
    rows = topic_buttons(list(result.related)[:3])
    rows.insert(
        0, [InlineKeyboardButton(text("browse.more_button"), callback_data=f"more:{topic_id}")]
    )
    rows.append(
        [InlineKeyboardButton(text("browse.sources_button"), callback_data=f"src:{topic_id}")]
    )
    await message.reply_text(result.text, reply_markup=InlineKeyboardMarkup(rows))


async def on_more(update: Update, context: Context) -> None:
    """The longer explanation of a topic with its key points and evidence levels."""
    from content import get_topic, long_text

    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    await query.answer()
    topic_id = query.data.split(":", 1)[1]
    try:
        get_topic(topic_id)
    except KeyError:
        await message.reply_text(text("common.stale_button"))
        return
    await message.reply_text(long_text(topic_id))


async def on_sources(update: Update, context: Context) -> None:
    """src:<topic> button: the full citations of a topic."""
    from content import citations_text

    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    await query.answer()
    try:
        await message.reply_text(citations_text(query.data.split(":", 1)[1]))
    except KeyError:
        await message.reply_text(text("common.stale_button"))


async def sources_command(update: Update, context: Context) -> None:
    """/sources: full citations of the last answer."""
    from content import citations_text

    message = update.effective_message
    if message is None:
        return
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        topic_id = user.last_topic if user.has_consent else None
    if topic_id is None and context.user_data is not None:
        topic_id = context.user_data.get(LAST_TOPIC_KEY)
    if topic_id is None:
        await message.reply_text(text("browse.no_sources"))
        return
    await message.reply_text(citations_text(topic_id))


async def topics_command(update: Update, context: Context) -> None:
    """/topics: browse the content by area."""
    from content import areas

    message = update.effective_message
    if message is None:
        return
    rows = [
        [InlineKeyboardButton(text(f"browse.area.{area}"), callback_data=f"area:{area}")]
        for area in areas()
    ]
    await message.reply_text(text("browse.topics_title"), reply_markup=InlineKeyboardMarkup(rows))


async def on_area(update: Update, context: Context) -> None:
    """area:<name>: the topics of one area."""
    from content import topics_in_area

    query = update.callback_query
    message = update.effective_message
    if query is None or message is None or query.data is None:
        return
    await query.answer()
    area = query.data.split(":", 1)[1]
    ids = [t.id for t in topics_in_area(area)]
    if not ids:
        await message.reply_text(text("common.stale_button"))
        return
    await message.reply_text(
        text(f"browse.area.{area}"), reply_markup=InlineKeyboardMarkup(topic_buttons(ids))
    )


async def on_startup(application: Any) -> None:
    """Build the topic index, the embedding model and triage before the first question arrives."""
    from content.retrieval import default_retriever
    from content.triage import warm_up

    await asyncio.to_thread(default_retriever)
    await asyncio.to_thread(warm_up)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Free text, topic browsing and sources."""
    return [
        CommandHandler("topics", topics_command),
        CommandHandler("sources", sources_command),
        CallbackQueryHandler(on_topic, pattern=r"^topic:[\w.]+$"),
        CallbackQueryHandler(on_more, pattern=r"^more:[\w.]+$"),
        CallbackQueryHandler(on_sources, pattern=r"^src:[\w.]+$"),
        CallbackQueryHandler(on_area, pattern=r"^area:\w+$"),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
    ]


def commands() -> list[tuple[str, str]]:
    """Menu entries."""
    return [("topics", text("menu.topics")), ("sources", text("menu.sources"))]
