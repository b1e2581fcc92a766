"""Can this regex match this article at all? One Hyperscan pass says no for most of them.

The extractors' rules and cues are Python regexes run over the whole article, and most of them
find nothing in any one report; Python's `re` still walks every character of a long text for
each, case-insensitively (no literal prefix to jump to), and that walk was most of field
extraction's time. Hyperscan's *prefilter* mode (HS_FLAG_PREFILTER) compiles an approximation
of a pattern that matches wherever the pattern does, and possibly more, at gigabytes a second; a
pattern it rules out is skipped, and one it lets through runs in Python as before, so what the
extractors find is unchanged (tests/test_extract.py checks the gate against Python on the test
corpora). A pattern the approximation could get wrong is never gated: verbose or
multi-line flags, `{,n}` (a literal in Hyperscan's syntax), non-ASCII letters (case folding
beyond ASCII), or one Hyperscan does not compile.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import cache
from typing import Any

from forcewatch.cache import cache_root

_UNSAFE_FLAGS = re.X | re.M


def _flags(pattern: re.Pattern[str]) -> int | None:
    """Hyperscan's flags for the pattern's prefilter, or None when it is not gated (run it always)."""
    if pattern.flags & _UNSAFE_FLAGS or "{," in pattern.pattern or not pattern.pattern.isascii():
        return None
    import hyperscan

    flags = hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_UCP
    flags |= hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY
    if pattern.flags & re.I:
        flags |= hyperscan.HS_FLAG_CASELESS
    if pattern.flags & re.S:
        flags |= hyperscan.HS_FLAG_DOTALL
    return flags


@cache
def _database(pattern: re.Pattern[str]) -> Any | None:
    """The pattern's prefilter database (None: not gated). Compiling one takes ~20 ms, so each is
    kept in the cache folder (forcewatch.cache) keyed by Hyperscan's version, the flags and the
    pattern, written atomically; a file that does not load (another CPU, a torn copy) is rebuilt."""
    flags = _flags(pattern)
    if flags is None:
        return None
    import hyperscan

    version = getattr(hyperscan, "__version__", "")
    key = hashlib.sha256(repr((version, flags, pattern.pattern)).encode()).hexdigest()[:24]
    path = cache_root() / "gate" / f"{key}.hsdb"
    try:
        loaded = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        loaded.scratch = hyperscan.Scratch(loaded)  # a loaded database comes without one
        return loaded
    except (OSError, hyperscan.error):
        pass
    db = hyperscan.Database()
    try:
        db.compile(expressions=[pattern.pattern.encode()], ids=[0], elements=1, flags=[flags])
    except hyperscan.error:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
        with os.fdopen(fd, "wb") as handle:
            handle.write(hyperscan.dumpb(db))
        os.replace(partial, path)
    except OSError:
        pass  # an unwritable cache: compile again next time
    return db


def could_match(pattern: re.Pattern[str], data: bytes) -> bool:
    """False only when `pattern` cannot match the text whose UTF-8 bytes are `data`."""
    db = _database(pattern)
    if db is None:
        return True
    found: list[int] = []
    db.scan(data, match_event_handler=lambda *_: found.append(1))
    return bool(found)
