"""OCR once per image for the whole run (the engine takes 1-5 s a page)."""

from __future__ import annotations

import os
from functools import cache

import pytest

from analysis.labs.ocr import OcrLine, ocr_lines
from tests.conftest import shared_path


@pytest.fixture(autouse=True)
def _engine_installed() -> None:
    """Skip (fail under CI) when the OCR engine is not installed."""
    try:
        import rapidocr  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("rapidocr is not installed: the OCR tests need it")
        pytest.skip("rapidocr is not installed")


@cache
def _lines(name: str) -> tuple[OcrLine, ...]:
    return tuple(ocr_lines(shared_path("labs", name).read_bytes()))


@pytest.fixture(scope="session")
def page_lines() -> object:
    """A function: the OCR lines of one image of ../shared/data/labs, read once per run."""

    def lines(name: str) -> list[OcrLine]:
        return list(_lines(name))

    return lines
