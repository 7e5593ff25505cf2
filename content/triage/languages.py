"""Messages in other languages: which language, and a reply in it when it matters.

The language of a message is detected with lingua (lingua-language-detector), limited to English
and the six languages the bot can triage in (German, Spanish, French, Russian, Portuguese,
Italian), which keeps it fast and accurate on short text. The same engine and rules run on every
message; languages.toml gives the emergency and common urgent expressions in each language. For
a message in one of them the reply is in that language: an alarm gets its tier's message there,
naming the reason; anything else gets a short note that the bot understands English best.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from content.messages import has, text

SUPPORTED = ("de", "es", "fr", "ru", "pt", "it")
#: Below this confidence (or for very short text) a message is taken as English.
MIN_CONFIDENCE = 0.5
MIN_LETTERS = 8
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    languages = [
        Language.ENGLISH,
        Language.GERMAN,
        Language.SPANISH,
        Language.FRENCH,
        Language.RUSSIAN,
        Language.PORTUGUESE,
        Language.ITALIAN,
    ]
    # Low-accuracy mode (trigrams only) agreed with the labels as often on the development
    # messages as the full models, in a sixth of the memory (about 30 MB against 170 MB).
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def warm_up() -> None:
    """Load the language models before the first message needs them."""
    detect_language("Das ist ein kurzer Satz zum Aufwärmen.")


# Short function words: a message with more English ones than any other language's is English
# without asking the detector (trigram models misread short English questions).
_FUNCTION_WORDS = {
    "en": "the a an is are was were my i im ive and or of to in on for with what how can does do it this "
    "that be have has had after from your you me at but not no so if about when why should could would "
    "will been being just really very since",
    "de": "der die das und ist ich nicht ein eine mit mir mein meine hab habe seit oder auch bin sehr was wie",
    "es": "el la los las y es que de en un una con mi me no por para lo muy tengo desde hace pero",
    "fr": "le la les et est je de du des un une avec mon ma mes ne pas plus jai ai tres depuis mais",
    "ru": "и в не на я что с у меня мне это как но уже",
    "pt": "o a os as e e que de em um uma com meu minha nao por para muito estou tenho desde mas "
    "do da dos das no na nos nas mais quando esta ta dia dias fiz sem",
    "it": "il lo la gli le e che di in un una con mio mia non per molto ho sono da ma "
    "del della dei nel nella al alla piu quando sto mi ci",
}
_WORD_SETS = {code: frozenset(words.split()) for code, words in _FUNCTION_WORDS.items()}
_WORDS = re.compile(r"\w+")


def _english_by_words(message: str) -> bool:
    from content.triage.normalise import fold

    words = _WORDS.findall(fold(message))
    counts = {code: sum(w in vocab for w in words) for code, vocab in _WORD_SETS.items()}
    english = counts.pop("en")
    return english > 0 and english > max(counts.values())


#: Russian typed in Latin letters ("u menya krov v kale"): words no other language here uses.
_RUSSIAN_LATIN = frozenset(
    [
        "mnogo",
        "eshche",
        "sovsem",
        "vnezapno",
        "glaza",
        "mocha",
        "poslednie",
        "mesyatsa",
        "stula",
        "gazy",
        "silnaya",
        "vsya",
        "takogo",
        "nikogda",
        "ranshe",
        "appetit",
        "diete",
        "sidel",
        "kozha",
        "temno",
        "krasnaya",
        "sgustki",
        "vyrvalo",
        "razdulo",
        "baraban",
        "doska",
        "potnaya",
        "blednaya",
        "pokhudel",
        "pohudel",
        "vzdutie",
        "drugoy",
        "stal",
        "uzhasno",
        "menya",
        "mne",
        "mnoj",
        "tebya",
        "eto",
        "kak",
        "uzhe",
        "chto",
        "ochen",
        "segodnya",
        "vchera",
        "pomogite",
        "delat",
        "mozhno",
        "nado",
        "seichas",
        "sejchas",
        "pochemu",
        "kogda",
        "tozhe",
        "vse",
        "vsyo",
        "nichego",
        "bolit",
        "bolno",
        "zhivot",
        "krov",
        "rvota",
        "ponos",
        "golova",
        "kruzhitsya",
        "dyshat",
        "ne",
        "mogu",
        "chto-to",
        "privet",
        "podskazhite",
        "skazhite",
        "pozhaluista",
        "spasibo",
    ]
)


@cache
def _russian_latin_words() -> frozenset[str]:
    """The words above and every Latin-letter word of the Russian glossary that is not also an
    English dictionary word (a new gloss of transliterated Russian helps detection too)."""
    from content.triage.glossary import glossaries
    from content.triage.lexicon import lexicon
    from content.triage.normalise import english_words

    english = english_words(lexicon().words, lexicon().medical)
    russian = glossaries().get("ru")
    found = set(_RUSSIAN_LATIN)
    if russian is not None:
        keys = [*russian.words, *(stem for stem, _ in russian.prefixes)]
        keys += [w for phrase in russian.phrases for w in phrase]
        found |= {
            k for k in keys if k.isascii() and k.isalpha() and len(k) >= 4 and k not in english
        }
    return frozenset(found)


def _russian_in_latin(message: str) -> bool:
    from content.triage.normalise import fold

    words = _WORDS.findall(fold(message))
    vocabulary = _russian_latin_words()
    hits = sum(w in vocabulary for w in words)
    return hits >= 2 or (hits == 1 and len(words) <= 4)


#: The accented letters each language writes. English writes none of its own; its loanwords
#: ("café", "purée") come with English words, and such messages are told English before this.
_ALPHABET = {
    "EN": set(),
    "DE": set("äöüß"),
    "ES": set("áéíóúüñ"),
    "FR": set("àâæçéèêëîïôœùûüÿ"),
    "PT": set("áâãàçéêíóôõúü"),
    "IT": set("àèéìíîòóù"),
}
_MARKED: set[str] = set().union(*_ALPHABET.values())


def detect_language(message: str) -> str:
    """'en', or one of ``SUPPORTED`` when the message is written in it."""
    if not _CYRILLIC.search(message) and _russian_in_latin(message):
        return "ru"
    if _english_by_words(message):
        return "en"
    letters = sum(c.isalpha() for c in message)
    if letters < MIN_LETTERS:
        return "ru" if _CYRILLIC.search(message) else "en"
    values = _detector().compute_language_confidence_values(message)
    # A letter a language never writes rules it out: trigram models take the short "pas de
    # fièvre, perte de 5 kg" for Spanish, which has no "è".
    marked = set(message.lower()) & _MARKED
    fitting = [v for v in values if marked <= _ALPHABET.get(v.language.iso_code_639_1.name, marked)]
    values = fitting or values
    if not values:
        return "en"
    best = values[0]
    # The confidence among the languages left (they summed to 1 before any was ruled out).
    confidence = best.value / (sum(v.value for v in values) or 1.0)
    code = best.language.iso_code_639_1.name.lower()
    if code == "en" or confidence < MIN_CONFIDENCE:
        return "ru" if _CYRILLIC.search(message) and code == "ru" else "en"
    return code if code in SUPPORTED else "en"


def reason_in(language: str, key: str) -> str:
    """The reason for rule ``key`` in ``language`` (a general wording when none is written)."""
    specific = f"languages.{language}.reason.{key}"
    return text(specific) if has(specific) else text(f"languages.{language}.reason_generic")


def localised_message(language: str, level: str, reasons: tuple[str, ...], self_harm: bool) -> str:
    """The triage message for a message written in ``language``."""
    lines = []
    if self_harm:
        lines.append(text(f"languages.{language}.crisis"))
    if level != "routine" and not (self_harm and level == "emergency" and len(reasons) == 1):
        lines.append(text(f"languages.{language}.{level}"))
        specific = [
            k for k in reasons if k != "self_harm" and has(f"languages.{language}.reason.{k}")
        ]
        shown: list[str] = []
        for key in (specific or list(reasons))[:3]:
            words = reason_in(language, key)
            if key != "self_harm" and words not in shown:  # the general wording only once
                shown.append(words)
        if shown:
            lines.append(text(f"languages.{language}.because", reasons="; ".join(shown)))
    lines.append(text(f"languages.{language}.english_only"))
    return "\n\n".join(lines)
