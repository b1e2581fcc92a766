"""CSV cells a spreadsheet will not run: shared by `forcewatch export` and the web's /export.csv."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: OWASP's list of characters that make Excel, LibreOffice or Sheets read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with ' (articles are untrusted)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every cell of a csv.DictWriter row through safe_cell."""
    return {k: safe_cell(v) for k, v in row.items()}
