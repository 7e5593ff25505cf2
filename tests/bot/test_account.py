"""/start, consent, /help, /privacy, /export, /delete, /consent, /cancel, unreadable messages."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.app import FLOWS
from bot.flows.registry import Registry
from bot.local_bot import LocalBot
from content.messages import text
from storage.models import AuditEvent, Reminder, Sample, SymptomEntry, User
from storage.users import USER_TABLES, get_user_by_telegram_id
from tests.bot.conftest import consent
from tests.conftest import shared_path

HELP_TEXT = Registry(FLOWS).help_text()


async def _user(bot: LocalBot, telegram_id: int) -> User | None:
    async with bot.db.transaction() as session:
        return await get_user_by_telegram_id(session=session, telegram_id=telegram_id)


async def test_post_init_migrates_and_sets_the_command_menu(local_bot: LocalBot) -> None:
    menus = [c for c in local_bot.api.calls if c.method == "setMyCommands"]
    assert len(menus) == 1
    names = {c["command"] for c in menus[0].params["commands"]}
    assert {"start", "help", "privacy", "export", "delete", "consent", "cancel"} <= names
    assert await local_bot.db.current_revision() is not None


async def test_start_explains_and_asks_for_explicit_consent(local_bot: LocalBot) -> None:
    calls = await local_bot.say(1, "/start", language="de")
    texts = [c.text for c in calls if c.method == "sendMessage"]
    assert "not a diagnosis" in texts[0]
    assert "consent" in texts[1]
    assert [data for _, data in calls[-1].buttons] == ["consent:yes", "consent:no"]
    user = await _user(local_bot, 1)
    assert user is not None
    assert user.language == "de"
    assert user.consent_given_at is None
    assert not user.has_consent


async def test_consent_button_records_consent_and_audit(local_bot: LocalBot) -> None:
    await consent(local_bot, 2)
    edit = local_bot.api.calls[-1]
    assert edit.method == "editMessageText"
    assert edit.text == text("account.start.consent_given")
    user = await _user(local_bot, 2)
    assert user is not None and user.has_consent
    async with local_bot.db.transaction() as session:
        events = (await session.scalars(select(AuditEvent.event))).all()
    assert events == ["consent_given"]


async def test_declining_keeps_nothing_but_id(local_bot: LocalBot) -> None:
    await local_bot.say(3, "/start")
    await local_bot.press(3, "consent:no")
    assert local_bot.api.calls[-1].text == text("account.start.consent_declined")
    user = await _user(local_bot, 3)
    assert user is not None and not user.has_consent


async def test_consent_command_withdraws_and_gives_again(local_bot: LocalBot) -> None:
    await consent(local_bot, 4)
    calls = await local_bot.say(4, "/consent")
    assert "You gave consent on" in calls[-1].text
    await local_bot.press(4, "consent:withdraw")
    assert local_bot.api.calls[-1].text == text("account.consent.withdrawn")
    user = await _user(local_bot, 4)
    assert user is not None and not user.has_consent
    calls = await local_bot.say(4, "/consent")
    assert "withdrew consent" in calls[-1].text
    await local_bot.press(4, "consent:yes")
    user = await _user(local_bot, 4)
    assert user is not None and user.has_consent


async def test_help_and_privacy_texts(local_bot: LocalBot) -> None:
    help_calls = await local_bot.say(5, "/help")
    privacy_calls = await local_bot.say(5, "/privacy")
    assert help_calls[-1].text == HELP_TEXT
    for command in ("/export", "/delete", "/consent", "/privacy"):
        assert command in help_calls[-1].text
    assert "/export" in privacy_calls[-1].text and "/delete" in privacy_calls[-1].text


async def test_export_equals_what_the_database_holds(local_bot: LocalBot) -> None:
    await consent(local_bot, 6)
    user = await _user(local_bot, 6)
    assert user is not None
    async with local_bot.db.transaction() as session:
        session.add(
            Sample(
                user_id=user.id,
                original_filename="x.txt",
                detected_format="metaphlan3",
                method="shotgun",
                sample_label="S1",
                sha256="b" * 64,
                profile={"taxa": []},
                report={"format": "metaphlan3"},
            )
        )
    calls = await local_bot.say(6, "/export")
    assert any(c.method == "sendChatAction" for c in calls)
    document = next(c for c in calls if c.method == "sendDocument")
    filename, content, _ = next(iter(document.files.values()))
    assert filename == "gutbot-export.json"
    exported = json.loads(content)
    assert exported["user"]["telegram_id"] == 6
    assert [s["sha256"] for s in exported["samples"]] == ["b" * 64]
    for model in USER_TABLES:
        async with local_bot.db.transaction() as session:
            n = await session.scalar(
                select(func.count()).select_from(model).where(model.user_id == user.id)
            )
        assert len(exported[model.__tablename__]) == n
    async with local_bot.db.transaction() as session:
        events = (await session.scalars(select(AuditEvent.event))).all()
    assert "data_exported" in events


async def test_delete_needs_confirmation_then_erases_everything(local_bot: LocalBot) -> None:
    await consent(local_bot, 7)
    await consent(local_bot, 8)
    for tid in (7, 8):
        user = await _user(local_bot, tid)
        assert user is not None
        async with local_bot.db.transaction() as session:
            from datetime import UTC, date, datetime

            session.add(SymptomEntry(user_id=user.id, day=date(2026, 11, 2), pain=3))
            session.add(
                Reminder(
                    user_id=user.id,
                    kind="checkin",
                    due_at=datetime(2026, 12, 1, tzinfo=UTC),
                    idempotency_key=f"k{tid}",
                )
            )
    await local_bot.say(7, "/delete")
    await local_bot.press(7, "delete:no")
    assert await _user(local_bot, 7) is not None
    await local_bot.say(7, "/delete")
    await local_bot.press(7, "delete:yes")
    assert local_bot.api.calls[-1].text == text("account.delete.done")
    assert await _user(local_bot, 7) is None
    async with local_bot.db.transaction() as session:
        for model in (SymptomEntry, Reminder):
            users = (await session.scalars(select(model.user_id))).all()
            assert len(users) == 1
        audit = (await session.execute(select(AuditEvent.user_id, AuditEvent.event))).all()
    assert (None, "data_deleted") in audit
    calls = await local_bot.say(7, "/delete")
    assert calls[-1].text == text("account.delete.nothing")


async def test_user_a_never_sees_b_in_export(local_bot: LocalBot) -> None:
    await consent(local_bot, 10)
    await consent(local_bot, 11)
    for tid in (10, 11):
        user = await _user(local_bot, tid)
        assert user is not None
        async with local_bot.db.transaction() as session:
            from datetime import date

            session.add(SymptomEntry(user_id=user.id, day=date(2026, 11, 3), bloating=tid))
    calls = await local_bot.say(10, "/export")
    document = next(c for c in calls if c.method == "sendDocument")
    assert document.chat_id == 10
    exported = json.loads(next(iter(document.files.values()))[1])
    assert [e["bloating"] for e in exported["symptom_entries"]] == [10]
    assert exported["user"]["telegram_id"] == 10
    assert len(exported["symptom_entries"]) == 1


async def test_cancel_with_nothing_running(local_bot: LocalBot) -> None:
    calls = await local_bot.say(12, "/cancel")
    assert calls[-1].text == text("account.cancel.nothing")


async def test_unreadable_messages_get_a_useful_answer(local_bot: LocalBot) -> None:
    for kind, key in (
        ("sticker", "common.unsupported_sticker"),
        ("voice", "common.unsupported_voice"),
    ):
        calls = await local_bot.process(local_bot.updates.media(13, kind))
        assert calls[-1].text == text(key)
    # A photo may be a page of a lab report: it is read, once consent is given.
    calls = await local_bot.process(local_bot.updates.media(13, "photo"))
    assert calls[-1].text == text("account.start.consent_request")


async def test_group_chats_are_refused(local_bot: LocalBot) -> None:
    calls = await local_bot.process(local_bot.updates.group_text(14, -100, "/start"))
    assert calls[-1].text == text("common.not_private")
    assert await _user(local_bot, 14) is None


async def test_error_handler_apologises_without_details(local_bot: LocalBot, caplog) -> None:  # type: ignore[no-untyped-def]
    db = local_bot.app.bot_data.pop("gutbot.db")
    try:
        await local_bot.say(15, "my secret symptom text")
        calls = await local_bot.say(15, "/start")
    finally:
        local_bot.app.bot_data["gutbot.db"] = db
    assert calls[-1].text == text("common.error")
    assert "my secret symptom text" not in caplog.text
    assert "Traceback" in caplog.text or "unhandled error" in caplog.text


async def test_after_withdrawal_the_bot_says_what_is_still_kept_and_offers_to_delete(
    any_bot: LocalBot,
) -> None:
    await consent(any_bot, 9)
    data = shared_path("corpus", "metaphlan3_SRR1761667_stool.txt").read_bytes()
    await any_bot.upload(9, data, "mine.txt")
    await any_bot.say(9, "/consent")
    await any_bot.press(9, "consent:withdraw")
    for command in ("/results", "/reminders"):
        reply = (await any_bot.say(9, command))[-1]
        assert "still kept until you delete it" in reply.text, command
        assert "what you just sent was not kept" not in reply.text  # a command sends nothing
        assert text("upload.nothing_stored") not in reply.text
        assert [label for label, _ in reply.buttons] == [
            text("account.buttons.agree_again"),
            text("account.buttons.delete_stored"),
        ]
    # A file sent now is not read at all.
    again = await any_bot.upload(9, data + b"\n", "again.txt")
    assert not any(c.method == "getFile" for c in again)
    assert "what you just sent was not kept" in again[-1].text
    async with any_bot.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Sample)) == 1
    ask = await any_bot.press(9, "delete:ask")
    assert ask[-1].text == text("account.delete.confirm")
    done = await any_bot.press(9, "delete:yes")
    assert done[-1].text == text("account.delete.done")
    async with any_bot.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Sample)) == 0
