"""The Atom feed of alert events (feedgen writes the XML): one entry per event, linking to the incident.

Each entry says what changed (field: old -> new, with the sentence behind the new value)
and why (the article read, or the reviewer and their reason). Every value is escaped:
articles are untrusted.
"""

from __future__ import annotations

import html
import json
from datetime import UTC
from typing import Any

from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

from forcewatch.publish.events import Event


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def entry_html(event: Event) -> str:
    """The entry's content: a list of changes and the reason, every value escaped."""
    items = []
    for c in event.changes:
        if c.field is None:  # merge or split: old/new name incidents or articles
            items.append(f"<li>{html.escape(_show(c.old))} &#8594; {html.escape(_show(c.new))}</li>")
            continue
        quote = f"<br><q>{html.escape(c.quote)}</q>" if c.quote else ""
        items.append(
            f"<li><b>{html.escape(c.field)}</b>: {html.escape(_show(c.old))} &#8594; "
            f"{html.escape(_show(c.new))}{quote}</li>"
        )
    return f"<p>Why: {html.escape(event.why)}</p><ul>{''.join(items)}</ul>"


def atom_feed(events: list[Event], base_url: str, self_url: str, title: str) -> bytes:
    """An Atom 1.0 document of the events, newest first."""
    base = base_url.rstrip("/")
    fg = FeedGenerator()
    fg.id(self_url)
    fg.title(title)
    fg.link(href=self_url, rel="self", type="application/atom+xml")
    fg.link(href=base + "/", rel="alternate", type="text/html")
    fg.author({"name": "forcewatch"})
    fg.subtitle("New incidents and changed fields of deaths and injuries after police contact, each with its evidence.")
    fg.language("en")
    updated = max((e.at for e in events), default=None)
    if updated is not None:
        fg.updated(updated.replace(tzinfo=UTC))
    # feedgen prepends entries, so add the oldest first to keep the newest at the top.
    for event in sorted(events, key=lambda e: int(e.id[1:])):
        entry = fg.add_entry()
        entry.id(f"{base}/incidents/{event.incident_id}#{event.id}")
        entry.title(event.title)
        entry.link(href=f"{base}/incidents/{event.incident_id}", rel="alternate", type="text/html")
        entry.updated(event.at.replace(tzinfo=UTC))
        entry.published(event.at.replace(tzinfo=UTC))
        entry.author({"name": event.actor})
        entry.category(term=event.kind, label=event.kind)
        entry.summary(event.why)
        entry.content(entry_html(event), type="html")
    return fg.atom_str(pretty=True)
