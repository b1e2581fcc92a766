"""Sign in and sign out (forms; the session itself is in auth.py, the throttle in store/accounts.py).

The throttle: each attempt is written to the database before the password is checked, so
concurrent guesses cannot outrun it and every server process counts the same attempts.
Limits are per client (per name from that client, and over all names), never a lock on a
name: someone guessing an editor's password from one address does not lock the editor out.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from forcewatch.store.accounts import (
    MAX_NAME,
    active_generation,
    attempt_succeeded,
    reserve_attempt,
    revoke_sessions,
)
from forcewatch.web.auth import check_password, current_user, local_path, same_token
from forcewatch.web.templating import flash, render_page

router = APIRouter(include_in_schema=False)


def client_of(request: Request) -> str:
    """The client's address (behind a proxy, uvicorn's --proxy-headers makes it the real one)."""
    return request.client.host if request.client else "unknown"


@router.get("/login")
def login_form(request: Request, next: str = "/"):  # noqa: A002 - the conventional name
    return render_page(request, "login.html", next=local_path(next), error=None, name="")


@router.post("/login")
async def login(
    request: Request,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token_: Annotated[str, Form(alias="csrf_token")] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
):
    target = local_path(next)
    if not same_token(csrf_token_, request.session.get("csrf")):
        return render_page(
            request, "login.html", 403, next=target, error="The form expired: please try again.", name=name[:MAX_NAME]
        )
    if len(name) > MAX_NAME:  # neither echoed, nor kept, nor checked
        error = f"A name has at most {MAX_NAME} characters."
        return render_page(request, "login.html", 422, next=target, error=error, name="")
    store = request.app.state.store
    client = client_of(request)
    attempt = await run_in_threadpool(reserve_attempt, store, client, name)
    if attempt is None:
        error = "Too many failed attempts from this address: try again in a few minutes."
        return render_page(request, "login.html", 429, next=target, error=error, name=name)
    ok = await run_in_threadpool(check_password, store, name, password)
    if not ok:
        return render_page(request, "login.html", 401, next=target, error="Wrong name or password.", name=name)
    await run_in_threadpool(attempt_succeeded, store, attempt, client, name)
    generation = await run_in_threadpool(active_generation, store, name)
    if generation is None:
        error = "This editor is disabled: ask an administrator (`forcewatch user enable`)."
        return render_page(request, "login.html", 403, next=target, error=error, name=name)
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session["user"] = name
    request.session["gen"] = generation
    request.session["csrf"] = secrets.token_urlsafe(32)
    flash(request, f"Signed in as {name}.")
    return RedirectResponse(target, status_code=303)


@router.post("/logout")
async def logout(request: Request, csrf_token_: Annotated[str, Form(alias="csrf_token")] = ""):
    if not same_token(csrf_token_, request.session.get("csrf")):
        raise HTTPException(status_code=403, detail="the form's CSRF token is missing or stale")
    name = await run_in_threadpool(current_user, request)
    if name:  # every copy of this editor's cookie stops working, not only this browser's
        await run_in_threadpool(revoke_sessions, request.app.state.store, name)
    request.session.clear()
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse("/", status_code=303)
