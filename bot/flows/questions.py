"""Free-text questions: triage first, then a cited answer; /topics to browse, /sources to cite."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot.callbacks import AREA, MORE, SOURCES, TOPIC, Choice, TopicRef
from bot.consent import user_for_update
from bot.flows.registry import Command, Flow, registry_of
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.runtime import Context, database_of, unit_of_work
from bot.services import answers
from bot.services.answers import answer_context, save_quietly
from content.messages import text
from storage.models import User

log = logging.getLogger("gutbot.questions")

LAST_TOPIC_KEY = "gutbot.last_topic"
#: Telegram's longest message: a longer text (only a forged webhook body has one) is read this far.
MAX_QUESTION_CHARS = 4096
#: From this length a question is answered in a thread: the rules take up to about a second of CPU
#: on 4,096 characters, and the event loop (other chats, /healthz) keeps its turns meanwhile.
OFF_LOOP_FROM_CHARS = 600


def topic_buttons(topic_ids: list[str]) -> list[list[InlineKeyboardButton]]:
    """One button per topic (its title)."""
    from content import get_topic

    return [
        [InlineKeyboardButton(get_topic(t).title[:60], callback_data=TOPIC.pack(t))]
        for t in topic_ids
    ]


async def _answered(question: str, ctx: Any) -> Any:
    from content import answer

    question = question[:MAX_QUESTION_CHARS]
    if len(question) < OFF_LOOP_FROM_CHARS:
        return answer(question, ctx)
    return await asyncio.to_thread(answer, question, ctx)


async def on_text(update: Update, context: Context) -> None:
    """Free text: a dialogue that waits for text takes it; otherwise triage and answer."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    # One transaction per question. Answering takes milliseconds, so no "typing" action is sent;
    # the reply is the progress.
    async with unit_of_work(context) as session:
        user = await user_for_update(session=session, update=update)
        ctx = None
        if user.has_consent:
            hook = registry_of(context).text_hook_for(user.dialog)
            if hook is not None and await hook(update, context, session, user):
                return
            ctx = await answer_context(session, user)
        result = await _answered(message.text, ctx)
        if result.topic is not None:
            _remember_topic_of(user, context, result.topic)
        await save_quietly(session)
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
        # The answer promises "Tell me more" and "Sources": both buttons are there.
        rows = [
            [
                InlineKeyboardButton(
                    text("browse.more_button"), callback_data=MORE.pack(result.topic)
                )
            ],
            *topic_buttons(list(result.related)[:3]),
            [
                InlineKeyboardButton(
                    text("browse.sources_button"), callback_data=SOURCES.pack(result.topic)
                )
            ],
        ]
    await message.reply_text(result.text, reply_markup=InlineKeyboardMarkup(rows) if rows else None)


def _remember_topic_of(user: User, context: Context, topic_id: str) -> None:
    # Which topic a user asked about is kept only with consent; otherwise in this worker's memory.
    if user.has_consent:
        user.last_topic = topic_id
    elif context.user_data is not None:
        context.user_data[LAST_TOPIC_KEY] = topic_id


@button(TOPIC, consent=False)
async def on_topic(tap: Tap[TopicRef]) -> None:
    """A topic button: its short answer, personalised when the user's data bears on it."""
    message, context, topic_id = tap.message, tap.context, tap.data.topic
    result = await answers.topic(database_of(context), tap.member, topic_id)
    if result is not None and not tap.member.has_consent and context.user_data is not None:
        context.user_data[LAST_TOPIC_KEY] = topic_id  # this worker's memory only
    if result is None:
        await message.reply_text(text("common.stale_button"))
        return
    rows = topic_buttons(list(result.related)[:3])
    rows.insert(
        0, [InlineKeyboardButton(text("browse.more_button"), callback_data=MORE.pack(topic_id))]
    )
    rows.append(
        [InlineKeyboardButton(text("browse.sources_button"), callback_data=SOURCES.pack(topic_id))]
    )
    await message.reply_text(result.text, reply_markup=InlineKeyboardMarkup(rows))


@button(MORE, consent=False)
async def on_more(tap: Tap[TopicRef]) -> None:
    """The longer explanation of a topic with its key points and evidence levels."""
    from content import get_topic, long_text

    message, topic_id = tap.message, tap.data.topic
    try:
        get_topic(topic_id)
    except KeyError:
        await message.reply_text(text("common.stale_button"))
        return
    await message.reply_text(long_text(topic_id))


@button(SOURCES, consent=False)
async def on_sources(tap: Tap[TopicRef]) -> None:
    """The sources button: the full citations of a topic."""
    from content import citations_text

    message = tap.message
    try:
        await message.reply_text(citations_text(tap.data.topic))
    except KeyError:
        await message.reply_text(text("common.stale_button"))


@command(consent=False)
async def sources_command(call: Call) -> None:
    """/sources: full citations of the last answer."""
    from content import citations_text

    message, context = call.message, call.context
    topic_id = await answers.last_topic(database_of(context), call.member)
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
        [InlineKeyboardButton(text(f"browse.area.{area}"), callback_data=AREA.pack(area))]
        for area in areas()
    ]
    await message.reply_text(text("browse.topics_title"), reply_markup=InlineKeyboardMarkup(rows))


@button(AREA, consent=False)
async def on_area(tap: Tap[Choice]) -> None:
    """An area button: the topics of one area."""
    from content import topics_in_area

    message, area = tap.message, tap.data.value
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
        *button_handlers(on_topic, on_more, on_sources, on_area),
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
    ]


FLOW = Flow(
    name="questions",
    handlers=handlers,
    commands=(
        Command("topics", "questions", handler=topics_command),
        Command("sources", "questions", handler=sources_command),
    ),
    on_startup=on_startup,
)
