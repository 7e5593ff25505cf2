"""Free-text questions in the bot: triage first and alone, cited answers, browsing, sources."""

from __future__ import annotations

from bot.local_bot import LocalBot
from content.messages import text
from tests.bot.conftest import consent
from tests.conftest import shared_path


async def test_question_gets_a_cited_answer_with_buttons(local_bot: LocalBot) -> None:
    calls = await local_bot.say(1, "why am i so bloated after every meal")
    answer = calls[-1]
    assert answer.text.startswith("Bloating and wind")
    datas = [d for _, d in answer.buttons]
    assert "src:symptoms.bloating_gas" in datas
    assert any(d.startswith("topic:") for d in datas)
    sources = await local_bot.say(1, "/sources")
    assert "doi.org" in sources[-1].text


async def test_emergency_is_sent_first_and_alone(local_bot: LocalBot) -> None:
    calls = await local_bot.say(2, "I have been vomiting blood since this morning")
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1
    assert sent[0].text.startswith(text("triage.emergency.title"))


async def test_urgent_advice_comes_before_the_answer(local_bot: LocalBot) -> None:
    calls = [
        c
        for c in await local_bot.say(3, "diarrhoea for 4 days and not getting better")
        if c.method == "sendMessage"
    ]
    assert calls[0].text.startswith(text("triage.urgent.title"))
    assert len(calls) == 2


async def test_personalised_after_an_upload(local_bot: LocalBot) -> None:
    await consent(local_bot, 4)
    name = "metaphlan3_kefir_Subj001_time1_stool.txt"
    await local_bot.upload(4, shared_path("corpus", name).read_bytes(), name)
    reply = await local_bot.say(4, "what does low bifidobacterium mean")
    assert "What your own data shows" in reply[-1].text
    assert "Your test from" in reply[-1].text


async def test_browse_topics_more_and_out_of_scope(local_bot: LocalBot) -> None:
    areas = await local_bot.say(5, "/topics")
    assert areas[-1].text == text("browse.topics_title")
    listed = await local_bot.press(5, "area:interventions")
    assert any(d == "topic:interventions.probiotics" for _, d in listed[-1].buttons)
    topic = await local_bot.press(5, "topic:interventions.probiotics")
    assert topic[-1].text.startswith("Probiotics")
    more = await local_bot.press(5, "more:interventions.probiotics")
    assert "clinical guideline" in more[-1].text
    scope = await local_bot.say(5, "who won the football last night")
    assert scope[-1].text == text("questions.scope")


async def test_see_a_doctor_has_its_own_message_then_the_answer(local_bot: LocalBot) -> None:
    calls = [
        c
        for c in await local_bot.say(
            6, "I've lost 6kg in 3 months without trying and I'm bloated a lot"
        )
        if c.method == "sendMessage"
    ]
    assert calls[0].text.startswith(text("triage.see_doctor.title"))
    assert "losing weight without trying" in calls[0].text
    assert text("triage.emergency.action") not in calls[0].text
    assert len(calls) == 2
    assert calls[1].text.startswith("Bloating and wind")


async def test_an_emergency_in_german_is_answered_in_german(local_bot: LocalBot) -> None:
    calls = [
        c
        for c in await local_bot.say(
            7, "Hab seit heute früh schwarzen Stuhl wie Teer und mir ist schwindelig"
        )
        if c.method == "sendMessage"
    ]
    assert len(calls) == 1
    assert calls[0].text.startswith(text("languages.de.emergency"))
    assert text("languages.de.reason.melaena") in calls[0].text
    assert text("questions.scope") not in calls[0].text


async def test_a_lookalike_gets_its_reassurance_and_the_answer(local_bot: LocalBot) -> None:
    calls = [
        c
        for c in await local_bot.say(8, "my poo is red after beetroot, is that normal?")
        if c.method == "sendMessage"
    ]
    assert calls[0].text == text("triage.note.lookalike_beetroot")
    assert len(calls) == 2


async def test_an_answer_has_the_buttons_it_promises(local_bot: LocalBot) -> None:
    await consent(local_bot, 77)
    reply = (await local_bot.say(77, "why am I so bloated after meals?"))[-1]
    labels = [label for label, _ in reply.buttons]
    assert text("browse.more_button") in labels and text("browse.sources_button") in labels
    assert "Strongest evidence here" not in reply.text
    more = await local_bot.press(77, text("browse.more_button"))
    assert more[-1].text and more[-1].text != reply.text
