"""Editors' decisions from the incident page's forms: change or confirm a field, merge, split.

Every route needs a signed-in editor (401) and the form's CSRF token (403); each write goes
through Store.review or run.merge_incidents / run.split_incident, so it lands in history.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from forcewatch.run import merge_incidents, split_incident
from forcewatch.web.auth import current_user, require_editor, require_form_csrf
from forcewatch.web.data import EDITABLE_FIELDS, incident_view, parse_value
from forcewatch.web.pages import forget_options
from forcewatch.web.render import anchor, fmt
from forcewatch.web.templating import flash

router = APIRouter(include_in_schema=False, dependencies=[Depends(require_editor), Depends(require_form_csrf)])


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
        new = parse_value(field, value, current)
    except ValueError as e:
        return failed(request, incident_id, f"{field}: {e}", field, typed)
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


@router.post("/incidents/{incident_id}/merge")
def merge(request: Request, incident_id: int, other: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""):
    live_incident(request, incident_id)
    try:
        other_id = int(other.strip().lstrip("#"))
    except ValueError:
        return failed(request, incident_id, "Give the number of the incident to merge into this one.")
    store = request.app.state.store
    other_data = incident_view(store, other_id)
    if other_id == incident_id or other_data is None or other_data["merged_into"] or not other_data["articles"]:
        return failed(request, incident_id, f"There is no other incident {other_id} to merge.")
    merge_incidents(store, incident_id, other_id, current_user(request), reason.strip() or None)
    forget_options(request)
    flash(request, f"Incident {other_id} merged into this one.")
    return back(incident_id)


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
    new_id = split_incident(request.app.state.store, incident_id, chosen, current_user(request), reason.strip() or None)
    forget_options(request)
    flash(request, f"Moved {len(chosen)} article(s) from incident {incident_id} into this new incident.")
    return RedirectResponse(f"/incidents/{new_id}", status_code=303)
