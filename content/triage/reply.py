"""From an assessment to what the user reads: the tier, the specific reasons, what to do, how soon."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from content.messages import text
from content.triage import quantities
from content.triage.engine import Assessment, Fired, UserFacts, assess
from content.triage.lexicon import LEVELS, Level
from content.triage.normalise import fold, numbers_to_digits

#: At most this many reasons are spelled out; the rest are named in one line.
SHOWN_REASONS = 3


@dataclass(frozen=True)
class Triage:
    """The tier, the reasons (stable keys, highest tier first), and the message to show."""

    level: Level
    reasons: tuple[str, ...] = ()
    message: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)
    language: str = "en"
    #: How each reason was found: "concept" (an expression), "semantic" (the safety net) or
    #: "foreign" (an emergency expression in another language).
    via: tuple[str, ...] = ()


def age_from_text(message: str) -> int | None:
    """An age the writer gives for themselves ('I'm 63', '62F', 'female 56', 'im sixty')."""
    own = [a for a in quantities.ages(numbers_to_digits(fold(message))) if a.own]
    return int(own[0].years) if own else None


def _ordered(fired: list[Fired]) -> list[Fired]:
    seen: set[str] = set()
    ordered = []
    for item in sorted(fired, key=lambda f: LEVELS.index(f.tier)):
        if item.rule.key not in seen:
            seen.add(item.rule.key)
            ordered.append(item)
    return ordered


def _features(fired: Fired) -> set[str]:
    return {name for group in fired.rule.all for name in group}


def _shown(ordered: list[Fired]) -> list[Fired]:
    """The reasons worth spelling out: one that a more specific fired rule covers is left out."""
    kept: list[Fired] = []
    for item in ordered:
        mine = _features(item)
        covered = any(
            (mine & _features(other) and len(item.rule.all) < len(other.rule.all))
            or (mine <= _features(other) and other.rule.key != item.rule.key)
            # "blood in the stool" is not worth a lower line under "blood in many stools a day"
            or (mine & _features(other) and LEVELS.index(other.tier) < LEVELS.index(item.tier))
            for other in ordered
            if LEVELS.index(other.tier) <= LEVELS.index(item.tier) and other is not item
        )
        if not covered:
            kept.append(item)
    return kept or ordered[:1]


def compose(level: Level, fired: list[Fired], notes: list[str]) -> str:
    """The triage message: title, 'because you mention ...', the action and how soon, notes."""
    note_lines = [text(f"triage.note.{n}") for n in dict.fromkeys(notes)]
    if level == "routine":
        return "\n".join(note_lines)
    ordered = _shown(_ordered(fired))
    top = [f for f in ordered if f.tier == level]
    lower = [f for f in ordered if f.tier != level]
    lines: list[str] = []
    if any(f.rule.key == "self_harm" for f in top):
        lines.append(text("triage.crisis"))
        top = [f for f in top if f.rule.key != "self_harm"]
        if not top:
            return "\n\n".join([*lines, *note_lines])
    lines.append(text(f"triage.{level}.title"))
    for index, item in enumerate(top[:SHOWN_REASONS]):
        # The safety net compares meanings, not words: it says what the message sounds close to,
        # never that the user mentioned something they did not write.
        if item.via == "semantic":
            key = "triage.sounds_like"
        elif item.via == "checkin":  # a tapped answer, not something the user wrote
            key = "triage.answered" if index == 0 else "triage.answered_also"
        else:
            key = "triage.because" if index == 0 else "triage.also"
        lines.append(text(key, reason=item.rule.reason, why=item.rule.why))
    if len(top) > SHOWN_REASONS:
        rest = ", ".join(f.rule.reason for f in top[SHOWN_REASONS:])
        lines.append(text("triage.and_more", reasons=rest))
    lines.append(text(f"triage.{level}.action"))
    if lower:
        lines.append(text("triage.lower", reasons="; ".join(f.rule.reason for f in lower[:3])))
    return "\n\n".join([*lines, *note_lines])


def from_assessment(assessment: Assessment) -> Triage:
    """The Triage for an assessment of English text."""
    level = assessment.level
    ordered = _ordered(assessment.fired)
    return Triage(
        level=level,
        reasons=tuple(f.rule.key for f in ordered),
        message=compose(level, assessment.fired, assessment.notes),
        notes=tuple(dict.fromkeys(assessment.notes)),
        via=tuple(f.via for f in ordered),
    )


def _with_gloss(message: str, language: str) -> str:
    """A message in another language followed by its English gloss (glossary.toml), so that one
    assessment reads both: the language's own expressions and the English concepts with their
    context rules, a lookalike or a denial found in either counting for both."""
    from content.triage.glossary import gloss
    from content.triage.lexicon import lexicon
    from content.triage.normalise import normalise

    lex = lexicon()
    own = normalise(message, lex.words, language, lex.medical).text
    # One full stop between the two, never "..": a double stop is one token the sentence
    # splitter does not break on, and a denial at the end ("pas de douleur") reached the gloss.
    return f"{own.rstrip(' .!?;')}. {gloss(own, language)}"


def triage(message: str, user: UserFacts | None = None) -> Triage:
    """Triage one message: the highest tier any red flag reaches, with its reasons."""
    from content.triage.languages import detect_language, localised_message
    from content.triage.semantic import safety_net

    language = detect_language(message)
    if language == "en":
        assessment = assess(message, user, language=language)
        safety_net(assessment)
    else:
        # "gloss:<code>": English context rules, with the language's own quirks (Portuguese "no").
        assessment = assess(_with_gloss(message, language), user, language=f"gloss:{language}")
    result = from_assessment(assessment)
    if language == "en":
        return result
    return replace(
        result,
        language=language,
        message=localised_message(
            language, result.level, result.reasons, "self_harm" in result.reasons
        ),
    )
