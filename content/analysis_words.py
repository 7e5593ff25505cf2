"""The words for analysis' keys: caveats, index readings, format and method names, chart labels.

``analysis`` returns keys and numbers (engine version 2 on); this module words them from
``content/messages/analysis.toml``. Reports stored by engine version 1 carry their own English
sentence instead of numbers: that sentence is shown when the key's words need a number the old
report does not have.
"""

from __future__ import annotations

from collections.abc import Mapping

from analysis.model import CaveatModel, Finding, IndexResult
from content.messages import all_messages, has, text


def _filled(key: str, params: Mapping[str, object]) -> str | None:
    """The words of ``key`` filled with ``params``; None when the key is unknown or the words
    need a number ``params`` does not have (a report stored by an older engine)."""
    template = all_messages().get(key)
    if template is None:
        return None
    try:
        return template.format(**params)
    except (KeyError, ValueError, IndexError, TypeError):
        return None


def caveat_key(caveat: CaveatModel) -> str:
    """The message key of a caveat's words (``variant`` picks one of several)."""
    variant = caveat.params.get("variant")
    return f"analysis.caveat.{caveat.key}" + (f"_{variant}" if variant else "")


#: The groups ``other_kingdoms_set_apart`` may name, in the order they are said.
SET_APART_GROUPS = ("host", "virus", "eukaryote", "unknown")


def _set_apart(params: Mapping[str, object]) -> str | None:
    parts = [
        text(f"analysis.set_apart.{group}", share=float(share))
        for group in SET_APART_GROUPS
        if isinstance(share := params.get(group), (int, float)) and share > 0
    ]
    if not parts:
        return None
    return text("analysis.caveat.other_kingdoms_set_apart", parts=", ".join(parts))


def caveat_text(caveat: CaveatModel) -> str:
    """One caveat in plain words."""
    if caveat.key == "other_kingdoms_set_apart":
        words = _set_apart(caveat.params)
        return words if words is not None else text("analysis.caveat.unknown")
    words = _filled(caveat_key(caveat), caveat.params)
    if words is not None:
        return words
    if caveat.detail:  # stored by engine version 1
        return caveat.detail[:1].upper() + caveat.detail[1:].rstrip(".") + "."
    return text("analysis.caveat.unknown")


def index_note(name: str, result: IndexResult) -> str:
    """How to read one index result, or why it does not apply to this file."""
    if result.reason:
        params = dict(result.params)
        if isinstance(params.get("profiler"), str):  # a format id, worded like everywhere else
            params["profiler"] = format_name(str(params["profiler"]))
        reading = _filled(f"analysis.index_note.{name}.{result.reason}", params)
        if reading is not None:
            if result.approximate:
                approximate = _filled(f"analysis.index_note.{name}.approximate", params)
                if approximate is not None:
                    return f"{approximate}. {reading[:1].upper()}{reading[1:]}"
            return reading
    return result.note or text("analysis.index_note.unknown")


def format_name(fmt: str) -> str:
    """A readable name for a format id (the id itself when it has no words yet)."""
    return text(f"analysis.format.{fmt}") if has(f"analysis.format.{fmt}") else fmt


def method_name(method: str) -> str:
    """A readable name for a method id."""
    return text(f"analysis.method.{method}") if has(f"analysis.method.{method}") else method


def finding_label(finding: Finding) -> str:
    """A short name for a finding: the taxon and its direction."""
    return text(f"analysis.finding.{finding.direction}", taxon=finding.taxon)


def chart_words() -> dict[str, str]:
    """Every word the charts need (``analysis.plots.WORDS``), by key."""
    from analysis.plots import WORDS

    return {key: text(f"analysis.chart.{key}") for key in WORDS}
