"""The flow registry: every command in the menu and /help, hooks in their declared order."""

from __future__ import annotations

import pytest

from bot.app import FLOWS
from bot.flows.registry import HELP_SECTIONS, Command, Flow, Registry
from content.messages import text


def test_help_lists_every_command_a_flow_puts_in_a_section() -> None:
    help_text = Registry(FLOWS).help_text()
    listed = [c for f in FLOWS for c in f.commands if c.help_section is not None]
    assert listed, "no command is listed in /help"
    for command in listed:
        assert f"/{command.name} – " in help_text
        assert command.help_section in HELP_SECTIONS
    for section in HELP_SECTIONS:
        assert text(f"help.section.{section}") in help_text


def test_the_menu_has_every_declared_command_once() -> None:
    menu = [c.command for c in Registry(FLOWS).menu()]
    assert menu == [c.name for f in FLOWS for c in f.commands]
    assert len(set(menu)) == len(menu)


async def _hook(*args: object) -> bool:
    return False


async def _other(*args: object) -> bool:
    return True


def _flow(name: str, **kw: object) -> Flow:
    return Flow(name=name, handlers=list, **kw)  # type: ignore[arg-type]


def test_typed_text_goes_to_the_flow_that_declares_the_dialogue() -> None:
    registry = Registry(
        [
            _flow("first", text_hook=_other, dialogs=("a",)),
            _flow("second", text_hook=_hook, dialogs=("b", "c")),
        ]
    )
    assert registry.text_hook_for("c") is _hook
    assert registry.text_hook_for("a") is _other
    assert registry.text_hook_for(None) is None and registry.text_hook_for("gone") is None


def test_a_dialogue_declared_twice_or_without_a_hook_is_refused() -> None:
    with pytest.raises(ValueError, match="two flows"):
        Registry(
            [
                _flow("a", text_hook=_hook, dialogs=("x",)),
                _flow("b", text_hook=_other, dialogs=("x",)),
            ]
        )
    with pytest.raises(ValueError, match="no text hook"):
        Registry([_flow("a", dialogs=("x",))])


def test_every_dialogue_state_has_exactly_one_flow() -> None:
    from bot.app import FLOWS
    from storage.models import Dialog

    registry = Registry(FLOWS)
    assert all(registry.text_hook_for(d) is not None for d in Dialog)


def test_an_action_offered_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="offered by two flows"):
        Registry([_flow("a", actions={"x": _hook}), _flow("b", actions={"x": _other})])


def test_a_command_declared_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="command"):
        Registry([_flow("a", commands=(Command("go"),)), _flow("b", commands=(Command("go"),))])


def test_the_actions_other_flows_start_exist() -> None:
    registry = Registry(FLOWS)
    for name in (
        "checkin.begin",
        "questionnaire.begin",
        "doctor_export",
        "results.show",
        "results.store_and_reply",
    ):
        assert callable(registry.action(name))


async def test_a_button_no_flow_reads_is_answered_as_expired(local_bot) -> None:  # type: ignore[no-untyped-def]
    calls = await local_bot.press_data(3, "ci:1:x:1")
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1
    assert answers[0].params.get("text") == text("common.stale_button")
