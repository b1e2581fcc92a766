"""Releases: a dated, numbered snapshot of the published data and its changelog against the last one.

A release stores, in the database (so the web app can serve it, SQLite or PostgreSQL),
the same files the site's downloads give (web/exports.py: export records, the Washington
Post v2 CSV, GeoJSON) and `changelog.json`. The changelog compares two snapshots and reads
the history rows written between them: incidents added, merged (into which, by whom, why),
split (from which), retired, and every field changed with the evidence behind the new
value and, for a person's change, who and why.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from forcewatch.csvsafe import safe_row
from forcewatch.formats import WAPO_COLUMNS, geojson_feature, wapo_row
from forcewatch.publish.tables import release_files, releases
from forcewatch.store.db import Store, now
from forcewatch.store.schema import HistoryRow
from forcewatch.web.data import Filters
from forcewatch.web.exports import records

SNAPSHOT = "incidents.json"
FILES = {
    SNAPSHOT: "application/json",
    "incidents.csv": "text/csv; charset=utf-8",
    "incidents.geojson": "application/geo+json",
    "changelog.json": "application/json",
}
#: Summary fields shown beside an added or retired incident.
HEADLINE = ("date", "category", "locality", "region", "country", "subject_name", "agency")


@dataclass
class Release:
    number: int
    name: str
    created_at: datetime
    history_id: int
    incidents: int
    summary: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "date": self.created_at.date().isoformat(),
            "created_at": self.created_at.isoformat(timespec="seconds") + "Z",
            "incidents": self.incidents,
            "summary": self.summary,
        }


class ReleaseError(ValueError):
    """A release name taken, or a release that does not exist."""


def _row(r: Any) -> Release:
    return Release(r.number, r.name, r.created_at, r.history_id, r.incidents, r.summary or {})


def list_releases(store: Store) -> list[Release]:
    with store.engine.connect() as conn:
        return [_row(r) for r in conn.execute(select(releases).order_by(releases.c.number))]


def get_release(store: Store, ref: str | int) -> Release:
    """A release by number or by name."""
    with store.engine.connect() as conn:
        q = select(releases)
        text = str(ref)
        q = q.where(releases.c.number == int(text)) if text.isdigit() else q.where(releases.c.name == text)
        row = conn.execute(q).first()
    if row is None:
        raise ReleaseError(f"no release {ref!r}")
    return _row(row)


def release_file(store: Store, number: int, filename: str) -> tuple[str, str] | None:
    """(content, media type) of one file of a release."""
    with store.engine.connect() as conn:
        q = select(release_files.c.content, release_files.c.media_type).where(
            release_files.c.release == number, release_files.c.filename == filename
        )
        row = conn.execute(q).first()
    return (row[0], row[1]) if row else None


def release_filenames(store: Store, number: int) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        q = (
            select(
                release_files.c.filename,
                release_files.c.media_type,
                release_files.c.sha256,
                func.length(release_files.c.content),
            )
            .where(release_files.c.release == number)
            .order_by(release_files.c.filename)
        )
        return [{"filename": f, "media_type": m, "sha256": h, "size": n} for f, m, h, n in conn.execute(q)]


def snapshot(store: Store, number: int) -> list[dict[str, Any]]:
    found = release_file(store, number, SNAPSHOT)
    if found is None:
        raise ReleaseError(f"release {number} has no {SNAPSHOT}")
    return json.loads(found[0])


def _csv(recs: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=WAPO_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for rec in recs:
        writer.writerow(safe_row(wapo_row(rec)))
    return buf.getvalue()


def _geojson(recs: list[dict[str, Any]]) -> str:
    features = [f for f in (geojson_feature(rec) for rec in recs) if f is not None]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1)


def _history(store: Store, after: int, upto: int) -> list[HistoryRow]:
    with store.session() as s:
        q = select(HistoryRow).where(HistoryRow.id > after, HistoryRow.id <= upto).order_by(HistoryRow.id)
        return list(s.scalars(q))


def _who(h: HistoryRow) -> dict[str, Any]:
    return {
        "kind": h.kind,
        "actor": h.actor,
        "reason": h.reason,
        "quote": h.quote,
        "article": h.article_id,
        "old": h.old,
        "new": h.new,
        "at": h.at.isoformat(timespec="seconds") + "Z",
    }


def changelog(
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    history: list[HistoryRow],
    release: dict[str, Any] | None = None,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What changed from snapshot `old` to `new`, explained by the history rows written between them."""
    before = {r["id"]: r for r in old}
    after = {r["id"]: r for r in new}
    by_incident: dict[int, list[HistoryRow]] = {}
    for h in history:
        by_incident.setdefault(h.incident_id, []).append(h)

    def headline(rec: dict[str, Any]) -> dict[str, Any]:
        return {k: rec["fields"].get(k) for k in HEADLINE}

    added, merged, split, retired, changed, articles = [], [], [], [], [], []
    for i in sorted(after.keys() - before.keys()):
        origin = next(
            (h for h in by_incident.get(i, []) if h.kind == "split" and h.field is None and isinstance(h.old, int)),
            None,
        )
        if origin is not None:
            split.append({"from": origin.old, "into": i, "articles": origin.new, **_who(origin)})
        added.append({"id": i, "split_from": origin.old if origin else None, **headline(after[i])})
    for i in sorted(before.keys() - after.keys()):
        gone = next((h for h in by_incident.get(i, []) if h.kind == "merge" and h.field is None), None)
        if gone is not None and isinstance(gone.new, int):
            merged.append({"id": i, "into": gone.new, "articles": gone.old, **_who(gone)})
        else:
            last = next((h for h in reversed(by_incident.get(i, [])) if h.field is None), None)
            retired.append({"id": i, **headline(before[i]), "because": _who(last) if last else None})
    for i in sorted(before.keys() & after.keys()):
        a, b = before[i], after[i]
        old_articles = {x["id"] for x in a["articles"]}
        new_articles = {x["id"] for x in b["articles"]}
        if old_articles != new_articles:
            articles.append(
                {
                    "incident": i,
                    "added": sorted(new_articles - old_articles),
                    "removed": sorted(old_articles - new_articles),
                }
            )
        for name in sorted(a["fields"].keys() | b["fields"].keys()):
            was, now_ = a["fields"].get(name), b["fields"].get(name)
            if was == now_:
                continue
            evidence = [
                {"article": e["article"], "quote": e["quote"], "start": e["start"], "end": e["end"]}
                for e in b.get("evidence", {}).get(name.split(".")[0], [])
                if e["value"] == now_ or (name == "timeline" and isinstance(now_, list) and e["value"] in now_)
            ]
            reasons = [
                _who(h)
                for h in by_incident.get(i, [])
                if h.field == name or (name == "timeline" and (h.field or "").startswith("timeline."))
            ]
            changed.append(
                {
                    "incident": i,
                    "field": name,
                    "old": was,
                    "new": now_,
                    "reviewed": any(r["kind"] in ("review", "confirm") for r in reasons),
                    "evidence": evidence,
                    "history": reasons,
                }
            )
    return {
        "release": release,
        "previous": previous,
        "counts": {
            "incidents_before": len(before),
            "incidents_after": len(after),
            "added": len(added),
            "merged": len(merged),
            "split": len(split),
            "retired": len(retired),
            "fields_changed": len(changed),
        },
        "added": added,
        "merged": merged,
        "split": split,
        "retired": retired,
        "changed": changed,
        "articles": articles,
    }


def make_release(store: Store, name: str) -> tuple[Release, dict[str, Any]]:
    """Freeze the published data as release N+1 named `name`; returns it and its changelog."""
    name = name.strip()
    if not name or len(name) > 120:
        raise ReleaseError("a release name must have 1 to 120 characters")
    existing = list_releases(store)
    if any(r.name == name for r in existing):
        raise ReleaseError(f"a release named {name!r} exists already")
    with store.engine.connect() as conn:
        history_id = conn.scalar(select(func.max(HistoryRow.id))) or 0
    recs = list(records(store, Filters(), ""))  # incident URLs relative to wherever it is served
    previous = existing[-1] if existing else None
    stamp = now()
    number = (previous.number + 1) if previous else 1
    old = snapshot(store, previous.number) if previous else []
    draft = Release(number, name, stamp, history_id, len(recs), {})
    log = changelog(
        old,
        recs,
        _history(store, previous.history_id if previous else 0, history_id),
        draft.as_json(),
        previous.as_json() if previous else None,
    )
    draft.summary = log["counts"]
    log["release"] = draft.as_json()
    contents = {
        SNAPSHOT: json.dumps(recs, ensure_ascii=False, indent=1, default=str),
        "incidents.csv": _csv(recs),
        "incidents.geojson": _geojson(recs),
        "changelog.json": json.dumps(log, ensure_ascii=False, indent=1, default=str),
    }
    with store.engine.begin() as conn:
        conn.execute(
            releases.insert().values(
                number=number,
                name=name,
                created_at=stamp,
                history_id=history_id,
                incidents=len(recs),
                summary=draft.summary,
            )
        )
        conn.execute(
            release_files.insert(),
            [
                {
                    "release": number,
                    "filename": filename,
                    "media_type": FILES[filename],
                    "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    "content": text,
                }
                for filename, text in contents.items()
            ],
        )
    return draft, log


def diff(store: Store, a: str | int, b: str | int) -> dict[str, Any]:
    """The changelog from release A to release B (B later than A, or A later: then read backwards)."""
    ra, rb = get_release(store, a), get_release(store, b)
    lo, hi = sorted((ra, rb), key=lambda r: r.number)
    log = changelog(
        snapshot(store, ra.number), snapshot(store, rb.number), _history(store, lo.history_id, hi.history_id)
    )
    log["release"], log["previous"] = rb.as_json(), ra.as_json()
    return log
