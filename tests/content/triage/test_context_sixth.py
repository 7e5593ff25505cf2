"""The patient's context carries the weight: a condition, a medicine, an age or a pregnancy.

The messages are written here by hand in the ways people told such cases in the blind development
sets; each tier and reason comes from the clinical sources named in ``content/triage/concepts.toml``.
"""

from __future__ import annotations

import pytest

from content.triage import triage

#: The same pictures told in other ways: indirectly, with a number, or by someone else.
TOLD_OTHERWISE = [
    ("sometimes I think about not being here any more", "emergency", "self_harm"),
    ("my son has been scratching his arms until they bleed", "emergency", "self_harm"),
    (
        "my vomit looks like chocolate sauce with little granules in it",
        "emergency",
        "haematemesis",
    ),
    (
        "I'm on rivaroxaban and have had 4 big bleeds from my back passage today",
        "emergency",
        "heavy_rectal_bleeding",
    ),
    (
        "pain is a 9, started 2 hours ago and I keep throwing up",
        "emergency",
        "severe_abdominal_pain",
    ),
    (
        "on peritoneal dialysis, the bag is cloudy and my tummy is tender",
        "emergency",
        "pd_peritonitis_unwell",
    ),
    (
        "grandad hasn't passed urine since breakfast and his lower belly is swollen and sore",
        "emergency",
        "urinary_retention",
    ),
    (
        "I keep dropping to the floor when I get up, had diarrhoea for 4 days",
        "emergency",
        "collapse",
    ),
    ("UC, stools 11 in 24 hours with blood, temperature 38.3", "emergency", "severe_colitis"),
    ("back from Ghana a week ago and I keep getting fevers", "urgent", "fever_after_travel"),
    (
        "home from Nigeria 10 days, now high fevers and a headache",
        "urgent",
        "fever_after_travel",
    ),
    ("fourth day of diarrhoea and it is not easing", "urgent", "persistent_diarrhoea"),
    ("my crohn's is flaring and I take methotrexate", "urgent", "ibd_flare_immunosuppressed"),
    ("diarrhoea and the water in the toilet is pink", "urgent", "bloody_runny_stool"),
    (
        "my 10 month old has crying fits every 15 minutes, draws his legs up and is pale in between",
        "emergency",
        "intussusception_episodes",
    ),
]


@pytest.mark.parametrize(
    ("message", "level", "reason"),
    [
        (
            "I had my spleen removed after a car crash years ago and now I have a temp of 38.4",
            "emergency",
            "asplenia_fever",
        ),
        ("no spleen since 2015, shivering and shaking tonight", "emergency", "asplenia_fever"),
        (
            "I have sickle cell and my tummy has been hurting since this morning",
            "urgent",
            "sickle_cell_pain",
        ),
        (
            "on azathioprine for crohns and my throat is really sore, bit feverish",
            "urgent",
            "low_white_cells_risk",
        ),
        (
            "I have Addison's and have had diarrhoea four times today",
            "urgent",
            "adrenal_sick_day",
        ),
        (
            "pain started round my belly button last night and has moved down to the right side",
            "urgent",
            "migrating_pain",
        ),
        (
            "gallstones known, this attack has gone on 9 hours and I keep being sick",
            "urgent",
            "gallstone_pain_prolonged",
        ),
        (
            "terrible pain in the top of my stomach going straight through to my back and I keep vomiting",
            "emergency",
            "pancreatitis_pattern",
        ),
        (
            "my 3 year old got into my iron tablets, a few are missing",
            "emergency",
            "child_dangerous_medicine",
        ),
        (
            "my 6 week old is not feeding and seems floppy",
            "emergency",
            "infant_poor_feeding_unwell",
        ),
        (
            "toddler aged 18 months, dry nappies all day and his eyes look sunken",
            "emergency",
            "infant_dehydration_signs",
        ),
        (
            "I've been taking 2 paracetamol every 2 hours for 3 days for my tooth",
            "emergency",
            "paracetamol_overuse",
        ),
        ("I'm 20 weeks pregnant and it burns when I wee", "urgent", "pregnancy_uti"),
        (
            "my stoma looks swollen and there is much less in the bag than usual, crampy",
            "urgent",
            "stoma_trouble",
        ),
        *TOLD_OTHERWISE,
    ],
)
def test_context_changes_the_tier(message: str, level: str, reason: str) -> None:
    result = triage(message)
    assert result.level == level, (result.level, result.reasons)
    assert reason in result.reasons


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        # A newborn's first black sticky stool is meconium, not a bleed.
        (
            "baby born yesterday, her first nappy was black and sticky like tar, is that meconium?",
            "melaena",
        ),
        # One or two loose stools after an antibiotic are common and settle.
        (
            "finished amoxicillin on Friday and had two loose poos today, otherwise fine",
            "c_diff_risk",
        ),
        # Gallstones known, pain gone after an hour, eating normally: not a same-day problem.
        (
            "I have gallstones, had a twinge after dinner for an hour, gone now",
            "gallstone_pain_prolonged",
        ),
        # A baby feeding well is not a baby who is not feeding.
        (
            "my 5 week old has been a bit windy but is feeding fine and has wet nappies",
            "infant_poor_feeding_unwell",
        ),
        # Having had the spleen out does not make a cold without a fever an emergency.
        ("I had my spleen out years ago, is it ok to take probiotics?", "asplenia_fever"),
    ],
)
def test_context_alone_raises_nothing(message: str, reason: str) -> None:
    result = triage(message)
    assert reason not in result.reasons
    assert result.level in ("routine", "see_doctor"), (result.level, result.reasons)


@pytest.mark.parametrize(
    "message",
    [
        "the curry was so spicy I thought I was going to pass out lol, is chilli bad for the gut?",
        "does apixaban raise the risk of bleeding from the bowel? no symptoms, just started it",
        "I'm a nurse on a gastro ward and see lots of GI bleeds, what does the research say about PPIs?",
        "had food poisoning in Egypt 2 years ago, all fine since. how do I avoid getting ill this time?",
        "je prends du fer, mes selles sont noires mais bien moulées, pas collantes, tout va bien",
        "finished my antibiotics on Monday and had one loose stool today, otherwise fine",
    ],
)
def test_everyday_messages_stay_routine(message: str) -> None:
    result = triage(message)
    assert result.level in ("routine", "see_doctor"), (result.level, result.reasons)


@pytest.mark.parametrize(
    ("message", "years"),
    [
        ("she's 6 months and has had diarrhoea since yesterday", 0.5),
        ("Mi bebé de 10 días vomita", 10 / 365),
        ("Opa ist 87 und erbricht", 87.0),
    ],
)
def test_ages_told_in_passing(message: str, years: float) -> None:
    from content.triage.engine import assess

    assert assess(message).age == pytest.approx(years, abs=0.01)


@pytest.mark.parametrize(
    ("message", "level"),
    [
        # Written by hand from the same clinical pictures, in everyday words of each language.
        ("из попы хлещет кровь со сгустками, мне очень плохо", "emergency"),
        ("после амоксиклава понос водой раз 7 в день", "urgent"),
        ("бабушке 86, третий день понос, почти не пьет", "urgent"),
        (
            "bebe de 4 mois, plus de couche mouillee depuis ce matin, il pleure sans larmes",
            "emergency",
        ),
        ("ça fait 4 jours que je vais pas à la selle et plus aucun gaz, je vomis", "emergency"),
        ("c'est quoi la façon la moins douloureuse de mourir", "emergency"),
        ("Douleur terrible en haut du ventre qui transperce dans le dos, je vomis", "emergency"),
        ("meu filho de 9 ta com a barriga durinha e grita quando eu aperto", "emergency"),
        ("to vomitando tudo, nem agua para no estomago", "urgent"),
        ("vomito tutto da stamattina, niente resta giu", "urgent"),
        ("da 4 giorni non riesco a scaricare né a fare aria e vomito", "emergency"),
        ("me corté el brazo otra vez y no para de sangrar", "emergency"),
        ("llevo 3 dias sin hacer caca ni tirarme pedos y estoy vomitando", "emergency"),
        ("die Fontanelle von meinem Kleinen (5 Wochen) ist eingesunken", "emergency"),
        ("ho deciso come e quando, volevo dirlo a qualcuno", "emergency"),
    ],
)
def test_other_languages_read_through_the_gloss(message: str, level: str) -> None:
    result = triage(message)
    assert result.level == level, (result.level, result.reasons)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("a sore by my bottom that hasn't healed in 5 weeks", "anal_sore"),
        ("my bowel screening letter came back abnormal and they'll be in touch", "positive_fit"),
        ("my mum had FAP and I've never been checked, I'm 20", "hereditary_bowel_cancer"),
        ("I wake up at night needing the loo urgently, been months", "nocturnal_symptoms"),
        ("I've gone from 82 to 75 kg without trying", "weight_loss"),
        ("my GP said my B12 is 120 and I have diarrhoea a lot", "low_b12_folate"),
        ("breath test came back positive for H pylori", "h_pylori_positive"),
        ("my poo has been pale, like putty, for 3 weeks", "pale_stools_lasting"),
        (
            "always feel like I still need to go even after I've been, every day for 2 months",
            "tenesmus",
        ),
        ("swallowing has become difficult over the last month", "dysphagia"),
        ("глотать стало трудно, еда застревает за грудиной", "dysphagia"),
        ("my daughter keeps saying she's fat and skips meals", "eating_disorder_risk"),
    ],
)
def test_see_a_doctor_told_plainly(message: str, reason: str) -> None:
    result = triage(message)
    assert reason in result.reasons, (result.level, result.reasons)


@pytest.mark.parametrize(
    "message",
    [
        "what is melaena? I saw it on a medicine leaflet",
        "my baby was born yesterday and her first poo is black and sticky, is that meconium?",
        "I'm freezing and shivering because the aircon at work is set too low, anyway which fibre is best?",
        "people say my eyes look yellow in photos but the whites are totally white in daylight",
        "I fainted once when I had a blood test years ago, do these kits need blood?",
        "what's a normal temperature for a toddler?",
        "my spaniel hasn't pooed for a day and threw up grass",
        "took de-nol and now my stool is black, I feel fine",
        "out of curiosity, can black stool be caused by food?",
    ],
)
def test_questions_and_explained_signs_are_not_alarms(message: str) -> None:
    result = triage(message)
    assert result.level in ("routine", "see_doctor"), (result.level, result.reasons)


def test_a_tummy_that_cannot_bear_touch_is_still_an_emergency() -> None:
    assert triage("I can't bear anything touching my belly, not even my top").level == "emergency"


@pytest.mark.parametrize(
    ("message", "words"),
    [
        (
            "bébé de 5 mois, plus de couche mouillée depuis ce matin, il pleure sans larmes",
            "sans larmes",
        ),
        ("mi hijo de 2 años se ha tomado unas pastillas de hierro mías", "pastillas de adulto"),
        (
            "diálisis peritoneal, el líquido sale turbio y me duele mucho la barriga",
            "diálisis peritoneal",
        ),
    ],
)
def test_an_alarm_in_another_language_names_its_reason(message: str, words: str) -> None:
    result = triage(message)
    assert result.level == "emergency", (result.level, result.reasons)
    assert words in result.message


def test_a_figure_of_speech_about_fainting_is_not_a_collapse() -> None:
    assert triage("that curry was so hot I thought I'd pass out lol").level == "routine"
    assert triage("the pain is so bad I thought I'd pass out").level == "emergency"
