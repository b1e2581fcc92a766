"""Editors' decisions from the incident page's forms: change or confirm a field, merge, split.

Every route needs a signed-in editor (401) and the form's CSRF token (403); each write goes
through Store.review or run.merge_incidents / run.split_incident, so it lands in history.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from forcewatch.run import merge_incidents, split_incident
from forcewatch.store.lock import WriterBusy
from forcewatch.web.auth import current_user, require_editor, require_form_csrf
from forcewatch.web.data import EDITABLE_FIELDS, incident_view, parse_value
from forcewatch.web.pages import forget_options, incident_page
from forcewatch.web.render import anchor, fmt
from forcewatch.web.templating import flash

#: Seconds a merge or split waits for another writer (an ingest) before it is refused.
WRITER_WAIT = 30.0


def busy_or(error: Exception) -> str:
    if isinstance(error, WriterBusy):
        return "Another writer (an ingest or batch run) is busy with the database: try again in a minute."
    return f"Not done: {error}."


router = APIRouter(include_in_schema=False, dependencies=[Depends(require_editor), Depends(require_form_csrf)])

# --- what a reviewed value may be, by field (the catalogue, ../shared/FIELDS.md) --------------

#: Fields whose value is one of a few words (WaPo's location precisions too, as exports use them).
CHOICES: dict[str, tuple[str, ...]] = {
    "category": ("police_shooting", "road_traffic", "custody", "suicide_following_custody", "other_contact"),
    "outcome": ("fatal", "injured", "unharmed"),
    "location_precision": (
        "address",
        "neighbourhood",
        "locality",
        "region",
        "not_available",
        "poi_small",
        "intersection",
        "poi_large",
        "block",
        "road",
        "highway",
    ),  # fmt: skip
    "subject_gender": ("male", "female", "other"),
    "subject_armed": ("gun", "knife", "blunt_object", "replica", "vehicle", "other", "unarmed", "undetermined"),
    "fleeing": ("not_fleeing", "foot", "car", "other"),
    "threat": ("shoot", "point", "attack", "threat", "move", "flee", "accident", "undetermined"),
    "oversight_body": ("IOPC", "IPCC", "PIRC", "PONI", "state", "DOJ", "internal", "other"),
    "oversight_status": ("referred", "investigating", "concluded"),
}
FORCE_USED = ("firearm", "taser", "baton", "restraint", "dog", "vehicle", "chemical", "other")
BOOLEANS = frozenset(
    {"subject_age_approximate", "subject_weapon_recovered", "mental_health_crisis", "body_camera", "first_aid",
     "others_present"}
)  # fmt: skip
#: Whole numbers and their plausible range.
INTEGERS = {"subject_age": (0, 120), "shots_fired": (0, 1000)}
#: Decimal degrees.
DEGREES = {"latitude": 90.0, "longitude": 180.0}
QUALIFIERS = ("exact", "around", "before", "after")
MAX_TEXT = 500
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _choice(field: str, value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        raise ValueError(f"write one of {', '.join(allowed)}")
    by_lower = {a.lower(): a for a in allowed}
    if value.strip().lower() not in by_lower:
        raise ValueError(f"{value[:40]!r} is not one of {', '.join(allowed)}")
    return by_lower[value.strip().lower()]


def _date(value: Any) -> str:
    m = _DATE.match(value.strip()) if isinstance(value, str) else None
    if m is None:
        raise ValueError("write a date as YYYY-MM-DD (or YYYY-MM, or YYYY)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if not 1900 <= year <= date.today().year + 1:
        raise ValueError(f"{year} is not a plausible year")
    try:
        date(year, int(month or 1), int(day or 1))
    except ValueError as e:
        raise ValueError(f"{value.strip()} is not a day of the calendar ({e})") from None
    return value.strip()


def check_value(field: str, value: Any) -> Any:
    """The value to store for FIELD, checked against the catalogue's type and range.

    Raises ValueError with a reason fit to show next to the field. None (no value) is
    always allowed: a reviewer may say a report does not tell.
    """
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("write a finite number")
    if field.startswith("timeline."):
        event = field.split(".", 1)[1]
        if not isinstance(value, dict) or not isinstance(value.get("time"), str):
            raise ValueError("write a time as HH:MM, optionally after before/after/around")
        m = re.fullmatch(r"(\d{2}):(\d{2})", value["time"])
        if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValueError(f"{value['time'][:20]!r} is not a time of day (HH:MM)")
        qualifier = value.get("qualifier") or "exact"
        if qualifier not in QUALIFIERS or value.get("event", event) != event:
            raise ValueError(f"a {event} time has a qualifier of {', '.join(QUALIFIERS)}")
        return {"event": event, "time": value["time"], "qualifier": qualifier}
    if field in BOOLEANS:
        if not isinstance(value, bool):
            raise ValueError("write yes or no")
        return value
    if field in INTEGERS:
        low, high = INTEGERS[field]
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise ValueError("write a whole number")
        if not low <= value <= high:
            raise ValueError(f"{value:g} is outside {low} to {high}")
        return int(value)
    if field in DEGREES:
        limit = DEGREES[field]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("write decimal degrees, e.g. 51.5")
        if not -limit <= value <= limit:
            raise ValueError(f"{value:g} is outside -{limit:g} to {limit:g} degrees")
        return float(value)
    if field == "date":
        return _date(value)
    if field == "force_used":
        items = value if isinstance(value, list) else [value]
        return [_choice(field, v, FORCE_USED) for v in items]
    if field == "subject_armed" and isinstance(value, list):  # WaPo joins several weapons
        return [_choice(field, v, CHOICES[field]) for v in value]
    if field in CHOICES:
        return _choice(field, value, CHOICES[field])
    if field == "country":
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
            raise ValueError("write a two-letter ISO 3166 country code, e.g. GB or US")
        return value.strip().upper()
    if field == "quotes":
        ok = isinstance(value, list) and all(
            isinstance(q, dict)
            and isinstance(q.get("text"), str)
            and all(isinstance(v, str | None) for v in q.values())
            for q in value
        )
        if not ok:
            raise ValueError('write a JSON list of {"speaker", "role", "organisation", "text"}')
        return value
    if not isinstance(value, str):  # every other field is text
        raise ValueError("write text")
    if len(value) > MAX_TEXT:
        raise ValueError(f"at most {MAX_TEXT} characters")
    return value.strip()


def live_incident(request: Request, incident_id: int) -> dict[str, Any]:
    data = incident_view(request.app.state.store, incident_id)
    if data is None or data["merged_into"] or not data["articles"]:
        raise HTTPException(status_code=404, detail=f"no incident {incident_id} to change")
    return data


def back(incident_id: int, field: str | None = None) -> RedirectResponse:
    return RedirectResponse(f"/incidents/{incident_id}" + (f"#{anchor(field)}" if field else ""), status_code=303)


def failed(
    request: Request, incident_id: int, message: str, field: str | None = None, typed: dict[str, str] | None = None
) -> RedirectResponse:
    """Back to the field with the message; what was typed is kept so the form shows it again beside the error."""
    flash(request, message, "error")
    if field and typed is not None:
        request.session["form_error"] = {"field": field, "message": message, **typed}
    return back(incident_id, field)


def refused(
    request: Request, incident_id: int, field: str, typed: str, reason: str, also: dict[str, str] | None = None
) -> Response:
    """The incident page again, answering 422, with the reason beside the field and what was typed
    (`also`: the typed reason and quote, kept in their boxes)."""
    request.scope["forcewatch.field_error"] = {
        "field": field,
        "value": typed[: MAX_TEXT * 2],
        "reason": reason,
        "typed_reason": (also or {}).get("reason", ""),
        "typed_quote": (also or {}).get("quote", ""),
    }
    page = incident_page(request, incident_id)
    page.status_code = 422
    return page


@router.post("/incidents/{incident_id}/review")
def change_field(
    request: Request,
    incident_id: int,
    field: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    quote: Annotated[str, Form()] = "",
):
    data = live_incident(request, incident_id)
    if field not in EDITABLE_FIELDS and field not in data["merged"]:
        return failed(request, incident_id, f"unknown field {field!r}")
    typed = {"value": value[:2000], "reason": reason[:2000], "quote": quote[:2000]}
    if not reason.strip():
        return failed(request, incident_id, f"Say why you change {field}: a reason is required.", field, typed)
    current = data["merged"].get(field, {}).get("value")
    try:
        new = check_value(field, parse_value(field, value, current))
    except ValueError as e:
        return refused(request, incident_id, field, value, str(e), typed)
    request.app.state.store.review(
        incident_id, field, new, current_user(request), reason.strip(), quote.strip() or None
    )
    forget_options(request)
    flash(request, f"{field} set to {fmt(new)}.")
    return back(incident_id, field)


@router.post("/incidents/{incident_id}/confirm")
def confirm_field(
    request: Request, incident_id: int, field: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""
):
    data = live_incident(request, incident_id)
    if field not in data["merged"]:
        return failed(request, incident_id, f"{field!r} has no value to confirm")
    value = data["merged"][field]["value"]
    request.app.state.store.review(
        incident_id, field, value, current_user(request), reason.strip() or "confirmed", None, kind="confirm"
    )
    flash(request, f"{field} confirmed as {fmt(value)}.")
    return back(incident_id, field)


def _other_incident(request: Request, incident_id: int, other: str) -> int | Response:
    """The live incident a merge or a keep-apart names ("12" or "#12"), or the page that says why not."""
    try:
        other_id = int(other.strip().lstrip("#"))
    except ValueError:
        return failed(request, incident_id, "Give the number of the other incident.")
    other_data = incident_view(request.app.state.store, other_id)
    if other_id == incident_id or other_data is None or other_data["merged_into"] or not other_data["articles"]:
        return failed(request, incident_id, f"There is no other incident {other_id}.")
    return other_id


def _pair_action(
    request: Request, incident_id: int, other: str, reason: str, act: Callable[..., object]
) -> tuple[int | None, Response | None]:
    """Merge or keep apart this incident and the one `other` names, under the writer lock: the
    other incident's id, or the page that says why nothing was done."""
    live_incident(request, incident_id)
    other_id = _other_incident(request, incident_id, other)
    if not isinstance(other_id, int):
        return None, other_id
    store = request.app.state.store
    try:
        with store.writer_lock(timeout=WRITER_WAIT):
            act(store, incident_id, other_id, current_user(request) or "", reason.strip() or None)
    except (ValueError, WriterBusy) as e:
        return None, failed(request, incident_id, busy_or(e))
    return other_id, None


@router.post("/incidents/{incident_id}/merge")
def merge(request: Request, incident_id: int, other: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""):
    other_id, refused = _pair_action(request, incident_id, other, reason, merge_incidents)
    if refused is not None:
        return refused
    forget_options(request)
    flash(request, f"Incident {other_id} merged into this one.")
    return back(incident_id)


@router.post("/incidents/{incident_id}/apart")
def keep_apart(
    request: Request, incident_id: int, other: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""
):
    """A possible duplicate a person says is another incident: recorded as a split between the two
    (the path `split` takes), so linking never heals them together and the pair is not listed again."""
    from forcewatch.link.duplicates import keep_apart as record_apart

    other_id, refused = _pair_action(request, incident_id, other, reason, record_apart)
    if refused is not None:
        return refused
    flash(request, f"Incidents {incident_id} and {other_id} kept apart: not listed as possible duplicates again.")
    return RedirectResponse("/duplicates", status_code=303)


@router.post("/incidents/{incident_id}/split")
def split(
    request: Request,
    incident_id: int,
    articles: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI reads the default, never mutates it
    reason: Annotated[str, Form()] = "",
):
    data = live_incident(request, incident_id)
    own = {a["id"] for a in data["articles"]}
    chosen = [a for a in dict.fromkeys(articles) if a in own]
    if not chosen or len(chosen) != len(set(articles)) or len(chosen) == len(own):
        return failed(
            request, incident_id, "Tick some, not all, of this incident's articles to move them to a new incident."
        )
    store = request.app.state.store
    try:
        with store.writer_lock(timeout=WRITER_WAIT):
            new_id = split_incident(store, incident_id, chosen, current_user(request) or "", reason.strip() or None)
    except (ValueError, WriterBusy) as e:
        return failed(request, incident_id, busy_or(e))
    forget_options(request)
    flash(request, f"Moved {len(chosen)} article(s) from incident {incident_id} into this new incident.")
    return RedirectResponse(f"/incidents/{new_id}", status_code=303)
