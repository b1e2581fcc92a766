"""Query parameters shared by the list page, /api/incidents, the exports, the map and the summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import HTTPException, Query

from forcewatch.web.data import DATE_PATTERN, Filters, Order, SortKey, YesNo, make_filters


def filters(
    date_from: Annotated[str, Query(pattern=DATE_PATTERN, description="Earliest date, YYYY[-MM[-DD]].")] = "",
    date_to: Annotated[str, Query(pattern=DATE_PATTERN, description="Latest date, YYYY[-MM[-DD]] (inclusive).")] = "",
    country: Annotated[str, Query(max_length=2, description="ISO 3166 alpha-2 code, e.g. GB or US.")] = "",
    region: Annotated[str, Query(max_length=200, description="Region (state, county...) containing this text.")] = "",
    category: Annotated[str, Query(max_length=40, description="Category, e.g. police_shooting.")] = "",
    agency: Annotated[str, Query(max_length=200, description="Agency name containing this text.")] = "",
    armed: Annotated[str, Query(max_length=40, description="How the person was armed, e.g. gun, knife, unarmed.")] = "",
    conflicts: Annotated[
        YesNo, Query(description="yes: only incidents whose sources disagree; no: only those without.")
    ] = "",
    reviewed: Annotated[
        YesNo, Query(description="yes: only incidents a person has reviewed; no: only the others.")
    ] = "",
    q: Annotated[str, Query(max_length=200, description="Words in the name, place, force or any article's text.")] = "",
) -> Filters:
    raw = {"date_from": date_from, "date_to": date_to, "country": country, "region": region}
    raw |= {
        "category": category,
        "agency": agency,
        "armed": armed,
        "conflicts": conflicts,
        "reviewed": reviewed,
        "q": q,
    }
    try:
        return make_filters(raw)
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None


@dataclass(frozen=True)
class Paging:
    sort: SortKey
    order: Order
    page: int
    per_page: int


def paging(
    sort: Annotated[SortKey, Query(description="Sort key.")] = "date",
    order: Annotated[Order, Query(description="asc or desc.")] = "desc",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Paging:
    return Paging(sort, order, page, per_page)
