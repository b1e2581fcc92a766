"""The Jinja2 environment (autoescape always on) and the one render helper every page uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from forcewatch import catalogue
from forcewatch.web import render
from forcewatch.web.auth import csrf_token, current_user

TEMPLATES = Path(__file__).parent / "templates"


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        fmt=render.fmt,
        anchor=render.anchor,
        span_id=render.span_id,
        safe_url=render.safe_url,
        source_name=render.source_name,
        pretty_json=lambda v: json.dumps(v, ensure_ascii=False, indent=1),
        label=lambda value, name: catalogue.value_label(name, value),
        label_of=lambda value, name: catalogue.value_label("subject_armed" if name == "armed" else name, value),
        field_label=catalogue.field_label,
    )
    env.globals["qs"] = query_string
    return env


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """`?a=1&b=2` from params with some changed (a None or "" change drops the key)."""
    merged = {**params, **changes}
    pairs = {k: v for k, v in merged.items() if v not in (None, "")}
    return "?" + urlencode(pairs) if pairs else ""


def render_page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    flash = request.session.pop("flash", None) if "flash" in request.session else None
    form_error = request.session.pop("form_error", None) if "form_error" in request.session else None
    html = env.get_template(template).render(
        request=request,
        user=current_user(request),
        csrf_token=csrf_token(request),
        flash=flash,
        form_error=form_error,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(html, status_code=status_code)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A one-time message shown on the next page (kept in the signed session cookie)."""
    request.session["flash"] = {"message": message, "kind": kind}
