"""The denormalised columns of the incidents table, from an incident's field values.

Computed from the stored field rows, so a reviewed value shows in the list, filters,
map and summary as soon as an editor sets it.
"""

from __future__ import annotations

from typing import Any


def summary_columns(values: dict[str, Any], conflicts: int) -> dict[str, Any]:
    subject_bits = [str(values.get("subject_name") or "")]
    if values.get("subject_age") is not None:
        subject_bits.append(("~" if values.get("subject_age_approximate") else "") + str(values["subject_age"]))
    if values.get("subject_gender"):
        subject_bits.append(str(values["subject_gender"]))
    return {
        "date": values.get("date"),
        "country": values.get("country"),
        "region": values.get("region"),
        "locality": values.get("locality"),
        "category": values.get("category"),
        "agency": values.get("agency"),
        "armed": values.get("subject_armed"),
        "latitude": values.get("latitude"),
        "longitude": values.get("longitude"),
        "subject": " ".join(b for b in subject_bits if b).strip() or None,
        "conflicts": conflicts,
    }
