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
from content.triage.context import _ANCHOR, _HISTORICAL, _HYPOTHETICAL, _NOW, _PET
from content.triage.engine import Assessment, Fired, conditions_hold
from content.triage.lexicon import LEVELS, Rule, lexicon

EXEMPLARS_FILE = Path(__file__).with_name("exemplars.toml")
THRESHOLDS: dict[str, float] = {"emergency": 0.72, "urgent": 0.74, "see_doctor": 0.78}
_SPLIT = re.compile(r"[.!?;\n]+|\s(?:but|however|although|though|and then|and now|also)\s|,\s")
_NEGATION = re.compile(
    r"\b(?:no|not|never|without|dont|didnt|doesnt|isnt|wasnt|havent|hasnt|nothing|none|nor|zero)\b"
)
_FIGURE_OF_SPEECH = re.compile(r"\b(?:lol|lmao|haha\w*|killing me|kidding|joking)\b")
MIN_WORDS = 3
#: A colour the message already explains (iron, beetroot) is not a bleed to the net either.
_EXPLAINED = {
    "lookalike_iron": ("melaena", "haematemesis"),
    "lookalike_beetroot": ("rectal_bleeding", "bloody_diarrhoea", "heavy_rectal_bleeding"),
}


@dataclass(frozen=True)
class Bank:
    """Exemplar texts, their rules, and their embeddings."""

    rules: tuple[Rule, ...]
    texts: tuple[str, ...]
    matrix: Any


def load_exemplars(path: Path = EXEMPLARS_FILE) -> list[tuple[Rule, str]]:
    """Every (rule, text) of the exemplar file, checked against the concept file's rules."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
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
        matrix=embedder.embed([text for _, text in pairs]),
    )


def clauses(text: str) -> list[str]:
    """The clauses of normalised text that can be compared on their own."""
    out = []
    for part in _SPLIT.split(text):
        part = part.strip(" ,")
        if len(part.split()) < MIN_WORDS:
            continue
        if _NEGATION.search(part) or _FIGURE_OF_SPEECH.search(part) or _PET.search(part):
            continue
        if (_HISTORICAL.search(part) and not _NOW.search(part)) or (
            _HYPOTHETICAL.search(part) and not _ANCHOR.search(part)
        ):
            continue
        out.append(part)
    return out


def nearest(parts: list[str]) -> list[tuple[str, Rule, float]]:
    """For each clause, the closest exemplar's rule and its similarity."""
    found = bank()
    if found is None or not parts:
        return []
    sims = _embedder().embed(parts) @ found.matrix.T
    best = sims.argmax(axis=1)
    return [
        (part, found.rules[int(index)], float(sims[row, int(index)]))
        for row, (part, index) in enumerate(zip(parts, best, strict=True))
    ]


def safety_net(assessment: Assessment, thresholds: dict[str, float] | None = None) -> None:
    """Raise the assessment's tier where a clause reads like a higher red flag."""
    limits = thresholds or THRESHOLDS
    current = LEVELS.index(assessment.level)
    explained = {k for note in assessment.notes for k in _EXPLAINED.get(note, ())}
    for _, rule, similarity in nearest(clauses(assessment.text)):
        if rule.key in explained or not conditions_hold(rule, assessment):
            continue
        if LEVELS.index(rule.tier) < current and similarity >= limits[rule.tier]:
            assessment.fired.append(Fired(rule, historical=False, via="semantic"))
