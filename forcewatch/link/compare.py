"""When are two values of a field compatible? The heart of conflict flagging.

Times are intervals: "shortly before 21:00" is [20:30, 21:00), "shortly after 9pm"
(21:00, 21:30], "about 9pm" [20:45, 21:15]. Two mentions conflict when their
intervals do not overlap: before/after the same minute conflict, "about" and
"shortly after" do not. Numbers must be equal (ages within a year when either is
approximate), places must contain one another, names must fuzzy-match.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

SHORTLY = 20  # minutes that "shortly before/after" covers (a reporter says "about half past" beyond it)
AROUND = 10  # minutes either side of "about"


def interval(value: dict[str, str]) -> tuple[float, float]:
    """Half-open minute interval a timeline value covers; 0.5 keeps before/after apart."""
    h, m = value["time"].split(":")
    t = int(h) * 60 + int(m)
    qualifier = value.get("qualifier", "exact")
    if qualifier == "before":
        return t - SHORTLY, t - 0.5
    if qualifier == "after":
        return t + 0.5, t + SHORTLY
    if qualifier == "around":
        return t - AROUND, t + AROUND
    return t - 1, t + 1


def times_compatible(a: dict[str, str], b: dict[str, str]) -> bool:
    (a0, a1), (b0, b1) = interval(a), interval(b)
    return min(a1, b1) - max(a0, b0) > 0


def _letters(name: str) -> str:
    return re.sub(r"[^a-z ]", "", name.lower())


def names_compatible(a: str, b: str) -> bool:
    """Could be the same person (for linking): one name contains the other ("Smith" / "John
    Smith"), they nearly match, or the surnames agree and the given names are spellings of one
    name ("Ann-Marie" / "Anne Marie")."""
    a_l, b_l = a.lower(), b.lower()
    if a_l in b_l or b_l in a_l or fuzz.token_set_ratio(a_l, b_l) >= 85:
        return True
    wa, wb = _letters(a).split(), _letters(b).split()
    if len(wa) >= 2 and len(wb) >= 2 and fuzz.ratio(wa[-1], wb[-1]) >= 85:
        return fuzz.ratio("".join(wa[:-1]), "".join(wb[:-1])) >= 70
    return False


def names_agree(a: str, b: str) -> bool:
    """The sources say the same name (for conflicts): equal, or one contains the other. A
    different spelling ("Jon"/"John") links the reports but is flagged for review."""
    wa, wb = set(re.sub(r"[^\w\s-]", "", a.lower()).split()), set(re.sub(r"[^\w\s-]", "", b.lower()).split())
    return wa <= wb or wb <= wa  # "Smith" / "John Smith" agree; "Ada Voss" / "Ada Voss-Hart" do not


def compatible(field: str, a: Any, b: Any) -> bool:
    """True when two sources' values can both be right."""
    if a == b:
        return True
    if field.startswith("timeline."):
        return times_compatible(a, b)
    if field == "subject_name":
        return names_agree(str(a), str(b))
    if field in ("latitude", "longitude"):
        return abs(float(a) - float(b)) < 0.1
    if field == "subject_armed":
        return "undetermined" in (a, b)
    if field == "subject_age_approximate":
        return True
    if field.startswith("case."):
        return True  # reports of one stage dated "as of" different days tell the same stage  # a hedge in one report does not contradict another's plain figure
    return False


def merge_times(values: list[dict[str, str]]) -> dict[str, str]:
    """Before and after the same clock time, told by different sources, mean around it."""
    times = {v["time"] for v in values}
    qualifiers = {v["qualifier"] for v in values}
    if len(times) == 1 and {"before", "after"} <= qualifiers:
        return {**values[0], "qualifier": "around"}
    return values[0]
