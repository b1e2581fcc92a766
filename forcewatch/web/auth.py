"""Editors: argon2 password hashes, a signed session cookie, CSRF tokens, sign in and out.

Reading is open to everyone; every write needs a signed-in editor (401 otherwise) and
the session's CSRF token (403 otherwise): the `csrf_token` form field on forms, the
X-CSRF-Token header on JSON posts. The sign-in and sign-out routes are in account.py.
"""

from __future__ import annotations

import hmac
import os
import secrets
from functools import cache
from pathlib import Path
from typing import Annotated

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from fastapi import Header, HTTPException, Request
from sqlalchemy.engine import make_url

from forcewatch.store.accounts import active_generation
from forcewatch.store.db import Store

SECRET_ENV = "FORCEWATCH_SECRET"
_hasher = PasswordHasher()


# --- the signing key ---------------------------------------------------------------------


def secret_path(store: Store) -> Path | None:
    """Where a generated key is kept: `<database file>.secret`; None if the database is no file."""
    url = make_url(store.url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + ".secret")


def load_secret(store: Store) -> str:
    """FORCEWATCH_SECRET, else the key kept next to the SQLite file (made on first use, mode 0600)."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV]
    path = secret_path(store)
    if path is None:
        if store.engine.dialect.name == "sqlite":  # in-memory database: the key lives as long as it does
            return secrets.token_urlsafe(48)
        raise RuntimeError(
            f"set {SECRET_ENV}: a {store.engine.dialect.name} database has no file to keep a key next to"
        )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        key = secrets.token_urlsafe(48)
        out.write(key + "\n")
    return key


# --- passwords ---------------------------------------------------------------------------


def hash_password(password: str) -> str:
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def check_password(store: Store, name: str, password: str) -> bool:
    """True if NAME is an editor with this password; as slow for unknown names as for known ones."""
    user = store.user(name)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return user is not None


# --- the session -------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (every visitor has one, so sign-in is protected too)."""
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


def current_user(request: Request) -> str | None:
    """The signed-in editor, if the session is still valid: not signed out elsewhere, not reset, not disabled.

    The cookie is signed but kept by the browser, so it cannot be deleted from here: it
    carries the editor's session generation, and sign-out, a new password or disabling
    the editor moves the generation on (store/accounts.py), which ends every older cookie.
    """
    name = request.session.get("user")
    if not name:
        return None
    if active_generation(request.app.state.store, name) != request.session.get("gen"):
        return None
    return name


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def require_editor(request: Request) -> str:
    """Dependency: the signed-in editor's name, or 401."""
    name = current_user(request)
    if not name:
        ended = " (this session has ended: signed out, new password or editor disabled)"
        raise HTTPException(
            status_code=401,
            detail="sign in as an editor to change anything" + (ended if request.session.get("user") else ""),
        )
    return name


async def require_form_csrf(request: Request) -> None:
    """Dependency for form posts: the form's csrf_token must be the session's, or 403."""
    form = await request.form()
    if not same_token(form.get("csrf_token"), request.session.get("csrf")):  # type: ignore[arg-type]
        raise HTTPException(
            status_code=403, detail="the form's CSRF token is missing or stale: reload the page and try again"
        )


def require_header_csrf(
    request: Request,
    x_csrf_token: Annotated[
        str | None, Header(description="The session's CSRF token (as in the page's meta csrf-token).")
    ] = None,
) -> None:
    """Dependency for JSON posts: the X-CSRF-Token header must be the session's token, or 403."""
    if not same_token(x_csrf_token, request.session.get("csrf")):
        raise HTTPException(status_code=403, detail="X-CSRF-Token header missing or not this session's token")


def local_path(target: str | None) -> str:
    """Only redirect within this site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
