"""The JSON API: the same data functions as the pages (web/data.py), described in /openapi.json."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from forcewatch.web.auth import current_user, require_editor, require_header_csrf
from forcewatch.web.data import (
    EDITABLE_FIELDS,
    Filters,
    article_view,
    incident_view,
    list_incidents,
    map_points,
    parse_value,
    possible_duplicates_view,
    summary_counts,
)
from forcewatch.web.params import Paging, filters, paging
from forcewatch.web.review import check_value

router = APIRouter(prefix="/api", tags=["api"])


class IncidentSummary(BaseModel):
    id: int
    date: str | None
    country: str | None
    region: str | None
    locality: str | None
    place: str
    subject: str | None
    category: str | None
    agency: str | None
    armed: str | None
    sources: int
    conflicts: int | None
    latitude: float | None
    longitude: float | None
    reviewed: bool
    headline: str = Field(
        description="A headline written from the record, e.g. 'Man, 38, shot dead by ... in ..., 6 Oct 2025'."
    )
    outcome: str | None = None
    location_precision: str | None = None


class IncidentPage(BaseModel):
    items: list[IncidentSummary]
    total: int = Field(description="How many incidents match the filters (all pages).")
    page: int
    per_page: int


class IncidentDetail(BaseModel):
    id: int
    articles: list[dict[str, Any]]
    fields: dict[str, Any] = Field(description="Merged value of every field (timeline as a list of events).")
    merged: dict[str, Any] = Field(
        description="Per field: value, rule, support, conflict, conflict_values, sources (value and quotes per article, and `contradicting` when an article says two things), reviewed."
    )
    evidence: dict[str, list[dict[str, Any]]] = Field(
        description="Per field: article, value, quote, start/end offsets into the article body, extractor."
    )
    conflicts: list[dict[str, Any]]
    history: list[dict[str, Any]]
    reviewed: bool
    merged_into: int | None


class ArticleDetail(BaseModel):
    id: str
    path: str | None
    url: str | None
    outlet: str | None
    byline: str | None
    published: str | None
    title: str | None
    body: str
    language: str
    relevant: bool
    category: str | None
    reason: str | None
    incident: int | None
    copy_of: str | None
    evidence: list[dict[str, Any]] = Field(
        description="field, value, start/end offsets into body, quote, confidence, extractor."
    )


class ReviewIn(BaseModel):
    field: str = Field(max_length=40, description="A catalogue field, or timeline.<event>.")
    value: Any = Field(
        description="The new value as JSON; strings are read as the review form reads them (e.g. 'around 21:00', 'yes')."
    )
    reason: str = Field(min_length=1, max_length=4000, description="Why: required.")
    quote: str | None = Field(default=None, max_length=8000, description="The text supporting the new value, if any.")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in as an editor."},
    403: {"description": "X-CSRF-Token header missing or not the session's token."},
    404: {"description": "No such incident."},
}


@router.get("/incidents", response_model=IncidentPage)
def incidents(
    request: Request, f: Annotated[Filters, Depends(filters)], p: Annotated[Paging, Depends(paging)]
) -> dict[str, Any]:
    """Incidents matching the filters, a page at a time (the list page's data)."""
    return list_incidents(request.app.state.store, f, p.sort, p.order, p.page, p.per_page)


@router.get("/incidents/{incident_id}", response_model=IncidentDetail, responses={404: ERRORS[404]})
def incident(request: Request, incident_id: int) -> dict[str, Any]:
    """Everything known about one incident (the incident page's data)."""
    data = incident_view(request.app.state.store, incident_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no incident {incident_id}")
    return data


@router.get(
    "/articles/{article_id}", response_model=ArticleDetail, responses={404: {"description": "No such article."}}
)
def article(request: Request, article_id: str) -> dict[str, Any]:
    """One article with its evidence spans (the article page's data)."""
    data = article_view(request.app.state.store, article_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id}")
    return data


@router.get("/points")
def points(request: Request, f: Annotated[Filters, Depends(filters)]) -> dict[str, Any]:
    """GeoJSON points of the matching incidents with their location precision (the map's data)."""
    return map_points(request.app.state.store, f)


@router.get("/summary")
def summary(request: Request, f: Annotated[Filters, Depends(filters)]) -> dict[str, Any]:
    """Counts by year, category and agency (the summary page's data)."""
    return summary_counts(request.app.state.store, f)


@router.get("/duplicates")
def duplicates(request: Request) -> list[dict[str, Any]]:
    """Possible duplicates: incident pairs just below the linking threshold, with the evidence for and
    against each (the /duplicates page's data, and `forcewatch duplicates --json`)."""
    return possible_duplicates_view(request.app.state.store)


@router.post(
    "/incidents/{incident_id}/reviews",
    response_model=IncidentDetail,
    status_code=201,
    responses=ERRORS,
    dependencies=[Depends(require_editor), Depends(require_header_csrf)],
)
def post_review(request: Request, incident_id: int, review: ReviewIn) -> dict[str, Any]:
    """Set a field's value as a signed-in editor (session cookie + X-CSRF-Token); kept in history."""
    store = request.app.state.store
    data = incident_view(store, incident_id)
    if data is None or data["merged_into"] or not data["articles"]:
        raise HTTPException(status_code=404, detail=f"no incident {incident_id} to change")
    if review.field not in EDITABLE_FIELDS and review.field not in data["merged"]:
        raise HTTPException(status_code=422, detail=f"unknown field {review.field!r}")
    if not review.reason.strip():
        raise HTTPException(status_code=422, detail="a reason is required")
    value = review.value
    try:
        if isinstance(value, str):
            value = parse_value(review.field, value, data["merged"].get(review.field, {}).get("value"))
        value = check_value(review.field, value)  # by the field's type and range (web/review.py)
    except ValueError as e:
        raise HTTPException(status_code=422, detail=f"{review.field}: {e}") from None
    store.review(
        incident_id,
        review.field,
        value,
        current_user(request),
        review.reason.strip(),
        (review.quote or "").strip() or None,
    )
    return incident_view(store, incident_id)  # type: ignore[return-value]
