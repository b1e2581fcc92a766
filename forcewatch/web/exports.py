"""Downloads of the incidents matching the list's filters: CSV, Washington Post v2 CSV, JSON, GeoJSON.

Each record is store.queries.export_record(incident_data(...)) and each row a forcewatch.formats
function, exactly as `forcewatch export` writes them. HEAD answers the same headers with no body.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from forcewatch import formats
from forcewatch.csvsafe import safe_row
from forcewatch.store.db import Store
from forcewatch.store.queries import export_record, incident_data
from forcewatch.web.data import Filters, matching_ids
from forcewatch.web.params import filters

router = APIRouter(tags=["exports"])


def records(store: Store, f: Filters, base_url: str) -> Iterator[dict[str, Any]]:
    for incident_id in matching_ids(store, f, "id", "asc"):
        data = incident_data(store, incident_id)
        if data is not None:
            yield export_record(data, base_url)


def _download(request: Request, body: Callable[[], Iterator[str]], media_type: str, filename: str) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if request.method == "HEAD":
        return StreamingResponse(iter(()), media_type=media_type, headers=headers)
    return StreamingResponse(body(), media_type=media_type, headers=headers)


def _csv(
    request: Request, f: Filters, columns: list[str], row: Callable[[dict[str, Any]], dict[str, Any] | None]
) -> Callable[[], Iterator[str]]:
    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for rec in records(request.app.state.store, f, str(request.base_url)):
            values = row(rec)
            if values is None:
                continue
            writer.writerow(safe_row(values))
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    return rows


_CSV: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": {}}}}


@router.head("/export.csv", include_in_schema=False)
@router.get("/export.csv", response_class=StreamingResponse, responses=_CSV)
def export_csv(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents, every field a column, with source links (as `forcewatch export --format csv`)."""
    return _download(
        request,
        _csv(request, f, formats.CSV_COLUMNS, formats.csv_row),
        "text/csv; charset=utf-8",
        "forcewatch-incidents.csv",
    )


@router.head("/export.wapo.csv", include_in_schema=False)
@router.get("/export.wapo.csv", response_class=StreamingResponse, responses=_CSV)
def export_wapo(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching US police shootings as Washington Post Fatal Force v2 rows (as `forcewatch export --format wapo`)."""

    def row(rec: dict[str, Any]) -> dict[str, Any] | None:
        return formats.wapo_row(rec) if formats.is_us_shooting(rec) else None

    return _download(
        request, _csv(request, f, formats.WAPO_COLUMNS, row), "text/csv; charset=utf-8", "forcewatch-fatal-force-v2.csv"
    )


@router.head("/export.json", include_in_schema=False)
@router.get(
    "/export.json",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/json": {}}}},
)
def export_json(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents as a JSON array of export records (as `forcewatch export --format json`)."""

    def chunks() -> Iterator[str]:
        yield "[\n"
        for n, rec in enumerate(records(request.app.state.store, f, str(request.base_url))):
            yield (",\n" if n else "") + json.dumps(rec, default=str)
        yield "\n]\n"

    return _download(request, chunks, "application/json", "forcewatch-incidents.json")


@router.head("/export.geojson", include_in_schema=False)
@router.get(
    "/export.geojson",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def export_geojson(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents that have coordinates, as a GeoJSON FeatureCollection (as `forcewatch export --format geojson`)."""

    def chunks() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": [\n'
        n = 0
        for rec in records(request.app.state.store, f, str(request.base_url)):
            feature = formats.geojson_feature(rec)
            if feature is None:
                continue
            yield (",\n" if n else "") + json.dumps(feature, default=str)
            n += 1
        yield "\n]}\n"

    return _download(request, chunks, "application/geo+json", "forcewatch-incidents.geojson")
