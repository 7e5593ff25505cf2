"""The triage engine: concepts in context, the patient's facts, rules from the data file.

Steps, each in its own module: normalise the text (``normalise``), find every feature's
expressions (``lexicon``), decide which mentions are meant, current and about a person
(``context``), read numbers and the patient (``quantities`` and the profile), apply the rules, set
aside harmless lookalikes, then let the semantic safety net (``semantic``) raise the tier where a
clause reads like a red flag no expression caught. The highest tier wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from content.triage import labs, quantities, scores, sexes
from content.triage.context import Mention, contextualise
from content.triage.lexicon import LEVELS, Level, Lexicon, Rule, lexicon
from content.triage.normalise import normalise, only_english_words
from content.triage.timeline import happening_again, happening_now, recovered, resolved

#: Patient facts a user may have told the bot, by the feature names the rules use.
PROFILE_FACTS = frozenset(
    {
        "diabetes",
        "sglt2",
        "ibd",
        "chemo",
        "immunosuppressant",
        "anticoagulant",
        "pregnant",
        "ckd",
        "stoma",
        "lithium",
        "methotrexate",
        "clozapine",
        "nsaid",
        "heart_meds",
    }
)
FEVER_C = 37.8
#: 102 °F is 38.9 °C: the sources give "39 °C or 102 °F", so the lower reading counts.
HIGH_FEVER_C = 38.9
FAST_PULSE = 90


@dataclass(frozen=True)
class UserFacts:
    """What the user chose to tell the bot about themselves."""

    age: int | None = None
    age_band: str | None = None
    sex: str | None = None
    conditions: frozenset[str] = frozenset()

    def min_age(self) -> int | None:
        """The user's age, or the lower bound of their age band."""
        if self.age is not None:
            return self.age
        if self.age_band:
            digits = "".join(c if c.isdigit() else " " for c in self.age_band).split()
            if digits:
                return int(digits[0])
        return None


@dataclass(frozen=True)
class Fired:
    """A rule that fired, and whether only past events made it fire."""

    rule: Rule
    historical: bool
    via: str = "concept"

    @property
    def tier(self) -> Level:
        """A past event that has not settled is worth a doctor's view, not an emergency today."""
        if self.historical and self.rule.tier != "see_doctor" and self.rule.key != "self_harm":
            return "see_doctor"
        return self.rule.tier


@dataclass
class Assessment:
    """Everything the engine found in one message."""

    text: str
    mentions: list[Mention]
    active: set[str]
    historical_only: set[str]
    fired: list[Fired] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    age: float | None = None
    sex: str | None = None
    longest_days: float = 0.0
    stools_a_day: int = 0
    #: Whether the message says something is happening now, still or again.
    now: bool = True

    @property
    def level(self) -> Level:
        """The highest tier any rule reached (routine when none did)."""
        tiers = [f.tier for f in self.fired]
        return min(tiers, key=LEVELS.index) if tiers else "routine"


def _find(lex: Lexicon, text: str, language: str = "en") -> list[tuple[str, int, int, bool]]:
    found = []
    english = language == "en" and only_english_words(text, lex.words, lex.medical)
    for feature in lex.features.values():
        for pattern in feature.patterns if english else (*feature.patterns, *feature.foreign):
            for match in pattern.finditer(text):
                if match.end() > match.start():
                    found.append((feature.name, match.start(), match.end(), feature.negatable))
    return found


def _patient_age(
    text: str, found: list[quantities.Age], active: set[str], facts: UserFacts
) -> tuple[float | None, bool]:
    """The age of the person the message is about, and whether it is someone else."""
    others = [a for a in found if not a.own]
    own = [a for a in found if a.own]
    about_other = bool(others) or "other_person" in active
    if others:
        return min(a.years for a in others), True
    if own:
        return own[0].years, False
    if "infant_words" in active:
        return 0.5, True
    if "toddler" in text:
        return 2.0, True
    if "child_words" in active:
        return 10.0, True
    if not about_other and facts.min_age() is not None:
        return float(facts.min_age() or 0), False
    return None, about_other


def assess(
    message: str,
    facts: UserFacts | None = None,
    lex: Lexicon | None = None,
    language: str = "en",
) -> Assessment:
    """Find every red flag in ``message`` (written in ``language``) for the person it is about."""
    lex = lex or lexicon()
    facts = facts or UserFacts()
    text = normalise(message, lex.words, language, lex.medical).text
    found = _find(lex, text, language)
    pet_in_message = any(name == "pet" for name, *_ in found)
    mentions = contextualise(text, found, pet_in_message, language)
    active: set[str] = set()
    past: set[str] = set()
    for mention in mentions:
        feature = lex.features[mention.feature]
        if not feature.context:
            # Counted whatever the wording ("not going to do anything but..."), except a past
            # event the message says is over, with nothing said to be happening now.
            if recovered(text) and not happening_again(text):
                past.add(feature.name)
            else:
                active.add(feature.name)
            continue
        if mention.negated or (mention.pet and not feature.patient):
            continue
        if feature.patient and not (mention.historical and not feature.historical_ok):
            active.add(feature.name)
        elif feature.patient or mention.hypothetical:
            continue
        elif mention.historical and not feature.historical_ok:
            past.add(feature.name)
        else:
            active.add(feature.name)
    past -= active
    ages = quantities.ages(text)
    age, about_other = _patient_age(text, ages, active | past, facts)
    if not about_other:
        active |= facts.conditions & PROFILE_FACTS
    if about_other:
        sex = sexes.relative_sex(text) or sexes.sex(text)
    else:
        sex = sexes.sex(text) or facts.sex
    _computed(text, active, past)
    assessment = Assessment(text, mentions, active, past, age=age, sex=sex, now=happening_now(text))
    _apply_rules(lex, text, assessment, tuple(a.span for a in ages))
    _lookalikes(assessment)
    return assessment


def _computed(text: str, active: set[str], past: set[str]) -> None:
    """Features read from numbers and from other features."""
    temps = quantities.temperatures(text)
    if temps and "fever_words" in past and "fever_words" not in active:
        # "had a fever of 39 last month": the reading is as old as the fever it belongs to.
        past.update({"fever_any", "high_fever"} if max(temps) >= HIGH_FEVER_C else {"fever_any"})
        temps = []
    pulses = quantities.pulses(text)
    words = "fever_words" in active
    if (temps and max(temps) >= FEVER_C) or (words and not (temps and max(temps) < FEVER_C)):
        active.add("fever_any")
    if (temps and max(temps) >= HIGH_FEVER_C) or "high_fever_words" in active:
        active.add("high_fever")
    if pulses and max(pulses) > FAST_PULSE:
        active.add("fast_pulse")
    if any(value >= 50 for value in labs.calprotectin(text)):
        active.add("calprotectin_high")
    if labs.positive_fit(text):
        active.add("positive_fit")
    if labs.severe_colitis_bloods(text):
        active.add("severe_colitis_bloods")
    if "bleeding_any" in active and "anal_context" in active | past:
        active.add("blood_stool")
    if max(quantities.stool_counts(text), default=0) >= 4:
        active.add("diarrhoea")
    if labs.low_iron_or_haemoglobin(text):
        active.add("anaemia")
    if scores.ibs_sss_worse(text):
        active.add("ibs_sss_worse")
    if scores.phq4_half_positive(text):
        active.add("low_mood")
    if "bleeding_any" in active and not active & {
        "blood_stool",
        "bloody_diarrhoea",
        "vomit_blood",
        "black_stool",
        "heavy_bleeding",
    }:
        active.add("bleeding_other")
    if "intended_weight_loss" in active and "unintended_weight_loss" not in active:
        active.discard("weight_loss")
    if "fever_words" in past and "fever_any" not in active:
        past.add("fever_any")


def _holds(groups: tuple[tuple[str, ...], ...], present: set[str]) -> bool:
    return all(any(name in present for name in group) for group in groups)


def _apply_rules(
    lex: Lexicon, text: str, assessment: Assessment, ages_at: tuple[tuple[int, int], ...]
) -> None:
    days = quantities.durations(text, ages_at)
    counts = quantities.stool_counts(text)
    apply_rules(
        lex,
        assessment,
        longest_days=max(days) if days else 0.0,
        stools_a_day=max(counts) if counts else 0,
        settled=resolved(text) or recovered(text),
    )


def conditions_hold(rule: Rule, assessment: Assessment) -> bool:
    """Whether a rule's conditions beyond its features hold: patient, age, sex, days, counts."""
    age, sex, days = assessment.age, assessment.sex, assessment.longest_days
    if rule.patient and not _holds(rule.patient, assessment.active):
        return False
    if rule.age_min is not None and (age is None or age < rule.age_min):
        return False
    if rule.age_max is not None and (age is None or age > rule.age_max):
        return False
    if rule.sex is not None and sex != rule.sex:
        return False
    if rule.min_days is not None and days < rule.min_days:
        return False
    if rule.max_days is not None and days > rule.max_days:
        return False
    return rule.min_count is None or assessment.stools_a_day >= rule.min_count


def apply_rules(
    lex: Lexicon,
    assessment: Assessment,
    *,
    longest_days: float,
    stools_a_day: int,
    settled: bool,
) -> None:
    """Fire every rule whose features and conditions hold for the assessment."""
    active, past = assessment.active, assessment.historical_only
    assessment.longest_days, assessment.stools_a_day = longest_days, stools_a_day
    for rule in lex.rules:
        if not conditions_hold(rule, assessment):
            continue
        if rule.unless and any(name in active for group in rule.unless for name in group):
            continue
        if _holds(rule.all, active):
            assessment.fired.append(Fired(rule, historical=False))
        elif _holds(rule.all, active | past) and not rule.current_only:
            assessment.fired.append(Fired(rule, historical=True))
    # A past event that was checked or has settled is not a red flag now; nor is a "see a doctor"
    # flag the message says a doctor already followed up ("colonoscopy all clear"), unless it
    # says something is happening now or again.
    if settled:
        assessment.fired = [
            f
            for f in assessment.fired
            if not f.historical and not (f.rule.tier == "see_doctor" and not assessment.now)
        ]


_COLOUR_RULES = {
    "melaena",
    "haematemesis",
    "rectal_bleeding",
    "bloody_diarrhoea",
    "anticoagulated_bleeding",
    "intussusception_signs",
}


_SAID_BLOOD = re.compile(
    r"\b(?:blood\w*|bled|bleed\w*|clots?|haem\w*|hem\w*|кров\w*|sang\w*|blut\w*)\b"
)


def _lookalikes(assessment: Assessment) -> None:
    """Iron, bismuth, beetroot and red foods explain a colour; they never hide pain or faintness."""
    active = assessment.active
    faint = bool(active & {"collapse", "shocked", "tarry", "dehydration_weak", "body_warning"})
    if "dark_food" in active and "dark_colour" in active:
        if not faint and "vomit_blood" not in active:
            assessment.fired = [f for f in assessment.fired if f.rule.key != "melaena"]
        assessment.notes.append("lookalike_iron")
    if "exercise_soreness" in active and not active & {"vomiting", "fever_any", "shocked"}:
        assessment.fired = [
            f for f in assessment.fired if f.rule.key not in {"peritonism", "severe_abdominal_pain"}
        ]
    # Red vomit read as blood ("the sick was bright red") is a colour a red food explains; once
    # blood is said anywhere ("he says it's the wine but it looks like blood"), it is not.
    blood_words = active & {"blood_stool", "bloody_diarrhoea", "heavy_bleeding"}
    if "vomit_blood" in active and _SAID_BLOOD.search(assessment.text):
        blood_words.add("vomit_blood")
    simile = "colour_simile" in active  # "like strawberry squash" describes a colour, not a food
    if "red_food" in active and "red_colour" in active and not blood_words and not simile:
        assessment.notes.append("lookalike_beetroot")
        if not faint:  # red wine explains a colour, not tar-like stool with dizziness
            assessment.fired = [f for f in assessment.fired if f.rule.key not in _COLOUR_RULES]
