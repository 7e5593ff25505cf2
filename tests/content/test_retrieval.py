"""Retrieval: the lexical shortcut never changes which topic an answer is about."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.eval_content import load_rows
from content import retrieval
from content.answer import CONFIDENT_SCORE
from content.retrieval import EMBEDDING_WEIGHT, Match, Retriever, _trigrams, default_retriever


def _blended(message: str) -> list[Match]:
    """The full hybrid ranking, embedding always computed."""
    hybrid = default_retriever()
    assert hybrid.embeddings is not None, "the ONNX model is a dependency and must load"
    lexical = {m.topic_id: m.score for m in hybrid.bm25.rank(message, limit=len(hybrid.bm25.ids))}
    if not lexical:
        return []
    semantic = hybrid.embeddings.similarities(message)
    blended = {
        t: lexical.get(t, 0.0) + EMBEDDING_WEIGHT * max(0.0, semantic.get(t, 0.0)) for t in semantic
    }
    return [Match(t, s) for t, s in sorted(blended.items(), key=lambda p: -p[1])[:3]]


def test_a_decisive_lexical_match_is_not_embedded_and_gets_the_same_top_topic() -> None:
    # The shortcut only ever answers confidently what the blend would answer confidently.
    assert retrieval.DECISIVE_SCORE >= CONFIDENT_SCORE
    hybrid = default_retriever()
    skipped = 0
    for row in load_rows():
        text = str(row["text"])
        full = _blended(text)
        fast = hybrid.rank(text, limit=3)
        assert [m.topic_id for m in fast[:1]] == [m.topic_id for m in full[:1]], text
        lexical = hybrid.bm25.rank(text, limit=2)
        if lexical and retrieval._decisive([(m.topic_id, m.score) for m in lexical]):
            skipped += 1
            assert fast[0].score >= CONFIDENT_SCORE
    # The shortcut must actually save work on ordinary questions (half of them, measured).
    assert skipped >= 80


def test_only_messages_bm25_cannot_settle_are_embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    hybrid = default_retriever()
    assert hybrid.embeddings is not None
    calls: list[str] = []
    original = hybrid.embeddings.similarities

    def spy(message: str) -> dict[str, float]:
        calls.append(message)
        return original(message)

    monkeypatch.setattr(hybrid.embeddings, "similarities", spy)
    seen = {True: 0, False: 0}
    for row in load_rows():
        text = str(row["text"])
        lexical = hybrid.bm25.rank(text, limit=2)
        if not lexical:
            continue
        decisive = retrieval._decisive([(m.topic_id, m.score) for m in lexical])
        calls.clear()
        hybrid.rank(text)
        assert calls == ([] if decisive else [text]), text
        seen[decisive] += 1
    assert seen[True] and seen[False]


def _closest_by_brute_force(retriever: Retriever, token: str) -> str | None:
    """The definition: the first known word with the highest trigram Jaccard, if >= 0.45."""
    grams = _trigrams(token)
    best, best_score = None, 0.0
    for candidate, cgrams in retriever._grams.items():
        if abs(len(candidate) - len(token)) > 3:
            continue
        score = len(grams & cgrams) / len(grams | cgrams)
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= 0.45 else None


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_typo_matching_by_trigram_index_equals_the_brute_force_definition(
    data: st.DataObject,
) -> None:
    retriever = default_retriever().bm25
    word = data.draw(st.sampled_from(sorted(retriever._grams)))
    letters = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
    edits = data.draw(st.lists(st.tuples(st.integers(0, 30), letters, st.booleans()), max_size=3))
    token = word
    for position, letter, insert in edits:
        i = position % (len(token) + 1)
        token = token[:i] + letter + token[i + (0 if insert else 1) :]
    if not token:
        return
    assert retriever._closest(token) == _closest_by_brute_force(retriever, token)
