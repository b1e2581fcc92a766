"""The case lifecycle's stages and how merged stages read as a list: plain data, no NLP imports,
so read-only commands (show, export, the web pages) load it for free."""

from __future__ import annotations

#: The lifecycle stages in the order a case moves through them (FIELDS-style codes).
STAGES = (
    "investigation_opened",
    "officer_suspended",
    "officer_charged",
    "no_charges",
    "trial",
    "verdict",
    "inquest_opened",
    "inquest_conclusion",
    "finding",
    "misconduct_hearing",
    "settlement",
)

STAGE_LABELS = {
    "investigation_opened": "Investigation opened",
    "officer_suspended": "Officer suspended or on leave",
    "officer_charged": "Officer charged",
    "no_charges": "No charges / charges dropped",
    "trial": "Trial",
    "verdict": "Verdict",
    "inquest_opened": "Inquest opened",
    "inquest_conclusion": "Inquest conclusion",
    "finding": "Oversight finding",
    "misconduct_hearing": "Misconduct hearing",
    "settlement": "Settlement",
}


def lifecycle_list(fields: dict[str, object]) -> list[dict[str, object]]:
    """The merged `case.*` values as a dated list, in case order (date, then stage order)."""
    entries = [v for k, v in fields.items() if k.startswith("case.") and isinstance(v, dict)]
    return sorted(entries, key=lambda e: (str(e.get("date") or e.get("as_of") or ""), STAGES.index(str(e["stage"]))))


def case_status(entries: list[dict[str, object]]) -> str | None:
    """The latest stage reached: what a reader of a list wants in one column."""
    return str(entries[-1]["stage"]) if entries else None


__all__ = ["STAGES", "STAGE_LABELS", "case_status", "lifecycle_list"]
