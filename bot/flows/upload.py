"""A results file or a lab report arrives: check, download to memory, read it in the pool,
store (a lab report only once the user confirms what was read), reply."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler, filters

from bot import analysis_jobs
from bot.arrivals import (
    chat_action,
    download,
    download_limit,
    error_words,
    run_job,
    too_big,
    upload_allowed,
)
from bot.callbacks import UPLOAD_PICK, UploadPick
from bot.flows.registry import Flow, registry_of
from bot.handlers import Call, Tap, button, command
from bot.render.formatting import formats_list, shown_name
from bot.render.picker import natural_key, pick_keyboard, pick_text
from bot.runtime import Context, database_of, settings_of
from bot.services import uploads
from content.messages import text
from storage import Session
from storage.models import Dialog, Owner, User

log = logging.getLogger("gutbot.upload")

#: Errors that are the pool's bounds (time, memory, a crashed reader), not the file's layout.
POOL_BOUNDS = frozenset({"took_too_long", "too_much_memory", "unsafe_file", "analysis_failed"})


def refusal_reason(filename: str | None, mime_type: str | None) -> str | None:
    """Why a document cannot be a results file, in words (None when it may be one)."""
    found = uploads.refusal(filename, mime_type)
    if found is None:
        return None
    if found.key == "upload.refused_type":
        return text(found.key, what=text(f"upload.file_kind.{found.value}"))
    return text(found.key, value=found.value)


def _not_results(reason: str) -> str:
    return text(
        "upload.not_results",
        reason=reason,
        formats=text("upload.supported_formats", formats=formats_list()),
        how_to_export=text("upload.how_to_export"),
    )


@command()
async def on_document(call: Call) -> None:
    """A document arrives: the whole upload flow."""
    message, context, user = call.message, call.context, call.member
    document = message.document
    if document is None:
        return
    limit = download_limit(context)
    if (document.file_size or 0) > limit:
        await message.reply_text(too_big(document.file_size or 0, limit))
        return
    lab = uploads.lab_document(document.file_name, document.mime_type)
    reason = None if lab else refusal_reason(document.file_name, document.mime_type)
    if reason is not None:
        await message.reply_text(_not_results(reason))
        return
    if not await upload_allowed(message, context, user):
        return
    async with chat_action(message):
        data = await download(message, document, limit)
        if data is None:
            return
        if lab:
            await registry_of(context).action("labs.read")(
                message, context, user, data, document.file_name
            )
        else:
            await process_upload(message, context, user, data, document.file_name)


@dataclass(frozen=True)
class _Analysed:
    """An analysis outcome and the upload it is of (a pair once combined with its other half)."""

    outcome: dict[str, Any]
    data: bytes
    filename: str | None
    sha: str


async def process_upload(
    message: Message, context: Context, user: Owner, data: bytes, filename: str | None
) -> None:
    """Analyse downloaded bytes (combining with a waiting half if there is one) and reply."""
    known = await uploads.arrival(database_of(context), user, data, filename)
    if known.stored_id is not None:
        when = known.stored_at.strftime("%d %B %Y")
        await message.reply_text(text("upload.duplicate", date=when))
        await registry_of(context).action("results.show")(
            message, context, user, known.stored_id, fresh=False
        )
        return
    done = await _analyse(message, context, user, known, data, filename)
    if done is None:
        return
    if "error" in done.outcome:
        await _answer_error(message, context, user, done)
        return
    await uploads.count_upload(database_of(context), user, settings_of(context).uploads_per_hour)
    report = done.outcome["report"]
    if report.get("method") == "unknown":
        await _ask_method(message, context, user, done, report)
        return
    if len(report["samples"]) > 1:
        await _ask_which_sample(message, context, user, done.data, done.filename, done.sha, report)
        return
    await registry_of(context).action("results.store_and_reply")(
        message, context, user, report, report["samples"][0]["sample_id"], done.filename, done.sha
    )


async def _analyse(
    message: Message,
    context: Context,
    user: Owner,
    known: uploads.Arrival,
    data: bytes,
    filename: str | None,
) -> _Analysed | None:
    """Analyse the file with its waiting other half if they go together, else alone.

    None when the reply has been sent already (the pool was busy, or the pair failed).
    """
    if known.pair is not None:
        await message.reply_text(
            text("upload.combined", filename=shown_name(next(iter(known.pair))))
        )
        combined = analysis_jobs.zip_files(known.pair)
        outcome = await run_job(
            message, context, analysis_jobs.analyze_job, combined, "combined.zip"
        )
        if outcome is None:
            return None
        if "report" in outcome and known.pending_id is not None:
            await uploads.forget(database_of(context), user, known.pending_id)
            pair = " + ".join(known.pair)
            return _Analysed(outcome, combined, pair, uploads.pair_sha(known.pair))
        if outcome.get("error", {}).get("key") not in {"needs_companion_file", "unknown_format"}:
            await _reply_error(message, outcome["error"])
            return None
        # The two do not go together: the new file is read on its own.
    outcome = await run_job(message, context, analysis_jobs.analyze_job, data, filename)
    return None if outcome is None else _Analysed(outcome, data, filename, known.sha)


async def _answer_error(message: Message, context: Context, user: Owner, done: _Analysed) -> None:
    """A file that is half of a pair waits for the other; lab text may be a panel; else why not."""
    error = done.outcome["error"]
    if error["key"] == "needs_companion_file":
        await _keep_half(
            message, context, user, done.data, done.filename, done.sha, error["details"]
        )
        return
    if error["key"] not in POOL_BOUNDS and uploads.maybe_lab_text(done.filename, done.data):
        # Text copied out of a lab report (a .txt) is no profile; it may be a lab panel.
        lab = await run_job(message, context, analysis_jobs.lab_job, done.data, done.filename)
        if lab is not None and "panel" in lab:
            await registry_of(context).action("labs.show_panel")(
                message, context, user, lab["panel"], done.sha
            )
            return
    await _reply_error(message, error)


async def _reply_error(message: Message, error: dict[str, Any]) -> None:
    key = str(error.get("key", "generic"))
    if key == "analysis_failed":
        log.error("analysis failed unexpectedly: %s", error.get("message", ""))
    reason = error_words(error, ("upload",), "upload.error.generic")
    if key in {"unknown_format", "binary_file", "empty_file", "no_taxa_recognised"}:
        await message.reply_text(_not_results(reason) + "\n" + text("upload.nothing_stored"))
        return
    await message.reply_text(f"{reason} {text('upload.nothing_stored')}")


async def _keep_half(
    message: Message,
    context: Context,
    user: Owner,
    data: bytes,
    filename: str | None,
    sha: str,
    details: dict[str, Any],
) -> None:
    have = str(details.get("have", ""))
    need = "feature_table" if "table" in str(details.get("need", "")) else "taxonomy"
    kept = await uploads.keep_waiting(
        database_of(context),
        user,
        kind=uploads.COMPANION,
        data=data,
        filename=filename,
        sha=sha,
        state={"have": have, "need": need},
    )
    have_key = f"upload.have.{have}"
    hint_key = f"upload.hint.{have}"
    from content.messages import has

    have_words = text(have_key) if has(have_key) else text("upload.have.taxonomy")
    if kept.replaced is not None:
        await message.reply_text(
            text("upload.replaced_half", earlier=shown_name(kept.replaced), have_words=have_words)
        )
    await message.reply_text(
        text(
            "upload.needs_companion",
            have_words=have_words,
            need_words=text(f"upload.need.{need}"),
            hint=text(hint_key) if has(hint_key) else "",
        ).strip()
    )


async def _ask_which_sample(
    message: Message,
    context: Context,
    user: Owner,
    data: bytes,
    filename: str | None,
    sha: str,
    report: dict[str, Any],
) -> None:
    ids = [s["sample_id"] for s in report["samples"]]
    kept = await uploads.keep_waiting(
        database_of(context),
        user,
        kind=uploads.CHOICE,
        data=data,
        filename=filename,
        sha=sha,
        state={"sample_ids": ids},
    )
    await message.reply_text(pick_text(ids, 0), reply_markup=pick_keyboard(kept.id, ids, 0))


async def _ask_method(
    message: Message, context: Context, user: Owner, done: _Analysed, report: dict[str, Any]
) -> None:
    """A table that does not say how it was sequenced: ask (16S, shotgun, not sure) first."""
    kept = await uploads.keep_waiting(
        database_of(context),
        user,
        kind=uploads.CHOICE,
        data=done.data,
        filename=done.filename,
        sha=done.sha,
        state={"sample_ids": [s["sample_id"] for s in report["samples"]], "ask_method": True},
    )
    buttons = [
        InlineKeyboardButton(
            text(f"upload.method_{answer or 'unsure'}"),
            callback_data=UPLOAD_PICK.pack("method", kept.id, n),
        )
        for n, answer in enumerate(uploads.METHOD_ANSWERS)
    ]
    await message.reply_text(
        text("upload.method_question"), reply_markup=InlineKeyboardMarkup([buttons])
    )


async def _on_method(tap: Tap[UploadPick]) -> None:
    """The user said how the sample was sequenced: on to the sample choice, or the summary."""
    query, message, context = tap.query, tap.message, tap.context
    _, pending_id, n = tap.data
    if not 0 <= n < len(uploads.METHOD_ANSWERS):
        await query.edit_message_text(text("upload.pick_stale"))
        return
    method = uploads.METHOD_ANSWERS[n]
    waiting = await uploads.answer_method(database_of(context), tap.member, pending_id, method)
    if waiting is None:
        await query.edit_message_text(text("upload.pick_stale"))
        return
    told = (
        text("upload.method_told", method=text(f"analysis.method.{method}"))
        if method
        else text("upload.method_unsure_told")
    )
    await query.edit_message_text(told)
    ids = list(waiting.sample_ids)
    if len(ids) > 1:
        await message.reply_text(pick_text(ids, 0), reply_markup=pick_keyboard(pending_id, ids, 0))
        return
    await _store_pick(tap, pending_id, waiting, 0)


async def _store_pick(
    tap: Tap[UploadPick], pending_id: int, waiting: uploads.WaitingChoice, n: int
) -> None:
    """Analyse the waiting file again (with the method the user gave) and store one sample."""
    message, context = tap.message, tap.context
    async with chat_action(message):
        job, method = analysis_jobs.analyze_job, waiting.method
        outcome = await run_job(message, context, job, waiting.data, waiting.filename, method)
    if outcome is None:
        return
    if "error" in outcome:
        await _reply_error(message, outcome["error"])
        return
    await uploads.forget(database_of(context), tap.member, pending_id)
    store = registry_of(context).action("results.store_and_reply")
    sample = waiting.sample_ids[n]
    await store(
        message, context, tap.member, outcome["report"], sample, waiting.filename, waiting.sha
    )


@button(UPLOAD_PICK)
async def on_pick(tap: Tap[UploadPick]) -> None:
    """The user picked their sample, asked for the next page of ids, or gave the method."""
    query, context = tap.query, tap.context
    action, pending_id, n = tap.data
    if action == "method":
        await _on_method(tap)
        return
    waiting = await uploads.waiting_choice(database_of(context), tap.member, pending_id)
    if waiting is None or waiting.asks_method:
        await query.edit_message_text(text("upload.pick_stale"))
        return
    ids = list(waiting.sample_ids)
    if action == "page":
        await query.edit_message_text(
            pick_text(ids, n), reply_markup=pick_keyboard(pending_id, ids, n)
        )
        return
    if not 0 <= n < len(ids):
        await query.edit_message_text(text("upload.pick_stale"))
        return
    await query.edit_message_reply_markup(None)
    await _store_pick(tap, pending_id, waiting, n)


async def intercept_text(update: Update, context: Context, session: Session, user: User) -> bool:
    """A sample id typed while a file waits for its sample: offer the matching ones as buttons."""
    message = update.effective_message
    if message is None or not message.text or message.text.startswith("/"):
        return False
    found = await uploads.match_typed_sample(session, user, message.text)
    if found is None:
        return False
    shown = sorted(found.matches, key=lambda match: natural_key(match[1]))[:10]
    buttons = [
        [
            InlineKeyboardButton(
                shown_name(i, 40), callback_data=UPLOAD_PICK.pack("pick", found.pending_id, n)
            )
        ]
        for n, i in shown
    ]
    await message.reply_text(
        text("upload.pick_typed", count=len(found.matches)),
        reply_markup=InlineKeyboardMarkup(buttons),
    )
    return True


async def on_cancel(*, session: Session, user: User) -> bool:
    """Forget uploads waiting for a second step."""
    return await uploads.cancel_waiting(session, user)


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Documents in private chats, and the sample-choice buttons."""
    return [
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document),
        CallbackQueryHandler(on_pick, pattern=UPLOAD_PICK.pattern),
    ]


FLOW = Flow(
    name="upload",
    handlers=handlers,
    cancel_hook=on_cancel,
    text_hook=intercept_text,
    dialogs=(Dialog.PICK_SAMPLE,),
)
