"""Retrieval's word lists are data (content/data/retrieval_words.toml), validated when read."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.messages import ContentError
from content.retrieval import LAY, STOPWORDS, _load_words, tokens


def test_the_shipped_words_are_read() -> None:
    assert "the" in STOPWORDS and LAY["tummy"].startswith("belly")
    assert tokens("my tummy and the poo") == ["my", "tummy", "poo"] or "the" not in tokens("the")


@pytest.mark.parametrize(
    "body",
    ['stopwords = ["a"]\n', 'stopwords = ["a"]\n[lay]\ntummy = ""\n', "stopwords = [\n"],
)
def test_a_broken_words_file_names_itself(tmp_path: Path, body: str) -> None:
    path = tmp_path / "retrieval_words.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ContentError, match=r"retrieval_words\.toml"):
        _load_words(path)
