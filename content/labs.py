"""Lab panels in words: what each marker is (``data/lab_markers.toml``) and what a panel asks for.

Pure: a :class:`analysis.labs.LabPanel` in, plain data out. The bot renders it; the advice
tiers follow the sources cited with each marker (a result outside the lab's own range is
associated with something, never diagnosed; no dose, no treatment).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from analysis.labs.model import LabPanel, Marker
from content.evidence import Evidence
from content.messages import ContentError
from content.topics import Citation

MARKERS_FILE = Path(__file__).with_name("data") / "lab_markers.toml"

Tier = Literal["routine", "see_doctor", "urgent"]
TIER_ORDER: tuple[Tier, ...] = ("routine", "see_doctor", "urgent")

#: Marker keys (set by analysis.labs readers) by the explanation that covers them.
GROUPS: dict[str, str] = {
    "calprotectin": "calprotectin",
    "lactoferrin": "lactoferrin",
    "white_cells": "lactoferrin",
    "wbc": "lactoferrin",
    "occult_blood": "occult_blood",
    "rbc": "occult_blood",
    "red_cells": "occult_blood",
    "visible_blood": "occult_blood",
    "elastase": "elastase",
    "c_difficile": "c_difficile_toxin",
    "c_difficile_toxin_a": "c_difficile_toxin",
    "c_difficile_toxin_b": "c_difficile_toxin",
    "salmonella": "bacterial_pathogen",
    "shigella": "bacterial_pathogen",
    "campylobacter": "bacterial_pathogen",
    "stec": "bacterial_pathogen",
    "e_coli_o157": "bacterial_pathogen",
    "yersinia": "bacterial_pathogen",
    "vibrio": "bacterial_pathogen",
    "vibrio_cholerae": "bacterial_pathogen",
    "epec": "bacterial_pathogen",
    "epec_ehec": "bacterial_pathogen",
    "etec": "bacterial_pathogen",
    "giardia": "parasite",
    "cryptosporidium": "parasite",
    "entamoeba_histolytica": "parasite",
    "ova_parasites": "parasite",  # as the OCR readers keyed it before 2026-12-04 (stored panels)
    "ova_and_parasites": "parasite",
    "cyclospora": "parasite",
    "dientamoeba": "uncertain_parasite",  # likewise
    "dientamoeba_fragilis": "uncertain_parasite",
    "protozoa": "uncertain_parasite",
    "blastocystis": "uncertain_parasite",
    "h_pylori": "h_pylori",
    "norovirus": "virus",
    "rotavirus": "virus",
    "adenovirus": "virus",
    "astrovirus": "virus",
    "sapovirus": "virus",
    "zonulin": "zonulin",
    "secretory_iga": "functional",
    "b_glucuronidase": "functional",
    "fat_globules": "functional",
    "scfa": "functional",
    "steatocrit": "functional",
    "lysozyme": "functional",
    "eosinophil_protein_x": "functional",
    "m2_pk": "functional",
    "ttg_iga": "functional",
    "anti_gliadin_iga": "functional",
    "bile_acids": "functional",
}

#: Which direction counts for a marker group: a low calprotectin is good news, a low elastase
#: is the finding; for detections any "detected" counts.
DIRECTION: dict[str, tuple[str, ...]] = {
    "calprotectin": ("high", "abnormal"),
    "lactoferrin": ("high", "abnormal"),
    "occult_blood": ("high", "abnormal"),
    "elastase": ("low", "abnormal"),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MarkerInfo(_Strict):
    """The words for one marker group."""

    name: str
    what: str
    outside: str
    evidence: Evidence
    cites: list[str] = Field(min_length=1)
    tier: Tier


class MarkerFile(_Strict):
    markers: dict[str, MarkerInfo]
    citations: list[Citation]

    @model_validator(mode="after")
    def _cited(self) -> MarkerFile:
        known = {c.id for c in self.citations}
        for key, info in self.markers.items():
            missing = [c for c in info.cites if c not in known]
            if missing:
                raise ValueError(f"marker {key!r} cites unknown {', '.join(missing)}")
        unknown = set(GROUPS.values()) - set(self.markers)
        if unknown:
            raise ValueError(f"no words for marker groups {', '.join(sorted(unknown))}")
        return self


@cache
def marker_file(path: Path = MARKERS_FILE) -> MarkerFile:
    """The validated marker words (a malformed file stops start-up, naming the problem)."""
    try:
        return MarkerFile.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def info(group: str) -> MarkerInfo:
    """The words of one marker group."""
    return marker_file().markers[group]


def citation(cite_id: str) -> Citation:
    """One citation of the marker file by id."""
    return next(c for c in marker_file().citations if c.id == cite_id)


def group_of(marker: Marker) -> str | None:
    """The explanation that covers this marker (None: none is written for it)."""
    if marker.key is None:
        return None
    return GROUPS.get(marker.key)


def counts(marker: Marker) -> bool:
    """Whether this marker's result is outside what its group treats as expected."""
    group = group_of(marker)
    if group is None:
        return marker.flag in ("high", "low", "abnormal")
    if marker.qualitative == "detected" and group not in DIRECTION:
        return True
    if group == "occult_blood" and marker.qualitative == "detected":
        return True
    if marker.qualitative == "not_detected":
        return False
    allowed = DIRECTION.get(group, ("high", "low", "abnormal"))
    return marker.flag in allowed


@dataclass(frozen=True)
class Concern:
    """A marker outside its range with clinical weight: the group, the tier it asks for."""

    marker: Marker
    group: str
    tier: Tier


@dataclass(frozen=True)
class PanelAdvice:
    """What a panel asks for: the highest tier and the markers behind it (highest first)."""

    tier: Tier
    concerns: tuple[Concern, ...]


def panel_advice(panel: LabPanel) -> PanelAdvice:
    """The advice tier of a panel: from its markers with clinical weight that count."""
    concerns = []
    for marker in panel.markers:
        group = group_of(marker)
        if group is None or not counts(marker):
            continue
        tier = info(group).tier
        if tier != "routine":
            concerns.append(Concern(marker, group, tier))
    concerns.sort(key=lambda c: -TIER_ORDER.index(c.tier))
    tier = concerns[0].tier if concerns else "routine"
    return PanelAdvice(tier, tuple(concerns))


def explained_groups(panel: LabPanel) -> list[str]:
    """The marker groups to explain for this panel: those of markers that count, in order."""
    seen: list[str] = []
    others = False
    for marker in panel.markers:
        group = group_of(marker)
        if group is None:
            others = others or counts(marker)
        elif counts(marker) and group not in seen:
            seen.append(group)
    # Bacteria and other markers without words of their own share the commensal note.
    return [*seen, "commensal"] if others else seen
