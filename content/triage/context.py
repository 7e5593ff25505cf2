"""Whether a mention is about now, about this person, and meant: negation, past, hypothetical, pets.

Negation uses negspacy (NegEx on spaCy) with its clinical termset widened for chat: lay cues
("havent had any", "zero"), chat pseudo-negations ("not getting better" is not a negation), and
clause breaks people type ("just", "only", "now", "and i"). Its scope is bounded: a cue negates a
mention that starts within ``NEGATION_WINDOW`` tokens of it and in the same clause, as in the
original NegEx. medspaCy's ConText, which would also give history and hypotheticals, could not be
used: on Python 3.11 it requires spaCy < 3.8, which requires numpy < 2 and so conflicts with
pandas 3 and scikit-bio 0.7. History, hypotheticals and the experiencer are therefore cue lists
of the same NegEx shape, scoped to the clause.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from content.messages import ContentError
from content.triage.pets import FIRST_PERSON, is_pet
from content.triage.timeline import (
    _DATED_FACT,
    _HISTORICAL,
    _NOW,
    _RECENT_PAST,
    _RESOLVED,
    ACUTE_DANGER,
    _inside,
    past_in_settled_story,
)

NEGATION_WINDOW = 5

NEGATION_TERMS = Path(__file__).with_name("negation_terms.toml")


def _negation_terms(path: Path = NEGATION_TERMS) -> dict[str, list[str]]:
    """The chat negation terms (``negation_terms.toml``): four lists of words and phrases."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    keys = ("preceding", "preceding_drop", "pseudo", "termination")
    if set(data) != set(keys) or not all(
        isinstance(v, list) and all(isinstance(w, str) and w.strip() for w in v)
        for v in data.values()
    ):
        raise ContentError(f"{path.name}: needs exactly {', '.join(keys)}, each a list of words")
    return {k: list(data[k]) for k in keys}


_HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|hypothetically|in case|help (?:to )?(?:stop|avoid|prevent)|would (?:it|that|this|you|i)|what would|when should|"
    r"should i worry|how do (?:i|you) know|what does it mean|what are the (?:signs|symptoms)|signs of|"
    r"symptoms of|warning signs|quiz|first aid|someone|somebody|a person|people who|anyone who|"
    r"what happens (?:if|when)|is it (?:a sign|normal) (?:if|when)|bad enough|how (?:would|will) i know|"
    r"when to worry|when do you|what counts as|counts as|whats a normal|what is a normal|can(?: .{0,20})? cause|do(?: .{0,20})? cause|does(?: .{0,20})? cause|(?:whats|what is )?(?:the )?difference between|"
    r"is .{0,30} a sign of|preventive|prevent\w*|(?:lower|reduce|cut) (?:my|the|our|his|her) (?:risk|chances?|odds)|evidence for|risk of|(?<!bowel )(?<!my )(?<!the )screening|actually mean|"
    r"leaflet|poster|article|saw (?:it|this|that) on|read (?:about|that|online)|documentary|"
    # The same cues in the other languages the engine reads (folded: no accents, no apostrophes).
    r"was ware wenn|falls ich (?:mal|einmal|jemals)|interessehalber|rein hypothetisch|"
    r"si (?:algun dia|alguna vez)|es por saber|hipoteticamente|por curiosidad|"
    r"si un jour|(?:cest )?juste pour savoir|par curiosite|hypothetiquement|"
    r"e se um dia|se um dia|por curiosidade|what temperature|"
    r"domanda ipotetica|se un giorno|per curiosita|ipoteticamente|"
    r"чисто теоретически|теоретически|если когда-нибудь|на всякий случай|"
    r"wenn ich (?:\w+ ){0,3}(?:hatte|habe|sehe|seh)|y si|e se|et si|si jamais|а если|если вдруг|"
    r"esli vdrug)\b"
)
# Reading or writing about a symptom, wherever it is said in the sentence.
_REPORTED = re.compile(
    r"\b(?:leaflet|poster|article|quiz|first aid|saw (?:it|this|that) on|read (?:about|that|online)|"
    r"documentary|podcast|on tv|actually mean|for (?:a|my) (?:\w+ )?(?:project|essay|course|homework|assignment)|just curious|curious what|"
    r"out of curiosity|does .{0,25} always mean|studying for|revising for|for (?:an|my) exam|not me|"
    r"(?:said|says|told (?:me|us)|heard) .{0,60}\bis (?:that|it|this) true|"
    r"old (?:hospital |medical |gp )?(?:letter|notes|records)|(?:letter|notes|records) from (?:\d{4}|years ago)|"
    r"my friends? (?:\w+ )?(?:was|had))\b"
)
# A symptom dreamt, not had ("dreamt I was vomiting blood last night"), unless it then came true.
_DREAM = re.compile(
    r"\b(?:in (?:my|a) (?:dream|nightmare)|(?:dreamt|dreamed|dreaming) (?:it|that|about|of|i was|i had))\b"
)
_REAL = re.compile(r"\b(?:but now|actually|for real|woke up (?:and|with))\b")
# A sentence that only asks what a medical word means ("what does melaena mean?").
_DEFINITION = re.compile(
    r"^\W*(?:so |and |but |sorry |quick question,? )?(?:what does|whats|what is|what are) (?:the word |the term )?"
    r"[\w ]{3,30}? (?:actually )?mean\W*$"
)
_STUDY = re.compile(
    r"\b(?:(?:nursing|medical|med|pharmacy|biology|vet|paramedic) student|for (?:my|an|the|our) "
    r"(?:\w+ )?(?:exam|essay|assignment|class|course|module|dissertation|lecture)|revising|"
    r"(?:my |the )?(?:finals|exams) (?:are |is )?(?:next|this|on|in)|"
    r"physiologically|pharmacology|purely hypothetical|hypothetically speaking|want to be (?:ready|prepared)|"
    r"(?:writing|write|wrote) (?:a|my|the) (?:thriller|novel|story|book|script|screenplay|crime novel|scene)|"
    r"(?:in|for) (?:a|my|the) (?:novel|story|film|movie|tv show|series|game|quiz|pub quiz)|"
    r"(?:character|protagonist|villain) (?:in|who|that)|a character (?:vomits|has|gets|who)|"
    r"out of (?:pure )?curiosity|just curious,? (?:i have |ive got )?no symptoms|no symptoms,? just curious|"
    r"(?:just )?read (?:it|this|that|about it) online|"
    r"pour ma culture|aus neugier|frag nur|por curiosidad|solo pregunto|por curiosidade|so pra saber|"
    r"per curiosita|chiedo solo|из любопытства|просто спрашиваю|prosto sprashivayu)\b"
)
_ANCHOR = re.compile(
    r"\b(?:since|for \d|today|tonight|this (?:morning|week|afternoon|evening)|(?<!going on )(?<!like that )(?<!fine )(?<!ok )(?<!fine right )(?<!right )now|(?<!fine )(?<!ok )(?<!okay )(?<!well )right now(?! (?:im|i am|i feel|im feeling|feeling|everything is|all is|its) (?:fine|ok|okay|good|well|alright|totally fine|completely fine))|ive been|"
    r"i have been|ive had|i have had|ive got|i have got|yesterday|last night|keeps?|keep|started|"
    r"\d+ (?:days?|hours?|weeks?|months?|times)|currently|at the moment|just (?:had|now|been)|been (?:vomiting|having|passing|getting)|"
    r"for the (?:last|past) (?:\d+|few|couple of)|once a week|every so often|every time i go)\b"
)
# A cue inside a match, just before its last words ("stool ... no blood", "poo isnt black"):
# NegEx only looks before a match, and these matches start before their cue.
_NEGATED_END = re.compile(
    r"(?<=\w)\W+(?:no|not|never|without|nor|zero|isnt|wasnt|arent|werent|havent seen|not seen|no sign of)\b(?:\W+\w+){0,2}\W*$"
)
_HUMAN = re.compile(
    r"\b(?:mum|mom|dad|husband|wife|partner|son|daughter|baby|toddler|child|kid|boy|girl|grand\w+|nan|"
    r"brother|sister|friend|he|she|him|her|they)\b"
)


@dataclass(frozen=True)
class Mention:
    """One match of a feature in the message, with its context."""

    feature: str
    start: int
    end: int
    negated: bool = False
    historical: bool = False
    hypothetical: bool = False
    pet: bool = False

    @property
    def current(self) -> bool:
        """Meant, about a person, now."""
        return not (self.negated or self.historical or self.hypothetical or self.pet)


@cache
def _pipeline() -> Any:
    import spacy
    from negspacy.termsets import termset
    from spacy.language import Language

    patterns = termset("en_clinical").get_patterns()
    terms = _negation_terms()
    patterns["preceding_negations"] = [
        p for p in patterns["preceding_negations"] if p not in terms["preceding_drop"]
    ] + [p for p in terms["preceding"] if p not in patterns["preceding_negations"]]
    patterns["pseudo_negations"] = patterns["pseudo_negations"] + terms["pseudo"]
    patterns["termination"] = patterns["termination"] + terms["termination"]
    # "a lump that wasn't there before": in chat, "wasn't" after a mention rarely denies it.
    patterns["following_negations"] = [
        p
        for p in patterns["following_negations"]
        if p not in {"free", "was not", "were not", "wasn't", "wasnt", "weren't", "werent"}
    ] + ["was negative", "came back negative", "negative"]

    if "gutbot_negex" not in Language.factories:
        _register_windowed_negex()
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [".", "!", "?", ";", "\n"]})
    nlp.add_pipe(
        "gutbot_negex",
        config={"neg_termset": patterns, "span_keys": ["mentions"], "extension_name": "negex"},
    )
    return nlp


def _register_windowed_negex() -> None:
    from negspacy.negation import Negex
    from spacy.language import Language
    from spacy.tokens import Span

    class WindowedNegex(Negex):
        """NegEx whose preceding cues reach only a few tokens, as in the original algorithm.

        A mention belongs to the clause it starts in, even when its expression runs past a
        clause break ("no blood, just diarrhoea" is one match of "blood ... diarrhoea").
        """

        @staticmethod
        def yield_spans_within_boundary(doc: Any, boundary: tuple[int, int], span_keys: Any) -> Any:
            start, end = boundary
            for key in span_keys:
                for span in doc.spans.get(key, []):
                    if start <= span.start < end:
                        yield span

        def _apply_negation(self, span: Span, sub_preceding: Any, sub_following: Any) -> None:
            doc = span.doc
            for _, _, end in sub_preceding:
                if not 0 <= span.start - end <= NEGATION_WINDOW:
                    continue
                between = doc[end : span.start].text
                after = doc[span.end : min(len(doc), span.end + 4)].text
                # "no wind, no poo, vomiting everything": past a comma the cue still reaches a
                # list only when the list is joined by "or" ("no fever, vomiting or diarrhoea").
                if "," in between and not re.search(r"\b(?:or|nor)\b", between + " " + after):
                    continue
                span._.set(self.extension_name, True)
                return
            if any(start >= span.end and start - span.end <= 3 for _, start, _ in sub_following):
                span._.set(self.extension_name, True)

    Language.factory(
        "gutbot_negex",
        default_config={
            "neg_termset": {},
            "ent_types": None,
            "extension_name": "negex",
            "chunk_prefix": None,
            "span_keys": None,
        },
    )(WindowedNegex)


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in ".!?;\n") + 1
    right_candidates = [i for i in (text.find(c, end) for c in ".!?;\n") if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return left, right


def contextualise(
    text: str, found: list[tuple[str, int, int, bool]], pet_in_message: bool, language: str = "en"
) -> list[Mention]:
    """Context for each (feature, start, end, negatable) match in ``text``."""
    if not found:
        return []
    nlp = _pipeline()
    # Portuguese "no" means "in the": give NegEx a same-length word that is no cue.
    negex_text = re.sub(r"\bno\b", "em", text) if language in ("pt", "gloss:pt") else text
    doc = nlp.make_doc(negex_text)
    spans = []
    kept: list[tuple[str, int, int, bool]] = []
    for name, start, end, negatable in found:
        span = doc.char_span(start, end, label=name, alignment_mode="expand")
        if span is None:
            continue
        spans.append(span)
        kept.append((name, start, end, negatable))
    doc.spans["mentions"] = spans
    for _, component in nlp.pipeline:
        doc = component(doc)
    mentions = []
    # A real, dated experience anywhere in the message ("had it twice today") makes an "if"
    # elsewhere in it a real question about the writer, not a hypothetical one.
    anchored = bool(_ANCHOR.search(text))
    # A message framed as study or curiosity ("for my pharmacology exam") asks about, not has.
    studying = bool(_STUDY.search(text)) and not anchored
    settled_story = bool(_RESOLVED.search(text))
    dated_facts = [m.span() for m in _DATED_FACT.finditer(text)]
    for span, (name, start, end, negatable) in zip(doc.spans["mentions"], kept, strict=True):
        left, right = _clause(text, start, end)
        sentence = text[left:right]
        before = text[left:start]
        # A past cue counts for the mentions near it ("turned 50 last month and for 6 weeks I've
        # had bloating": the bloating is not last month's), and not when the sentence says now.
        nearby = text[max(left, start - 45) : min(right, end + 30)]
        # "heart transplant 5 yrs ago, had the runs for 3 days": the date is the transplant's.
        dated = nearby if _inside(dated_facts, start) else _DATED_FACT.sub(" ", nearby)
        historical = (
            bool(_HISTORICAL.search(dated))
            or (bool(_RECENT_PAST.search(nearby)) and bool(_RESOLVED.search(sentence)))
        ) and not _NOW.search(sentence)
        historical = historical or (
            settled_story and past_in_settled_story(text, sentence, acute=name in ACUTE_DANGER)
        )
        hypothetical = (
            studying
            or (bool(_HYPOTHETICAL.search(_hypothesis_scope(before))) and not anchored)
            or (bool(_REPORTED.search(sentence)) and not _ANCHOR.search(sentence))
            or bool(_DEFINITION.search(sentence))
            or (bool(_DREAM.search(sentence)) and not _REAL.search(sentence))
        )
        pet = pet_in_message and is_pet(text, left, start, end)
        inside = (language == "en" or language.startswith("gloss")) and bool(
            _NEGATED_END.search(negex_text[start:end])
        )
        mentions.append(
            Mention(
                feature=name,
                start=start,
                end=end,
                negated=(bool(span._.negex) or inside) and negatable,
                historical=historical,
                hypothetical=hypothetical,
                pet=pet,
            )
        )
    return mentions


# "if" reaches no further than "but" ("no idea if this is a gut thing but my throat is
# swelling"), and doubting what a symptom is ("not sure if", "no idea whether") poses no case.
_HYPOTHESIS_ENDS = re.compile(r"\b(?:but|however|although|though|anyway|except|and now)\b")
_DOUBT = re.compile(
    r"\b(?:not sure|unsure|no idea|dont know|do not know|wondering|i wonder|idk|no clue|not certain|"
    r"cant tell|can not tell|cannot tell) (?:if|whether)\b"
)


def _hypothesis_scope(before: str) -> str:
    """The part of a clause before a mention that an "if" there still governs."""
    # The text after the last "but" (found in one pass: a greedy ".*but" here was quadratic).
    cut = max((m.end() for m in _HYPOTHESIS_ENDS.finditer(before)), default=0)
    return _DOUBT.sub(" ", before[cut:])


def humans_mentioned(text: str) -> bool:
    """Whether any person other than a pet is the subject somewhere."""
    return bool(FIRST_PERSON.search(text) or _HUMAN.search(text))
