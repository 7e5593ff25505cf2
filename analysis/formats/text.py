"""Turning uploaded bytes into text: BOMs, UTF-16, Latin-1 fallback, newlines."""

from __future__ import annotations

from analysis.model import AnalysisError, Caveat

#: Control bytes other than tab, newlines, vertical tab, form feed and carriage return.
_CONTROLS = bytes(b for b in range(32) if b < 9 or b > 13)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean a binary file."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return len(head) > 0 and controls / len(head) > 0.05


def decode(data: bytes) -> tuple[str, list[Caveat]]:
    """Decode text (UTF-8 with or without BOM, UTF-16 with BOM, else Latin-1 with a caveat)."""
    caveats: list[Caveat] = []
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise AnalysisError("binary_file", "the file is not readable text") from exc
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            caveats.append(Caveat("latin1_decoded"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise AnalysisError("empty_file", "the file is empty")
    return text, caveats
