"""Read models: one data function per view, feeding the CLI, the JSON export and the web pages alike."""

from __future__ import annotations

from typing import Any

from forcewatch.model import LIST_FIELDS
from forcewatch.store.db import Store


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
                "title": a.title,
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
            "title": a.title,
            "published": a.published.isoformat() if a.published else None,
            "relevant": a.relevant,
            "category": a.category,
            "reason": a.reason,
            "incident": a.incident_id,
            "copy_of": a.copy_of,
        }
        for a in store.iter_articles()
    ]


def export_record(data: dict[str, Any]) -> dict[str, Any]:
    """The public JSON shape of one incident (see README)."""
    fields = {k: v for k, v in data["fields"].items() if k not in LIST_FIELDS or k in data["fields"]}
    return {
        "id": data["id"],
        "articles": [{k: a[k] for k in ("id", "path", "url", "outlet", "published")} for a in data["articles"]],
        "fields": fields,
        "evidence": {
            k: [
                {kk: e[kk] for kk in ("article", "value", "quote", "start", "end", "value_start", "value_end")}
                for e in v
            ]
            for k, v in data["evidence"].items()
        },
        "conflicts": [{"field": c["field"], "values": c["values"]} for c in data["conflicts"]],
    }
