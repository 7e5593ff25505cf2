"""Lab reports without Telegram: a reading held until the user confirms it, then kept.

Only the reading is held (the panel JSON, encrypted, in ``pending_uploads`` with no document
bytes): the document itself is never stored, and the panel holds no personal details.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from analysis.labs.model import LabPanel
from storage import Database
from storage.labs import add_lab_result, find_lab_by_sha256, get_lab_result, list_lab_results
from storage.models import Owner, PendingKind, utcnow
from storage.samples import add_pending_upload, get_pending_upload, remove_pending_upload

CONFIRM = PendingKind.LAB_CONFIRM
CONFIRM_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Saved:
    """A confirmed panel: its row id, and whether it was already stored before."""

    row_id: int
    created_at: datetime
    already: bool


async def already_saved(db: Database, owner: Owner, sha: str) -> datetime | None:
    """When this document was saved before (None: never)."""
    async with db.transaction() as session:
        row = await find_lab_by_sha256(session=session, user=owner, sha256=sha)
        return row.created_at if row is not None else None


#: Pages of one report sent one photo at a time are joined while they come within this time.
PAGE_WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Held:
    """A reading waiting for the user's answer: its pending id, panel, album and age."""

    pending_id: int
    panel: LabPanel
    group: str | None
    sha: str
    since: datetime


async def held(db: Database, owner: Owner) -> Held | None:
    """The reading waiting for an answer, if there is one."""
    async with db.transaction() as session:
        pending = await get_pending_upload(session=session, user=owner, kind=CONFIRM)
        if pending is None:
            return None
        state = pending.state or {}
        return Held(
            pending.id,
            LabPanel.model_validate(state["panel"]),
            state.get("group"),
            pending.sha256,
            pending.created_at,
        )


def same_report(earlier: Held, page: LabPanel, group: str | None) -> bool:
    """Whether a newly read page belongs to the reading held: the same album, or the same lab,
    test, collection date and reader sent within :data:`PAGE_WINDOW`."""
    if group is not None and earlier.group == group:
        return True
    first = earlier.panel
    return (first.lab, first.test, first.reader, first.collected) == (
        page.lab,
        page.test,
        page.reader,
        page.collected,
    ) and utcnow() - earlier.since <= PAGE_WINDOW


async def hold(
    db: Database, owner: Owner, panel: dict[str, Any], sha: str, group: str | None = None
) -> int:
    """Keep a reading until the user says whether to save it; returns its pending id."""
    async with db.transaction() as session:
        pending = await add_pending_upload(
            session=session,
            user=owner,
            kind=CONFIRM,
            filename=None,
            sha256=sha,
            data=b"",  # the document is not kept, only what was read from it
            expires_at=utcnow() + CONFIRM_TTL,
            state={"panel": panel, "group": group},
        )
        return pending.id


async def confirm(db: Database, owner: Owner, pending_id: int) -> Saved | None:
    """Store the held reading (None when it expired or was already answered)."""
    async with db.transaction() as session:
        pending = await get_pending_upload(
            session=session, user=owner, kind=CONFIRM, pending_id=pending_id
        )
        if pending is None:
            return None
        panel = LabPanel.model_validate((pending.state or {})["panel"])
        before = await find_lab_by_sha256(session=session, user=owner, sha256=pending.sha256)
        row = before or await add_lab_result(
            session=session,
            user=owner,
            lab=panel.lab,
            test=panel.test,
            collected=panel.collected,
            sha256=pending.sha256,
            panel=panel.model_dump(mode="json"),
        )
        await remove_pending_upload(session=session, user=owner, pending_id=pending.id)
        return Saved(row.id, row.created_at, already=before is not None)


async def discard(db: Database, owner: Owner, pending_id: int) -> bool:
    """Drop the held reading; False when there was none."""
    async with db.transaction() as session:
        pending = await get_pending_upload(
            session=session, user=owner, kind=CONFIRM, pending_id=pending_id
        )
        if pending is None:
            return False
        await remove_pending_upload(session=session, user=owner, pending_id=pending.id)
        return True


@dataclass(frozen=True)
class SavedPanel:
    """A saved panel: its row id, the day it was saved, and the panel."""

    row_id: int
    saved: date
    panel: LabPanel


async def saved_panels(db: Database, owner: Owner) -> list[SavedPanel]:
    """This user's saved panels, newest first."""
    async with db.transaction() as session:
        rows = await list_lab_results(session=session, user=owner)
        return [
            SavedPanel(r.id, r.created_at.date(), LabPanel.model_validate(r.panel)) for r in rows
        ]


async def saved_panel(db: Database, owner: Owner, row_id: int) -> LabPanel | None:
    """One of this user's saved panels (None: not theirs, or deleted)."""
    async with db.transaction() as session:
        row = await get_lab_result(session=session, user=owner, row_id=row_id)
        return LabPanel.model_validate(row.panel) if row is not None else None
