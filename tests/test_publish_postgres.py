"""The publish features on a real PostgreSQL server: migration 0008, events, webhooks, releases, compare."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import feedparser
import httpx
import pytest
from fastapi.testclient import TestClient

from forcewatch.publish.compare import compare, crosswalk
from forcewatch.publish.notify import Sender, delivery_log, notify
from forcewatch.publish.release import diff, make_release
from forcewatch.store.db import Store
from forcewatch.web import create_app
from forcewatch.web.data import Filters
from tests.publish_data import report, shooting
from tests.test_publish_compare import wapo_file
from tests.test_publish_notify import receiver

pytestmark = [pytest.mark.postgres, pytest.mark.filterwarnings("ignore::DeprecationWarning")]


def test_publish_on_postgres(pg_url: str, tmp_path: Path) -> None:
    store = Store(pg_url)
    report(store, 1, "Gulfton Beacon", date(2024, 3, 4), shooting("Daniel Voss", 34, "Houston", "Texas", "2024-03-03"))
    report(
        store,
        2,
        "Linden Ledger",
        date(2024, 5, 2),
        shooting("Tom Pellow", 27, "Columbus", "Ohio", "2024-05-01", "knife"),
    )
    make_release(store, "pg-first")
    store.review(2, "subject_age", 28, "alice", "Court papers give 28")
    feed = feedparser.parse(TestClient(create_app(store, secret="x")).get("/feed.atom").content)
    assert [e.title.split(" (")[0] for e in feed.entries] == [
        "Incident 2 corrected by alice: subject_age",
        "New incident 2",
        "New incident 1",
    ]
    with receiver() as (rx, url), httpx.Client(timeout=5) as client:
        rx.script = [503]
        sent = notify(store, url, Filters(), Sender(client, tries=3, backoff=0.01, max_wait=0.05))
        assert len(sent.delivered) == 3 and len(rx.requests) == 4
        assert notify(store, url, Filters(), Sender(client)).already == 3 and len(rx.requests) == 4
    assert [r["status"] for r in delivery_log(store, url)] == ["delivered"] * 3
    make_release(store, "pg-second")
    log = diff(store, "pg-first", "pg-second")
    assert [(c["incident"], c["field"], c["old"], c["new"], c["reviewed"]) for c in log["changed"]] == [
        (2, "subject_age", 27, 28, True)
    ]
    result = compare(store, wapo_file(tmp_path), "wapo")
    assert sorted((m["incident"], m["row"]) for m in result["matches"]) == [(1, "9001"), (2, "9002")]
    assert crosswalk(store, 2)["wapo_id"] == "9002"
    assert result["agreement"]["age"] == {"compared": 2, "agree": 2, "rate": 1.0}
