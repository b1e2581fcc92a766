"""Bytes to trustworthy text: binary, encoding and language checks shared by all readers."""

from __future__ import annotations

import re

from forcewatch.errors import IngestError

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F']+")


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); fall back to charset detection for legacy files."""
    if not data.strip():
        raise IngestError("FW001")
    head = data[:8192]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError("FW002", "contains NUL bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # charset_normalizer (a requests dependency) guesses cp1252/latin-1 and UTF-16
        # reliably; a poor guess (high "chaos") means the bytes are not text at all.
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None or best.percent_chaos > 0.25:
            raise IngestError("FW003", "not UTF-8 and no other encoding fits") from None
        text = str(best)
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text[:4096])
    if printable < 0.9 * min(len(text), 4096):
        raise IngestError("FW002", "mostly unprintable characters")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_language(text: str) -> None:
    """Refuse text that is clearly not English: the extractors' rules and model are English.

    Uses spaCy's English stop-word list: English news prose is 35-50% stop words,
    other languages written in Latin script score far lower.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    words = _WORD.findall(text[:5000].lower())
    if len(words) < 8:
        if len(words) == 0:
            raise IngestError("FW006", "no words")
        return
    share = sum(w in STOP_WORDS for w in words) / len(words)
    if share < 0.15:
        raise IngestError("FW010", f"only {share:.0%} English function words")
