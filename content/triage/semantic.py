"""The semantic safety net: a clause that reads like a red flag raises the tier, matched or not.

Every clause of an English message that is not negated, hypothetical, about the past or about a
pet is embedded with the sentence model answers already use (MiniLM, ``content.retrieval``) and
compared with the exemplar bank (``exemplars.toml``). A clause at least ``THRESHOLDS[tier]`` similar
to an exemplar fires that exemplar's rule. The thresholds were set on the development messages for
recall first, false alarms second (``make bench`` prints what each would give). Without the model
(no onnxruntime) the net is off and the concept rules still apply.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from content.messages import ContentError
from content.triage.context import _ANCHOR, _HYPOTHETICAL, _STUDY
from content.triage.engine import Assessment, Fired, conditions_hold
from content.triage.lexicon import LEVELS, Rule, lexicon
from content.triage.pets import FIRST_PERSON as _FIRST_PERSON
from content.triage.pets import PET as _PET
from content.triage.timeline import _HISTORICAL, _NOW, past_in_settled_story

EXEMPLARS_FILE = Path(__file__).with_name("exemplars.toml")
THRESHOLDS: dict[str, float] = {"emergency": 0.58, "urgent": 0.6, "see_doctor": 0.64}
#: How much closer to a red flag than to the nearest everyday description a clause must be.
MARGIN = 0.05
_SPLIT = re.compile(r"[.!?;\n]+|\s(?:but|however|although|though|and then|and now|also)\s|,\s")
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|dont|didnt|doesnt|isnt|wasnt|havent|hasnt|nothing|none|nor|zero)\b"
)
_FIGURE_OF_SPEECH = re.compile(r"\b(?:lol|lmao|haha\w*|killing me|kidding|joking)\b")
MIN_WORDS = 4
#: Rules whose false alarm costs most get a stricter bar (a crisis reply to a question about burping).
RULE_THRESHOLDS: dict[str, float] = {"self_harm": 0.7}
#: A colour the message already explains (iron, beetroot) is not a bleed to the net either.
_EXPLAINED = {
    "lookalike_iron": ("melaena", "haematemesis"),
    "lookalike_beetroot": (
        "rectal_bleeding",
        "bloody_diarrhoea",
        "heavy_rectal_bleeding",
        "haematemesis",
    ),
}


@dataclass(frozen=True)
class Bank:
    """Exemplar texts, their rules, and their embeddings."""

    rules: tuple[Rule, ...]
    texts: tuple[str, ...]
    matrix: Any
    benign: Any


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def load_benign(path: Path = EXEMPLARS_FILE) -> list[str]:
    """The everyday descriptions a red flag must read closer than."""
    texts = [str(t) for t in _read(path).get("benign", {}).get("texts", [])]
    if not texts:
        raise ContentError(f"{path.name}: no [benign] texts")
    return texts


def load_exemplars(path: Path = EXEMPLARS_FILE) -> list[tuple[Rule, str]]:
    """Every (rule, text) of the exemplar file, checked against the concept file's rules."""
    data = _read(path)
    rules = {rule.key: rule for rule in lexicon().rules}
    pairs = []
    for entry in data.get("exemplar", []):
        key = entry.get("rule")
        if key not in rules:
            raise ContentError(f"{path.name}: exemplar for unknown rule {key!r}")
        texts = entry.get("texts") or []
        if not texts:
            raise ContentError(f"{path.name}: exemplar {key!r} has no texts")
        pairs += [(rules[key], str(t)) for t in texts]
    return pairs


def _embedder() -> Any:
    from content.retrieval import default_retriever

    return default_retriever().embeddings


@cache
def bank() -> Bank | None:
    """The embedded exemplar bank, or None when no embedding model is available."""
    embedder = _embedder()
    if embedder is None:
        return None
    pairs = load_exemplars()
    return Bank(
        rules=tuple(rule for rule, _ in pairs),
        texts=tuple(text for _, text in pairs),
        matrix=embed_each([text for _, text in pairs]),
        benign=embed_each(load_benign()),
    )


def embed_each(texts: list[str]) -> Any:
    """One embedding per text, each computed on its own.

    The int8 model quantises activations per batch, so a text embedded beside others comes out
    slightly different (cosine about 0.99): enough to move a clause across a threshold because
    of what else the message says. Embedded alone, a clause scores the same in every message.
    """
    import numpy as np

    embedder = _embedder()
    return np.vstack([embedder.embed([text]) for text in texts])


_COLOUR = re.compile(r"\b(?:black\w*|dark\w*|red\w*|pink\w*|maroon|purple|green\w*|tarry|tar)\b")

#: At most this many clauses are embedded per message (the longest messages cost the most).
MAX_CLAUSES = 10
#: Words of a clause the model sees (clauses past this are cut, not dropped).
MAX_WORDS = 30


def clauses(text: str) -> list[str]:
    """The clauses of normalised text that can be compared on their own."""
    out: list[str] = []
    if _STUDY.search(text) and not _ANCHOR.search(text):
        return out  # a question for an exam, a story or curiosity: nobody here has it
    pets = bool(_PET.search(text))
    for sentence in re.split(r"[.!?;\n]+", text):
        if past_in_settled_story(text, sentence):
            text = text.replace(sentence, " ")
    for part in _SPLIT.split(text):
        part = part.strip(" ,")
        if len(part.split()) < MIN_WORDS:
            continue
        if _NEGATION.search(part) or _FIGURE_OF_SPEECH.search(part) or _PET.search(part):
            continue
        if pets and not _FIRST_PERSON.search(part):
            continue  # in a message about a pet, only what the writer says of themselves
        if (_HISTORICAL.search(part) and not _NOW.search(part)) or (
            _HYPOTHETICAL.search(part) and not _ANCHOR.search(part)
        ):
            continue
        out.append(" ".join(part.split()[:MAX_WORDS]))
    return out[:MAX_CLAUSES]


def nearest(parts: list[str]) -> list[tuple[str, Rule, float, float]]:
    """For each clause: the closest exemplar's rule, its similarity, and the closest benign one's."""
    found = bank()
    if found is None or not parts:
        return []
    vectors = embed_each(parts)
    sims = vectors @ found.matrix.T
    benign = (vectors @ found.benign.T).max(axis=1)
    best = sims.argmax(axis=1)
    return [
        (part, found.rules[int(index)], float(sims[row, int(index)]), float(benign[row]))
        for row, (part, index) in enumerate(zip(parts, best, strict=True))
    ]


def safety_net(
    assessment: Assessment, thresholds: dict[str, float] | None = None, margin: float = MARGIN
) -> None:
    """Raise the assessment's tier where a clause reads like a higher red flag."""
    limits = thresholds or THRESHOLDS
    current = LEVELS.index(assessment.level)
    if current == 0:
        return  # nothing is above an emergency: no need to embed anything

    explained = {k for note in assessment.notes for k in _EXPLAINED.get(note, ())}
    if "meconium" in assessment.active:
        explained |= {"melaena"}  # a newborn's first black, sticky stool
    if "good_hydration" in assessment.active:
        explained |= {"dehydration", "infant_dehydration", "cant_keep_fluids_down"}
    parts = clauses(assessment.text)
    if assessment.active & {"red_food", "dark_food"}:
        # A food or medicine that colours stool or urine is named: a clause about the colour
        # ("everything coming out is black" after charcoal) is what the lookalike explains.
        parts = [p for p in parts if not _COLOUR.search(p)]
    for _, rule, similarity, everyday in nearest(parts):
        if rule.key in explained or not conditions_hold(rule, assessment):
            continue
        if any(name in assessment.active for group in rule.unless for name in group):
            continue  # what rules the concept out rules out the same meaning too
        if similarity - everyday < margin:
            continue
        limit = max(limits[rule.tier], RULE_THRESHOLDS.get(rule.key, 0.0))
        if LEVELS.index(rule.tier) < current and similarity >= limit:
            assessment.fired.append(Fired(rule, historical=False, via="semantic"))
