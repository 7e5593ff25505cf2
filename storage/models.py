"""SQLAlchemy models: every table the product needs, typed with ``Mapped[...]``."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from storage.crypto import EncryptedBytes, EncryptedInt, EncryptedJSON, EncryptedText

# Constraint names are deterministic, so migrations can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONData = dict[str, Any]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass a timezone-aware value")
        value = value.astimezone(UTC)
        # SQLite has no time zone type: store UTC without an offset so values sort correctly.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        JSONData: JSON,
    }


def _user_fk() -> Any:
    return ForeignKey("users.id", ondelete="CASCADE")


class Owner(Protocol):
    """Whose rows a query reads: a stored ``User`` or any snapshot that carries its row id."""

    @property
    def id(self) -> int: ...


class EntryStatus(StrEnum):
    """Where a check-in or a questionnaire is: begun, finished, or left for a newer one."""

    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    ABANDONED = "abandoned"


class PendingKind(StrEnum):
    """What a stored upload waits for (``PendingUpload.kind``)."""

    #: Half of a pair (a table without its taxonomy, or the reverse) waiting for the other.
    COMPANION = "awaiting_companion"
    #: A table of many samples waiting for the user to say which is theirs.
    SAMPLE_CHOICE = "awaiting_sample_choice"
    #: A lab panel read from a document, waiting for the user to confirm it is theirs.
    LAB_CONFIRM = "lab_confirm"


class UsageKind(StrEnum):
    """The costly actions counted per user (``UsageCount.kind``)."""

    UPLOAD = "upload"


class AuditKind(StrEnum):
    """The account events the audit log records (``AuditEvent.event``); never health data."""

    CONSENT_GIVEN = "consent_given"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    DATA_EXPORTED = "data_exported"
    DATA_DELETED = "data_deleted"


class User(Base):
    """A Telegram user. The Telegram id is kept apart from the row id used everywhere else."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str | None] = mapped_column(String(16))
    #: The IANA zone typed at /remind: it says where someone lives, so it is encrypted like health data.
    timezone: Mapped[str | None] = mapped_column(EncryptedText())
    age_band: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str | None] = mapped_column(String(16))
    consent_given_at: Mapped[datetime | None]
    consent_withdrawn_at: Mapped[datetime | None]
    followups_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    weekly_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_time: Mapped[str | None] = mapped_column(String(5))
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    blocked_at: Mapped[datetime | None]
    last_topic: Mapped[str | None] = mapped_column(String(64))
    dialog: Mapped[str | None] = mapped_column(String(32))
    #: /profile: conditions and medicines the user chose to give (encrypted at rest).
    health_facts: Mapped[JSONData | None] = mapped_column(EncryptedJSON(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def has_consent(self) -> bool:
        """Whether the user has given consent and not withdrawn it since."""
        if self.consent_given_at is None:
            return False
        withdrawn = self.consent_withdrawn_at
        return withdrawn is None or withdrawn < self.consent_given_at


class Sample(Base):
    """One uploaded results file (the sample the user chose), its profile and its report."""

    __tablename__ = "samples"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    #: File names and sample ids often carry people's names ("john-doe-table.tsv"): both encrypted,
    #: so a sample is found by its row id, and one per file and sample id is kept by add_sample.
    original_filename: Mapped[str | None] = mapped_column(EncryptedText())
    detected_format: Mapped[str] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))
    sample_label: Mapped[str] = mapped_column(EncryptedText())
    sha256: Mapped[str] = mapped_column(String(64))
    profile: Mapped[JSONData] = mapped_column(EncryptedJSON())
    report: Mapped[JSONData] = mapped_column(EncryptedJSON())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LabResult(Base):
    """One lab report the user confirmed (a clinical stool panel read from a PDF or a photo).

    Only what was read is kept: the lab, the test, the collection date and the markers
    (``analysis.labs.LabPanel`` as JSON, encrypted). The document itself is not kept, and the
    personal details printed on it (name, date of birth, address, accession numbers) are never
    read into the panel.
    """

    __tablename__ = "lab_results"
    __table_args__ = (UniqueConstraint("user_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    lab: Mapped[str] = mapped_column(String(64))
    test: Mapped[str] = mapped_column(String(128))
    collected: Mapped[date | None] = mapped_column(Date, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64))
    panel: Mapped[JSONData] = mapped_column(EncryptedJSON())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PendingUpload(Base):
    """An upload waiting for a second step (its taxonomy file, or which sample is the user's)."""

    __tablename__ = "pending_uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str | None] = mapped_column(EncryptedText())
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(EncryptedBytes())
    state: Mapped[JSONData] = mapped_column(EncryptedJSON(), default=dict)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SymptomEntry(Base):
    """One check-in; each answer is saved as it is given, so a dialogue can resume anywhere."""

    __tablename__ = "symptom_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.IN_PROGRESS)
    step: Mapped[str | None] = mapped_column(String(32))
    stool_form: Mapped[int | None] = mapped_column(EncryptedInt())
    bowel_movements: Mapped[int | None] = mapped_column(EncryptedInt())
    bloating: Mapped[int | None] = mapped_column(EncryptedInt())
    pain: Mapped[int | None] = mapped_column(EncryptedInt())
    mood: Mapped[int | None] = mapped_column(EncryptedInt())
    note: Mapped[str | None] = mapped_column(EncryptedText())
    alarms: Mapped[JSONData] = mapped_column(EncryptedJSON(), default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class QuestionnaireResponse(Base):
    """A questionnaire (IBS-SSS-style, PHQ-4) with its item answers and total."""

    __tablename__ = "questionnaire_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    instrument: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=EntryStatus.IN_PROGRESS)
    items: Mapped[JSONData] = mapped_column(EncryptedJSON(), default=dict)
    total: Mapped[int | None] = mapped_column(EncryptedInt())
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class Dialog(StrEnum):
    """The one dialogue state: what the user's next typed text answers (``User.dialog``).

    Every multi-step exchange that waits for free text sets it, and the flow that declares the
    value receives the text; nothing else is consulted (no pseudo-steps, no lookups by kind).
    """

    REMIND_TZ = "remind_tz"
    REMIND_TIME = "remind_time"
    CHECKIN_NOTE = "checkin_note"
    PICK_SAMPLE = "pick_sample"


class ReminderKind(StrEnum):
    """What a reminder is for (stored as its value)."""

    CHECKIN = "checkin"
    FOLLOWUP_CHECKIN = "followup_checkin"
    RETEST = "retest"
    WEEKLY_SUMMARY = "weekly_summary"
    QUESTIONNAIRE = "questionnaire"


class ReminderStatus(StrEnum):
    """Where a reminder is in its life: pending -> claimed -> sending -> sent (or cancelled, failed)."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"


class Reminder(Base):
    """A follow-up message due at a UTC time; claimed by one worker, sent once."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[JSONData | None]
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UsageCount(Base):
    """How many costly actions (uploads) a user started in one short time slot.

    Shared by every worker, so a per-user limit holds however many workers serve the bot. Holds
    no health data; slots that have left the limit's window are deleted as new ones are counted.
    """

    __tablename__ = "usage_counts"
    __table_args__ = (UniqueConstraint("user_id", "kind", "slot_start"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(_user_fk(), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    slot_start: Mapped[datetime]
    used: Mapped[int] = mapped_column(Integer, default=0)


class AuditEvent(Base):
    """Consent, export and deletion events. Never holds health data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Deliberately not a foreign key: a deletion event outlives the user row it describes.
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    event: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


__all__ = [
    "AuditEvent",
    "AuditKind",
    "Base",
    "Dialog",
    "EntryStatus",
    "PendingKind",
    "PendingUpload",
    "QuestionnaireResponse",
    "Reminder",
    "ReminderKind",
    "ReminderStatus",
    "Sample",
    "SymptomEntry",
    "UsageCount",
    "UsageKind",
    "User",
]


class MessageCount(Base):
    """How many messages one Telegram user sent in one minute (minutes since the Unix epoch).

    Shared by every worker so the per-user message limit holds however many serve the bot. Keyed
    by a keyed hash of the Telegram id (``storage.crypto.pseudonym``): users who have not consented
    are limited too, and the table never holds who sent what; rows older than two minutes are
    deleted as messages come in (``purge_message_counts``).
    """

    __tablename__ = "message_counts"

    sender: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    minute: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    used: Mapped[int] = mapped_column(Integer)
