"""Read models: one data function per view, feeding the CLI, the JSON export and the web pages alike."""

from __future__ import annotations

from typing import Any

from forcewatch.extract.stages import case_status, lifecycle_list
from forcewatch.store.db import Store


def headline_of(title: str | None, body: str) -> str | None:
    """The stored title, or else a first short line standing alone (no full stop, then a blank line).

    Plain-text reports without a `date YYYY-MM-DD headline` line often open with their headline;
    it is read here, for display, not at ingest, so the relevance stage never reads it twice.
    """
    if title:
        return title
    first, _, rest = body.lstrip().partition("\n")
    first = first.strip()
    if not first or (rest and not rest.startswith("\n")):
        return None
    if len(first) > 150 or len(first.split()) > 25 or first.endswith((".", ",", ";", ":")):
        return None
    return first


def incident_data(store: Store, incident_id: int) -> dict[str, Any] | None:
    """Everything known about one incident: fields, per-source values with quotes, conflicts, history."""
    row = store.incident(incident_id)
    if row is None:
        return None
    articles = store.articles(incident_id)
    evidence = store.evidence([a.id for a in articles])
    fields: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    timeline = []
    for f in sorted(store.incident_fields(incident_id), key=lambda f: f.field):
        if f.field.startswith("timeline."):
            if f.value:
                timeline.append(f.value)
        else:
            fields[f.field] = f.value
        merged[f.field] = {
            "value": f.value,
            "rule": f.rule,
            "support": f.support,
            "conflict": f.conflict,
            "conflict_values": f.conflict_values,
            "sources": f.sources,
            "reviewed": f.reviewed,
        }
    fields["timeline"] = sorted(timeline, key=lambda e: e["time"])
    case = {k: fields.pop(k) for k in [k for k in fields if k.startswith("case.")]}
    fields["case_lifecycle"] = lifecycle_list(case)
    fields["case_status"] = case_status(fields["case_lifecycle"])
    if fields.get("agency"):
        from forcewatch.extract.agencies import agency_code  # not at import: read commands start faster

        fields["agency_id"] = agency_code(fields["agency"])
    ev_by_field: dict[str, list[dict[str, Any]]] = {}
    for e in evidence:
        ev_by_field.setdefault(e.field, []).append(
            {
                "article": e.article_id,
                "value": e.value,
                "quote": e.quote,
                "start": e.start,
                "end": e.end,
                "value_start": e.value_start,
                "value_end": e.value_end,
                "extractor": e.extractor,
            }
        )
    conflicts = [
        {"field": name, "values": m["conflict_values"], "sources": m["sources"]}
        for name, m in merged.items()
        if m["conflict"]
    ]
    return {
        "id": row.id,
        "articles": [
            {
                "id": a.id,
                "path": a.path,
                "url": a.url,
                "outlet": a.outlet,
                "published": a.published.isoformat() if a.published else None,
                "title": headline_of(a.title, a.body),
                "copy_of": a.copy_of,
            }
            for a in articles
        ],
        "fields": fields,
        "merged": merged,
        "evidence": ev_by_field,
        "conflicts": conflicts,
        "history": [
            {
                "field": h.field,
                "old": h.old,
                "new": h.new,
                "article": h.article_id,
                "kind": h.kind,
                "actor": h.actor,
                "reason": h.reason,
                "quote": h.quote,
                "at": h.at.isoformat(timespec="seconds"),
            }
            for h in store.history(incident_id)
        ],
        "reviewed": row.reviewed,
    }


def incidents_list(store: Store) -> list[dict[str, Any]]:
    """One summary row per incident, as `forcewatch incidents` and the web list show them."""
    return [
        {
            "id": r.id,
            "date": r.date,
            "country": r.country,
            "region": r.region,
            "locality": r.locality,
            "place": ", ".join(p for p in (r.locality, r.region, r.country) if p),
            "subject": r.subject,
            "category": r.category,
            "agency": r.agency,
            "armed": r.armed,
            "sources": r.sources,
            "conflicts": r.conflicts,
            "latitude": r.latitude,
            "longitude": r.longitude,
            "reviewed": r.reviewed,
        }
        for r in store.incident_rows()
    ]


def articles_data(store: Store) -> list[dict[str, Any]]:
    """Every article with its relevance decision (for `export --articles`)."""
    return [
        {
            "id": a.id,
            "path": a.path,
            "url": a.url,
            "outlet": a.outlet,
            "title": headline_of(a.title, a.body),
            "published": a.published.isoformat() if a.published else None,
            "relevant": a.relevant,
            "category": a.category,
            "reason": a.reason,
            "incident": a.incident_id,
            "copy_of": a.copy_of,
        }
        for a in store.iter_articles()
    ]


def export_record(data: dict[str, Any], base_url: str = "") -> dict[str, Any]:
    """The public JSON shape of one incident (see README): every format starts from it.

    `conflicts` is the list of field names whose sources disagree (in every format), with the
    disagreeing values in `conflicting_values`; `url` is the incident's page under `base_url`.
    """
    from forcewatch.catalogue import headline

    fields = dict(data["fields"])
    return {
        "id": data["id"],
        "url": f"{base_url.rstrip('/')}/incidents/{data['id']}",
        "headline": headline(fields, data["id"]),
        "reviewed": bool(data["reviewed"]),
        "articles": [{k: a[k] for k in ("id", "path", "url", "outlet", "published")} for a in data["articles"]],
        "sources": [{k: a[k] for k in ("url", "outlet", "title", "published")} for a in data["articles"]],
        "fields": fields,
        "evidence": {
            k: [
                {kk: e[kk] for kk in ("article", "value", "quote", "start", "end", "value_start", "value_end")}
                for e in v
            ]
            for k, v in data["evidence"].items()
        },
        "conflicts": [c["field"] for c in data["conflicts"]],
        "conflicting_values": {c["field"]: c["values"] for c in data["conflicts"]},
    }
