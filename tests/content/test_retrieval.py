"""Retrieval: the lexical shortcut never changes which topic an answer is about."""

from __future__ import annotations

import pytest

from benchmarks.eval_content import load_rows
from content import retrieval
from content.answer import CONFIDENT_SCORE
from content.retrieval import EMBEDDING_WEIGHT, Match, default_retriever


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
