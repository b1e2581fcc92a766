"""The reading pages: incident list, incident, article, map and summary (all open to everyone)."""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse

from forcewatch.catalogue import headline
from forcewatch.model import TIMELINE_EVENTS
from forcewatch.web import data as d
from forcewatch.web.params import Paging, filters, paging
from forcewatch.web.render import bar_chart, highlight, source_name, span_id
from forcewatch.web.templating import flash, render_page

router = APIRouter(include_in_schema=False)

SORTS = [
    ("date", "date"),
    ("id", "id"),
    ("place", "place"),
    ("category", "category"),
    ("agency", "agency"),
    ("sources", "sources"),
    ("conflicts", "conflicts"),
]


#: The filter menus' values are cached this long (and dropped on every write made here).
OPTIONS_TTL = 30.0


def store_of(request: Request):  # noqa: ANN201
    return request.app.state.store


def options_of(request: Request) -> dict[str, list[str]]:
    """d.filter_options, cached: it reads the whole table, and the menus may lag an ingest by OPTIONS_TTL."""
    state = request.app.state
    cached = getattr(state, "filter_options", None)
    if cached is None or time.monotonic() - cached[0] > OPTIONS_TTL:
        cached = (time.monotonic(), d.filter_options(store_of(request)))
        state.filter_options = cached
    return cached[1]


def forget_options(request: Request) -> None:
    request.app.state.filter_options = None


@router.get("/")
def incident_list(request: Request, f: Annotated[d.Filters, Depends(filters)], p: Annotated[Paging, Depends(paging)]):
    store = store_of(request)
    result = d.list_incidents(store, f, p.sort, p.order, p.page, p.per_page)
    pages = max(1, -(-result["total"] // p.per_page))
    params = {
        **f.params(),
        "sort": p.sort if p.sort != "date" else "",
        "order": p.order if p.order != "desc" else "",
        "per_page": p.per_page if p.per_page != 50 else "",
    }
    return render_page(
        request,
        "list.html",
        overview=d.overview(store) if not f.params() and p.page == 1 else None,
        facets=d.facet_counts(store, f),
        result=result,
        filters=f,
        paging=p,
        pages=pages,
        params=params,
        sorts=SORTS,
        options=options_of(request),
        export_params=f.params(),
    )


def _field_rows(data: dict[str, Any]) -> tuple[list[tuple[str, Any]], list[tuple[str, Any]]]:
    """Merged fields in catalogue order, and the timeline events in time order."""
    merged = data["merged"]
    order = {name: i for i, name in enumerate(d.EDITABLE_FIELDS)}
    names = sorted(merged, key=lambda n: (order.get(n, len(order)), n))
    fields = [(n, merged[n]) for n in names if not n.startswith(("timeline.", "case."))]
    events = [(n, merged[n]) for n in names if n.startswith("timeline.")]
    event_order = {f"timeline.{e}": i for i, e in enumerate(TIMELINE_EVENTS)}
    events.sort(key=lambda nm: ((nm[1]["value"] or {}).get("time") or "99:99", event_order.get(nm[0], 99)))
    return fields, events


@router.get("/incidents/{incident_id}")
def incident_page(request: Request, incident_id: int):
    store = store_of(request)
    data = d.incident_view(store, incident_id)
    if data is None:
        raise HTTPException(status_code=404, detail=f"no incident {incident_id}")
    if data["merged_into"]:
        flash(request, f"Incident {incident_id} was merged into incident {data['merged_into']}.")
        return RedirectResponse(f"/incidents/{data['merged_into']}", status_code=302)
    names = {a["id"]: source_name(a) for a in data["articles"]}
    spans = {
        (field, e["article"], e["quote"]): span_id(e["start"], e["end"])
        for field, evs in data["evidence"].items()
        for e in evs
    }
    fields, events = _field_rows(data)
    groups: dict[str, list[dict[str, Any]]] = {}
    for h in data["history"]:  # automatic changes, grouped by the article whose reading caused them
        if h["kind"] == "auto":
            groups.setdefault(h["article"] or "", []).append(h)
    return render_page(
        request,
        "incident.html",
        data=data,
        names=names,
        spans=spans,
        fields=fields,
        events=events,
        case=[
            (f"case.{e['stage']}", data["merged"][f"case.{e['stage']}"])
            for e in data["fields"].get("case_lifecycle") or []
        ],
        missing=[f for f in d.EDITABLE_FIELDS if f not in data["merged"]],
        editable=d.EDITABLE_FIELDS,
        edit_text=d.edit_text,
        headline=headline(data["fields"], incident_id),
        history_groups=list(groups.items()),
        titles={a["id"]: a["title"] or names[a["id"]] for a in data["articles"]},
        title=headline(data["fields"], incident_id),
    )


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: str):
    article = d.article_view(store_of(request), article_id)
    if article is None:
        raise HTTPException(status_code=404, detail=f"no article {article_id}")
    body = highlight(article["body"], article["evidence"], article["incident"])
    return render_page(
        request, "article.html", article=article, body=body, title=article["title"] or f"Article {article_id}"
    )


@router.get("/map")
def map_page(request: Request, f: Annotated[d.Filters, Depends(filters)]):
    return render_page(
        request,
        "map.html",
        filters=f,
        options=options_of(request),
        facets=d.facet_counts(store_of(request), f),
        export_params=f.params(),
        title="Map",
    )


@router.get("/methods")
def methods_page(request: Request):
    """How forcewatch reads reports, and the data dictionary (the same catalogue as docs/fields.md)."""
    from forcewatch.catalogue import CATALOGUE, TIMELINE_LABELS

    return render_page(request, "methods.html", catalogue=CATALOGUE, events=TIMELINE_LABELS, title="Methods")


@router.get("/summary")
def summary_page(request: Request, f: Annotated[d.Filters, Depends(filters)]):
    from forcewatch.publish.coverage import coverage_view  # here: the publish package reads forcewatch.web

    counts = d.summary_counts(store_of(request), f)
    charts = [
        ("By year", "year", bar_chart(counts["year"], label_width=80)),
        ("By category", "category", bar_chart(counts["category"])),
        ("By agency", "agency", bar_chart(counts["agency"], label_width=320)),
    ]
    return render_page(
        request,
        "summary.html",
        counts=counts,
        charts=charts,
        coverage=coverage_view(store_of(request), f),
        filters=f,
        options=options_of(request),
        facets=d.facet_counts(store_of(request), f),
        export_params=f.params(),
        title="Summary",
    )


@router.get("/duplicates")
def duplicates_page(request: Request):
    """Possible duplicates for a person to confirm (merge) or keep apart; nothing is merged here."""
    return render_page(
        request, "duplicates.html", pairs=d.possible_duplicates_view(store_of(request)), title="Possible duplicates"
    )
