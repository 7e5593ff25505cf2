"""Every user-facing sentence that is not topic text, looked up by a stable key.

The sentences live in ``content/messages/*.toml`` (one file per feature area, flat tables whose
dotted keys become ``area.key``). Files are loaded and validated once; a malformed file or a key
defined twice stops start-up with the file's name and the problem.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

MESSAGES_DIR = Path(__file__).with_name("messages")


class ContentError(Exception):
    """A content file is malformed (the message names the file and the problem)."""


def _flatten(prefix: str, table: Mapping[str, Any], out: dict[str, str], source: Path) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping):
            _flatten(full, value, out, source)
        elif isinstance(value, str):
            if full in out:
                raise ContentError(f"{source.name}: message key {full!r} is defined twice")
            if not value.strip():
                raise ContentError(f"{source.name}: message {full!r} is empty")
            out[full] = value
        else:
            kind = type(value).__name__
            raise ContentError(f"{source.name}: message {full!r} must be text, not {kind}")


def load_messages(directory: Path = MESSAGES_DIR) -> dict[str, str]:
    """Read and validate every message file in ``directory``."""
    messages: dict[str, str] = {}
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise ContentError(f"no message files in {directory}")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ContentError(f"{path.name}: {exc}") from exc
        _flatten(path.stem, data, messages, path)
    for key, value in messages.items():
        try:
            list(string.Formatter().parse(value))
        except ValueError as exc:
            raise ContentError(f"message {key!r} has a broken placeholder: {exc}") from exc
    return messages


@cache
def all_messages() -> Mapping[str, str]:
    """The loaded messages (cached for the life of the process)."""
    return load_messages()


def has(key: str) -> bool:
    """Whether a message with this key exists."""
    return key in all_messages()


def text(key: str, /, **values: object) -> str:
    """The message ``key`` with its ``{placeholders}`` filled from ``values``."""
    try:
        template = all_messages()[key]
    except KeyError:
        raise KeyError(f"unknown message key {key!r}") from None
    return template.format(**values) if values else template
