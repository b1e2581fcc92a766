"""Bytes to trustworthy text: binary, encoding and language checks shared by all readers."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from forcewatch.errors import IngestError

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F']+")


#: ftfy's repairs of text, without the ones that rewrite correct text (quotes, ligatures, widths,
#: entities, normal forms): article ids and evidence offsets depend on the exact text.
_FTFY = None


def _ftfy_config():  # noqa: ANN202 - ftfy.TextFixerConfig, imported late (ftfy is slow to import)
    global _FTFY
    if _FTFY is None:
        import ftfy

        _FTFY = ftfy.TextFixerConfig(
            unescape_html=False,
            fix_latin_ligatures=False,
            fix_character_width=False,
            uncurl_quotes=False,
            fix_line_breaks=False,
            remove_control_chars=False,
            normalization=None,
            explain=False,
        )
    return _FTFY


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Text with double-encoded UTF-8 (`â€™` for `’`) fixed by ftfy; and what was repaired, if anything."""
    import ftfy

    if text.isascii():
        return text, None
    fixed = ftfy.fix_text(text, _ftfy_config())
    if fixed == text:
        return text, None
    changed = sum(a != b for a, b in zip(text, fixed, strict=False)) + abs(len(text) - len(fixed))
    return fixed, f"mojibake repaired by ftfy (about {changed} characters)"


def _utf8_with_stray_bytes(data: bytes) -> tuple[str, int] | None:
    """UTF-8 text with a few bytes that are not UTF-8 (cp1252 quotes pasted into it), read as cp1252.

    None when the bytes are not mostly UTF-8 (a legacy file, for charset detection).
    """
    import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252" (cp1252 that maps every byte)

    stray = 0
    pieces: list[str] = []
    rest = data
    while rest:
        try:
            pieces.append(rest.decode("utf-8"))
            break
        except UnicodeDecodeError as exc:
            pieces.append(rest[: exc.start].decode("utf-8"))
            bad = rest[exc.start : exc.end]
            pieces.append(bad.decode("sloppy-windows-1252"))
            stray += len(bad)
            rest = rest[exc.end :]
    text = "".join(pieces)
    multibyte = sum(1 for ch in text if ord(ch) > 127) - stray
    if multibyte <= 0 or stray > max(16, len(data) // 100):  # no real UTF-8, or too much damage to guess
        return None
    return text, stray


def decode_report(data: bytes) -> tuple[str, str | None]:
    """Bytes to text, and what had to be repaired on the way (None if nothing).

    UTF-8 (with or without BOM) is read as is; UTF-8 with a few stray cp1252 bytes keeps its
    UTF-8 and reads the strays as cp1252; other bytes go to charset detection. Then ftfy
    repairs mojibake (text decoded twice), which real corpora are full of.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    repairs: list[str] = []
    try:
        text = decode_bytes(data)
    except IngestError as exc:
        mixed = _utf8_with_stray_bytes(data) if exc.code == "FW003" else None
        if mixed is None:
            raise
        text, stray = mixed
        repairs.append(f"{stray} byte{'s' if stray != 1 else ''} not UTF-8, read as cp1252")
        text = _printable(text.replace("\r\n", "\n").replace("\r", "\n"))
    text, fixed = repair_mojibake(text)
    if fixed:
        repairs.append(fixed)
    return text, "; ".join(repairs) or None


def _printable(text: str) -> str:
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text[:4096])
    if printable < 0.9 * min(len(text), 4096):
        raise IngestError("FW002", "mostly unprintable characters")
    return text


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
        if _utf8_with_stray_bytes(data) is not None:  # decode_report repairs these; charset guesses garble them
            raise IngestError("FW003", "UTF-8 with stray bytes that are not") from None
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


def check_language(text: str, ignore: Counter[str] | None = None) -> None:
    """Refuse text that is clearly not English: the extractors' rules and model are English.

    Uses spaCy's English stop-word list: English news prose is 35-50% stop words,
    other languages written in Latin script score far lower. `ignore` holds words not to
    count (a page's link text: names, tags and headlines of other pages, not prose).
    """
    if ignore:
        left = ignore.copy()
        words = []
        for word in _WORD.finditer(text.lower()):
            w = word.group()
            if left[w] > 0:
                left[w] -= 1
                continue
            words.append(w)
            if len(words) >= 1000:
                break
    else:
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
