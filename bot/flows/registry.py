"""The flow registry: what each feature module offers the application, typed and in one place.

Every flow module ends in ``FLOW = Flow(...)``; ``bot.app`` builds the application from the tuple
of flows and stores the ``Registry`` in ``bot_data``. Flows never import ``bot.app`` or each
other: what one flow starts in another (the reminder's "do it now" starting a check-in, /export
csv) is an *action* looked up by name, and the hooks (free text while a dialogue waits, /cancel)
are found here, ordered by an explicit priority instead of by import order. /help is generated
from the commands the flows declare.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, BaseHandler, CommandHandler

from bot.render.formatting import formats_list
from bot.runtime import Context
from content.messages import has, text
from storage import Session
from storage.models import User

REGISTRY_KEY = "gutbot.registry"

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
#: Free text while one of this flow's dialogues waits for it; True when the text was consumed.
TextHook = Callable[[Update, Context, Session, User], Awaitable[bool]]
#: /cancel: drop this flow's in-progress dialogue; True when something was stopped.
CancelHook = Callable[..., Awaitable[bool]]
Action = Callable[..., Awaitable[Any]]
Lifecycle = Callable[[Application[Any, Any, Any, Any, Any, Any]], Awaitable[None]]

#: The sections of /help, in the order shown (keys of ``help.section``).
HELP_SECTIONS = ("questions", "results", "tracking", "data")


@dataclass(frozen=True)
class Command:
    """A bot command: its name, and where /help lists it (None: in the menu only)."""

    name: str
    help_section: str | None = None
    #: The handler of ``/name`` (None: another handler reads it, e.g. a conversation).
    handler: Handler | None = None

    def menu_text(self) -> str:
        """The short description in Telegram's command menu."""
        return text(f"menu.{self.name}")

    def help_line(self) -> str:
        """The line in /help."""
        return f"/{self.name} – {text(f'help.command.{self.name}')}"


@dataclass(frozen=True)
class Flow:
    """One feature: its handlers, commands, hooks and the actions other flows may start."""

    name: str
    handlers: Callable[[], Sequence[BaseHandler[Any, Any, Any]]]
    commands: tuple[Command, ...] = ()
    text_hook: TextHook | None = None
    #: The dialogue states (``storage.models.Dialog``) whose typed answers go to ``text_hook``.
    dialogs: tuple[str, ...] = ()
    cancel_hook: CancelHook | None = None
    on_startup: Lifecycle | None = None
    on_shutdown: Lifecycle | None = None
    #: Entry points other flows may start, by name (most take ``(update, context)``).
    actions: dict[str, Action] = field(default_factory=dict)

    def all_handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """The command handlers, then the flow's other handlers, in registration order."""
        commands: list[BaseHandler[Any, Any, Any]] = [
            CommandHandler(c.name, c.handler) for c in self.commands if c.handler is not None
        ]
        return [*commands, *self.handlers()]


class Registry:
    """The flows of one application, with the lookups handlers need at run time."""

    def __init__(self, flows: Sequence[Flow]) -> None:
        self.flows = tuple(flows)
        names = [f.name for f in self.flows]
        if len(set(names)) != len(names):
            raise ValueError(f"two flows share a name: {names}")
        self._actions: dict[str, Action] = {}
        for flow in self.flows:
            for action, handler in flow.actions.items():
                if action in self._actions:
                    raise ValueError(f"action {action!r} is offered by two flows")
                self._actions[action] = handler
        self._dialogs: dict[str, TextHook] = {}
        for flow in self.flows:
            for dialog in flow.dialogs:
                if dialog in self._dialogs:
                    raise ValueError(f"dialogue {dialog!r} is declared by two flows")
                if flow.text_hook is None:
                    raise ValueError(f"flow {flow.name!r} declares dialogues but no text hook")
                self._dialogs[dialog] = flow.text_hook
        commands = [c.name for f in self.flows for c in f.commands]
        if len(set(commands)) != len(commands):
            raise ValueError("a command is declared by two flows")

    def text_hook_for(self, dialog: str | None) -> TextHook | None:
        """The hook that receives text while ``dialog`` waits (None: no dialogue, or unknown)."""
        return self._dialogs.get(dialog) if dialog else None

    def cancel_hooks(self) -> list[CancelHook]:
        """Every flow's /cancel hook."""
        return [f.cancel_hook for f in self.flows if f.cancel_hook is not None]

    def action(self, name: str) -> Action:
        """The handler another flow offers under this name (KeyError if none does)."""
        return self._actions[name]

    def menu(self) -> list[BotCommand]:
        """Telegram's command menu."""
        return [BotCommand(c.name, c.menu_text()) for f in self.flows for c in f.commands]

    def help_text(self) -> str:
        """/help: the commands by section, with the notes of each section."""
        parts = [text("help.intro")]
        for section in HELP_SECTIONS:
            lines = [text(f"help.section.{section}")]
            if has(f"help.notes.{section}"):
                lines.append(text(f"help.notes.{section}", formats=formats_list()))
            lines += [
                c.help_line() for f in self.flows for c in f.commands if c.help_section == section
            ]
            parts.append("\n".join(lines))
        parts.append(text("help.closing"))
        return "\n\n".join(parts)


def registry_of(context: Context | Application[Any, Any, Any, Any, Any, Any]) -> Registry:
    """The registry the application was built with."""
    registry = context.bot_data.get(REGISTRY_KEY)
    if not isinstance(registry, Registry):
        raise RuntimeError("the application was not built by bot.app.build_application")
    return registry
