"""Curated topics: one TOML file each under content/topics/, validated once at start-up."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from content.evidence import Evidence
from content.messages import ContentError

TOPICS_DIR = Path(__file__).with_name("topics")
AREAS = (
    "basics",
    "causes",
    "symptoms",
    "microbiome",
    "immune",
    "metabolic",
    "gut_brain",
    "pathogens",
    "testing",
    "interventions",
    "safety",
)
REQUIRED_IDS = (
    "dysbiosis.basics",
    "causes.antibiotics",
    "causes.diet",
    "causes.stress_sleep",
    "causes.medications",
    "symptoms.bloating_gas",
    "symptoms.bowel_habits",
    "symptoms.abdominal_pain",
    "gut.permeability",
    "scfa.butyrate",
    "immune.inflammation",
    "immune.systemic",
    "metabolic.energy_weight",
    "metabolic.insulin_bile",
    "metabolic.vitamins",
    "gut_brain.axis",
    "gut_brain.mood",
    "pathogens.colonization_resistance",
    "pathogens.c_difficile",
    "pathogens.candida",
    "pathogens.e_coli",
    "taxa.beneficial",
    "testing.methods",
    "testing.interpreting",
    "interventions.fiber_prebiotics",
    "interventions.fermented_foods",
    "interventions.probiotics",
    "interventions.low_fodmap",
    "interventions.lifestyle",
    "recovery.after_antibiotics",
    "ibs.overview",
    "safety.when_to_see_doctor",
)
FINDING_KEYS = (
    "low_diversity",
    "low_butyrate_producers",
    "low_faecalibacterium",
    "low_bifidobacterium",
    "low_lactobacillus",
    "high_lactobacillus",
    "low_akkermansia",
    "high_akkermansia",
    "proteobacteria_bloom",
    "enterobacteriaceae_bloom",
    "oral_taxa_in_stool",
    "c_difficile_detected",
    "klebsiella_high",
    "enterococcus_high",
    "fusobacterium_detected",
    "bilophila_high",
    "methanogens_present",
    "candida_detected",
    "high_prevotella",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Citation(_Strict):
    id: str
    authors: str
    title: str
    source: str
    doi: str | None = None
    pmid: str | None = None

    @model_validator(mode="after")
    def _identifier(self) -> Citation:
        if not (self.doi or self.pmid):
            raise ValueError(f"citation {self.id!r} needs a doi or a pmid")
        return self

    def formatted(self) -> str:
        """One line: authors, title, source, DOI/PMID link."""
        link = (
            f"https://doi.org/{self.doi}"
            if self.doi
            else f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        )
        return f"{self.authors} {self.title}. {self.source}. {link}"


class KeyPoint(_Strict):
    text: str
    evidence: Evidence
    cites: list[str] = Field(min_length=1)


class Help(_Strict):
    text: str
    evidence: Evidence
    for_findings: list[str] = Field(default_factory=list)
    cites: list[str] = Field(default_factory=list)


class Topic(_Strict):
    id: str
    title: str
    area: str
    last_reviewed: date
    short: str = Field(max_length=600)
    long: str = Field(min_length=400)
    related: list[str] = Field(min_length=1)
    synonyms: list[str] = Field(min_length=5)
    questions: list[str] = Field(min_length=3)
    findings: list[str] = Field(default_factory=list)
    finding_meaning: dict[str, str] = Field(default_factory=dict)
    key_points: list[KeyPoint] = Field(min_length=2)
    helps: list[Help] = Field(default_factory=list)
    citations: list[Citation] = Field(min_length=2)

    @field_validator("area")
    @classmethod
    def _area(cls, value: str) -> str:
        if value not in AREAS:
            raise ValueError(f"area must be one of {', '.join(AREAS)}")
        return value

    @model_validator(mode="after")
    def _references(self) -> Topic:
        ids = {c.id for c in self.citations}
        cited = [set(p.cites) for p in self.key_points] + [set(h.cites) for h in self.helps]
        for refs in cited:
            missing = refs - ids
            if missing:
                raise ValueError(f"cites undefined citation(s) {sorted(missing)}")
        unknown = set(self.findings) - set(FINDING_KEYS)
        if unknown:
            raise ValueError(f"unknown finding keys {sorted(unknown)}")
        if set(self.findings) - set(self.finding_meaning):
            raise ValueError(
                f"finding_meaning missing for {sorted(set(self.findings) - set(self.finding_meaning))}"
            )
        for help_item in self.helps:
            if set(help_item.for_findings) - set(self.findings):
                raise ValueError("helps.for_findings must be a subset of findings")
        return self


def load_topics(directory: Path = TOPICS_DIR) -> dict[str, Topic]:
    """Read and validate every topic file; a bad file raises ContentError naming it."""
    topics: dict[str, Topic] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            topic = Topic.model_validate(data)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ContentError(f"{path.name}: {exc}") from exc
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ()))
            raise ContentError(f"{path.name}: {where}: {first.get('msg')}") from exc
        if topic.id != path.stem:
            raise ContentError(f"{path.name}: id {topic.id!r} does not match the file name")
        topics[topic.id] = topic
    for topic in topics.values():
        missing = [r for r in topic.related if r not in topics]
        if missing:
            raise ContentError(f"{topic.id}.toml: related topic(s) {missing} do not exist")
    return topics


@cache
def all_topics() -> dict[str, Topic]:
    """Every topic (loaded once)."""
    return load_topics()


def get_topic(topic_id: str) -> Topic:
    """One topic by id (KeyError when unknown)."""
    return all_topics()[topic_id]


def areas() -> list[str]:
    """Areas that have topics, in browsing order."""
    present = {t.area for t in all_topics().values()}
    return [a for a in AREAS if a in present]


def topics_in_area(area: str) -> list[Topic]:
    """The topics of one area, by title."""
    return sorted((t for t in all_topics().values() if t.area == area), key=lambda t: t.title)


def topics_for_finding(key: str) -> list[str]:
    """Topic ids that explain a finding (the primary one first)."""
    ids = [t.id for t in all_topics().values() if key in t.findings]
    from analysis.findings import TOPICS

    primary = TOPICS.get(key, [])
    return sorted(ids, key=lambda i: (primary.index(i) if i in primary else 99, i))


def meaning_for_finding(key: str) -> str:
    """One plain sentence on what a finding may mean (KeyError when no topic explains it)."""
    for topic_id in topics_for_finding(key):
        meaning = get_topic(topic_id).finding_meaning.get(key)
        if meaning:
            return meaning
    raise KeyError(key)


class TopicHelp(BaseModel):
    """A 'what may help' item with the topic it comes from."""

    model_config = ConfigDict(frozen=True)
    topic_id: str
    text: str
    evidence: str


def helps_for_findings(keys: list[str]) -> list[TopicHelp]:
    """Suggestions tied to these findings, strongest evidence first, no duplicates."""
    from content.evidence import ORDER

    seen: set[str] = set()
    out: list[TopicHelp] = []
    for key in keys:
        for topic_id in topics_for_finding(key):
            for item in get_topic(topic_id).helps:
                if key in item.for_findings and item.text not in seen:
                    seen.add(item.text)
                    out.append(TopicHelp(topic_id=topic_id, text=item.text, evidence=item.evidence))
    return sorted(out, key=lambda h: ORDER.index(h.evidence))


def long_text(topic_id: str) -> str:
    """The long explanation with its key points and their evidence levels."""
    from content.evidence import evidence_label

    topic = get_topic(topic_id)
    points = "\n".join(f"• {p.text} ({evidence_label(p.evidence)})" for p in topic.key_points)
    return f"{topic.title}\n\n{topic.long.strip()}\n\n{points}"


def citations_text(topic_id: str) -> str:
    """The full citations of a topic."""
    from content.messages import text

    topic = get_topic(topic_id)
    lines = [text("questions.sources_title", title=topic.title)]
    lines += [f"{i}. {c.formatted()}" for i, c in enumerate(topic.citations, start=1)]
    lines.append(text("questions.reviewed", date=topic.last_reviewed.strftime("%B %Y")))
    return "\n".join(lines)
