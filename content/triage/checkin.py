"""Check-in answers through the same rules as typed messages.

A check-in's taps are turned into the features the rules read ("blood" and a Bristol 6-7 stool
is bloody diarrhoea, "black and tarry" is melaena, 5+ loose movements a day is frequent
diarrhoea), the user's profile adds their conditions, and the note is triaged as text. So a fever
with Bristol 7 and 5+ movements gets the advice the same words typed would get.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from content.triage.engine import PROFILE_FACTS, Assessment, UserFacts, apply_rules
from content.triage.lexicon import LEVELS, lexicon
from content.triage.reply import Triage, compose, from_assessment, triage

#: Bristol types 6 and 7 are diarrhoea (Lewis & Heaton 1997).
LOOSE_FROM = 6
#: The highest bowel-movement button means "5 or more".
MOST_MOVEMENTS = 5


@dataclass(frozen=True)
class CheckinAnswers:
    """What one check-in recorded so far (None: not asked yet or skipped)."""

    stool_form: int | None = None
    bowel_movements: int | None = None
    pain: int | None = None
    blood: bool | None = None
    black: bool | None = None
    weight_loss: bool | None = None
    fever: bool | None = None
    note: str | None = None
    #: Consecutive earlier days (up to yesterday) whose check-in had a Bristol 6-7 stool.
    loose_days_before: int = 0


def _features(answers: CheckinAnswers) -> set[str]:
    loose = answers.stool_form is not None and answers.stool_form >= LOOSE_FROM
    active: set[str] = set()
    if loose:
        active |= {"diarrhoea", "watery"} if answers.stool_form == 7 else {"diarrhoea"}
    if answers.blood:
        active |= {"blood_stool", "bleeding_any"}
        if loose:
            active.add("bloody_diarrhoea")
    if answers.black:
        active |= {"black_stool", "tarry"}
    if answers.weight_loss:
        active.add("weight_loss")
    if answers.fever:
        active |= {"fever_any", "fever_words"}
    if answers.pain is not None and answers.pain >= 1:
        active |= {"pain_word", "gut_symptom"}
    return active


def triage_checkin(answers: CheckinAnswers, user: UserFacts | None = None) -> Triage:
    """The triage of a check-in's answers (and its note), with the reasons named."""
    facts = user or UserFacts()
    active = _features(answers) | (facts.conditions & PROFILE_FACTS)
    assessment = Assessment(
        text="",
        mentions=[],
        active=active,
        historical_only=set(),
        age=facts.min_age(),
        sex=facts.sex,
    )
    loose = answers.stool_form is not None and answers.stool_form >= LOOSE_FROM
    apply_rules(
        lexicon(),
        assessment,
        longest_days=float(answers.loose_days_before + 1) if loose else 0.0,
        stools_a_day=answers.bowel_movements or 0,
        settled=False,
    )
    assessment.fired = [replace(f, via="checkin") for f in assessment.fired]
    if answers.fever and assessment.level == "routine":
        assessment.notes.append("checkin_fever")
    result = from_assessment(assessment)
    if not answers.note:
        return result
    typed = triage(answers.note, facts)
    if LEVELS.index(typed.level) < LEVELS.index(result.level):
        return typed
    if typed.level == result.level and typed.reasons:
        fired = assessment.fired
        reasons = tuple(dict.fromkeys((*result.reasons, *typed.reasons)))
        message = compose(result.level, fired, [*assessment.notes, *typed.notes])
        return Triage(result.level, reasons, message, result.notes + typed.notes)
    return result
