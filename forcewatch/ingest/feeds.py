"""Poll RSS/Atom feeds for new article links, cheaply and without repeating items.

Conditional GET (ETag / Last-Modified) keeps polling light for publishers; the set of
seen item ids keeps re-polls from re-ingesting. FeedState is JSON so the store can keep
it in a text column between runs.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from forcewatch.errors import IngestError, Problem
from forcewatch.ingest.web import Fetcher, default_fetcher

_FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1"
)
#: Past this many seen ids, ids no longer in the feed are forgotten (feeds only shrink).
MAX_SEEN = 5000


@dataclass
class FeedItem:
    """One new link from a feed, ready for fetch_article."""

    url: str
    title: str | None = None
    published: datetime | None = None


@dataclass
class FeedState:
    """What we remember about a feed between polls."""

    etag: str | None = None
    modified: str | None = None
    seen: set[str] = field(default_factory=set)

    def to_json(self) -> str:
        data = {"etag": self.etag, "modified": self.modified, "seen": sorted(self.seen)}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> FeedState:
        """Empty or missing text is a fresh state; malformed text raises ValueError."""
        if not text or not text.strip():
            return cls()
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("feed state is not a JSON object")
        return cls(
            etag=data.get("etag"),
            modified=data.get("modified"),
            seen=set(data.get("seen") or ()),
        )


def _published(entry: dict) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def poll_feed(url: str, state: FeedState, fetcher: Fetcher) -> list[FeedItem]:
    """New items of the feed at `url` since `state`, which is updated in place.

    A 304 Not Modified returns []. Raises IngestError: FW005 for a feed that cannot be
    parsed, FW004/FW009 from the fetch.
    """
    import feedparser

    headers = {"Accept": _FEED_ACCEPT}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.modified:
        headers["If-Modified-Since"] = state.modified
    result = fetcher.get(url, headers=headers, types=None)
    if result.status == 304:
        return []
    # A stream, not bytes: feedparser treats a bytes argument as a possible file name.
    parsed = feedparser.parse(
        io.BytesIO(result.content),
        response_headers={"content-location": result.url, "content-type": result.content_type},
    )
    entries = [e for e in parsed.entries if e.get("link")]
    if not entries and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "not an RSS or Atom document"
        raise IngestError("FW005", f"{result.url} is not a readable feed: {reason}")
    items: list[FeedItem] = []
    current: set[str] = set()
    for entry in entries:
        link = urljoin(result.url, entry["link"])
        key = entry.get("id") or link
        current.add(key)
        if key in state.seen or urlsplit(link).scheme not in ("http", "https"):
            continue
        state.seen.add(key)
        items.append(FeedItem(link, entry.get("title"), _published(entry)))
    if len(state.seen) > MAX_SEEN:
        state.seen &= current
    state.etag = result.headers.get("etag")
    state.modified = result.headers.get("last-modified")
    return items


def watch(
    feeds: Iterable[str],
    state_load: Callable[[str], str | None],
    state_save: Callable[[str, str], None],
    ingest_url: Callable[[str], object],
    interval: float = 900.0,
    rounds: int | None = None,
    *,
    fetcher: Fetcher | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> int:
    """Poll every feed each round, ingest new items, save state; returns items ingested.

    One bad feed, item or state never stops the loop: each failure goes to `on_problem`
    as a Problem naming the feed or item URL. `rounds=None` runs until interrupted.
    """
    feeds = list(feeds)
    report = on_problem or (lambda problem: None)
    client = fetcher or default_fetcher()
    ingested = 0
    done = 0
    while rounds is None or done < rounds:
        for feed in feeds:
            ingested += _watch_one(feed, client, state_load, state_save, ingest_url, report)
        done += 1
        if rounds is None or done < rounds:
            time.sleep(interval)
    return ingested


def _watch_one(
    feed: str,
    fetcher: Fetcher,
    state_load: Callable[[str], str | None],
    state_save: Callable[[str, str], None],
    ingest_url: Callable[[str], object],
    report: Callable[[Problem], None],
) -> int:
    """One feed of one round; every exception is reported, none escapes."""
    try:
        state = FeedState.from_json(state_load(feed))
    except Exception as exc:  # a corrupt state must not block the feed forever
        report(Problem(feed, "FW005", f"stored feed state unreadable, starting afresh: {exc}"))
        state = FeedState()
    try:
        items = poll_feed(feed, state, fetcher)
    except IngestError as exc:
        report(Problem(feed, exc.code, exc.detail))
        return 0
    except Exception as exc:
        report(Problem(feed, "FW005", f"{type(exc).__name__}: {exc}"))
        return 0
    count = 0
    for item in items:
        try:
            ingest_url(item.url)
            count += 1
        except IngestError as exc:
            report(Problem(item.url, exc.code, exc.detail))
        except Exception as exc:
            report(Problem(item.url, "FW009", f"{type(exc).__name__}: {exc}"))
    try:
        state_save(feed, state.to_json())
    except Exception as exc:
        report(Problem(feed, "FW005", f"could not save feed state: {type(exc).__name__}: {exc}"))
    return count
