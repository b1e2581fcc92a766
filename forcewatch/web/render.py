"""Presentation helpers for the templates: value formatting, evidence highlighting, SVG bar charts.

Any HTML built here is built from escaped text segments (markupsafe.escape); nothing read
from an article is ever inserted raw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape


def fmt(value: Any) -> str:
    """A value as a person reads it (the CLI's `show` does the same)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and "time" in value:
        q = value.get("qualifier")
        return f"{q + ' ' if q and q != 'exact' else ''}{value['time']}"
    if isinstance(value, dict) and "speaker" in value:
        who = ", ".join(p for p in (value.get("role"), value.get("organisation")) if p)
        return f"{value['speaker']}{' (' + who + ')' if who else ''}: “{value.get('text', '')}”"
    if isinstance(value, list):
        return "; ".join(fmt(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {fmt(v)}" for k, v in value.items())
    return str(value)


def anchor(field: str) -> str:
    """The element id of a field on the incident page."""
    return "field-" + "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in field)


def span_id(start: int, end: int) -> str:
    """The element id of an evidence span on the article page."""
    return f"span-{start}-{end}"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are ever made clickable (no javascript:, data:, ...)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def source_name(article: dict[str, Any]) -> str:
    """A short name for an article: its outlet, else its file name, else its id."""
    return article.get("outlet") or Path(article.get("path") or "").name or article.get("title") or article["id"]


def highlight(body: str, evidence: list[dict[str, Any]], incident_id: int | None) -> Markup:
    """The body with each value's own words marked, an anchor at each evidence sentence and a link to its field.

    Only the words that carry a value are highlighted (<mark class="ev"><strong class="ev-value">);
    the rest of a supporting sentence is only underlined faintly (<span class="ev-sentence">), and a
    sentence whose evidence has no value span is marked lightly as a whole (<mark class="ev ev-whole">).
    Spans may overlap: the body is cut at every boundary. Offsets outside the body are ignored.
    """
    spans = [e for e in evidence if 0 <= e["start"] < e["end"] <= len(body)]
    valued = [
        e
        for e in spans
        if e.get("value_start") is not None
        and e.get("value_end") is not None
        and e["start"] <= e["value_start"] < e["value_end"] <= e["end"]
    ]
    values = [(e["value_start"], e["value_end"], e["field"]) for e in valued]
    whole = [e for e in spans if e not in valued]
    cuts = sorted(
        {
            0,
            len(body),
            *(e["start"] for e in spans),
            *(e["end"] for e in spans),
            *(v for s, t, _ in values for v in (s, t)),
        }
    )
    out: list[str] = []
    opened: set[str] = set()
    for a, b in zip(cuts, cuts[1:], strict=False):
        for e in spans:
            if e["start"] == a and (sid := span_id(e["start"], e["end"])) not in opened:
                opened.add(sid)
                out.append(f'<span class="ev-anchor" id="{sid}"></span>')
        text = escape(body[a:b])
        value_fields = sorted({f for s, t, f in values if s <= a and t >= b})
        whole_fields = sorted({e["field"] for e in whole if e["start"] <= a and e["end"] >= b})
        in_sentence = any(e["start"] <= a and e["end"] >= b for e in valued)
        if value_fields:
            title = escape(", ".join(value_fields))
            out.append(f'<mark class="ev" title="{title}"><strong class="ev-value">{text}</strong></mark>')
        elif whole_fields:
            out.append(f'<mark class="ev ev-whole" title="{escape(", ".join(whole_fields))}">{text}</mark>')
        elif in_sentence:
            out.append(f'<span class="ev-sentence">{text}</span>')
        else:
            out.append(str(text))
        ending = sorted({e["field"] for e in spans if e["end"] == b})
        if ending:
            tags = []
            for field in ending:
                label = escape(field)
                if incident_id is not None:
                    tags.append(f'<a href="/incidents/{int(incident_id)}#{anchor(field)}">{label}</a>')
                else:
                    tags.append(f"<span>{label}</span>")
            out.append(f'<sup class="ev-tag">{" ".join(tags)}</sup>')
    return Markup("".join(out))


def bar_chart(rows: list[tuple[str, int]], width: int = 640, bar: int = 22, label_width: int = 220) -> dict[str, Any]:
    """Geometry of a horizontal bar chart; the template draws it as inline SVG (labels autoescaped)."""
    peak = max((n for _, n in rows), default=0) or 1
    room = width - label_width - 60
    bars = [
        {"label": label, "count": n, "y": i * (bar + 6), "w": max(1, round(room * n / peak)), "x": label_width}
        for i, (label, n) in enumerate(rows)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(1, len(rows)) * (bar + 6),
        "bar": bar,
        "label_width": label_width,
    }
