"""Showing stored results: the summary reply, detail buttons, /results and /compare."""

from __future__ import annotations

import io
import logging
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import ChatAction
from telegram.ext import BaseHandler

from analysis.model import Report
from bot import analysis_jobs, render
from bot.analysis_pool import JobFailed, PoolBusy, pool_of
from bot.callbacks import (
    COMPARE,
    FINDING,
    LAB,
    RESULT,
    TOPIC,
    ComparePick,
    FindingTap,
    ResultTap,
)
from bot.consent import Member
from bot.flows.registry import Command, Flow
from bot.handlers import Call, Tap, button, button_handlers, command
from bot.render.formatting import shown_name
from bot.render.labs import listed_line
from bot.runtime import Context, database_of, settings_of
from bot.services import labs, results
from bot.services.results import Result
from content.messages import text
from storage.models import Owner

log = logging.getLogger("gutbot.results")


async def store_and_reply(
    message: Message,
    context: Context,
    user: Owner,
    report: dict[str, Any],
    sample_id: str,
    filename: str | None,
    sha: str,
) -> None:
    """Save the chosen sample with its follow-ups, then show the result."""
    stored = await results.store(database_of(context), user, report, sample_id, filename, sha)
    await send_result(message, context, user, stored.row_id, fresh=True, followups=stored.followups)


def result_keyboard(sample_row_id: int, *, has_previous: bool) -> InlineKeyboardMarkup:
    """The detail buttons under a result."""
    rows = [
        [
            InlineKeyboardButton(
                text("results.buttons.all_findings"),
                callback_data=RESULT.pack("all", sample_row_id),
            ),
            InlineKeyboardButton(
                text("results.buttons.explain"), callback_data=RESULT.pack("mean", sample_row_id)
            ),
        ],
        [
            InlineKeyboardButton(
                text("results.buttons.table"), callback_data=RESULT.pack("csv", sample_row_id)
            ),
            InlineKeyboardButton(
                text("results.buttons.report"), callback_data=RESULT.pack("html", sample_row_id)
            ),
        ],
    ]
    if has_previous:
        rows.append(
            [
                InlineKeyboardButton(
                    text("results.buttons.compare"), callback_data=RESULT.pack("cmp", sample_row_id)
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


async def _chart(context: Context, report: Report, sample_id: str) -> bytes | None:
    settings = settings_of(context)
    pool = pool_of(settings)
    try:
        return await pool.run(
            analysis_jobs.summary_chart_job, report.model_dump(mode="json"), sample_id
        )
    except (PoolBusy, JobFailed):
        return None


async def send_result(
    message: Message,
    context: Context,
    user: Owner,
    sample_row_id: int,
    *,
    fresh: bool,
    followups: bool = False,
) -> None:
    """Summary, what may help, the chart, and the detail buttons for one stored sample."""
    found = await results.shown(database_of(context), user, sample_row_id)
    if found is None:
        await message.reply_text(text("results.not_found"))
        return
    has_previous, symptoms_flagged = found.has_previous, found.symptoms_flagged
    report, label = found.result.report, found.result.sample_label
    await message.reply_text(render.summary_text(report, label))
    help_text, topic_buttons = render.suggestions(report, label, symptoms_flagged=symptoms_flagged)
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton(t, callback_data=d)] for t, d in topic_buttons]
    )
    await message.reply_text(help_text, reply_markup=markup if topic_buttons else None)
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    chart = await _chart(context, report, label)
    keyboard = result_keyboard(sample_row_id, has_previous=has_previous)
    if chart is not None:
        await message.reply_photo(photo=chart, reply_markup=keyboard)
    else:
        await message.reply_text(text("upload.busy"), reply_markup=keyboard)
    if fresh:
        if followups:
            off = InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            text("results.buttons.followups_off"),
                            callback_data=RESULT.pack("nofollow", 0),
                        )
                    ]
                ]
            )
            await message.reply_text(text("upload.stored"), reply_markup=off)
        else:
            await message.reply_text(text("upload.stored_no_followups"))


async def _load(tap: Tap[Any], member: Member, sample_row_id: int) -> Result | None:
    row = await results.one(database_of(tap.context), member, sample_row_id)
    if row is None:
        await tap.message.reply_text(text("results.not_found"))
    return row


@button(RESULT)
async def on_result_button(tap: Tap[ResultTap]) -> None:
    """The detail buttons under a result (and /results' list)."""
    if tap.data.action == "nofollow":
        await _followups_off(tap)
        return
    row = await _load(tap, tap.member, tap.data.sample)
    if row is not None:
        await _RESULT_ACTIONS[tap.data.action](tap, row)


async def _all_findings(tap: Tap[ResultTap], row: Result) -> None:
    await tap.message.reply_text(render.all_findings_text(row.report, row.sample_label))


async def _pick_finding(tap: Tap[ResultTap], row: Result) -> None:
    findings = row.report.sample(row.sample_label).findings
    if not findings:
        await tap.message.reply_text(render.no_findings_text(row.report))
        return
    buttons = [
        [InlineKeyboardButton(render.finding_label(f)[:60], callback_data=FINDING.pack(row.id, i))]
        for i, f in enumerate(findings[:10])
    ]
    await tap.message.reply_text(
        text("results.explain_pick"), reply_markup=InlineKeyboardMarkup(buttons)
    )


@button(FINDING)
async def on_finding(tap: Tap[FindingTap]) -> None:
    """One finding explained, with the topics that say more."""
    from content import get_topic

    row = await _load(tap, tap.member, tap.data.sample)
    if row is None:
        return
    report, label, index = row.report, row.sample_label, tap.data.number
    findings = report.sample(label).findings
    if not 0 <= index < len(findings):
        await tap.message.reply_text(text("common.stale_button"))
        return
    body, topic_ids = render.explain_text(report, label, index, tested_on=row.created_at)
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    text("results.buttons.read_topic", title=get_topic(t).title),
                    callback_data=TOPIC.pack(t),
                )
            ]
            for t in topic_ids[:3]
        ]
    )
    await tap.message.reply_text(body, reply_markup=markup)


async def _taxa_table(tap: Tap[ResultTap], row: Result) -> None:
    label = row.sample_label
    await tap.message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    await tap.message.reply_document(
        document=io.BytesIO(render.taxa_csv(row.report, label)),
        filename=f"gutbot-taxa-{_safe(label)}.csv",
        caption=text("results.table_caption", sample=shown_name(label)),
    )


async def _html_report(tap: Tap[ResultTap], row: Result) -> None:
    label = row.sample_label
    await tap.message.reply_chat_action(ChatAction.UPLOAD_DOCUMENT)
    chart = await _chart(tap.context, row.report, label)
    if chart is None:
        await tap.message.reply_text(text("upload.busy"))
        return
    page = render.html_report(row.report, label, chart, tested_on=row.created_at)
    await tap.message.reply_document(
        document=io.BytesIO(page),
        filename=f"gutbot-report-{_safe(label)}.html",
        caption=text("results.report_caption"),
    )


async def _compare_with_previous(tap: Tap[ResultTap], row: Result) -> None:
    older = await results.before(database_of(tap.context), tap.member, row.id)
    if older is None:
        await tap.message.reply_text(text("results.compare_none"))
        return
    await send_comparison(tap.message, tap.context, older, row)


async def _show_again(tap: Tap[ResultTap], row: Result) -> None:
    await send_result(tap.message, tap.context, tap.member, row.id, fresh=False)


_RESULT_ACTIONS = {
    "all": _all_findings,
    "mean": _pick_finding,
    "csv": _taxa_table,
    "html": _html_report,
    "cmp": _compare_with_previous,
    "show": _show_again,
}


def _safe(label: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in label)[:40] or "sample"


async def _followups_off(tap: Tap[ResultTap]) -> None:
    if await results.followups_off(database_of(tap.context), tap.member):
        await tap.query.edit_message_text(text("upload.followups_off"))


async def send_comparison(message: Message, context: Context, older: Result, newer: Result) -> None:
    """Change between two stored samples, with the progress chart."""
    await message.reply_text(
        render.compare_text(
            (older.report, older.sample_label, older.created_at),
            (newer.report, newer.sample_label, newer.created_at),
        )
    )
    if render.comparable_gap(older.report, newer.report) is not None:
        return  # no chart draws a line between tests that cannot be compared
    await message.reply_chat_action(ChatAction.UPLOAD_PHOTO)
    settings = settings_of(context)
    pool = pool_of(settings)
    points = [
        (s.created_at.isoformat(), s.report.model_dump(mode="json"), s.sample_label)
        for s in (older, newer)
    ]
    try:
        chart = await pool.run(analysis_jobs.progress_chart_job, points)
    except (PoolBusy, JobFailed):
        await message.reply_text(text("upload.busy"))
        return
    await message.reply_photo(photo=chart)


@command()
async def results_command(call: Call) -> None:
    """/results: past results, newest first; pick one to see it again."""
    message, db = call.message, database_of(call.context)
    rows = await results.listing(db, call.member)
    panels = await labs.saved_panels(db, call.member)
    for listing, items in ((_lab_list, panels), (_result_list, rows)):
        if items:
            reply, markup = listing(items)
            await message.reply_text(reply, reply_markup=markup)
    if not rows and not panels:
        await message.reply_text(text("results.list_empty"))


#: How many saved lab panels /results lists.
LISTED_PANELS = 20


def _lab_list(panels: list[Any]) -> tuple[str, InlineKeyboardMarkup]:
    """The saved lab panels, one line and one button each."""
    shown = panels[:LISTED_PANELS]
    lines = [text("labs.listed_title"), *(f"• {listed_line(p.panel, p.saved)}" for p in shown)]
    buttons = [
        [
            InlineKeyboardButton(
                text(
                    "labs.show_button",
                    date=p.saved.strftime("%d %b %Y"),
                    test=shown_name(p.panel.test, 30),
                ),
                callback_data=LAB.pack("show", p.row_id),
            )
        ]
        for p in shown
    ]
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


def _result_list(rows: list[Any]) -> tuple[str, InlineKeyboardMarkup]:
    """The stored results, newest first, one line and one button each."""
    lines = [text("results.list_title")]
    buttons = []
    for row in rows:
        line = render.result_line(row.report, row.sample_label, row.created_at, row.filename)
        lines.append(f"• {line}")
        label = text(
            "results.list_button",
            date=row.created_at.strftime("%d %b %Y"),
            name=shown_name(row.sample_label, 30),
        )
        buttons.append([InlineKeyboardButton(label, callback_data=RESULT.pack("show", row.id))])
    return "\n".join(lines), InlineKeyboardMarkup(buttons)


@command()
async def compare_command(call: Call) -> None:
    """/compare: the two latest results side by side, or pick the earlier one."""
    message, context = call.message, call.context
    rows = await results.listing(database_of(context), call.member)
    if len(rows) < 2:
        await message.reply_text(text("results.compare_none"))
        return
    newest = rows[0]
    if len(rows) > 2:
        buttons = [
            [
                InlineKeyboardButton(
                    render.result_line(r.report, r.sample_label, r.created_at)[:60],
                    callback_data=COMPARE.pack(r.id, newest.id),
                )
            ]
            for r in rows[1:]
        ]
        await message.reply_text(
            text("results.compare_pick", date=newest.created_at.strftime("%d %B %Y")),
            reply_markup=InlineKeyboardMarkup(buttons),
        )
        return
    await send_comparison(message, context, rows[1], newest)


@button(COMPARE)
async def on_compare_pick(tap: Tap[ComparePick]) -> None:
    """An earlier result picked after /compare."""
    old = await _load(tap, tap.member, tap.data.older)
    new = await _load(tap, tap.member, tap.data.newer)
    if old is None or new is None:
        return
    await send_comparison(tap.message, tap.context, old, new)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Result buttons, /results and /compare."""
    return [*button_handlers(on_result_button, on_finding, on_compare_pick)]


FLOW = Flow(
    name="results",
    handlers=handlers,
    commands=(
        Command("results", "results", handler=results_command),
        Command("compare", "results", handler=compare_command),
    ),
    actions={"results.store_and_reply": store_and_reply, "results.show": send_result},
)
