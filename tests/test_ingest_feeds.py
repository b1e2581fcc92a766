"""poll_feed and watch against real RSS/Atom served on 127.0.0.1 (no mocks, no internet)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from http_fixture import ARTICLE_TITLE, EXTRA_RSS_ITEM, Site, serve

from forcewatch.errors import IngestError, Problem
from forcewatch.ingest.feeds import FeedItem, FeedState, poll_feed, watch
from forcewatch.ingest.web import Fetcher, fetch_article


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as state:
        yield state


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(read_timeout=2.0, deadline=5.0, backoff=0.01) as client:
        yield client


def test_rss_items_then_304(site: Site, fetcher: Fetcher) -> None:
    state = FeedState()
    items = poll_feed(site.url("/feeds/news.rss"), state, fetcher)
    assert items == [
        FeedItem(
            site.url("/news/article.html"),
            "Man dies after restraint",
            datetime(2024, 3, 14, 9, 30, tzinfo=UTC),
        ),
        FeedItem(
            site.url("/news/second.html"),
            "Inquest opens",
            datetime(2024, 3, 15, 12, 0, tzinfo=UTC),
        ),
    ]
    assert state.etag and state.modified == "Sat, 16 Mar 2024 10:00:00 GMT"
    assert state.seen == {"story-1", "story-2"}
    assert poll_feed(site.url("/feeds/news.rss"), state, fetcher) == []
    assert site.statuses[-1] == ("/feeds/news.rss", 304)


def test_atom_items_then_304(site: Site, fetcher: Fetcher) -> None:
    state = FeedState()
    (item,) = poll_feed(site.url("/feeds/courier.atom"), state, fetcher)
    assert item.url == site.url("/news/second.html")
    assert item.title == "Vigil held for man who died in custody"
    assert item.published == datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
    assert state.seen == {"urn:example:courier:101"}
    assert poll_feed(site.url("/feeds/courier.atom"), state, fetcher) == []
    assert site.statuses[-1] == ("/feeds/courier.atom", 304)


def test_last_modified_alone_gives_304(site: Site, fetcher: Fetcher) -> None:
    state = FeedState(modified="Sat, 16 Mar 2024 10:00:00 GMT")
    assert poll_feed(site.url("/feeds/news.rss"), state, fetcher) == []
    assert site.statuses[-1] == ("/feeds/news.rss", 304)


def test_only_new_items_after_the_feed_changes(site: Site, fetcher: Fetcher) -> None:
    state = FeedState()
    poll_feed(site.url("/feeds/news.rss"), state, fetcher)
    site.rss_items.insert(0, EXTRA_RSS_ITEM)
    items = poll_feed(site.url("/feeds/news.rss"), state, fetcher)
    assert [(i.url, i.title) for i in items] == [(site.url("/news/third.html"), "Family calls for answers")]
    assert site.statuses[-1] == ("/feeds/news.rss", 200)


def test_seen_items_are_skipped_without_validators(site: Site, fetcher: Fetcher) -> None:
    state = FeedState()
    assert len(poll_feed(site.url("/feeds/plain.rss"), state, fetcher)) == 2
    assert poll_feed(site.url("/feeds/plain.rss"), state, fetcher) == []
    assert site.statuses[-1] == ("/feeds/plain.rss", 200)
    assert state.etag is None


def test_state_survives_a_json_round_trip(site: Site, fetcher: Fetcher) -> None:
    state = FeedState()
    poll_feed(site.url("/feeds/news.rss"), state, fetcher)
    text = state.to_json()
    assert json.loads(text)["seen"] == ["story-1", "story-2"]
    again = FeedState.from_json(text)
    assert again == state
    assert poll_feed(site.url("/feeds/news.rss"), again, fetcher) == []
    assert site.statuses[-1] == ("/feeds/news.rss", 304)
    assert FeedState.from_json(None) == FeedState() == FeedState.from_json("")
    with pytest.raises(ValueError):
        FeedState.from_json("[1, 2]")


def test_malformed_feed(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(IngestError) as caught:
        poll_feed(site.url("/feeds/broken.xml"), FeedState(), fetcher)
    assert caught.value.code == "FW005"
    assert "not a readable feed" in caught.value.detail


def test_html_page_is_not_a_feed(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(IngestError) as caught:
        poll_feed(site.url("/news/article.html"), FeedState(), fetcher)
    assert caught.value.code == "FW005"


def test_missing_feed(site: Site, fetcher: Fetcher) -> None:
    with pytest.raises(IngestError) as caught:
        poll_feed(site.url("/feeds/gone.rss"), FeedState(), fetcher)
    assert caught.value.code == "FW009" and "404" in caught.value.detail


def test_watch_ingests_new_items_and_survives_a_bad_feed(site: Site, fetcher: Fetcher) -> None:
    feeds = [site.url("/feeds/news.rss"), site.url("/feeds/broken.xml"), site.url("/feeds/courier.atom")]
    store: dict[str, str] = {}
    titles: list[str | None] = []
    problems: list[Problem] = []

    count = watch(
        feeds,
        store.get,
        store.__setitem__,
        lambda url: titles.append(fetch_article(url, fetcher).title),
        interval=0.01,
        rounds=2,
        fetcher=fetcher,
        on_problem=problems.append,
    )
    assert count == 3
    assert titles == [ARTICLE_TITLE, "Inquest opens into death", "Inquest opens into death"]
    assert [(p.source, p.code) for p in problems] == [(site.url("/feeds/broken.xml"), "FW005")] * 2
    assert set(store) == {site.url("/feeds/news.rss"), site.url("/feeds/courier.atom")}
    assert FeedState.from_json(store[site.url("/feeds/news.rss")]).seen == {"story-1", "story-2"}
    assert site.hits["/feeds/news.rss"] == 2  # the second round was a 304


def test_watch_reports_bad_items_and_bad_state(site: Site, fetcher: Fetcher) -> None:
    feed = site.url("/feeds/news.rss")
    store = {feed: "{not json"}
    ingested: list[str] = []
    problems: list[Problem] = []

    def ingest(url: str) -> None:
        if url.endswith("/article.html"):
            raise IngestError("FW006", "no text")
        ingested.append(url)

    count = watch([feed], store.get, store.__setitem__, ingest, 0, 1, on_problem=problems.append)
    assert count == 1 and ingested == [site.url("/news/second.html")]
    assert [(p.source, p.code) for p in problems] == [
        (feed, "FW005"),
        (site.url("/news/article.html"), "FW006"),
    ]
    assert "starting afresh" in problems[0].detail
    assert FeedState.from_json(store[feed]).seen == {"story-1", "story-2"}
