"""The English gloss of other languages: words replaced in place, the rest left, and what it adds."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.messages import ContentError
from content.triage import triage
from content.triage.glossary import Glossary, _build, gloss, glossaries
from content.triage.languages import detect_language


def test_listed_words_become_english_and_the_rest_stays() -> None:
    assert gloss("krov iz popy ochen mnogo", "ru") == "blood from the bottom very a lot of"
    assert gloss("la pancia durissima", "it") == "la belly rigid"


def test_a_stem_covers_inflected_forms_and_the_longest_stem_wins() -> None:
    glossary = _build({"кров*": "blood", "кровотечени*": "bleeding"}, "ru")
    assert glossary.prefixes[0] == ("кровотечени", "bleeding")
    assert gloss("кровавая", "ru") == "blood"  # no whole-word entry: the stem decides


def test_an_unknown_language_is_left_as_it_is() -> None:
    assert gloss("anything at all", "xx") == "anything at all"


@pytest.mark.parametrize(
    ("entries", "problem"),
    [({"k*": "x"}, "stem"), ({"word": ""}, "meaning"), ({"two words*": "x"}, "stem")],
)
def test_a_malformed_entry_stops_start_up(entries: dict[str, object], problem: str) -> None:
    with pytest.raises(ContentError, match=problem):
        _build(entries, "de")


def test_a_broken_file_names_itself(tmp_path: Path) -> None:
    broken = tmp_path / "glossary.toml"
    broken.write_text('[de]\n"a" = "x"\n"a" = "y"\n', encoding="utf-8")
    with pytest.raises(ContentError, match=r"glossary\.toml"):
        glossaries.__wrapped__(broken)


def test_every_language_has_a_glossary() -> None:
    assert set(glossaries()) == {"de", "es", "fr", "ru", "pt", "it"}
    assert all(isinstance(g, Glossary) and g.words for g in glossaries().values())


@pytest.mark.parametrize(
    "message",
    [
        "krov iz popy ochen mnogo, ves unitaz krasnyi, golova kruzhitsya",
        "ne mogu dyshat, vozduha ne hvataet, pomogite",
        "rvota s krovyu u muzha, uzhe 2 raza za chas, chto delat",
    ],
)
def test_russian_in_latin_letters_is_read_as_russian(message: str) -> None:
    assert detect_language(message) == "ru"
    assert triage(message).level == "emergency"


@pytest.mark.parametrize(
    "message",
    [
        # Emergencies the language's own expressions did not cover; the English concepts read the gloss.
        "mio figlio di 10 anni ha la pancia durissima, urla se la tocco e quando lascio e peggio",
        "que probioticos me recomiendan pa la diarrea? la mia sale negra y brillosa como chapopote",
        "stasera mi butto dal balcone, tanto nessuno se ne accorge",
    ],
)
def test_the_gloss_catches_what_the_phrases_missed(message: str) -> None:
    assert triage(message).level == "emergency"


@pytest.mark.parametrize(
    "message",
    [
        # A denial, a lookalike and a settled past event are read in the gloss too.
        "diarrea desde ayer, sin sangre ni fiebre, estoy bebiendo bien",
        "пью сорбифер второй месяц, стул черный но оформленный, ничего не болит",
        "hatte letztes jahr brustschmerzen, war in der notaufnahme, herz komplett ok, war reflux",
        "e se eu sentir dor no peito depois de tomar probiotico? nunca senti nada, so pra saber",
        "esses gases vao me matar, serio mano kkk",
    ],
)
def test_the_gloss_does_not_raise_harmless_messages(message: str) -> None:
    assert triage(message).level in {"routine", "see_doctor"}
