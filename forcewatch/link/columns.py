"""`score_facets` of one article against every report of a large incident at once (numpy).

Healing joins incidents through chains of reports, so a few incidents gather hundreds or
thousands of reports, and the single-link score of an article against one of them (the best
of its reports) was most of the linking time of a large corpus. This is the same rule as
`linker.score_facets`, written over columns: each term is added in the same order, as the
same IEEE double operation, where its condition holds, so every score is bit-for-bit what
`score_facets` returns (tests/test_link_columns.py compares the two on many pairs). Shared
distinctive words and cited facts (sets) are added per report in Python, in their place in
the order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from forcewatch.link.linker import Facets, Weights

#: Reports an incident needs before its scores are computed over columns (below, Python is faster).
VECTOR_MIN = 48

_CODES: dict[str, int] = {}  # each distinct value of a text field, as a small integer; None is 0

_TEXT = ("country", "region", "locality", "neighbourhood", "agency", "category", "gender", "name")


def _code(value: str | None) -> int:
    if value is None:
        return 0
    found = _CODES.get(value)
    if found is None:
        found = _CODES[value] = len(_CODES) + 1
    return found


class Columns:
    """The facets of one incident's reports as numpy columns, grown by doubling."""

    def __init__(self) -> None:
        self.n = 0
        self.facets: list[Facets] = []
        self.names: dict[int, str] = {}
        self.cols: dict[str, np.ndarray] = {}
        self._grow(VECTOR_MIN * 2)

    def _grow(self, size: int) -> None:
        spec: dict[str, type] = {"day": np.int64, "month": np.int64, "age": np.int64, "lo": np.int64, "hi": np.int64}
        for name in _TEXT:
            spec[name] = np.int64
            spec[name + "?"] = np.bool_  # truthy, as `score_facets` tests it
        for name in ("dated", "monthed", "aged", "spanned", "full", "rare", "terms", "facts"):
            spec[name] = np.bool_
        grown = {}
        for name, kind in spec.items():
            column: np.ndarray = np.zeros(size, dtype=kind)
            if name in self.cols:
                column[: self.n] = self.cols[name][: self.n]
            grown[name] = column
        self.cols = grown

    def append(self, f: Facets) -> None:
        if self.n == len(self.cols["day"]):
            self._grow(self.n * 2)
        i, c = self.n, self.cols
        for name in _TEXT:
            value = getattr(f, name)
            c[name][i] = _code(value)
            c[name + "?"][i] = bool(value)
        if f.name:
            self.names[int(c["name"][i])] = f.name
        c["dated"][i] = f.day is not None
        c["day"][i] = f.day or 0
        c["monthed"][i] = f.month is not None
        c["month"][i] = f.month or 0
        c["aged"][i] = bool(f.age)
        c["age"][i] = f.age or 0
        c["spanned"][i] = f.span is not None
        c["lo"][i], c["hi"][i] = f.span or (0, 0)
        c["full"][i], c["rare"][i] = f.full, f.rare
        c["terms"][i], c["facts"][i] = bool(f.terms), bool(f.facts)
        self.facets.append(f)
        self.n += 1

    def scores(self, a: Facets, w: Weights, names_compatible: object) -> np.ndarray:
        """score_facets(a, b, w) for every report b, in report order."""
        from forcewatch.link.linker import term_weight

        n, c = self.n, {k: v[: self.n] for k, v in self.cols.items()}
        s = np.zeros(n)

        def code(value: str | None) -> int:
            return 0 if value is None else _CODES.get(value, -1)

        def eq(name: str, value: str | None) -> np.ndarray:
            return c[name] == code(value)

        if a.country:
            s[c["country?"] & ~eq("country", a.country)] += w.country_differs
        if a.name:
            lut = np.zeros(max(self.names, default=0) + 1, dtype=np.bool_)
            for k, name in self.names.items():
                lut[k] = names_compatible(a.name, name)  # type: ignore[operator]
            same_name = c["name?"] & lut[c["name"]]
        else:
            same_name = np.zeros(n, dtype=np.bool_)
        full_name = same_name & c["full"] if a.full else np.zeros(n, dtype=np.bool_)
        if a.day is not None:
            dated = c["dated"].copy()
            gap = np.abs(c["day"] - a.day)
            s[dated & (gap == 0)] += w.same_day
            s[dated & (gap == 1)] += w.day_apart
            s[dated & (gap > 7) & (gap <= 31)] += w.month_apart
            far = dated & (gap > 31)
            s[far & same_name] += w.far_apart_same_name
            s[far & ~same_name] += w.far_apart
        else:
            dated = np.zeros(n, dtype=np.bool_)
        if a.month is not None:  # as score_facets: a month against a month where a day is missing
            by_month = c["monthed"] & ~dated
            months = np.abs(c["month"] - a.month)
            dated |= by_month & (months == 0)
            s[by_month & (months == 1)] += w.month_apart
            far = by_month & (months > 1)
            s[far & same_name] += w.far_apart_same_name
            s[far & ~same_name] += w.far_apart
        undated = np.where(dated, 1.0, 0.5)
        undated_force = np.where(dated, 1.0, 0.75)
        located = c["locality?"] if a.locality else np.zeros(n, dtype=np.bool_)
        if a.locality:
            same = located & eq("locality", a.locality)
            s[same] += w.same_locality * undated[same]
            other = located & ~same
            s[other & full_name] += w.other_locality_same_name
            rest = other & ~full_name
            same_region = eq("region", a.region)
            s[rest & same_region] += w.other_locality_same_region
            s[rest & ~same_region] += w.other_locality
        if a.region:
            regional = ~located & c["region?"]
            same = regional & eq("region", a.region)
            s[same] += w.same_region * undated[same]
            s[regional & ~same] += w.other_region
        for name, yes, no, factor in (
            ("neighbourhood", w.same_street, w.other_street, None),
            ("agency", w.same_force, w.other_force, undated_force),
            ("category", w.same_category, w.other_category, undated_force),
        ):
            value = getattr(a, name)
            if value:
                both = c[name + "?"]
                same = both & eq(name, value)
                s[same] += yes if factor is None else yes * factor[same]
                s[both & ~same] += no
        if a.name:
            named = c["name?"]
            s[named & full_name] += w.full_name
            surname = named & same_name & ~full_name
            rare = c["rare"] if a.full else np.full(n, a.rare, dtype=np.bool_)
            s[surname & rare] += w.rare_surname
            s[surname & ~rare] += w.surname
            s[named & ~same_name] += w.other_name
        aged = c["aged"] if a.age else np.zeros(n, dtype=np.bool_)
        if a.age:
            gap = np.abs(c["age"] - a.age)
            s[aged & (gap <= 2)] += w.close_age
            s[aged & (gap > 9)] += w.far_age
        if a.span is not None:
            lo_a, hi_a = a.span
            spanned = ~aged & c["spanned"]
            s[spanned & ((np.maximum(c["lo"], lo_a) - np.minimum(c["hi"], hi_a)) > 5)] += w.far_age
        if a.gender:
            s[c["gender?"] & ~eq("gender", a.gender)] += w.gender_differs
        if a.terms:
            for i in np.flatnonzero(c["terms"]):
                b = self.facets[i]
                shared = a.terms & b.terms
                if shared:
                    places = (a.locality, b.locality, a.region, b.region, a.neighbourhood, b.neighbourhood)
                    counted = {x.lower() for x in places if x}
                    for said in (a.name, b.name):
                        if said:
                            counted |= {x.lower() for x in said.split()}
                    s[i] += min(w.term_cap, sum(term_weight(t) for t in shared - counted))
        if a.facts:
            for i in np.flatnonzero(c["facts"]):
                b = self.facets[i]
                s[i] += min(w.fact_cap, w.fact * len(a.facts & b.facts))
        return s
