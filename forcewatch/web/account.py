"""Sign in and sign out (forms; the session itself is in auth.py)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from forcewatch.web.auth import check_password, local_path, same_token
from forcewatch.web.templating import flash, render_page

router = APIRouter(include_in_schema=False)

#: After this many failed sign-ins for one name within WINDOW seconds, that name is refused until they age out.
MAX_FAILURES, WINDOW = 5, 15 * 60
_failures: defaultdict[str, deque[float]] = defaultdict(deque)
_lock = threading.Lock()


def _recent_failures(name: str) -> int:
    with _lock:
        times = _failures[name.lower()]
        while times and times[0] < time.monotonic() - WINDOW:
            times.popleft()
        return len(times)


def _failed(name: str) -> None:
    with _lock:
        now = time.monotonic()
        if len(_failures) > 10_000:  # names sprayed at the form: forget the stale ones
            for key in [k for k, v in _failures.items() if not v or v[-1] < now - WINDOW]:
                del _failures[key]
        _failures[name.lower()].append(now)


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
    if not same_token(csrf_token_, request.session.get("csrf")):
        return render_page(
            request, "login.html", 403, next=local_path(next), error="The form expired: please try again.", name=name
        )
    if _recent_failures(name) >= MAX_FAILURES:
        return render_page(
            request,
            "login.html",
            429,
            next=local_path(next),
            error="Too many failed attempts for this name: try again later.",
            name=name,
        )
    ok = await run_in_threadpool(check_password, request.app.state.store, name, password)
    if not ok:
        _failed(name)
        return render_page(
            request, "login.html", 401, next=local_path(next), error="Wrong name or password.", name=name
        )
    _failures.pop(name.lower(), None)
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session["user"] = name
    request.session["csrf"] = secrets.token_urlsafe(32)
    flash(request, f"Signed in as {name}.")
    return RedirectResponse(local_path(next), status_code=303)


@router.post("/logout")
async def logout(request: Request, csrf_token_: Annotated[str, Form(alias="csrf_token")] = ""):
    if not same_token(csrf_token_, request.session.get("csrf")):
        raise HTTPException(status_code=403, detail="the form's CSRF token is missing or stale")
    request.session.clear()
    request.session["csrf"] = secrets.token_urlsafe(32)
    return RedirectResponse("/", status_code=303)
