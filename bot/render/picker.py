"""The sample picker for a file with several samples: natural order, pages, back and more."""

from __future__ import annotations

import math
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import UPLOAD_PICK
from bot.render.formatting import shown_name
from content.messages import text

#: Sample buttons a page.
PICK_PAGE = 20


def natural_key(value: str) -> list[tuple[int, int | str]]:
    """Sort key: numbers inside ids compare as numbers (S2 before S10)."""
    return [(0, int(p)) if p.isdigit() else (1, p.lower()) for p in re.split(r"(\d+)", value) if p]


def pick_order(ids: list[str] | tuple[str, ...]) -> list[int]:
    """The positions of the sample ids in the order they are offered (natural sort)."""
    return sorted(range(len(ids)), key=lambda i: natural_key(ids[i]))


def pick_keyboard(pending_id: int, ids: list[str], page: int) -> InlineKeyboardMarkup:
    """Buttons with sample ids in natural order (20 a page, two a row), back and more."""
    order = pick_order(ids)
    pages = max(1, math.ceil(len(ids) / PICK_PAGE))
    page = min(max(page, 0), pages - 1)
    start = page * PICK_PAGE
    buttons = [
        InlineKeyboardButton(
            shown_name(ids[n], 30), callback_data=UPLOAD_PICK.pack("pick", pending_id, n)
        )
        for n in order[start : start + PICK_PAGE]
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                text("results.buttons.back"),
                callback_data=UPLOAD_PICK.pack("page", pending_id, page - 1),
            )
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(
                text("results.buttons.more"),
                callback_data=UPLOAD_PICK.pack("page", pending_id, page + 1),
            )
        )
    if nav:
        rows.append(nav)
    return InlineKeyboardMarkup(rows)


def pick_text(ids: list[str] | tuple[str, ...], page: int) -> str:
    """The question above the picker, with which samples this page shows."""
    question = text("upload.pick_sample", count=len(ids))
    if len(ids) <= PICK_PAGE:
        return question
    start = page * PICK_PAGE
    end = min(len(ids), start + PICK_PAGE)
    shown = text("upload.pick_more", start=start + 1, end=end, count=len(ids))
    return f"{question}\n{shown} {text('upload.pick_type')}"
