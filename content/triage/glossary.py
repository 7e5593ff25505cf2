"""A word-for-word English gloss of a message in another language (``glossary.toml``).

The gloss lets the English concepts, their context rules and the semantic net read a message in
German, Spanish, French, Russian, Portuguese or Italian as well: every red-flag word listed is
replaced by its English meaning, in place; every other word stays as it is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from content.messages import ContentError

GLOSSARY_FILE = Path(__file__).with_name("glossary.toml")
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+")


@dataclass(frozen=True)
class Glossary:
    """One language's entries: phrases of several words, whole words, and word beginnings."""

    phrases: dict[tuple[str, ...], str]
    words: dict[str, str]
    #: Longest first, so "кровотечени" wins over "кров".
    prefixes: tuple[tuple[str, str], ...]
    longest_phrase: int


def _build(entries: dict[str, object], language: str) -> Glossary:
    phrases: dict[tuple[str, ...], str] = {}
    words: dict[str, str] = {}
    prefixes: list[tuple[str, str]] = []
    for key, value in entries.items():
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"glossary.toml [{language}] {key!r}: the meaning must be text")
        if key.endswith("*"):
            stem = key[:-1]
            if len(stem) < 2 or " " in stem:
                raise ContentError(f"glossary.toml [{language}] {key!r}: a stem is one word of 2+")
            prefixes.append((stem, value))
        elif " " in key:
            phrases[tuple(key.split())] = value
        else:
            words[key] = value
    return Glossary(
        phrases=phrases,
        words=words,
        prefixes=tuple(sorted(prefixes, key=lambda p: -len(p[0]))),
        longest_phrase=max((len(p) for p in phrases), default=1),
    )


@cache
def glossaries(path: Path = GLOSSARY_FILE) -> dict[str, Glossary]:
    """Every language's glossary (validated once)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    return {language: _build(entries, language) for language, entries in data.items()}


def _meaning(glossary: Glossary, word: str) -> str | None:
    if word in glossary.words:
        return glossary.words[word]
    for stem, value in glossary.prefixes:
        if word.startswith(stem):
            return value
    return None


def gloss(text: str, language: str) -> str:
    """``text`` (already normalised) with every listed word replaced by its English meaning."""
    glossary = glossaries().get(language)
    if glossary is None:
        return text
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token[0].isalnum() and token[0] != "_":
            out.append(token)
            i += 1
            continue
        # Several words in a row first ("golova kruzhitsya"), skipping the spaces between them.
        matched = False
        for size in range(glossary.longest_phrase, 1, -1):
            words = tokens[i : i + 2 * size - 1 : 2]
            gaps = tokens[i + 1 : i + 2 * size - 1 : 2]
            if len(words) == size and all(g.isspace() for g in gaps):
                meaning = glossary.phrases.get(tuple(words))
                if meaning is not None:
                    out.append(meaning)
                    i += 2 * size - 1
                    matched = True
                    break
        if matched:
            continue
        meaning = _meaning(glossary, token)
        out.append(token if meaning is None else meaning)
        i += 1
    return "".join(out)
