"""Bytes to trustworthy text: binary, encoding and language checks shared by all readers."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

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
    words = _WORD.findall(text[:5000].lower())
    if len(words) < 8:
        if len(words) == 0:
            raise IngestError("FW006", "no words")
        return
    stop_words = english_stop_words()
    share = sum(w in stop_words for w in words) / len(words)
    if share < 0.15:
        raise IngestError("FW010", f"only {share:.0%} English function words")


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop-word list, run from its file without importing spaCy (importing
    `spacy.lang.en.stop_words` imports all of spaCy: over a second, not needed to tell English)."""
    from importlib.util import find_spec

    spec = find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("spaCy is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), "lang", "en", "stop_words.py")
    namespace: dict[str, Any] = {}
    exec(compile(path.read_text("utf-8"), str(path), "exec"), namespace)  # a plain module: no imports
    return frozenset(namespace["STOP_WORDS"])
