"""Numbers people write about themselves: temperatures, durations, ages, stool counts, pulse.

Every reader takes normalised text (``normalise.normalise``) and returns plain numbers, so the
rules can say "39 °C or more" or "more than 2 days" whatever the wording was: 39.4, 102F,
"temp of 38.6", "2.5 days", "48 hours", "since last tuesday", "day four", "62f", "female 56",
"im 60", "my mum (81)", "8 month old".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_NUM = r"(\d{1,3}(?:[.,]\d{1,2})?)"
_TEMP_UNIT = re.compile(
    _NUM
    + r"\s*(?:°|º|deg(?:rees?)?)?\s*(c|f|celsius|centigrade|fahrenheit)\b|"
    + _NUM
    + r"\s*(?:°|º)"
)
_TEMP_WORD = re.compile(
    r"\b(?:temp(?:erature)?s?|fever(?:ish)?|thermometer|temps|reading|pyrexia|running|fievre|fiebre|"
    r"febbre|febre|fieber|температура|температуры|жар)\b"
    r"(?:\W+\w+){0,3}?\W+"
    + _NUM
    + r"(?![\d.,]*\s*(?:%|kg|mg|times|x\b|hours|days|weeks|years|am|pm|:))"
)
_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:-|to|or)?\s*(?:\d+(?:\.\d+)?\s*)?"
    r"(hours?|hrs?|h|days?|nights?|weeks?|wks?|months?|mths?|years?|yrs?|tagen?|dias?|jours?|giorni|giorno|"
    r"дн(?:я|ей)|день|суток|semanas?|semaines?|settimane|settimana|wochen?|недел[иья]|meses|mes|mois|mesi|"
    r"monaten?|месяц\w*)\b(?!\s*-?\s*(?:old|ago|pregnant|gone|post|alt))"
)
_FOREIGN_UNITS = (
    (("tag", "dia", "jour", "giorn", "дн", "день", "сут"), 1.0),
    (("seman", "semain", "settiman", "woch", "недел"), 7.0),
    (("mes", "mois", "monat", "месяц"), 30.0),
)
_UNIT_DAYS = {
    "h": 1 / 24,
    "hour": 1 / 24,
    "hr": 1 / 24,
    "night": 1.0,
    "day": 1.0,
    "week": 7.0,
    "wk": 7.0,
    "month": 30.0,
    "mth": 30.0,
    "year": 365.0,
    "yr": 365.0,
}
_WEEKDAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thurs?|fri|sat|sun)"
)
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_PHRASE_DAYS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(p), days)
    for p, days in (
        (r"\bsince (?:this|the) morning\b|\ball day\b|\bsince (?:lunch|breakfast)\b", 0.4),
        (r"\bsince last night\b|\bovernight\b|\bsince (?:the )?night\b", 0.6),
        (
            r"\bsince yesterday\b|\b(?:started|began|came on|kicked off) yesterday\b|\ba day\b|\b24 ?7\b",
            1.0,
        ),
        (r"\bday before yesterday\b|\bcouple of days\b", 2.0),
        (
            r"\bsince (?:the|last) weekend\b|\bsince "
            + _WEEKDAYS
            + r"\b|\bfew days\b|\bseveral days\b|\bfor days\b|\b(?:since|started|began|on)\b[^.!?;]{0,30}\b"
            + _WEEKDAYS
            + r"\b",
            3.0,
        ),
        (
            r"\bsince last "
            + _WEEKDAYS
            + r"\b|\ba week\b|\bthe whole week\b|\ball week\b|\bsince last week\b|\bweek \d\b",
            7.0,
        ),
        (
            r"\bsince (?:boxing day|christmas eve|christmas day|new years? (?:eve|day)|bonfire night|halloween|"
            r"easter (?:sunday|monday)|the bank holiday)\b",
            4.0,
        ),
        (r"\bweek by week\b|\bevery week(?: now)?\b|\beach week\b", 21.0),
        (
            r"\bfortnight\b|\bfor weeks\b|\bcouple of weeks\b|\bsince the (?:start|beginning) of the month\b",
            14.0,
        ),
        (r"\bfew weeks\b|\bseveral weeks\b", 21.0),
        (r"\ba month\b|\bfor ages\b", 30.0),
        (
            r"\bfor months\b|\bfew months\b|\bseveral months\b|\bsince (?:the |last )?(?:summer|spring|"
            r"winter|autumn|fall|christmas|xmas|easter|new year|the new year|"
            + _MONTHS
            + r")\b|\bsince (?:about|around|early|mid|late|roughly) (?:the )?\w+\b|\bthis year\b",
            60.0,
        ),
        (
            r"\bcouple of months\b|\b(?:since|started|began|from)\b[^.!?;]{0,30}\b(?:summer|spring|winter|autumn|"
            r"christmas|easter|new year|" + _MONTHS + r")\b",
            60.0,
        ),
        (r"\bfor years\b|\ba year\b", 365.0),
    )
)
_DAY_N = re.compile(r"\bday (\d+)\b|\b(\d+)(?:st|nd|rd|th) day\b|\b(\d+)\s?j\b|\b(\d+)\s?-?й день")
_WEEK_N = re.compile(r"\bweek (\d+)\b")
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_ORDINAL_DAYS = {word: n for n, word in enumerate(_ORDINALS, start=2)}
_ORDINAL_DAY = re.compile(r"\b(" + "|".join(_ORDINAL_DAYS) + r") (?:day|night)\b")

_RELATIVE = (
    r"(?:mum|mom|mam|mummy|mother|dad|daddy|father|husband|hubby|wife|partner|son|daughter|"
    r"grandad|granddad|grandpa|grandma|granny|gran|nan|nana|nanna|grandmother|grandfather|"
    r"brother|sister|aunt|auntie|uncle|friend|girlfriend|boyfriend|baby|babe|toddler|child|kid|"
    r"boy|girl|little one|lo|newborn|infant|nephew|niece|neighbour|patient|fiance|fiancee|"
    r"flatmate|colleague|teen|teenager)"
)
_CHILD_AGE = re.compile(
    r"\b(\d{1,3}(?:\.\d)?)\s*(?:-\s*|\s)?(years?|yrs?|y|months?|mths?|mo|weeks?|wks?|days?)"
    r"(?:\s*-\s*|\s)?old\b|\b(\d{1,2})\s*(yo|y/o|y\.o\.?)\b|\b(\d{1,2})\s*(mo)\b"
)
_RELATIVE_AGE = re.compile(
    r"\b" + _RELATIVE + r"s?\b\W{0,3}(?:is|who is|whos|who|aged|age|at)?\W{0,3}(\d{1,3}(?:\.\d)?)\b"
    r"(?:\s*(years?|yrs?|months?|mths?|mo|weeks?|wks?|days?))?(?!\s*(?:times|x\b|kg|%|am|pm|:|\d))"
)
_SELF_AGE = re.compile(
    r"\b(?:im|i am|iam|me|age|aged|am)\s+(\d{1,3})\b(?!\s*(?:weeks?|wks?|days?|kg|lbs?|times|x\b|hours|%|st\b|stone|months?|mins?|minutes|am|pm|:))"
    r"|\b(\d{2})\s*([mf])\b(?!\w)|\b(?:male|female|man|woman|guy|lady|m|f)\W{0,2}(\d{2})\b(?!\s*(?:weeks?|kg|%|times|x\b))"
    r"|\b(\d{2})\W{0,2}(?:male|female|man|woman|guy|lady)\b"
)
_PRONOUN_AGE = re.compile(
    r"\b(?:hes|shes|he|she|he is|she is|they are|theyre)\s+(\d{1,3})\b(?!\s*(?:weeks?|wks?|days?|months?|kg|times|x\b|%))"
)
# "she's 6 months" (normalised "she 6 months"): a baby's age, not a duration.
_PRONOUN_BABY_AGE = re.compile(
    r"\b(?:hes|shes|he|she|he is|she is)\s+(\d{1,2})\s*(months?|mths?|weeks?|wks?|days?)\b"
    r"(?!\s+(?:pregnant|ago|into|in|of|after|later|now|post|since|on|off|with|without|clean|sober))"
)
# A bare reading like "40.1" or "38,6": nothing else people write in a gut chat looks like it.
_BARE_TEMP = re.compile(
    r"(?<![\d.,])((?:3[5-9]|4[0-2])[.,]\d)(?![\d.,]*\s*(?:kg|kgs|%|cm|mm|mg|lbs?|st\b|km|miles|weeks?|years?|days?|hours?|ng|mmol|g\b|l\b|ml))"
)
_TEMP_POINT = re.compile(r"\b(3[7-9]|4[0-2])[- ]?point[- ]?(\d|something)\b")
_TEMP_DEGREES = re.compile(r"\b(3[5-9]|4[0-3])(?:[.,](\d))? ?degrees\b")
_TEMP_BEFORE = re.compile(_NUM + r"\s*(?:c\b)?\s*(?:fever|temp(?:erature)?)\b")
_FOREIGN_SELF_AGE = re.compile(
    r"\b(?:ich bin|bin|tengo|jai|ho|tenho|мне|mne|sono)\s+(\d{1,3})\s*(?:jahre|anos|ans|anni|лет|года|год)?\b"
    r"|\b(\d{2})\s*(?:jahre alt|anos|ans|anni|лет|года)\b"
)
_FOREIGN_RELATIVE_AGE = re.compile(
    r"\b(?:hijo|hija|figlio|figlia|filho|filha|fils|fille|sohn|tochter|bebe|nene|madre|padre|mere|pere|"
    r"mae|pai|mutter|vater|marido|mari|mann|kleine|kleinen|kleiner|bimba|bimbo|bambino|bambina|nino|nina|enfant|crianca|menino|menina|kind|junge|nena|piccolo|piccola|pequeno|pequena|petit|petite|"
    r"opa|oma|nonno|nonna|abuelo|abuela|avo|vovo|papi|mami|grand pere|grand mere|bebe)\b\W{0,3}(?:de|di|da|von|ha|ist|est|tiene|tem|hat|e)?\s?(\d{1,2})\s?(anos|anni|ans|jahre?n?|"
    r"mesi|meses|mois|monate?n?|dias|jours|giorni|tage?n?|wochen|semanas|semaines|settimane)?|\((\d{1,3}) ?(?:лет|года|anos|ans|anni|jahre)\)"
)
_DECADE_AGE = re.compile(
    r"\b(early|mid|late)[- ](\d)0s\b|\bthe big (\d)-?0\b|\bin my (\d)0s\b|\b(\d)0th birthday\b|"
    r"\b(early|mid|late)[- ](twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b"
)
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
#: Ages told another way: "born in 1961", "my 70th was in May", "I'll be 63 in June", "66 now".
_TOLD_AGE = re.compile(
    r"\bborn in (?:19)?'?([2-9]\d|19[2-9]\d|200\d)\b|\bmy (\d{2})(?:st|nd|rd|th)\b(?! (?:time|day|week|visit|try|attempt|go))"
    r"|\b(?:ill|i will|i wil|im going to) be (\d{2})\b(?!\s*(?:weeks?|days?|months?|mins?|minutes|kg))"
    r"|\b(?:yeah |im |so )(\d{2}) now\b|\b(?:got|get|have|with) my (?:free )?bus pass\b"
)
_BARE_AGE = re.compile(
    r"\bat my age\W{0,3}(\d{2})\b|\b(?:turned|turning) (\d{2})\b|(?:^|[^\w(])\((\d{2})\)|"
    r",\s(\d{2}),\s|\b(\d{2}) (?:age|years age|yrs age)\b|^(\d{2})\s*(?:and|,|\.|here|yrs)\b|(?:^|[.!?]\s)(\d{2})\s*(?:[.!?]|$)|(?:^|[.!?]\s)(\d{2}),\s|\bat (\d{2})\b(?!\s*(?:am|pm|:|weeks?|%|kg|mins?|degrees|c\b|f\b|times))"
)
_PLAIN_AGE = re.compile(
    r"\b(\d{1,3})\s*(?:years?|yrs?)(?:\s*-\s*|\s)?old\b|\b(\d{1,3})\s*(?:yo|y/o)\b"
)
_COUNT = re.compile(
    r"\b(\d{1,2})\s*(?:-|or|to)?\s*(?:\d{1,2})?\s*(?:x|times)\b"
    r"|\b(\d{1,2})\+?\s+(?:(?!days?\b|weeks?\b|hours?\b|nights?\b|months?\b)\w+\s+){0,2}(?:poos?|poops?|stools?|bms?|bowel movements?|movements?|trips|ones|motions|scariche|deposiciones|selles|dumps|visits)\b"
    r"|\b(\d{1,2})\s*-?\s*(?:volte|veces|fois|vezes|mal|raz|раз\w*)\b"
    r"|\bgoing (\d{1,2})\b|\b(\d{1,2})\+? (?:a|per) day\b|\b(\d{1,2})\+?\s+(?:\w+\s+){0,2}goes\b"
    r"|\b(?:stools?|poos?|bms?|motions|movements)\s+(\d{1,2})\s+in\s+(?:the\s+last\s+)?24\s*(?:h|hrs?|hours)\b"
)
_EVERY = re.compile(r"\bevery (?:hour|half hour|\d+ ?(?:mins?|minutes))\b|\bevery (\d) hours\b")
_PULSE = re.compile(
    r"\b(?:heart ?rate|pulse|hr|heartbeat|battito|pulsazioni|pulso|pouls|puls|пульс)\D{0,25}(\d{2,3})\b|\b(\d{2,3})\s*bpm\b"
)


def _number(raw: str) -> float:
    return float(raw.replace(",", "."))


def temperatures(text: str) -> list[float]:
    """Body temperatures mentioned, in °C (Fahrenheit converted)."""
    found: list[float] = []
    for match in _TEMP_UNIT.finditer(text):
        raw = match.group(1) or match.group(3)
        unit = (match.group(2) or "").lower()
        value = _number(raw)
        if unit.startswith("f") or (not unit and value > 90):
            value = (value - 32) * 5 / 9
        if 34 <= value <= 44:
            found.append(round(value, 1))
    for match in _TEMP_POINT.finditer(text):
        tenth = 5 if match.group(2) == "something" else int(match.group(2))
        found.append(float(match.group(1)) + tenth / 10)
    for match in _TEMP_DEGREES.finditer(text):
        found.append(float(match.group(1)) + (int(match.group(2)) / 10 if match.group(2) else 0))
    for match in [
        *_TEMP_WORD.finditer(text),
        *_TEMP_BEFORE.finditer(text),
        *_BARE_TEMP.finditer(text),
    ]:
        value = _number(match.group(1))
        if 93 <= value <= 110:
            value = (value - 32) * 5 / 9
        if 35 <= value <= 44:
            found.append(round(value, 1))
    return found


def durations(text: str, ages_at: tuple[tuple[int, int], ...] = ()) -> list[float]:
    """Every duration mentioned, in days (numbers that are someone's age are left out)."""
    found: list[float] = []
    for match in _DURATION.finditer(text):
        if any(s <= match.start(1) < e for s, e in ages_at):
            continue
        unit = match.group(2).rstrip("s")
        unit = "h" if unit in ("h", "hr", "hrs") else unit
        factor = _UNIT_DAYS.get(unit)
        if factor is None:
            factor = next((days for stems, days in _FOREIGN_UNITS if unit.startswith(stems)), 1.0)
        found.append(float(match.group(1)) * factor)
    for pattern, days in _PHRASE_DAYS:
        if pattern.search(text):
            found.append(days)
    found += [float(next(g for g in m.groups() if g)) for m in _DAY_N.finditer(text)]
    for match in _SINCE_AGO.finditer(text):
        unit = match.group(2).rstrip("s")
        found.append(float(match.group(1)) * _UNIT_DAYS.get(unit, 1.0))
    found += [7.0 * float(m.group(1)) for m in _WEEK_N.finditer(text)]
    found += [float(_ORDINAL_DAYS[m.group(1)]) for m in _ORDINAL_DAY.finditer(text)]
    for m in _CLINICAL_SHORTHAND.finditer(text):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.append(float(number) * _SHORTHAND[unit])
    return found


# Clinicians' shorthand: 3/7 three days, 2/52 two weeks, 3/12 three months; never a date (3/12/26).
_SHORTHAND = {"7": 1.0, "52": 7.0, "12": 30.0}
_CLINICAL_SHORTHAND = re.compile(
    r"(?:(?<=\bfor )|(?<=\bx ))(\d{1,2})/(7|52|12)\b(?![/\d])"
    r"|\b(\d{1,2})/(7|52|12)\b(?![/\d])(?=\s*(?:now|ago|hx|history|so far)\b)"
)


def _years(value: float, unit: str | None) -> float:
    unit = (unit or "").rstrip("s")
    if unit in ("month", "mth", "mo"):
        return value / 12
    if unit in ("week", "wk"):
        return value / 52
    if unit == "day":
        return value / 365
    return value


@dataclass(frozen=True)
class Age:
    """An age mentioned: in years (fractions for babies), and whether it is the writer's own."""

    years: float
    own: bool
    span: tuple[int, int] = (0, 0)


#: A baby born in the last day or two: "born yesterday", "born this morning", "newborn".
_NEWBORN = re.compile(
    r"\b(?:born (?:yesterday|today|last night|this (?:morning|afternoon|evening)))\b"
)


def ages(text: str) -> list[Age]:
    """Ages in the message: 'im 63', '62f', 'female 56', 'my mum (81)', '8 month old', '4yo'."""
    found: list[Age] = []
    taken: list[tuple[int, int]] = []

    def add(value: float, own: bool, span: tuple[int, int]) -> None:
        if 0 < value <= 110 and not any(s < span[1] and span[0] < e for s, e in taken):
            found.append(Age(round(value, 3), own, span))
            taken.append(span)

    for match in _RELATIVE_AGE.finditer(text):
        add(_years(float(match.group(1)), match.group(2)), False, match.span(1))
    for match in _CHILD_AGE.finditer(text):
        if match.group(1):
            value, unit = float(match.group(1)), match.group(2)
        elif match.group(3):
            value, unit = float(match.group(3)), "year"
        else:
            value, unit = float(match.group(5)), match.group(6)
        before = text[max(0, match.start() - 30) : match.start()]
        own = re.search(r"\b" + _RELATIVE + r"s?\b|\bmy\b|\bour\b|\bhis\b|\bher\b", before) is None
        years = _years(value, unit)
        add(years, own and years >= 14, match.span())
    for match in _NEWBORN.finditer(text):
        add(0.003, False, match.span())
    for match in _FOREIGN_RELATIVE_AGE.finditer(text):
        if match.group(1):
            unit = match.group(2) or "year"
            months = unit.startswith(("mes", "mois", "monat", "mesi"))
            days = unit.startswith(("dia", "jour", "giorn", "tag"))
            weeks = unit.startswith(("woch", "seman", "semai", "settim"))
            divisor = 12 if months else 365 if days else 52 if weeks else 1
            add(float(match.group(1)) / divisor, False, match.span())
        else:
            add(float(match.group(3)), False, match.span())
    for match in _FOREIGN_SELF_AGE.finditer(text):
        add(float(match.group(1) or match.group(2)), True, match.span())
    for match in _PRONOUN_AGE.finditer(text):
        add(float(match.group(1)), False, match.span(1))
    for match in _PRONOUN_BABY_AGE.finditer(text):
        add(_years(float(match.group(1)), match.group(2)), False, match.span())
    for match in _SELF_AGE.finditer(text):
        raw = match.group(1) or match.group(2) or match.group(4) or match.group(5)
        value = float(raw)
        if value >= 12:
            add(value, True, match.span())
    offsets = {"early": 1, "mid": 5, "late": 7}
    for match in _DECADE_AGE.finditer(text):
        if match.group(2):
            add(float(int(match.group(2)) * 10 + offsets[match.group(1)]), True, match.span())
        elif match.group(7):
            add(
                float(_DECADE_WORDS[match.group(7)] * 10 + offsets[match.group(6)]),
                True,
                match.span(),
            )
        else:
            add(
                float(int(match.group(3) or match.group(4) or match.group(5)) * 10),
                True,
                match.span(),
            )
    for match in _TOLD_AGE.finditer(text):
        if match.group(1):
            year = int(match.group(1))
            year = year if year >= 1900 else 1900 + year
            add(float(date.today().year - year), True, match.span())
        elif match.group(2) or match.group(4):
            add(float(match.group(2) or match.group(4)), True, match.span())
        elif match.group(3):
            add(float(match.group(3)) - 0.5, True, match.span())
        else:
            add(66.0, True, match.span())  # a UK older person's bus pass comes at pension age
    for match in _BARE_AGE.finditer(text):
        value = float(next(g for g in match.groups() if g))
        if value >= 18:
            add(value, True, match.span())
    for match in _PLAIN_AGE.finditer(text):
        add(float(match.group(1) or match.group(2)), True, match.span())
    return found


_SINCE_AGO = re.compile(  # "since 3 weeks ago", "it started about 7 weeks ago"; not a medicine's start
    r"\b(?:since|started(?! (?:taking|on|using))|began|changed|came on)(?: \w+){0,3}? (?:about |around )?"
    r"(\d+(?:\.\d)?) (days?|weeks?|months?) ago\b(?! (?:for|to treat|because of)\b)"
)
_VOMIT_NEAR = re.compile(r"(?:vomit|sick|threw up|throw|puk|retch)\w*[^.!?;]{0,20}$")


def stool_counts(text: str) -> list[int]:
    """How many times a day people say they go ('8 times a day', '6 watery poos', 'going 10x')."""
    found = []
    for match in _COUNT.finditer(text):
        if _VOMIT_NEAR.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        raw = next(g for g in match.groups() if g)
        found.append(int(raw))
    for match in _EVERY.finditer(text):
        found.append(24 // int(match.group(1)) if match.group(1) else 12)
    return found


def pulses(text: str) -> list[int]:
    """Heart rates mentioned ('heart rate 112', 'pulse 95', '120 bpm')."""
    return [int(m.group(1) or m.group(2)) for m in _PULSE.finditer(text)]
