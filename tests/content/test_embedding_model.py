"""The int8 embedding model: derived once into the cache, close to the packaged one, safe fallback."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from tokenizers import Tokenizer

from content.embedding_model import (
    cache_dir,
    embedding_model,
    needs_building,
    quantized_path,
    source_model,
)
from content.retrieval import TOKENIZER

SENTENCES = [
    "why am I so bloated after eating beans",
    "there was blood in my stool this morning",
    "do probiotics help after a course of antibiotics",
    "what does low diversity on my microbiome test mean",
]


def _embed(model: Path, texts: list[str]) -> np.ndarray:
    tokenizer = Tokenizer.from_file(str(TOKENIZER))
    tokenizer.enable_padding()
    session = onnxruntime.InferenceSession(str(model), providers=["CPUExecutionProvider"])
    encodings = tokenizer.encode_batch(texts)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    hidden = session.run(
        None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )[0]
    pooled = (hidden * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = tmp_path_factory.mktemp("model-cache")
    path = embedding_model(cache)
    assert path == quantized_path(cache=cache)
    return path


def test_the_model_is_built_once_with_int8_products(built: Path) -> None:
    assert not needs_building(built.parent)
    ops = {node.op_type for node in onnx.load(str(built)).graph.node}
    assert "MatMulInteger" in ops or "DynamicQuantizeMatMul" in ops
    assert "MatMul" not in ops or ops & {"MatMulInteger", "DynamicQuantizeMatMul"}
    stamp = built.stat().st_mtime_ns
    assert embedding_model(built.parent) == built
    assert built.stat().st_mtime_ns == stamp  # found, not rebuilt
    assert [p.name for p in built.parent.iterdir()] == [built.name]  # no temporary files left


def test_int8_embeddings_stay_close_to_the_packaged_model(built: Path) -> None:
    packaged = _embed(source_model(), SENTENCES)
    quantized = _embed(built, SENTENCES)
    cosines = (packaged * quantized).sum(axis=1)
    assert cosines.min() > 0.85, cosines
    # What retrieval relies on: which sentence is most alike stays the same.
    assert (
        (packaged @ packaged.T).argsort(axis=1)[:, -2]
        == (quantized @ quantized.T).argsort(axis=1)[:, -2]
    ).all()


def test_an_unusable_cache_falls_back_to_the_packaged_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be")
    with caplog.at_level(logging.WARNING, logger="gutbot.embedding"):
        assert embedding_model(blocked / "cache") == source_model()
    assert "packaged embedding model" in caplog.text
    assert blocked.read_text() == "a file where the cache directory should be"


def test_the_cache_directory_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GUTBOT_MODEL_CACHE", str(tmp_path / "models"))
    assert cache_dir() == tmp_path / "models"
    monkeypatch.delenv("GUTBOT_MODEL_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "gutbot"
    assert quantized_path(cache=tmp_path).name.startswith("minilm-s8-")
    assert needs_building(tmp_path)
    assert onnxruntime.__version__ in quantized_path(cache=tmp_path).name
