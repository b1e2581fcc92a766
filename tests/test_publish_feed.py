"""The Atom feed: new incidents and changed fields with what and why, read back with feedparser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import pytest
from fastapi.testclient import TestClient

from forcewatch.publish.events import events
from forcewatch.store.db import Store
from forcewatch.web import create_app
from forcewatch.web.data import Filters
from tests.publish_data import report, shooting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(str(tmp_path / "feed.db"))
    report(s, 1, "Gulfton Beacon", date(2024, 3, 4), shooting("Daniel Voss", 34, "Houston", "Texas", "2024-03-03"))
    custody = [
        ("category", "custody", "Marcus Ashby, 51, died in a cell at the Columbus jail."),
        ("date", "2024-04-10", "He was found unresponsive on 2024-04-10."),
        ("country", "US", "Columbus is in the United States."),
        ("region", "Ohio", "The death is the third in Ohio jails this year."),
        ("locality", "Columbus", "Columbus officials said an inquiry would follow."),
        ("subject_name", "Marcus Ashby", "The man was named as Marcus Ashby."),
    ]
    report(s, 2, "Linden Ledger", date(2024, 4, 11), custody, category="custody")
    later = [
        ("body_camera", True, "Body-worn camera footage of the shooting exists, the chief said."),
        ("fleeing", "foot", "Voss <script>alert(1)</script> ran from the officers on foot."),
        ("date", "2024-03-03", "The shooting was on 2024-03-03."),
        ("locality", "Houston", "It happened in Houston."),
    ]
    report(s, 1, "Harris Herald", date(2024, 3, 6), later, url="https://herald.example/voss")
    s.review(
        1, "subject_age", 35, "alice", "The medical examiner gives his age as 35", quote="aged 35, the examiner said"
    )
    return s


def _feed(store: Store, query: str = "") -> tuple[bytes, feedparser.FeedParserDict]:
    client = TestClient(create_app(store, secret="test-secret"))
    response = client.get("/feed.atom" + query)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    return response.content, feedparser.parse(response.content)


def test_feed_lists_new_incidents_and_changes_newest_first(store: Store) -> None:
    raw, feed = _feed(store)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    titles = [e.title for e in feed.entries]
    assert len(titles) == 4
    assert titles[0] == "Incident 1 corrected by alice: subject_age (police_shooting in Houston, Texas)"
    assert titles[1] == "Incident 1 updated: body_camera, fleeing (police_shooting in Houston, Texas)"
    assert titles[2] == "New incident 2 (custody in Columbus, Ohio)"
    assert titles[3] == "New incident 1 (police_shooting in Houston, Texas)"
    review, update = feed.entries[0], feed.entries[1]
    assert review.link == "http://testserver/incidents/1"
    assert "The medical examiner gives his age as 35" in review.summary
    assert "34" in review.content[0].value and "35" in review.content[0].value
    assert review.tags[0].term == "reviewed"
    # What changed and why: the new values, the sentence behind each, the article read.
    body = update.content[0].value
    assert "body_camera" in body and "Body-worn camera footage of the shooting exists, the chief said." in body
    assert "read in Harris Herald (https://herald.example/voss)" in update.summary
    # Untrusted article text is escaped: no live script in the XML, and the text survives.
    assert b"<script>" not in raw
    assert "alert(1)" in body
    # Entry ids are stable: the same feed twice has the same ids.
    _, again = _feed(store)
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]


def test_feed_takes_the_list_filters(store: Store) -> None:
    _, custody = _feed(store, "?category=custody")
    assert [e.title for e in custody.entries] == ["New incident 2 (custody in Columbus, Ohio)"]
    assert "category custody" in custody.feed.title
    _, texas = _feed(store, "?region=texas&reviewed=yes")
    assert len(texas.entries) == 3 and all("/incidents/1" in e.link for e in texas.entries)
    _, none = _feed(store, "?country=GB")
    assert none.entries == [] and not none.bozo
    bad = TestClient(create_app(store, secret="x")).get("/feed.atom?date_from=yesterday")
    assert bad.status_code == 422


def test_events_group_one_write_and_know_the_first(store: Store) -> None:
    found = events(store, Filters(), limit=None, newest_first=False)
    assert [(e.incident_id, e.kind) for e in found] == [(1, "new"), (2, "new"), (1, "changed"), (1, "reviewed")]
    first = found[0]
    assert {c.field for c in first.changes} >= {"subject_name", "subject_age", "locality"}
    assert all(c.old is None for c in first.changes)
    assert next(c for c in first.changes if c.field == "subject_age").quote == "He was 34 years old."
    assert found[3].changes[0].old == 34 and found[3].changes[0].new == 35
    newest = events(store, Filters(), limit=1)
    assert [e.kind for e in newest] == ["reviewed"]
