"""Read models: one data function per view, feeding the CLI, the JSON export and the web pages alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from forcewatch.extract.stages import case_status, lifecycle_list
from forcewatch.store.reader import (
    Reader,
    as_bool,
    as_date_text,
    as_datetime,
    chunked,
    in_list,
    json_value,
    reader_of,
)


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


def incident_data(source: Any, incident_id: int, agency_id: bool = True) -> dict[str, Any] | None:
    """Everything known about one incident: fields, per-source values with quotes, conflicts, history.

    `source` is a Store or a Reader (store/reader.py): the same SQL on sqlite3 or the Store's engine.
    `agency_id=False` leaves out fields["agency_id"] (the force's identifier, looked up in gazetteers
    that take a third of a second to load), for `forcewatch show`'s text, which does not print it.
    """
    db = reader_of(source)
    found = db.rows("SELECT id, reviewed FROM incidents WHERE id = :id", {"id": incident_id})
    if not found:
        return None
    row = found[0]
    articles = db.rows(
        "SELECT id, path, url, outlet, published, title, body, copy_of FROM articles WHERE incident_id = :id"
        " ORDER BY published IS NULL, published, path",
        {"id": incident_id},
    )
    evidence = evidence_rows(db, [a["id"] for a in articles])
    fields: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    timeline = []
    field_rows = db.rows(
        "SELECT field, value, rule, support, conflict, conflict_values, sources, reviewed FROM incident_fields"
        " WHERE incident_id = :id",
        {"id": incident_id},
    )
    for f in sorted(field_rows, key=lambda f: f["field"]):
        name, value = f["field"], json_value(db, f["value"])
        if name.startswith("timeline."):
            if value:
                timeline.append(value)
        else:
            fields[name] = value
        merged[name] = {
            "value": value,
            "rule": f["rule"],
            "support": f["support"],
            "conflict": as_bool(f["conflict"]),
            "conflict_values": json_value(db, f["conflict_values"]),
            "sources": json_value(db, f["sources"]),
            "reviewed": as_bool(f["reviewed"]),
        }
    fields["timeline"] = sorted(timeline, key=lambda e: e["time"])
    case = {k: fields.pop(k) for k in [k for k in fields if k.startswith("case.")]}
    fields["case_lifecycle"] = lifecycle_list(case)
    fields["case_status"] = case_status(fields["case_lifecycle"])
    if agency_id and fields.get("agency"):
        from forcewatch.extract.agencies import agency_code  # not at import: read commands start faster

        fields["agency_id"] = agency_code(fields["agency"])
    ev_by_field: dict[str, list[dict[str, Any]]] = {}
    for e in evidence:
        ev_by_field.setdefault(e["field"], []).append(
            {k: e[k] for k in ("article", "value", "quote", "start", "end", "value_start", "value_end", "extractor")}
        )
    conflicts = [
        {"field": name, "values": m["conflict_values"], "sources": m["sources"]}
        for name, m in merged.items()
        if m["conflict"]
    ]
    history = db.rows(
        'SELECT field, old, new, article_id, kind, actor, reason, quote, "at" FROM history'
        " WHERE incident_id = :id ORDER BY id",
        {"id": incident_id},
    )
    return {
        "id": row["id"],
        "articles": [
            {
                "id": a["id"],
                "path": a["path"],
                "url": a["url"],
                "outlet": a["outlet"],
                "published": as_date_text(a["published"]),
                "title": headline_of(a["title"], a["body"]),
                "copy_of": a["copy_of"],
            }
            for a in articles
        ],
        "fields": fields,
        "merged": merged,
        "evidence": ev_by_field,
        "conflicts": conflicts,
        "history": [
            {
                "field": h["field"],
                "old": json_value(db, h["old"]),
                "new": json_value(db, h["new"]),
                "article": h["article_id"],
                "kind": h["kind"],
                "actor": h["actor"],
                "reason": h["reason"],
                "quote": h["quote"],
                "at": _stamp(h["at"]),
            }
            for h in history
        ],
        "reviewed": as_bool(row["reviewed"]),
    }


def _stamp(value: Any) -> str:
    stamp = as_datetime(value)
    return stamp.isoformat(timespec="seconds") if stamp else ""


def evidence_rows(db: Reader, article_ids: list[str]) -> list[dict[str, Any]]:
    """The evidence rows of these articles, in id order, as dicts (`article` is the article's id)."""
    out: list[dict[str, Any]] = []
    for part in chunked(article_ids):
        marks, params = in_list("a", part)
        out.extend(
            db.rows(
                'SELECT id, article_id, field, value, start, "end", quote, confidence, extractor, value_start,'
                f" value_end FROM evidence WHERE article_id IN ({marks})",
                params,
            )
        )
    out.sort(key=lambda e: e["id"])
    for e in out:
        e["article"] = e["article_id"]
        e["value"] = json_value(db, e["value"])
    return out


def incidents_list(source: Any) -> list[dict[str, Any]]:
    """One summary row per live incident, as `forcewatch incidents` and the web list show them."""
    db = reader_of(source)
    rows = db.rows(
        "SELECT id, date, country, region, locality, subject, category, agency, armed, sources, conflicts,"
        " latitude, longitude, reviewed FROM incidents WHERE merged_into IS NULL AND sources > 0 ORDER BY id"
    )
    for r in rows:
        r["place"] = ", ".join(p for p in (r["locality"], r["region"], r["country"]) if p)
        r["reviewed"] = as_bool(r["reviewed"])
    return rows


def articles_data(source: Any) -> Iterator[dict[str, Any]]:
    """Every article with its relevance decision (for `export --articles`), streamed in path order."""
    db = reader_of(source)
    sql = (
        "SELECT id, path, url, outlet, title, body, published, relevant, category, reason, incident_id, copy_of"
        " FROM articles ORDER BY path"
    )
    for a in db.iter_rows(sql):
        yield {
            "id": a["id"],
            "path": a["path"],
            "url": a["url"],
            "outlet": a["outlet"],
            "title": headline_of(a["title"], a["body"]),
            "published": as_date_text(a["published"]),
            "relevant": as_bool(a["relevant"]),
            "category": a["category"],
            "reason": a["reason"],
            "incident": a["incident_id"],
            "copy_of": a["copy_of"],
        }


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
