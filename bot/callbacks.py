"""Callback data: one codec per button family, so no handler builds or splits strings by hand.

Each family is a prefix and typed fields. ``pack`` builds the data (and refuses anything over
Telegram's 64-byte limit), ``unpack`` parses it back into a typed tuple or ``None`` for data
that does not fit (an old button from an earlier version, a forged tap), and ``pattern`` is the
regular expression a ``CallbackQueryHandler`` routes on. Fields are read with one anchored
regular expression, so a field may itself contain the separator (a time such as ``08:00``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar, get_type_hints

#: Telegram's limit on callback data, in bytes (Bot API, InlineKeyboardButton.callback_data).
MAX_BYTES = 64
SEPARATOR = ":"

#: What a field of each type may contain; a codec can narrow a field with ``choices``.
#: Numbers are at most nine digits: every row id and answer fits a 32-bit column (PostgreSQL's
#: integer), so forged data with a huge number is "not this family", never a database error.
_FIELD_PATTERNS: dict[type, str] = {int: r"-?\d{1,9}", str: r"[A-Za-z0-9_.\-]{1,48}"}

T = TypeVar("T", bound=NamedTuple)


class CallbackDataTooLong(ValueError):
    """Packed data over Telegram's 64-byte limit (a bug: Telegram would refuse the keyboard)."""


@dataclass(frozen=True)
class Codec(Generic[T]):
    """One button family: ``prefix:field:field...`` with the fields of ``shape``."""

    prefix: str
    shape: type[T]
    #: Fields restricted to a fixed set of values (or to a regular expression, as a string).
    choices: dict[str, tuple[str, ...] | str] = field(default_factory=dict)

    def _field_pattern(self, name: str, kind: type) -> str:
        allowed = self.choices.get(name)
        if isinstance(allowed, tuple):
            return "|".join(re.escape(value) for value in allowed)
        if isinstance(allowed, str):
            return allowed
        return _FIELD_PATTERNS[kind]

    @property
    def _types(self) -> dict[str, type]:
        return dict(get_type_hints(self.shape))

    @property
    def pattern(self) -> str:
        """The anchored regular expression of this family's data (for the handler)."""
        parts = [re.escape(self.prefix)]
        for name, kind in self._types.items():
            parts.append(f"(?P<{name}>{self._field_pattern(name, kind)})")
        return "^" + re.escape(SEPARATOR).join(parts) + "$"

    def pack(self, *values: Any) -> str:
        """The callback data for these field values (in the order of ``shape``)."""
        value = self.shape(*values)
        data = SEPARATOR.join([self.prefix, *(str(v) for v in value)])
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise CallbackDataTooLong(f"{self.prefix}: {len(data.encode())} bytes")
        if self.unpack(data) != value:
            raise ValueError(f"{self.prefix}: {value!r} does not fit its own pattern")
        return data

    def unpack(self, data: str | None) -> T | None:
        """The typed fields of this data, or None when it is not data of this family."""
        if data is None:
            return None
        match = _compiled(self.pattern).match(data)
        if match is None:
            return None
        values = [kind(match.group(name)) for name, kind in self._types.items()]
        return self.shape(*values)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    compiled = _CACHE.get(pattern)
    if compiled is None:
        compiled = _CACHE[pattern] = re.compile(pattern)
    return compiled


# --- the families ------------------------------------------------------------------------------


class Choice(NamedTuple):
    value: str


class RowId(NamedTuple):
    row: int


class CheckinTap(NamedTuple):
    entry: int
    step: int
    value: int


class QuestionnaireTap(NamedTuple):
    response: int
    item: str
    value: int


class ResultTap(NamedTuple):
    action: str
    sample: int


class FindingTap(NamedTuple):
    sample: int
    number: int


class ComparePick(NamedTuple):
    older: int
    newer: int


class UploadPick(NamedTuple):
    action: str
    pending: int
    number: int


class LabTap(NamedTuple):
    action: str
    #: The held reading's pending id (save, discard) or the saved panel's row id (show).
    row: int


class ReminderTap(NamedTuple):
    action: str
    reminder: int


class ProfileTap(NamedTuple):
    field: str
    value: str


class TopicRef(NamedTuple):
    topic: str


CONSENT = Codec("consent", Choice, {"value": ("yes", "no", "withdraw")})
DELETE = Codec("delete", Choice, {"value": ("ask", "yes", "no")})
CHECKIN = Codec("ci", CheckinTap)
CHECKIN_NOTE_DONE = Codec("cinote", RowId)
QUESTIONNAIRE_START = Codec("qstart", Choice, {"value": ("ibs_sss", "phq4")})
QUESTIONNAIRE = Codec("qn", QuestionnaireTap, {"item": r"[a-z0-9_]{1,32}"})
PROGRESS = Codec("pg", Choice, {"value": ("14", "90", "0", "weekly")})
RESULT = Codec(
    "res",
    ResultTap,
    {"action": ("all", "mean", "csv", "html", "cmp", "show", "nofollow")},
)
FINDING = Codec("res:f", FindingTap)
COMPARE = Codec("cmp", ComparePick)
UPLOAD_PICK = Codec("up", UploadPick, {"action": ("pick", "page", "method")})
LAB = Codec("lab", LabTap, {"action": ("save", "discard", "show")})
REMIND_TIME = Codec("rt", Choice, {"value": r"(?:[01]\d|2[0-3]):[0-5]\d"})
QUIET = Codec("rq", Choice, {"value": ("on", "off")})
PROFILE = Codec(
    "pf",
    ProfileTap,
    {"field": ("menu", "age", "sex", "cond", "clear"), "value": r"[a-z0-9_+\-]{1,32}"},
)
REMINDER = Codec("rm", ReminderTap, {"action": ("now", "snooze", "stop", "cancel")})
TOPIC = Codec("topic", TopicRef)
MORE = Codec("more", TopicRef)
SOURCES = Codec("src", TopicRef)
AREA = Codec("area", Choice, {"value": r"[a-z0-9_]{1,32}"})

#: Every family (the tests check their limits and that no two read the same data).
FAMILIES: tuple[Codec[Any], ...] = (
    CONSENT,
    DELETE,
    CHECKIN,
    CHECKIN_NOTE_DONE,
    QUESTIONNAIRE_START,
    QUESTIONNAIRE,
    PROGRESS,
    RESULT,
    FINDING,
    COMPARE,
    UPLOAD_PICK,
    LAB,
    REMIND_TIME,
    QUIET,
    REMINDER,
    PROFILE,
    TOPIC,
    MORE,
    SOURCES,
    AREA,
)
