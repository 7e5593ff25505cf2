"""When a mention happened: long ago, recently and settled, or now (pure cue lists).

The experiencer, negation and hypotheticals are read in :mod:`content.triage.context`; this
module says whether something belongs to the past ("5 years ago, all clear since"), was told as
a settled story ("had the runs Monday, back to normal now"), or is going on now or again.
"""

from __future__ import annotations

import re

_HISTORICAL = re.compile(
    r"\b(?:\d+(?:\.\d)? ?(?:years?|yrs?|months?|decades?) ago|years ago|months ago|ages ago|a (?:long )?while ago|"
    r"a long time ago|last year|last month|\d+ weeks ago|in the past|used to|back in (?:19|20)\d\d|in (?:19|20)\d\d|as a (?:child|kid|baby|newborn|teen\w*)|"
    r"when i was (?:younger|a kid|little|a child|a teen\w*|\d{1,2})|previously|history of|had (?:it|this|that) (?:before|once)|"
    r"\d+ years back|years back|once had|"
    r"vor \d+ (?:jahren|monaten)|letztes jahr|hace (?:un|una|\d+) (?:anos?|mes|meses)|el ano pasado|"
    r"il y a (?:un|une|\d+) (?:ans?|mois)|l annee derniere|ha (?:um|uma|\d+) (?:anos?|mes|meses)|"
    r"ano passado|(?:un|\d+) (?:anno|anni|mese|mesi) fa|l anno scorso|(?:год|\d+ (?:лет|года?|месяц\w*)) назад|"
    r"в прошлом году|god nazad)\b"
)
# A past date that belongs to an operation, diagnosis or birth, not to the symptom near it.
_DATED_FACT = re.compile(
    r"\b(?:transplant|surgery|operation|op|diagnosed|bypass|sleeve|band|removed|resection|stoma|"
    r"ileostomy|colostomy|chemo\w*|radiotherapy|born|birth|had (?:him|her|the baby|my baby))"
    r"(?: \w+){0,2} \d+(?:\.\d)? ?(?:years?|yrs?|months?|weeks?) ago\b"
)


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)


# Recently, but over: counts as past only when the same sentence says it settled.
_RECENT_PAST = re.compile(
    r"\b(?:last week|the other day|a few days ago|\d+ days ago|over the weekend)\b"
)
_NOW = re.compile(
    r"\b(?:(?<!gone )(?<!better )(?<!fine )(?<!ok )(?<!over )(?<!on )(?<!normal )(?<!all good )(?<!for )(?<!years )(?<!yrs )now(?! (?:i )?(?:just )?(?:want|wanted|wondering|id like|would like|need) to (?:know|ask|learn|understand|find out|avoid|prevent|plan))|again|ive had|i have had|"
    r"for (?:about |around )?\d+ (?:days|weeks|months) now|for the (?:past|last) \d+ (?:days|weeks|months)|today|tonight|this (?:morning|week|evening|afternoon)|currently|still|started again|its back|"
    r"back again|come back|came back and|returned|started|jumped|risen|gone up|went up|rising|increased|since (?:yesterday|last night|this morning)|right now|"
    r"(?<!fine )(?<!well )(?<!okay )(?<!ok )(?<!normal )(?<!good )(?<!better )(?<!clear )(?<!nothing )ever since|"
    r"since (?:i|we) (?:got|came) back|since (?:getting|coming) back|since returning|"
    r"at the moment|recently|lately|worse|never used to|didnt use to|not like me|keep getting|keep having|"
    r"theyll be in touch|been referred|(?:letter|result|results|test) says abnormal|came back (?:abnormal|positive)|"
    r"over the (?:last|past) (?:\d+ |few |couple of )?(?:days?|weeks?|months?))\b"
)
_RESOLVED = re.compile(
    r"\b(?:all clear|was clear|were clear|came back clear|came back normal|(?:been )?fine (?:ever )?since|nothing since|none since|never happened again|all sorted|(?:gp|doctor|consultant) (?:knows|is aware|is happy)|settled (?:down |right down )?(?:completely|now|since)|(?:its|it is|all) (?:fine|settled|gone) now|"
    r"seitdem (?:nix|nichts)|war (?:alles )?ok|desde entonces nada|todo bien|nunca mais|tudo bem|vse norm|все норм\w*|"
    r"tutto bene|tout va bien|rien depuis|"
    r"fine ever since|been fine|no problems since|not since|havent (?:had|bled|had any|been)\w* (?:it |any )?since|"
    r"hasnt (?:been )?back|never came back|fully recovered|recovered fully|sorted (?:it|me out|out)|"
    r"(?<!nt )(?<!not )(?<!never )(?:resolved|cleared up|healed)|in remission|all fine|all good since|fine now|scoped,? fine|treated and|long gone|gone now|better now|over now|all gone|repeat was normal|discharged me|levels? (?:are |is )?normal|"
    r"normal now|turned out to be|checked everything|gp checked|back on now|scope (?:was )?clear|"
    r"colonoscopy (?:was |came back )?(?:clear|normal|fine)|all clear|was removed|sorted with|"
    r"back to normal|gp knows|doctor knows|(?:gp|doctor) is aware|its stable|(?<!never )(?<!not )been checked|"
    r"(?:gp|doctor) said (?:this|it) (?:might|would|can|may)|showed only|only piles|just piles|treated|"
    r"no bleeding since|no more bleeding|investigated|"
    r"(?:gastroscopy|colonoscopy|scopes?|tests?) (?:\w+ )?(?:were |was |came back )?normal|"
    r"completely well|totally back to normal|settled on its own|settled by itself|everything was normal|"
    r"fully investigated|all normal|well since|normal since|fine since|no problems since|completely better|"
    r"completely fine|harmless|nothing needs doing|nothing to worry about|back to (?:\d+|normal)|"
    r"checked by (?:my|the) (?:gp|doctor)|said (?:it is|its) (?:a |an |just )?(?:skin tag|lipoma|cyst|harmless|nothing))\b"
)
# A sentence told in the past with nothing said to be going on now ("I had two days of
# diarrhoea in June"): in a message that says things settled, its mentions are past too.
_PAST_TENSE = re.compile(
    r"\b(?:had|was|were|went|did|got|happened|found|showed|gave|said|saw|took|caught)\b"
)
_PRESENT_TENSE = re.compile(
    r"\b(?:i have|ive got|i am|im|is|are|keeps?|keep|still|now|today|tonight|this morning|currently|"
    r"since (?:yesterday|last night|this morning|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"getting|started|again)\b"
)
# Feeling well again says nothing of when it happened: "vomited blood, feel fine now" may be an
# hour ago, and still an emergency. Such a settled story needs a date or a doctor's word.
_FELT_BETTER = re.compile(
    r"\b(?:(?:i feel|feel|feeling|im|i am|its|it is|all) )?(?:fine|better|ok|okay|good|alright|normal) now\b|"
    r"\b(?:gone|over) now\b|\ball (?:fine|gone)\b"
)
_WHEN = re.compile(
    r"\b(?:yesterday|last (?:night|week|weekend|month|year|summer|winter|spring|autumn)|the other day|"
    r"over the weekend|earlier this (?:week|month|year)|on (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|\d+ (?:days?|weeks?|months?|years?) ago|(?:a|one|two|three) (?:days?|weeks?|months?|years?) ago|"
    r"in (?:january|february|march|april|may|june|july|august|september|october|november|december))\b"
)


#: Emergencies that feeling better does not undo: blood vomited or passed, a swelling airway,
#: breathlessness, chest pain, collapse.
ACUTE_DANGER = frozenset(
    {"vomit_blood", "heavy_bleeding", "swelling_airway", "breathless", "chest_pain", "collapse"}
)


def past_in_settled_story(text: str, sentence: str, *, acute: bool = False) -> bool:
    """A past-tense sentence, with nothing said to go on now, in a message that says things settled.

    For an ``acute`` danger, "feel fine now" alone is not enough: the message must say when it
    happened (a day, "years ago") or that a doctor saw to it.
    """
    if not _RESOLVED.search(text) or _NOW.search(sentence):
        return False
    felt_better_only = not _RESOLVED.search(_FELT_BETTER.sub(" ", text))
    if acute and felt_better_only and not (_WHEN.search(text) or _HISTORICAL.search(text)):
        return False  # only "feel fine now", and no day it happened
    if _RESOLVED.search(sentence):
        return True  # "had the runs Monday to Wednesday, back to normal since Thursday"
    return bool(_PAST_TENSE.search(sentence)) and not _PRESENT_TENSE.search(sentence)


_AGAIN = re.compile(
    r"\b(?:again|still|right now|tonight|today|currently|at the moment|lately|recently|this week|"
    r"these days|urges?|thinking about|been thinking|keep thinking|started|ive been|i have been)\b"
)


_RECOVERED = re.compile(
    r"\b(?:doing (?:really |very |so )?well(?: now)?|in a (?:good|better) place|(?:\d+|many|several) years? clean|"
    r"clean for (?:\d+|years)|havent (?:done it|self.?harmed|cut|felt that way) (?:in|for)|"
    r"had (?:great|good|proper) (?:support|treatment)|got (?:proper|good|the right) (?:treatment|help|support))\b"
)


def recovered(text: str) -> bool:
    """Whether the message dates something to the past and says the writer recovered from it
    ("an overdose when I was 19, got proper treatment, doing really well"): a history, not news."""
    return bool(_HISTORICAL.search(text) and _RECOVERED.search(text))


def happening_again(text: str) -> bool:
    """Whether the message says it is back, still going on, or being thought of now (stricter
    than ``happening_now``: "I'm 41 now and doing well" is not)."""
    return bool(_AGAIN.search(text))


def happening_now(text: str) -> bool:
    """Whether the message says something is going on now, still or again."""
    return bool(_NOW.search(text))


def resolved(text: str) -> bool:
    """Whether the message says a past event was checked or has settled."""
    return bool(_RESOLVED.search(text))
