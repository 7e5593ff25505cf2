"""Alarm-symptom triage, run before anything else on every message.

Rule-based on purpose: each rule is readable, testable and traceable to its source. Tiers follow
CONTENT_SOURCES.md section 1: NHS "get help now" advice and IDSA/SHEA (emergency, urgent), NICE
NG12 and CG61 and Rome IV alarm features (see a doctor). When unsure, the higher tier wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from content.messages import text

Level = Literal["emergency", "urgent", "see_doctor", "routine"]
LEVELS: tuple[Level, ...] = ("emergency", "urgent", "see_doctor", "routine")


@dataclass(frozen=True)
class UserFacts:
    """What the user chose to tell us about themselves."""

    age: int | None = None
    age_band: str | None = None
    sex: str | None = None

    def min_age(self) -> int | None:
        """The user's age, or the lower bound of their age band."""
        if self.age is not None:
            return self.age
        if self.age_band:
            match = re.match(r"(\d+)", self.age_band)
            if match:
                return int(match.group(1))
        return None


@dataclass(frozen=True)
class Triage:
    """The tier, the reasons (stable keys), and the message to show."""

    level: Level
    reasons: tuple[str, ...] = ()
    message: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


# Everyday words people use, folded onto the words the rules look for.
_FOLD = [
    (
        r"\b(poo+p?s?|poos|stools?|faeces|feces|bm|bowel movements?|motions?|number twos?|crap|shit|dump)\b",
        " stool ",
    ),
    (r"\b(tummy|belly|abdomen|abdominal|stomach|gut|tum)\b", " belly "),
    (
        r"\b(throw(?:ing|n)? up|threw up|puk(?:e|ed|ing)|being sick|vomit(?:ed|ing|s)?|spew(?:ed|ing)?|barf(?:ed|ing)?)\b",
        " vomiting ",
    ),
    (
        r"\b(diarr?h?o?ea|diarr?hea|diarhea|diarrea|the runs|runs|watery stool|loose stool|liquid stool)\b",
        " diarrhoea ",
    ),
    (r"\b(bleed(?:ing|s)?|bloody|blood)\b", " blood "),
    (
        r"\b(passed out|fainted|faint(?:ing)?|collapsed|blacked out|lost consciousness)\b",
        " fainting ",
    ),
]
_NEGATION = re.compile(
    r"\b(no|not|never|without|none|nothing|neither|nor|denies|isn'?t|wasn'?t|aren'?t|don'?t|doesn'?t|didn'?t|haven'?t|hasn'?t|havent|dont|no sign of|free of)\b"
)
_PAST = re.compile(
    r"\b(last year|years? ago|months? ago|in the past|used to|once had|as a child|when i was|back in \d{4})\b"
)
_QUESTION = re.compile(r"^\s*(what|why|is|are|can|could|does|do|should|how|when)\b.*\?\s*$")


@dataclass(frozen=True)
class Rule:
    key: str
    level: Level
    pattern: re.Pattern[str]
    source: str


def _r(key: str, level: Level, pattern: str, source: str) -> Rule:
    return Rule(key, level, re.compile(pattern), source)


RULES: tuple[Rule, ...] = (
    # Emergency: NHS "Stomach ache" / "get help now"; self-harm: crisis pathway.
    _r(
        "self_harm",
        "emergency",
        r"(kill(ing)? (my ?self|me)|suicid|end (my|it all)|self.?harm|hurt(ing)? myself|want to die|don'?t want to (live|be alive)|better off dead|take my (own )?life)",
        "NHS crisis advice",
    ),
    _r(
        "vomiting_blood",
        "emergency",
        r"(vomiting[^.,;]{0,30}(blood|coffee)|blood[^.,;]{0,20}vomiting|coffee.?grounds?)",
        "NHS",
    ),
    _r(
        "black_tarry_stool",
        "emergency",
        r"(black|tarry|tar.like|like tar|sticky black)[^.,;]{0,25}stool|stool[^.,;]{0,25}(black|tarry|like tar)|melaena|melena",
        "NHS; NICE NG12",
    ),
    _r(
        "heavy_bleeding",
        "emergency",
        r"((lots|lot|loads|full|pouring|heavy|heavily|clots?|a cup|so much|tons)[^.,;]{0,20}blood|blood[^.,;]{0,20}(pouring|everywhere|clots?|won'?t stop|in the toilet bowl))",
        "NHS",
    ),
    _r(
        "severe_pain",
        "emergency",
        r"((sudden|severe|unbearable|excruciating|worst|agoni[sz]ing|extreme|10/10|ten out of ten|stabbing|crippling)[^.,;]{0,30}(pain|belly|cramp|ache)|(pain|belly)[^.,;]{0,30}(unbearable|excruciating|agoni[sz]ing|10/10)|hurts? (so much|to touch)|(rigid|hard as a board) belly|can'?t (stand|move) (up )?(for|because of) (the )?pain)",
        "NHS",
    ),
    _r(
        "obstruction",
        "emergency",
        r"((can'?t|cannot|unable to|haven'?t been able to)[^.,;]{0,20}(pass|do a) (stool|wind|gas|fart)[^.]{0,60}vomiting|vomiting[^.]{0,60}(can'?t|cannot|unable to)[^.,;]{0,20}(pass|do a) (stool|wind|gas))",
        "NHS",
    ),
    _r("fainting", "emergency", r"\bfainting\b", "NHS"),
    # Urgent (same day): NHS diarrhoea advice; Mayo Clinic; IDSA/SHEA for C. difficile.
    _r(
        "bloody_diarrhoea_fever",
        "urgent",
        r"(blood[^.]{0,40}diarrhoea|diarrhoea[^.]{0,40}blood)[^.]{0,80}(fever|temperature|hot|chills)|(fever|temperature)[^.]{0,80}(blood[^.]{0,40}diarrhoea|diarrhoea[^.]{0,40}blood)",
        "NHS; CONTENT_SOURCES 1.5",
    ),
    _r(
        "high_fever",
        "urgent",
        r"((fever|temp(erature)?)[^.,;]{0,20}\b(39\.?[1-9]|4[0-2](\.\d)?|10[2-9](\.\d)?)\b|\b(39\.[1-9]|4[0-2](\.\d)?|10[2-9](\.\d)?) ?(°|degrees|c\b|f\b))",
        "NHS",
    ),
    _r(
        "dehydration",
        "urgent",
        r"(dehydrat|can'?t keep (any|fluids|water|anything|liquids|drinks)[^.]{0,10}down|haven'?t (peed|urinated|weed)|not (peed|urinated|weeing)|(very|really|extremely) thirsty|dark (pee|urine)|dizzy when (i )?stand)",
        "NHS",
    ),
    _r(
        "diarrhoea_over_2_days",
        "urgent",
        r"diarrhoea[^.]{0,60}(\b([3-9]|[1-9]\d) days|(three|four|five|six|seven|several|many) days|a week|weeks|since (last|monday|tuesday|wednesday|thursday|friday|saturday|sunday))|(\b([3-9]|[1-9]\d) days|(three|four|five|several) days|a week)[^.]{0,40}diarrhoea",
        "NHS",
    ),
    _r(
        "diarrhoea_after_antibiotics",
        "urgent",
        r"(antibiotic|amoxicillin|clindamycin|ciprofloxacin|augmentin|hospital)[^.]{0,80}diarrhoea|diarrhoea[^.]{0,80}(antibiotic|amoxicillin|clindamycin|ciprofloxacin|augmentin|hospital)",
        "IDSA/SHEA 2018",
    ),
    # See a doctor within about 2 weeks: NICE NG12, CG61; Rome IV alarm features.
    _r(
        "weight_loss",
        "see_doctor",
        r"((lost|losing|dropped|loss of)[^.,;]{0,25}(weight|kg|kilos|pounds|lbs|stone)|weight loss|getting (thinner|skinny))",
        "NICE NG12, CG61",
    ),
    _r(
        "rectal_bleeding",
        "see_doctor",
        r"(blood[^.,;]{0,30}(stool|toilet|paper|tissue|bum|bottom|rectum|anus|back passage|wipe|bowl)|(stool|toilet|paper|tissue|bum|bottom|rectum|anus|wipe)[^.,;]{0,30}blood|rectal blood)",
        "NICE NG12, CG61",
    ),
    _r(
        "anaemia",
        "see_doctor",
        r"(an(a)?emi[ac]|low (iron|ferritin|haemoglobin|hemoglobin|hb)|iron deficien)",
        "NICE NG12; Rome IV",
    ),
    _r(
        "nocturnal",
        "see_doctor",
        r"(wak(e|es|ing) me( up)?|woke me( up)?|at night)[^.]{0,40}(pain|diarrhoea|stool|toilet|belly|cramp)|(pain|diarrhoea|cramp|belly)[^.]{0,40}(wak(e|es|ing) me|woke me|at night|in the night)",
        "Rome IV alarm features",
    ),
    _r(
        "family_history",
        "see_doctor",
        r"(mum|mom|mother|dad|father|brother|sister|parent|grand(ma|pa|mother|father)|aunt|uncle|family|sibling)[^.]{0,60}(bowel cancer|colon cancer|colorectal|rectal cancer|crohn|colitis|ibd|coeliac|celiac|ovarian cancer)",
        "NICE CG61; Rome IV",
    ),
)

_LOOKALIKES = (
    (
        "beetroot",
        re.compile(
            r"(beet|beetroot|red (food|dye|colou?ring)|red velvet|dragon fruit|cranberr|tomato)"
        ),
        re.compile(r"(red|pink|purple)"),
    ),
    (
        "iron_bismuth",
        re.compile(
            r"(iron (tablet|pill|supplement)s?|ferrous|iron|bismuth|pepto|liquorice|licorice|blueberr|activated charcoal)"
        ),
        re.compile(r"(black|dark|green)"),
    ),
)
_INTENDED = re.compile(
    r"(help with weight loss|for weight loss|to lose weight|trying to lose|on a diet|dieting|on purpose|intentional|calorie|slimming|weight ?watchers|ozempic|wegovy|mounjaro)"
)
_AGE = re.compile(r"\b(?:i'?m|i am|aged?|age)\s*(\d{2})\b|\b(\d{2})\s*(?:years? old|yo\b|y/o|yrs)")
_BOWEL_CHANGE = re.compile(
    r"(chang|different|looser|more often|more frequent|constipat|diarrhoea|stool|bowel)"
)
_LONG_DURATION = re.compile(
    r"(\b([6-9]|[1-9]\d) weeks|\b(two|three|four|five|six|several|many|[2-9]) months|a year|for months|six weeks|since (last )?(summer|spring|winter|autumn|christmas|january|february|march|april|may|june|july|august|september|october|november|december))"
)
_NEW = re.compile(
    r"(new|recent|recently|started|lately|past few|last few|this year|suddenly|never had)"
)
_GUT_SYMPTOM = re.compile(r"(bloat|belly|pain|cramp|diarrhoea|constipat|stool|wind|gas|ibs)")
_PERSISTENT_BLOAT = re.compile(
    r"bloat[^.]{0,60}(every day|all the time|constant|persistent|weeks|months|most days)|(every day|all the time|constant|persistent|most days)[^.]{0,30}bloat"
)


def _fold(message: str) -> str:
    out = f" {message.lower()} "
    out = out.replace("’", "'").replace("\u2019", "'")
    for pattern, replacement in _FOLD:
        out = re.sub(r"\s+", " ", re.sub(pattern, replacement, out))
    return out


def _clause_of(textual: str, start: int, end: int) -> str:
    left = max(textual.rfind(c, 0, start) for c in ".;!?\n") + 1
    but = textual.rfind(" but ", left, start)
    left = max(left, but + 5 if but >= 0 else left)
    return textual[left:end]


def _negated(textual: str, start: int, end: int) -> bool:
    """A negation cue shortly before the match, in the same clause (no, not, never, without ...)."""
    before = _clause_of(textual, start, start)[-45:]
    return bool(_NEGATION.search(before))


def age_from_text(message: str) -> int | None:
    """An age the user mentions ('I'm 63', '55 years old')."""
    for match in _AGE.finditer(message.lower()):
        value = int(match.group(1) or match.group(2))
        if 10 <= value <= 110:
            return value
    return None


def triage(message: str, user: UserFacts | None = None) -> Triage:
    """Triage one message: the highest tier any alarm rule reaches (negation-aware)."""
    folded = _fold(message)
    found: dict[str, Level] = {}
    for rule in RULES:
        for match in rule.pattern.finditer(folded):
            if not _negated(folded, match.start(), match.end()):
                found[rule.key] = rule.level
                break
    notes: list[str] = []
    if "weight_loss" in found and _INTENDED.search(folded) and "without trying" not in folded:
        del found["weight_loss"]
    # Harmless lookalikes lower only the colour-based rules, never pain, vomiting or fainting.
    for name, cause, colour in _LOOKALIKES:
        if cause.search(folded) and colour.search(folded):
            if (
                name == "iron_bismuth"
                and "black_tarry_stool" in found
                and not re.search(r"(tarry|tar\b|sticky|like tar|faint)", folded)
            ):
                found["black_stool_iron"] = "see_doctor"
                del found["black_tarry_stool"]
                notes.append("lookalike_iron")
            elif name == "beetroot" and not re.search(r"\bblood\b", folded):
                notes.append("lookalike_beetroot")
    facts = user or UserFacts()
    age = age_from_text(message) or facts.min_age()
    if age is not None:
        if age >= 60 and _BOWEL_CHANGE.search(folded) and _LONG_DURATION.search(folded):
            found.setdefault("bowel_change_60", "see_doctor")
        if age >= 50 and _GUT_SYMPTOM.search(folded) and _NEW.search(folded):
            found.setdefault("new_symptoms_50", "see_doctor")
        female = (facts.sex or "").lower() in {"female", "f", "woman"} or bool(
            re.search(r"\b(i'?m a woman|female|as a woman)\b", folded)
        )
        if age >= 50 and female and _PERSISTENT_BLOAT.search(folded):
            found.setdefault("persistent_bloating_50", "see_doctor")
    if _PAST.search(folded) and not re.search(
        r"\b(now|today|again|still|this morning|tonight|right now|currently)\b", folded
    ):
        # A past, resolved event: not an emergency now, but still worth a doctor's view.
        for key, level in list(found.items()):
            if level in ("emergency", "urgent") and key != "self_harm":
                found[key] = "see_doctor"
    if not found:
        message = "\n".join(text(f"triage.note.{n}") for n in notes)
        return Triage("routine", (), message, tuple(notes))
    level = min(found.values(), key=LEVELS.index)
    reasons = tuple(sorted(found, key=lambda k: (LEVELS.index(found[k]), k)))
    top = [k for k in reasons if found[k] == level]
    lines = [text(f"triage.{level}.title")]
    lines += [text(f"triage.reason.{k}") for k in top]
    lines.append(text(f"triage.{level}.action"))
    if "self_harm" in found:
        lines = [text("triage.crisis")]
    lines += [text(f"triage.note.{n}") for n in notes]
    return Triage(level, reasons, "\n".join(lines), tuple(notes))
