"""Text as triage reads it: folded, spelled right where a lay medical word was meant, split.

The folding is deliberately plain: lower case, unicode and accents folded, apostrophes dropped
("can't" and "cant" become one word), number words turned into digits. Spelling tolerance uses
SymSpell (symspellpy) with its English frequency dictionary plus the lexicon's own words: a word
the dictionary knows is left alone (so "paint" never becomes "faint"); an unknown word is replaced
only by a lexicon word within edit distance 1 (2 for words of eight letters or more).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_WORD = re.compile(r"[a-z]+")
_CANNOT = re.compile(r"\b(?:cannot|can not)\b")
_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_TENS_UNITS = re.compile(
    r"\b(" + "|".join(_TENS) + r")(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine))?\b"
)
_UNITS = re.compile(r"\b(" + "|".join(w for w in _NUMBER_WORDS if w != "one") + r")\b")
# "one" is a number only before a unit ("one day", "one and a half"): "every one", "little one",
# "no one" and "on one side" keep their word.
_ONE = re.compile(
    r"\bone(?=\s+(?:and a half|days?|weeks?|months?|years?|hours?|nights?|times?|stone|kg|kilos?|pounds?|lbs?|or two|more))"
)
_AMOUNTS = (
    # "2 days and a half", "2 days and a bit": a little over 2 days, as "2.5 days"
    (
        re.compile(r"\b(\d+) (days?|weeks?|months?|hours?) and a (?:half|bit)\b"),
        lambda m: f"{m.group(1)}.5 {m.group(2)}",
    ),
    (re.compile(r"\b(\d+) and a half\b"), lambda m: f"{m.group(1)}.5"),
    (re.compile(r"\ba couple of\b"), lambda m: "2"),
    (re.compile(r"\ba (?:day|week|month|year) and a half\b"), lambda m: m.group(0)),
)
# Not worth correcting: too short to tell a typo from another word.
MIN_CORRECTABLE = 4
#: Contractions as they are once the apostrophe is gone: words, never typos ("wasnt" is not "want").
CONTRACTIONS = frozenset(
    [
        "im",
        "ive",
        "id",
        "ill",
        "youre",
        "youve",
        "youd",
        "theyre",
        "theyve",
        "weve",
        "were",
        "wasnt",
        "isnt",
        "arent",
        "werent",
        "dont",
        "doesnt",
        "didnt",
        "cant",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "wont",
        "havent",
        "hasnt",
        "hadnt",
        "mustnt",
        "neednt",
        "aint",
        "thats",
        "theres",
        "whats",
        "hes",
        "shes",
        "its",
        "lets",
        "whos",
        "heres",
        "wheres",
        "hows",
    ]
)


def fold(text: str) -> str:
    """Lower-case, fold unicode and accents, drop apostrophes, keep non-Latin scripts as they are."""
    out = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    # Accents go from Latin letters only: Russian й and ё keep theirs and stay the same words.
    kept: list[str] = []
    for char in unicodedata.normalize("NFKD", out):
        if unicodedata.combining(char) and kept and ord(kept[-1]) < 0x250:
            continue
        kept.append(char)
    out = unicodedata.normalize("NFC", "".join(kept)).replace("ё", "е")
    out = re.sub(r"'s\b", "", out)
    # Elision in French and Italian (l'anus, d'un, j'ai, qu'il): a space, so the word stays a word.
    out = re.sub(r"\b(qu|[ldjnsctm])'(?=\w)", r"\1 ", out).replace("'", "")
    out = _CANNOT.sub("cant", out)
    return out


def numbers_to_digits(text: str) -> str:
    """'sixty three' -> '63', 'two' -> '2', '2 and a half' -> '2.5', 'a couple of' -> '2'."""

    def tens(match: re.Match[str]) -> str:
        value = _TENS[match.group(1)]
        if match.group(2):
            value += _NUMBER_WORDS[match.group(2)]
        return str(value)

    out = _TENS_UNITS.sub(tens, text)
    out = _UNITS.sub(lambda m: str(_NUMBER_WORDS[m.group(1)]), out)
    out = _ONE.sub("1", out)
    for pattern, replace in _AMOUNTS:
        out = pattern.sub(replace, out)
    return re.sub(r"\ba half\b", "0.5", out)


class Speller:
    """Corrects unknown words to the nearest lay medical word (SymSpell)."""

    def __init__(self, lexicon: Iterable[str], medical: Iterable[str] = ()) -> None:
        from symspellpy import SymSpell

        # The English dictionary is only a set of words to leave alone: no SymSpell index for it
        # (its precomputed deletes would take hundreds of megabytes).
        path = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        english = frozenset(
            line.split(" ", 1)[0] for line in path.read_text(encoding="utf-8").splitlines() if line
        )
        pattern_words = frozenset(w for w in lexicon if len(w) >= MIN_CORRECTABLE)
        medical_words = frozenset(w for w in medical if len(w) >= MIN_CORRECTABLE)
        # Left alone: English words, contractions, the lexicon's own words (some are other
        # languages') and the medical list. Corrected towards: the medical list only, so a typo
        # can only become a word a person with a red flag would have meant.
        self.english = english | CONTRACTIONS
        self._known = english | pattern_words | medical_words | CONTRACTIONS
        self.lexicon = medical_words
        self._lexicon = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in self.lexicon:
            self._lexicon.create_dictionary_entry(word, 1)

    def correct(self, word: str) -> str:
        """The lexicon word meant by ``word``, or ``word`` itself."""
        from symspellpy import Verbosity

        if len(word) < MIN_CORRECTABLE or word in self.lexicon or word in self._known:
            return word
        distance = 2 if len(word) >= 8 else 1
        found = self._lexicon.lookup(word, Verbosity.TOP, max_edit_distance=distance)
        return found[0].term if found else word

    def correct_text(self, text: str) -> str:
        """Every word of ``text`` corrected where a lexicon word was meant."""
        return _WORD.sub(lambda m: self.correct(m.group(0)), text)


@dataclass(frozen=True)
class Normalised:
    """The message as triage reads it."""

    original: str
    text: str


@cache
def _speller(lexicon: frozenset[str], medical: frozenset[str]) -> Speller:
    return Speller(lexicon, medical)


def english_words(lexicon: frozenset[str], medical: frozenset[str]) -> frozenset[str]:
    """The English dictionary the speller knows (with contractions)."""
    return frozenset(_speller(lexicon, medical).english)


def only_english_words(text: str, lexicon: frozenset[str], medical: frozenset[str]) -> bool:
    """Whether every word of three letters or more is an English dictionary word (then the
    other languages' expressions need not be tried: a misdetected language always has words
    outside the English dictionary)."""
    if any(ord(c) > 127 for c in text):
        return False
    english = _speller(lexicon, medical).english
    return all(w in english for w in _WORD.findall(text) if len(w) >= 3 and w.isalpha())


_FOREIGN_NUMBERS = {
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "funf": 5,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "dois": 2,
    "duas": 2,
    "quatro": 4,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
}
#: Number words of one language that are other words in another: French "très" (very) folds
#: to the Spanish and Portuguese "tres" (three), and French "dos" (back) is Spanish "two".
_NOT_NUMBERS = {"fr": frozenset({"tres", "dos"}), "it": frozenset({"tres", "dos"})}
#: Chat spellings per language, turned into the words the expressions are written with.
_CHAT_WORDS = {
    "de": {
        "is": "ist",
        "nix": "nichts",
        "nich": "nicht",
        "hab": "habe",
        "bissl": "bisschen",
        "jetz": "jetzt",
    },
    "es": {"xq": "porque", "q": "que", "tb": "tambien", "k": "que", "pq": "porque", "x": "por"},
    "fr": {
        "qd": "quand",
        "bcp": "beaucoup",
        "chui": "je suis",
        "jsuis": "je suis",
        "ya": "il y a",
        "pk": "pourquoi",
    },
    "it": {
        "nn": "non",
        "ke": "che",
        "x": "per",
        "cmq": "comunque",
        "xke": "perche",
        "qlc": "qualche",
    },
    "pt": {
        "mto": "muito",
        "mt": "muito",
        "pq": "porque",
        "vc": "voce",
        "ta": "esta",
        "to": "estou",
        "tao": "estao",
        "nao": "nao",
    },
    "ru": {},
}
_FOREIGN_NUMBER = re.compile(r"(?<!\w)(" + "|".join(_FOREIGN_NUMBERS) + r")(?!\w)")


def normalise(
    message: str,
    lexicon: frozenset[str] = frozenset(),
    language: str = "en",
    medical: frozenset[str] = frozenset(),
) -> Normalised:
    """Fold, correct English spelling against ``lexicon``, and turn number words into digits."""
    folded = fold(message)
    if lexicon and language == "en":
        folded = _speller(lexicon, medical).correct_text(folded)
    if language != "en":
        words = _NOT_NUMBERS.get(language, frozenset())
        folded = _FOREIGN_NUMBER.sub(
            lambda m: m.group(1) if m.group(1) in words else str(_FOREIGN_NUMBERS[m.group(1)]),
            folded,
        )
        if language == "de":
            # German typed without umlauts ("zurueck", "oefter"): the folded form the words use.
            folded = re.sub(r"(?<=[a-z])(a|o|u)e(?=[a-z])", r"\1", folded)
        chat = _CHAT_WORDS.get(language, {})
        if chat:
            folded = re.sub(
                r"(?<!\w)(\w+)(?!\w)", lambda m: chat.get(m.group(1), m.group(1)), folded
            )
    folded = numbers_to_digits(folded)
    folded = re.sub(r"[ \t]+", " ", folded.replace("\n", ". ")).strip()
    return Normalised(original=message, text=folded)
