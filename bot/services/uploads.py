"""Uploads without Telegram: which documents may be results files, and the uploads kept waiting
for a second step (the other half of a QIIME 2 or mothur pair, or the choice of one sample)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any

from analysis.formats.registry import EXTENSIONS as FORMAT_EXTENSIONS
from storage import Database, Session
from storage.models import Dialog, Owner, PendingKind, UsageKind, User, utcnow
from storage.samples import (
    add_pending_upload,
    find_by_sha256,
    get_pending_upload,
    remove_pending_upload,
    remove_pending_uploads,
)
from storage.usage import take, window_use

COMPANION = PendingKind.COMPANION
CHOICE = PendingKind.SAMPLE_CHOICE
COMPANION_TTL = timedelta(minutes=15)
CHOICE_TTL = timedelta(hours=24)
PICK_PAGE = 20

#: Endings a results file may have: the format registry's (an .xlsx workbook among them), and
#: the ones tools write besides (Bracken's ".bracken.s", Galaxy's ".tabular", none at all);
#: anything else is refused unread.
RESULT_EXTENSIONS = FORMAT_EXTENSIONS | frozenset({".tab", ".tabular", ".s", ".kraken", ".mpa", ""})
#: Endings of workbooks the reader cannot open (binary Excel 97-2003), named as such.
OLD_SPREADSHEET_EXTENSIONS = frozenset({".xls"})
REFUSED_MIME_PREFIXES = ("image/", "video/", "audio/")
REFUSED_MIME = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/x-executable",
        "application/x-msdownload",
    }
)


#: What a refused file is, by its type: the key of its words in upload.file_kind.
FILE_KINDS = (
    ("image/", "image"),
    ("video/", "video"),
    ("audio/", "audio"),
    ("application/pdf", "pdf"),
    ("application/msword", "word"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml", "word"),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml", "spreadsheet"),
    ("application/vnd.ms-excel", "spreadsheet"),
)


def file_kind(mime: str) -> str:
    """The kind of a refused file for its words (``program`` for anything else refused)."""
    return next((kind for prefix, kind in FILE_KINDS if mime.startswith(prefix)), "program")


@dataclass(frozen=True)
class Refusal:
    """Why a document is not read: a message key and the value it names (a type or an ending)."""

    key: str
    value: str


def refusal(filename: str | None, mime_type: str | None) -> Refusal | None:
    """Why a document cannot be a results file (None when it may be one)."""
    suffixes = [s.lower() for s in PurePath(filename or "").suffixes]
    suffix = suffixes[-1] if suffixes else ""
    mime = (mime_type or "").lower()
    # Some clients send any Excel file as "application/vnd.ms-excel": the .xlsx ending wins.
    workbook = suffix == ".xlsx" and mime == "application/vnd.ms-excel"
    if (mime.startswith(REFUSED_MIME_PREFIXES) or mime in REFUSED_MIME) and not workbook:
        return Refusal("upload.refused_type", file_kind(mime))
    if suffix in OLD_SPREADSHEET_EXTENSIONS:
        return Refusal("upload.refused_type", "old_spreadsheet")
    if suffix not in RESULT_EXTENSIONS and len(suffix) <= 6:
        return Refusal("upload.refused_ending", suffix)
    return None


#: Lab reports come as PDFs and photos (or scans saved as images): read by analysis.labs.
LAB_MIME_PREFIXES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
LAB_EXTENSIONS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".webp"})


def lab_document(filename: str | None, mime_type: str | None) -> bool:
    """Whether a document is read as a lab report (a PDF or a photo of one)."""
    suffixes = [s.lower() for s in PurePath(filename or "").suffixes]
    mime = (mime_type or "").lower()
    return mime.startswith(LAB_MIME_PREFIXES) or bool(suffixes and suffixes[-1] in LAB_EXTENSIONS)


def maybe_lab_text(filename: str | None, data: bytes) -> bool:
    """Whether a file that is no profile may be text copied out of a lab report."""
    suffixes = [s.lower() for s in PurePath(filename or "").suffixes]
    return (
        not suffixes or suffixes[-1] in {".txt", ".text", ".csv", ".tsv"}
    ) and not data.startswith((b"PK", b"\x1f\x8b", b"\x89HDF"))


UPLOAD_WINDOW = timedelta(hours=1)


async def upload_refused_until(db: Database, owner: Owner, per_hour: int) -> datetime | None:
    """When the user may send the next file, if the hourly limit is used up (else None).

    Only files that were read count (``count_upload``): a refused, duplicate or unreadable file
    never uses up the limit. The count is in the database, so it holds across workers.
    """
    async with db.transaction() as session:
        used, frees_at = await window_use(
            session, user_id=owner.id, kind=UsageKind.UPLOAD, window=UPLOAD_WINDOW
        )
    if used < per_hour:
        return None
    return frees_at or utcnow() + UPLOAD_WINDOW


async def count_upload(db: Database, owner: Owner, per_hour: int) -> None:
    """Count a file that was read against the hourly limit."""
    async with db.transaction() as session:
        await take(
            session, user_id=owner.id, kind=UsageKind.UPLOAD, limit=per_hour, window=UPLOAD_WINDOW
        )


@dataclass(frozen=True)
class Arrival:
    """What is already known about an upload's bytes."""

    sha: str
    #: When the same file was stored before.
    stored_id: int | None = None
    stored_at: Any = None
    #: The waiting half and this file, when they belong together.
    pair: dict[str, bytes] | None = None
    pending_id: int | None = None


async def arrival(db: Database, owner: Owner, data: bytes, filename: str | None) -> Arrival:
    """The upload's hash, a stored copy of it, and a waiting other half it may complete."""
    sha = hashlib.sha256(data).hexdigest()
    async with db.transaction() as session:
        stored = await find_by_sha256(session=session, user=owner, sha256=sha)
        pending = await get_pending_upload(session=session, user=owner, kind=COMPANION)
        pair = (
            {pending.filename or "first-upload": pending.data, filename or "second-upload": data}
            if pending is not None and pending.sha256 != sha
            else None
        )
        return Arrival(
            sha=sha,
            stored_id=stored.id if stored is not None else None,
            stored_at=stored.created_at if stored is not None else None,
            pair=pair,
            pending_id=pending.id if pending is not None else None,
        )


def pair_sha(pair: dict[str, bytes]) -> str:
    """The hash a combined pair is stored under (the same whichever half came first)."""
    return hashlib.sha256(b"".join(pair[name] for name in sorted(pair))).hexdigest()


async def keep_waiting(
    db: Database,
    owner: Owner,
    *,
    kind: str,
    data: bytes,
    filename: str | None,
    sha: str,
    state: dict[str, Any],
) -> Kept:
    """Keep an upload for its second step (replacing one of the same kind that waited)."""
    ttl = COMPANION_TTL if kind == COMPANION else CHOICE_TTL
    async with db.transaction() as session:
        earlier = await get_pending_upload(session=session, user=owner, kind=kind)
        replaced = None
        if earlier is not None and earlier.sha256 != sha:
            replaced = earlier.filename or ""
        if kind == CHOICE:  # the user's next text may name the sample
            stored = await session.get(User, owner.id)
            if stored is not None:
                stored.dialog = Dialog.PICK_SAMPLE
        pending = await add_pending_upload(
            session=session,
            user=owner,
            kind=kind,
            filename=filename,
            sha256=sha,
            data=data,
            expires_at=utcnow() + ttl,
            state=state,
        )
        return Kept(pending.id, replaced)


@dataclass(frozen=True)
class Kept:
    """An upload kept for its second step, and the name of the one it replaced (if any)."""

    id: int
    replaced: str | None = None


@dataclass(frozen=True)
class WaitingChoice:
    """An upload waiting for the user to say its sequencing method or pick one of its samples."""

    data: bytes
    filename: str | None
    sha: str
    sample_ids: tuple[str, ...]
    #: True while the method question (16S, shotgun, not sure) is unanswered.
    asks_method: bool = False
    #: The method the user gave (``16s`` or ``shotgun``); None when the file says it, or the
    #: user is not sure.
    method: str | None = None


#: The answers to the method question, in the order of its buttons (None: not sure).
METHOD_ANSWERS: tuple[str | None, ...] = ("16s", "shotgun", None)


async def waiting_choice(db: Database, owner: Owner, pending_id: int) -> WaitingChoice | None:
    """The upload behind a choice button (None when it expired or is someone else's)."""
    async with db.transaction() as session:
        pending = await get_pending_upload(
            session=session, user=owner, kind=CHOICE, pending_id=pending_id
        )
        if pending is None:
            return None
        state = pending.state or {}
        ids = tuple(state.get("sample_ids", []))
        method = state.get("method")
        return (
            WaitingChoice(
                pending.data,
                pending.filename,
                pending.sha256,
                ids,
                asks_method=bool(state.get("ask_method")),
                method=method if method in METHOD_ANSWERS else None,
            )
            if ids
            else None
        )


async def answer_method(
    db: Database, owner: Owner, pending_id: int, method: str | None
) -> WaitingChoice | None:
    """Keep the user's answer to the method question with the waiting upload.

    None when the upload expired, is someone else's, or its question was answered already
    (a second tap on an old button changes nothing).
    """
    async with db.transaction() as session:
        pending = await get_pending_upload(
            session=session, user=owner, kind=CHOICE, pending_id=pending_id
        )
        state = dict(pending.state or {}) if pending is not None else {}
        ids = tuple(state.get("sample_ids", []))
        if pending is None or not ids or not state.get("ask_method"):
            return None
        state.update(ask_method=False, method=method)
        pending.state = state
        return WaitingChoice(pending.data, pending.filename, pending.sha256, ids, method=method)


@dataclass(frozen=True)
class TypedMatch:
    """The samples of a waiting upload whose id matches what the user typed."""

    pending_id: int
    #: (index in the file, sample id), exact matches only when there are any.
    matches: tuple[tuple[int, str], ...]


#: Longest typed text read as a sample id.
TYPED_ID_MAX = 200


async def match_typed_sample(session: Session, user: User, typed: str) -> TypedMatch | None:
    """Samples of the waiting upload matching a typed id (exact first, else containing it).

    None when no upload waits (the dialogue then ends) or nothing matches (the text is then
    an ordinary question).
    """
    pending = await get_pending_upload(session=session, user=user, kind=CHOICE)
    ids = list((pending.state or {}).get("sample_ids", [])) if pending is not None else []
    if pending is None or not ids:  # the file it waited for expired: the dialogue is over
        user.dialog = None
        return None
    if (pending.state or {}).get("ask_method"):  # the method comes first: text is a question
        return None
    typed = typed.strip().lower()
    if not typed or len(typed) > TYPED_ID_MAX:
        return None
    exact = [(n, i) for n, i in enumerate(ids) if i.lower() == typed]
    matches = exact or [(n, i) for n, i in enumerate(ids) if typed in i.lower()]
    return TypedMatch(pending.id, tuple(matches)) if matches else None


async def cancel_waiting(session: Session, user: User) -> bool:
    """/cancel: forget uploads waiting for a second step (True when one was waiting)."""
    if user.dialog == Dialog.PICK_SAMPLE:
        user.dialog = None
    return await remove_pending_uploads(session=session, user=user) > 0


async def forget(db: Database, owner: Owner, pending_id: int) -> None:
    """Drop a waiting upload once its second step is done (and the dialogue waiting for it)."""
    async with db.transaction() as session:
        await remove_pending_upload(session=session, user=owner, pending_id=pending_id)
        stored = await session.get(User, owner.id)
        if stored is not None and stored.dialog == Dialog.PICK_SAMPLE:
            stored.dialog = None
