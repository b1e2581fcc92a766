"""Alert events read from the history table: a new incident, fields changed, reviewed, merged, split.

One event is one write of one incident: the history rows that share incident, time, kind,
actor and article (save_incident and review write each change as such a group). The
event's id is its first history row's id, so it never changes and can be delivered once.
The Atom feed and the webhooks both publish these events.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from forcewatch.store.db import Store
from forcewatch.store.schema import ArticleRow, EvidenceRow, HistoryRow, IncidentRow
from forcewatch.web.data import Filters, _where

#: history.kind -> event kind (an automatic write is "new" when it is the incident's first).
KINDS = {"auto": "changed", "review": "reviewed", "confirm": "confirmed", "merge": "merged", "split": "split"}


@dataclass
class Change:
    field: str | None
    old: Any
    new: Any
    quote: str | None = None  # the sentence of the article that supports the new value


@dataclass
class Event:
    id: str
    incident_id: int
    kind: str  # new, changed, reviewed, confirmed, merged, split
    at: datetime
    actor: str
    reason: str | None
    quote: str | None  # a reviewer's supporting quote
    article: dict[str, Any] | None  # the article whose reading caused an automatic change
    changes: list[Change] = field(default_factory=list)
    incident: dict[str, Any] = field(default_factory=dict)  # the incident's summary now

    @property
    def title(self) -> str:
        where = ", ".join(p for p in (self.incident.get("locality"), self.incident.get("region")) if p)
        what = " ".join(p for p in (self.incident.get("category"), where and f"in {where}") if p)
        fields = ", ".join(sorted({c.field for c in self.changes if c.field}))
        head = {
            "new": f"New incident {self.incident_id}",
            "changed": f"Incident {self.incident_id} updated: {fields}",
            "reviewed": f"Incident {self.incident_id} corrected by {self.actor}: {fields}",
            "confirmed": f"Incident {self.incident_id} confirmed by {self.actor}: {fields}",
            "merged": f"Incident {self.incident_id}: incidents merged",
            "split": f"Incident {self.incident_id}: articles split off",
        }[self.kind]
        return f"{head} ({what})" if what else head

    @property
    def why(self) -> str:
        """Why it changed: the reviewer and reason, or the article read."""
        if self.kind in ("reviewed", "confirmed", "merged", "split"):
            text = f"{self.actor}: {self.reason or 'no reason given'}"
            return text + (f' (quote: "{self.quote}")' if self.quote else "")
        if self.article:
            name = self.article.get("outlet") or self.article.get("title") or self.article["id"]
            return f"read in {name}" + (f" ({self.article['url']})" if self.article.get("url") else "")
        return "recomputed from the incident's articles"

    def as_json(self) -> dict[str, Any]:
        """The webhook payload."""
        data = asdict(self)
        data["at"] = self.at.isoformat(timespec="seconds") + "Z"
        data["title"] = self.title
        data["why"] = self.why
        return data


def _chunks(ids: list[Any], size: int = 2000) -> list[list[Any]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _summary(row: Any) -> dict[str, Any]:
    return {
        "date": row.date,
        "country": row.country,
        "region": row.region,
        "locality": row.locality,
        "category": row.category,
        "agency": row.agency,
        "subject": row.subject,
    }


def events(
    store: Store,
    f: Filters,
    limit: int | None = 50,
    after_id: int = 0,
    since: datetime | None = None,
    newest_first: bool = True,
) -> list[Event]:
    """Events of the incidents that match the list's filters now.

    `after_id` keeps only events whose first history row is later than it; `since` only
    events at or after a time. For the newest `limit` events only the `limit` incidents
    written last are read: each of the newest events belongs to one of them (an incident
    whose last write is older than `limit` others' has no event newer than theirs), and
    `updated_at` is set in the transaction that writes the history.
    """
    h = HistoryRow
    matching = select(IncidentRow.id).where(*_where(f))
    if limit is not None and newest_first:
        matching = matching.order_by(IncidentRow.updated_at.desc(), IncidentRow.id.desc()).limit(limit)
    key = (h.incident_id, h.at, h.kind, h.actor, h.article_id)
    first = func.min(h.id).label("first")
    q = select(*key, first, func.max(h.id).label("last")).where(h.incident_id.in_(matching))
    if after_id:
        # Only incidents written since, but whole groups: a group cut at after_id is not a new event.
        q = q.where(h.incident_id.in_(select(h.incident_id).where(h.id > after_id).distinct()))
    if since is not None:
        q = q.where(h.at >= since)  # `at` is part of the group's key, so this cuts no group
    q = q.group_by(*key).having(first > after_id).order_by(first.desc() if newest_first else first.asc())
    if limit is not None:
        q = q.limit(limit)
    with store.engine.connect() as conn:
        groups = conn.execute(q).all()
        if not groups:
            return []
        incident_ids = sorted({g.incident_id for g in groups})
        article_ids = sorted({g.article_id for g in groups if g.article_id})
        lo, hi = min(g.first for g in groups), max(g.last for g in groups)
        rows: list[Any] = []
        firsts: dict[int, int] = {}
        incidents: dict[int, dict[str, Any]] = {}
        articles: dict[str, dict[str, Any]] = {}
        quotes: dict[tuple[str, str], list[tuple[Any, str]]] = {}
        # Plain column rows, in chunks of ids: a first delivery may read every event of the database.
        for ids in _chunks(incident_ids):
            q_rows = select(
                h.id, h.incident_id, h.field, h.old, h.new, h.at, h.kind, h.actor, h.article_id, h.reason, h.quote
            )
            rows += conn.execute(q_rows.where(h.incident_id.in_(ids), h.id >= lo, h.id <= hi)).all()
            q_first = select(h.incident_id, func.min(h.id)).where(h.incident_id.in_(ids)).group_by(h.incident_id)
            firsts.update(dict(conn.execute(q_first).all()))
            incidents.update(
                {r.id: _summary(r) for r in conn.execute(select(IncidentRow).where(IncidentRow.id.in_(ids)))}
            )
        a, e = ArticleRow, EvidenceRow
        for ids in _chunks(article_ids):
            for r in conn.execute(select(a.id, a.outlet, a.title, a.url, a.published).where(a.id.in_(ids))):
                articles[r.id] = {
                    "id": r.id,
                    "outlet": r.outlet,
                    "title": r.title,
                    "url": r.url,
                    "published": r.published,
                }
            for ev in conn.execute(select(e.article_id, e.field, e.value, e.quote).where(e.article_id.in_(ids))):
                quotes.setdefault((ev.article_id, ev.field), []).append((ev.value, ev.quote))
    rows.sort(key=lambda r: r.id)
    by_key: dict[tuple[Any, ...], list[Any]] = {}
    for r in rows:
        by_key.setdefault((r.incident_id, r.at, r.kind, r.actor, r.article_id), []).append(r)
    out = []
    for g in groups:
        members = [r for r in by_key.get(tuple(g[:5]), []) if g.first <= r.id <= g.last]
        kind = KINDS.get(g.kind, g.kind)
        if g.kind == "auto" and firsts.get(g.incident_id) == g.first:
            kind = "new"
        changes = []
        for r in members:
            quote = None
            if r.article_id and r.field:
                candidates = quotes.get((r.article_id, r.field)) or quotes.get(
                    (r.article_id, r.field.split(".")[0]), []
                )
                quote = next((q for v, q in candidates if v == r.new), candidates[0][1] if candidates else None)
            changes.append(Change(r.field, r.old, r.new, quote))
        head = members[0] if members else None
        article = articles.get(g.article_id) if g.article_id else None
        published = article.get("published") if article else None
        if article and isinstance(published, date):
            article = {**article, "published": published.isoformat()}
        out.append(
            Event(
                id=f"e{g.first}",
                incident_id=g.incident_id,
                kind=kind,
                at=g.at,
                actor=g.actor,
                reason=head.reason if head else None,
                quote=head.quote if head else None,
                article=article,
                changes=changes,
                incident=incidents.get(g.incident_id, {}),
            )
        )
    return out
