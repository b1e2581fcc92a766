"""Where forcewatch keeps what it builds once per machine (the gazetteer index, compiled scanners)."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path:
    """FORCEWATCH_CACHE, else $XDG_CACHE_HOME/forcewatch, else ~/.cache/forcewatch."""
    return Path(
        os.environ.get("FORCEWATCH_CACHE")
        or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "forcewatch")
    )
