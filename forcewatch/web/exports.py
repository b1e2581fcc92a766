"""Downloads of the incidents matching the list's filters: WaPo v2 CSV, JSON, GeoJSON.

Each record is store.queries.export_record(incident_data(...)), as `forcewatch export` writes it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from forcewatch.cli import WAPO_COLUMNS, wapo_row
from forcewatch.csvsafe import safe_row
from forcewatch.store.db import Store
from forcewatch.store.queries import export_record, incident_data
from forcewatch.web.data import Filters, matching_ids
from forcewatch.web.params import filters

router = APIRouter(tags=["exports"])


def records(store: Store, f: Filters) -> Iterator[dict[str, Any]]:
    for incident_id in matching_ids(store, f, "id", "asc"):
        data = incident_data(store, incident_id)
        if data is not None:
            yield export_record(data)


def geojson_feature(rec: dict[str, Any]) -> dict[str, Any] | None:
    """One export record as a GeoJSON point feature (None without coordinates); releases use it too."""
    fields = rec["fields"]
    if fields.get("latitude") is None or fields.get("longitude") is None:
        return None
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [fields["longitude"], fields["latitude"]]},
        "properties": {
            "id": rec["id"],
            **{k: fields.get(k) for k in ("date", "category", "locality", "region", "location_precision", "agency")},
        },
    }


def _download(body: Iterator[str], media_type: str, filename: str) -> StreamingResponse:
    return StreamingResponse(
        body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/export.csv", response_class=StreamingResponse, responses={200: {"content": {"text/csv": {}}}})
def export_csv(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents in the Washington Post v2 columns (as `forcewatch export --format wapo`)."""

    def rows() -> Iterator[str]:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=WAPO_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for rec in records(request.app.state.store, f):
            writer.writerow(safe_row(wapo_row(rec)))
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        yield buf.getvalue()

    return _download(rows(), "text/csv; charset=utf-8", "forcewatch-incidents.csv")


@router.get("/export.json", response_class=StreamingResponse, responses={200: {"content": {"application/json": {}}}})
def export_json(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents as a JSON array of export records (as `forcewatch export --format json`)."""

    def chunks() -> Iterator[str]:
        yield "[\n"
        for n, rec in enumerate(records(request.app.state.store, f)):
            yield (",\n" if n else "") + json.dumps(rec, default=str)
        yield "\n]\n"

    return _download(chunks(), "application/json", "forcewatch-incidents.json")


@router.get(
    "/export.geojson", response_class=StreamingResponse, responses={200: {"content": {"application/geo+json": {}}}}
)
def export_geojson(request: Request, f: Annotated[Filters, Depends(filters)]) -> StreamingResponse:
    """Matching incidents that have coordinates, as a GeoJSON FeatureCollection (as `forcewatch export --format geojson`)."""

    def chunks() -> Iterator[str]:
        yield '{"type": "FeatureCollection", "features": [\n'
        n = 0
        for rec in records(request.app.state.store, f):
            feature = geojson_feature(rec)
            if feature is None:
                continue
            yield (",\n" if n else "") + json.dumps(feature)
            n += 1
        yield "\n]}\n"

    return _download(chunks(), "application/geo+json", "forcewatch-incidents.geojson")
