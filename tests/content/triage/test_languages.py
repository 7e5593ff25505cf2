"""Other languages: emergencies recognised and answered in the writer's language."""

from __future__ import annotations

import pytest

from content.messages import text
from content.triage import triage
from content.triage.languages import detect_language


@pytest.mark.parametrize(
    ("message", "language"),
    [
        (
            "Hab seit heute früh schwarzen, klebrigen Stuhl wie Teer und mir ist total schwindelig.",
            "de",
        ),
        ("Ich habe schwarzen Stuhl und mir ist schwindelig", "de"),
        ("ho vomitato sangue scuro tipo fondi di caffè, sono da sola a casa", "it"),
        ("tô com dor no peito e falta de ar faz meia hora, achei que era gases", "pt"),
        (
            "У мужа (60 лет) внезапно сильнейшая боль в животе, отдаёт в спину, весь бледный и потный",
            "ru",
        ),
        (
            "mi hijo de 3 años tiene un dolor de barriga horrible y acaba de hacer una caca con sangre como mermelada",
            "es",
        ),
        ("Je n'arrive plus à respirer et j'ai mal à la poitrine", "fr"),
        ("Ich will nicht mehr leben", "de"),
        ("Me desmayé en el baño y hay mucha sangre en el váter", "es"),
    ],
)
def test_emergencies_in_other_languages(message: str, language: str) -> None:
    result = triage(message)
    assert result.level == "emergency"
    assert result.language == language
    assert text(f"languages.{language}.english_only") in result.message
    assert text("triage.emergency.title") not in result.message


def test_the_reason_is_named_in_the_language() -> None:
    result = triage("Hab seit heute früh schwarzen Stuhl wie Teer")
    assert text("languages.de.reason.melaena") in result.message


def test_a_routine_message_gets_the_english_note_not_the_scope_reply() -> None:
    from content import answer

    reply = answer("Hilft Kefir gegen Blähungen oder macht der das eher schlimmer?")
    assert reply.triage.language == "de"
    assert reply.text == text("languages.de.english_only")


@pytest.mark.parametrize(
    "message",
    [
        "can probiotics help",
        "my poo is black lol",
        "bali belly again",
        "ok",
        "temp 39.6 and the runs",
    ],
)
def test_english_stays_english(message: str) -> None:
    assert detect_language(message) == "en"


@pytest.mark.parametrize(
    ("message", "language", "level"),
    [
        # Short, accented, medical: trigram models alone call the first two Spanish.
        ("pas de fièvre, perte de 5 kg sans régime", "fr", "see_doctor"),
        ("pas de fièvre, perte de 5 kg", "fr", "see_doctor"),
        ("mal au ventre depuis 3 jours, pas de fièvre", "fr", "routine"),
        (
            "dor intensa no ânus, não consigo sentar, tem um caroço duro que apareceu ontem",
            "pt",
            "urgent",
        ),
    ],
)
def test_a_letter_a_language_never_writes_rules_it_out(
    message: str, language: str, level: str
) -> None:
    assert detect_language(message) == language
    assert triage(message).level == level


def test_an_english_message_with_a_loanword_stays_english() -> None:
    assert detect_language("I had a café latte and now cramps") == "en"
    assert detect_language("the purée made my tummy hurt") == "en"
