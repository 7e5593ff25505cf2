"""The red-flag concept file (``concepts.toml``), loaded and validated once at start-up."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from content.messages import ContentError

Level = Literal["emergency", "urgent", "see_doctor", "routine"]
LEVELS: tuple[Level, ...] = ("emergency", "urgent", "see_doctor", "routine")
CONCEPTS_FILE = Path(__file__).with_name("concepts.toml")
#: Expressions in other languages for the same features (same rules and tiers).
LANGUAGES_FILE = Path(__file__).with_name("languages.toml")
#: Features computed from numbers and other features, not from patterns of their own.
COMPUTED = frozenset(
    {
        "fever_any",
        "high_fever",
        "fast_pulse",
        "bleeding_other",
        "severe_colitis_bloods",
        "ibs_sss_worse",
    }
)
_MACRO = re.compile(r"\{([A-Z][A-Z_]*)\}")
_WORDS = re.compile(r"(?<![\\?])\b[a-z]{4,}\b")


@dataclass(frozen=True)
class Feature:
    """One thing a person can say, in many expressions."""

    name: str
    patterns: tuple[re.Pattern[str], ...]
    negatable: bool = True
    #: Expressions in the other languages (languages.toml): not tried on English messages.
    foreign: tuple[re.Pattern[str], ...] = ()
    historical_ok: bool = False
    patient: bool = False
    #: False: counts whatever the context (any wording about harming oneself is taken as real).
    context: bool = True


@dataclass(frozen=True)
class Rule:
    """A red flag: features (alternatives joined by '|') and conditions that set a tier."""

    key: str
    tier: Level
    all: tuple[tuple[str, ...], ...]
    reason: str
    why: str
    source: str
    patient: tuple[tuple[str, ...], ...] = ()
    #: Features that stop the rule ("severe pain" that is in the bottom is not abdominal pain).
    unless: tuple[tuple[str, ...], ...] = ()
    age_min: float | None = None
    age_max: float | None = None
    sex: str | None = None
    min_days: float | None = None
    max_days: float | None = None
    min_count: int | None = None
    #: A past exposure (travel, antibiotics) matters only when it is recent: no past firing.
    current_only: bool = False


@dataclass(frozen=True)
class Lexicon:
    """Every feature and rule, and the words the speller may correct towards."""

    features: dict[str, Feature]
    rules: tuple[Rule, ...]
    words: frozenset[str]
    medical: frozenset[str] = frozenset()


def _expand(pattern: str, macros: dict[str, str], where: str) -> str:
    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ContentError(f"concepts.toml: {where} uses unknown macro {{{name}}}")
        return macros[name]

    return _MACRO.sub(sub, pattern)


def _alternatives(items: list[Any], where: str) -> tuple[tuple[str, ...], ...]:
    if not isinstance(items, list) or not all(isinstance(i, str) and i for i in items):
        raise ContentError(f"concepts.toml: {where} must be a list of feature names")
    return tuple(tuple(part.strip() for part in item.split("|")) for item in items)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc


def _features(
    path: Path,
    data: dict[str, Any],
    macros: dict[str, str],
    into: dict[str, Feature],
    foreign: bool = False,
) -> set[str]:
    words: set[str] = set()
    for name, spec in data.get("feature", {}).items():
        raw = spec.get("patterns")
        if not raw:
            raise ContentError(f"{path.name}: feature {name!r} has no patterns")
        compiled = []
        for pattern in raw:
            expanded = _expand(pattern, macros, f"feature {name!r}")
            try:
                compiled.append(re.compile(expanded))
            except re.error as exc:
                raise ContentError(f"{path.name}: feature {name!r}: {exc}: {pattern}") from exc
            words.update(_WORDS.findall(re.sub(r"\\[a-zA-Z]", " ", expanded)))
        earlier = into.get(name)
        into[name] = Feature(
            name=name,
            patterns=(*(earlier.patterns if earlier else ()), *([] if foreign else compiled)),
            foreign=(*(earlier.foreign if earlier else ()), *(compiled if foreign else [])),
            negatable=bool(spec.get("negatable", earlier.negatable if earlier else True)),
            historical_ok=bool(
                spec.get("historical_ok", earlier.historical_ok if earlier else False)
            ),
            patient=bool(spec.get("patient", earlier.patient if earlier else False)),
            context=bool(spec.get("context", earlier.context if earlier else True)),
        )
    return words


def load_lexicon(path: Path = CONCEPTS_FILE, languages: Path | None = LANGUAGES_FILE) -> Lexicon:
    """Read, compile and cross-check the concept files (a broken file stops start-up)."""
    data = _read(path)
    macros = {k: str(v) for k, v in data.get("macros", {}).items()}
    features: dict[str, Feature] = {}
    words = _features(path, data, macros, features)
    if languages is not None:
        # Other languages' words are not offered to the English speller.
        _features(languages, _read(languages), macros, features, foreign=True)
    rules = []
    keys: set[str] = set()
    known = set(features) | COMPUTED
    for spec in data.get("rule", []):
        key = spec.get("key", "")
        where = f"rule {key!r}"
        if not key or key in keys:
            raise ContentError(f"{path.name}: {where} is missing or defined twice")
        keys.add(key)
        tier = spec.get("tier")
        if tier not in LEVELS[:3]:
            raise ContentError(f"{path.name}: {where} has tier {tier!r}")
        for field in ("reason", "why", "source"):
            if not str(spec.get(field, "")).strip():
                raise ContentError(f"{path.name}: {where} has no {field}")
        needed = _alternatives(spec.get("all", []), where)
        patient = _alternatives(spec.get("patient", []), where) if "patient" in spec else ()
        unless = _alternatives(spec.get("unless", []), where) if "unless" in spec else ()
        for group in (*needed, *patient, *unless):
            for name in group:
                if name not in known:
                    raise ContentError(f"{path.name}: {where} uses unknown feature {name!r}")
        rules.append(
            Rule(
                key=key,
                tier=tier,
                all=needed,
                reason=spec["reason"],
                why=spec["why"],
                source=spec["source"],
                patient=patient,
                unless=unless,
                age_min=spec.get("age_min"),
                age_max=spec.get("age_max"),
                sex=spec.get("sex"),
                min_days=spec.get("min_days"),
                max_days=spec.get("max_days"),
                min_count=spec.get("min_count"),
                current_only=bool(spec.get("current_only", False)),
            )
        )
    medical = frozenset(str(w).lower() for w in data.get("lexicon", {}).get("words", []))
    return Lexicon(features=features, rules=tuple(rules), words=frozenset(words), medical=medical)


@cache
def lexicon() -> Lexicon:
    """The loaded concept file (cached for the life of the process)."""
    return load_lexicon()
