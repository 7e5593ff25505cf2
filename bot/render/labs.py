"""A lab panel in words: the advice its markers ask for, what was read, and what the markers are."""

from __future__ import annotations

from datetime import date

from analysis.labs.model import LabPanel, Marker
from content.evidence import evidence_label
from content.labs import PanelAdvice, counts, explained_groups, info, panel_advice
from content.labs import citation as lab_citation
from content.messages import text

#: Markers listed outside the range before "… and N more" (a message holds 4096 characters).
MAX_LISTED = 25
#: Room for one message.
MESSAGE_LIMIT = 4000


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def _flag(marker: Marker) -> str:
    if marker.qualitative == "detected" and marker.flag in ("unknown", "abnormal", "high"):
        return text("labs.flag.detected")
    return text(f"labs.flag.{marker.flag}")


def marker_line(marker: Marker) -> str:
    """One marker as the report printed it, with the lab's range and where it falls."""
    printed = marker.result_text.strip()
    shown_unit = marker.unit and marker.value is not None and not printed.endswith(marker.unit)
    unit = f" {marker.unit}" if shown_unit else ""
    shown_range = text("labs.range", range=marker.range.text) if marker.range else ""
    line = text(
        "labs.marker_line",
        name=marker.name,
        result=marker.result_text,
        unit=unit,
        range=shown_range,
        flag=_flag(marker),
    )
    return line + (text("labs.uncertain") if not marker.certain else "")


def advice_text(advice: PanelAdvice) -> str | None:
    """The advice first, when a marker with clinical weight asks for a doctor (None: none)."""
    if advice.tier == "routine":
        return None
    names: list[str] = []
    for concern in advice.concerns:
        if concern.tier != advice.tier:
            continue
        name = f"{concern.marker.name} {_flag(concern.marker)}"
        if name not in names:
            names.append(name)
    words = text(f"labs.advice.{advice.tier}", reasons=", ".join(names))
    lower: list[str] = []
    for concern in advice.concerns:
        name = f"{concern.marker.name} {_flag(concern.marker)}"
        if concern.tier != advice.tier and name not in lower:
            lower.append(name)
    if lower:
        words += " " + text("labs.advice.also", reasons=", ".join(lower))
    if any(not c.marker.certain for c in advice.concerns if c.tier == advice.tier):
        words += " " + text("labs.advice.uncertain")
    return words


def reading_text(panel: LabPanel) -> str:
    """What was read: the lab and test, the markers outside the range, what they are."""
    collected = text("labs.collected", date=_day(panel.collected)) if panel.collected else ""
    lines = [text("labs.read_as", lab=panel.lab, test=panel.test, collected=collected)]
    uncertain = sum(not m.certain for m in panel.markers)
    if uncertain:
        lines.append(text("labs.counted_uncertain", count=len(panel.markers), uncertain=uncertain))
    else:
        lines.append(text("labs.counted", count=len(panel.markers)))
    outside = [m for m in panel.markers if counts(m)]
    lines.append("")
    if outside:
        lines.append(text("labs.outside_title", count=len(outside)))
        lines += [marker_line(m) for m in outside[:MAX_LISTED]]
        if len(outside) > MAX_LISTED:
            lines.append(text("labs.more_outside", count=len(outside) - MAX_LISTED))
    else:
        lines.append(text("labs.outside_none"))
    lines += ["", text("labs.not_indices")]
    groups = explained_groups(panel)
    if groups:
        lines += ["", text("labs.what_title")]
        cited: list[str] = []
        for group in groups:
            words = info(group)
            lines.append(
                text(
                    "labs.what_line",
                    name=words.name,
                    what=words.what,
                    outside=words.outside,
                    evidence=evidence_label(words.evidence),
                )
            )
            cited += [c for c in words.cites if c not in cited]
        sources = "; ".join(lab_citation(c).formatted() for c in cited)
        lines.append(text("labs.sources", sources=sources))
    lines += ["", text("labs.descriptive")]
    body = "\n".join(lines)
    if len(body) > MESSAGE_LIMIT:  # the explanations are the part that can go
        body = body[: MESSAGE_LIMIT - 1].rsplit("\n", 1)[0] + "\n…"
    return body


def panel_messages(panel: LabPanel) -> list[str]:
    """The reply to a lab report, in order: the advice (if any), then what was read."""
    advice = advice_text(panel_advice(panel))
    return [m for m in (advice, reading_text(panel)) if m]


def listed_line(panel: LabPanel, saved: date) -> str:
    """One saved lab report for /results."""
    when = (
        text("labs.collected", date=_day(panel.collected))
        if panel.collected
        else text("labs.saved_on", date=_day(saved))
    )
    return text("labs.listed_one", lab=panel.lab, test=panel.test, collected=when)
