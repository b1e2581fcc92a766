"""The publish routes of the web app: the Atom feed, the releases (files and changelog), coverage.

`/feed.atom` takes the incident list's filters, so a newsroom can subscribe to, say,
custody deaths in Texas (`/feed.atom?category=custody&region=Texas`).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response

from forcewatch.publish.compare import comparison_report, comparison_runs, crosswalk
from forcewatch.publish.coverage import coverage_view
from forcewatch.publish.events import events
from forcewatch.publish.feed import atom_feed
from forcewatch.publish.release import FILES, ReleaseError, get_release, list_releases, release_file, release_filenames
from forcewatch.web.data import Filters
from forcewatch.web.params import filters
from forcewatch.web.templating import render_page

router = APIRouter(tags=["publish"])


def _store(request: Request) -> Any:
    return request.app.state.store


@router.get("/feed.atom", response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
def feed(
    request: Request,
    f: Annotated[Filters, Depends(filters)],
    limit: Annotated[int, Query(ge=1, le=500, description="Entries in the feed (newest first).")] = 50,
) -> Response:
    """New incidents and changed fields of the incidents matching the list's filters, as Atom."""
    base = str(request.base_url).rstrip("/")
    params = f.params()
    wanted = ", ".join(f"{k} {v}" for k, v in params.items())
    body = atom_feed(
        events(_store(request), f, limit=limit),
        base_url=base,
        self_url=str(request.url),
        title="forcewatch: new and changed incidents" + (f" ({wanted})" if wanted else ""),
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")


@router.get("/api/releases")
def releases_json(request: Request) -> list[dict[str, Any]]:
    """Every release: number, name, date, incidents, changelog counts."""
    return [r.as_json() for r in list_releases(_store(request))]


@router.get("/releases", include_in_schema=False)
def releases_page(request: Request):  # noqa: ANN201
    store = _store(request)
    items = [(r, release_filenames(store, r.number)) for r in reversed(list_releases(store))]
    return render_page(request, "releases.html", items=items, title="Releases")


@router.get("/releases/{number}", include_in_schema=False)
def release_page(request: Request, number: Annotated[int, Path(ge=1)]):  # noqa: ANN201
    store = _store(request)
    try:
        release = get_release(store, number)
    except ReleaseError:
        raise HTTPException(404, f"no release {number}") from None
    found = release_file(store, number, "changelog.json")
    log = json.loads(found[0]) if found else {}
    return render_page(
        request,
        "release.html",
        release=release,
        files=release_filenames(store, number),
        log=log,
        title=f"Release {number}: {release.name}",
    )


@router.get("/releases/{number}/{filename}", response_class=Response)
def release_download(
    request: Request, number: Annotated[int, Path(ge=1)], filename: Annotated[str, Path(max_length=80)]
) -> Response:
    """One file of a release: incidents.json, incidents.csv (WaPo v2 columns), incidents.geojson, changelog.json."""
    if filename not in FILES:
        raise HTTPException(404, f"no file {filename!r} in a release")
    found = release_file(_store(request), number, filename)
    if found is None:
        raise HTTPException(404, f"no release {number}")
    content, media_type = found
    stem, ext = filename.rsplit(".", 1)
    return Response(
        content.encode("utf-8"),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="forcewatch-release-{number}-{stem}.{ext}"'},
    )


@router.get("/api/coverage")
def coverage_json(request: Request, f: Annotated[Filters, Depends(filters)]) -> dict[str, Any]:
    """Capture-recapture (Chapman) estimates of the incidents no list recorded, for the filtered incidents."""
    return coverage_view(_store(request), f)


@router.get("/comparisons", include_in_schema=False)
def comparisons_page(request: Request):  # noqa: ANN201
    return render_page(request, "comparisons.html", runs=comparison_runs(_store(request)), title="Comparisons")


@router.get("/comparisons/{run_id}", include_in_schema=False)
def comparison_page(request: Request, run_id: Annotated[int, Path(ge=1)]):  # noqa: ANN201
    found = comparison_report(_store(request), run_id)
    if found is None:
        raise HTTPException(404, f"no comparison {run_id}")
    return render_page(request, "comparison.html", r=found, title=f"Comparison {run_id}: {found.get('name', '')}")


@router.get("/api/comparisons/{run_id}")
def comparison_json(request: Request, run_id: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
    """One `forcewatch compare` run: coverage each way, agreement, disagreements with quotes, matches."""
    found = comparison_report(_store(request), run_id)
    if found is None:
        raise HTTPException(404, f"no comparison {run_id}")
    return found


@router.get("/api/incidents/{incident_id}/crosswalk")
def crosswalk_json(request: Request, incident_id: Annotated[int, Path(ge=1)]) -> dict[str, Any]:
    """The incident's ids in the reference databases (set by `forcewatch compare`)."""
    store = _store(request)
    if store.incident(incident_id) is None:
        raise HTTPException(404, f"no incident {incident_id}")
    return {"incident": incident_id, **crosswalk(store, incident_id)}
