"""Question answering figures: accuracy vs plain BM25, alarm recall, false alarms, latency.
Run: python -m benchmarks.bench_content"""

from __future__ import annotations

import statistics
import time

from benchmarks.eval_content import answer_latency, baseline_accuracy, evaluate, load_rows
from content.embedding_model import source_model
from content.retrieval import EmbeddingIndex
from content.topics import all_topics


def _embed_ms(index: EmbeddingIndex | None) -> float:
    """Median time to embed one evaluation message."""
    if index is None:
        return float("nan")
    rows = [str(r["text"]) for r in load_rows()]
    for text in rows[:10]:
        index.embed([text])
    times = []
    for text in rows:
        start = time.perf_counter()
        index.embed([text])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    from content.retrieval import default_retriever

    retriever = default_retriever()
    embeddings, retriever.embeddings = retriever.embeddings, None
    lexical = evaluate().topic_accuracy
    retriever.embeddings = EmbeddingIndex(all_topics(), model=source_model())
    packaged = evaluate().topic_accuracy
    packaged_ms = _embed_ms(retriever.embeddings)
    retriever.embeddings = embeddings
    scores = evaluate()
    print(f"evaluation messages: {scores.n}")
    print(
        f"topic accuracy, BM25 + lay words + typos + MiniLM, int8 products (used): {scores.topic_accuracy:.1%}"
        f" (embedding {_embed_ms(embeddings):.1f} ms a question)"
    )
    print(
        f"topic accuracy, the same with the packaged model's float32 products:   {packaged:.1%}"
        f" (embedding {packaged_ms:.1f} ms a question)"
    )
    print(
        f"topic accuracy, BM25 + lay words + typos, no embeddings:                  {lexical:.1%}"
    )
    print(
        f"topic accuracy, plain BM25 baseline (same run):                           {baseline_accuracy():.1%}"
    )
    print(
        f"emergency recall: {scores.emergency_recall:.0%}; urgent recall: {scores.urgent_recall:.0%}"
    )
    print(
        f"false emergencies on harmless lookalikes and routine messages: {scores.lookalike_false_alarms}"
    )
    p50, p99 = answer_latency([str(r["text"]) for r in load_rows()], rounds=5)
    print(f"answer latency in-process: p50 {p50:.2f} ms, p99 {p99:.2f} ms (target p99 < 30 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
