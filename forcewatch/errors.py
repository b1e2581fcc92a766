"""Catalogued problems, each with a code a user can search for (as spaCy does)."""

from __future__ import annotations

from dataclasses import dataclass

CODES = {
    "FW001": "file is empty",
    "FW002": "file looks binary",
    "FW003": "file could not be decoded as text",
    "FW004": "file is too large",
    "FW005": "malformed input",
    "FW006": "no article text found",
    "FW007": "path not found or unreadable",
    "FW008": "unsupported file type",
    "FW009": "network fetch failed",
    "FW010": "not English",
    "FW011": "article analysis failed",
    "FW012": "read after a repair, article kept",
}


@dataclass
class Problem:
    """One input that could not be read; the batch goes on without it."""

    source: str
    code: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.source}: {self.code} {CODES.get(self.code, '')}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass
class Notice(Problem):
    """Not a failure: the input was read, after a repair worth knowing (FW012). A Problem for any
    consumer that does not know notices, so it is never silent."""

    code: str = "FW012"


class IngestError(Exception):
    """Raised by a reader for one bad input; turned into a Problem by the caller."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code} {CODES.get(code, '')}: {detail}")
        self.code = code
        self.detail = detail
