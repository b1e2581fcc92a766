"""Webhooks against a real HTTP receiver on 127.0.0.1: retries with back-off, the delivery log, never twice."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.publish.notify import Sender, delivery_log, notify
from forcewatch.store.db import Store
from forcewatch.web.data import Filters
from tests.publish_data import report, shooting


class Receiver:
    """Answers POSTs with the next status in `script` (then `default`), keeping every request."""

    def __init__(self) -> None:
        self.script: list[int] = []
        self.default = 200
        self.requests: list[dict[str, object]] = []
        self.lock = threading.Lock()

    def answer(self) -> int:
        with self.lock:
            return self.script.pop(0) if self.script else self.default

    def delivered(self) -> list[str]:
        return [str(r["event"]) for r in self.requests if r["status"] == 200]


@contextmanager
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = state.answer()
            with state.lock:
                state.requests.append(
                    {
                        "status": status,
                        "event": self.headers["X-Forcewatch-Event"],
                        "signature": self.headers.get("X-Forcewatch-Signature"),
                        "body": body,
                    }
                )
            self.send_response(status)
            if status == 503:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(str(tmp_path / "notify.db"))
    report(s, 1, "Gulfton Beacon", date(2024, 3, 4), shooting("Daniel Voss", 34, "Houston", "Texas", "2024-03-03"))
    report(
        s, 2, "Linden Ledger", date(2024, 5, 2), shooting("Tom Pellow", 27, "Columbus", "Ohio", "2024-05-01", "knife")
    )
    return s


def _sender(client: httpx.Client, tries: int = 4, secret: str | None = None) -> Sender:
    return Sender(client, tries=tries, backoff=0.01, max_wait=0.05, secret=secret)


def test_retries_then_delivers_each_event_once(store: Store) -> None:
    with receiver() as (rx, url), httpx.Client(timeout=5) as client:
        rx.script = [503, 503]  # the first event needs three tries
        result = notify(store, url, Filters(), _sender(client, secret="s3cret"))
        assert result.failed == [] and result.rejected == []
        assert len(result.delivered) == 2
        assert [r["status"] for r in rx.requests] == [503, 503, 200, 200]
        assert rx.delivered() == result.delivered
        payload = json.loads(rx.requests[2]["body"])  # type: ignore[arg-type]
        event = payload["event"]
        assert event["id"] == result.delivered[0] and event["kind"] == "new" and event["incident_id"] == 1
        assert event["incident"]["locality"] == "Houston"
        assert {
            "field": "subject_name",
            "old": None,
            "new": "Daniel Voss",
            "quote": "The man was named as Daniel Voss.",
        } in event["changes"]
        expected = "sha256=" + hmac.new(b"s3cret", rx.requests[2]["body"], hashlib.sha256).hexdigest()  # type: ignore[arg-type]
        assert rx.requests[2]["signature"] == expected
        log = delivery_log(store, url)
        assert [(r["event_id"], r["status"], r["attempts"], r["last_code"]) for r in log] == [
            (result.delivered[0], "delivered", 3, 200),
            (result.delivered[1], "delivered", 1, 200),
        ]
        # A second run sends nothing; a new change sends only its own event.
        again = notify(store, url, Filters(), _sender(client))
        assert again.delivered == [] and again.already == 2 and len(rx.requests) == 4
        store.review(2, "subject_armed", "unarmed", "alice", "Body camera footage shows no knife")
        third = notify(store, url, Filters(), _sender(client))
        assert len(third.delivered) == 1 and len(rx.requests) == 5
        last = json.loads(rx.requests[4]["body"])["event"]  # type: ignore[arg-type]
        assert last["kind"] == "reviewed" and last["reason"] == "Body camera footage shows no knife"
        assert last["changes"] == [{"field": "subject_armed", "old": "knife", "new": "unarmed", "quote": None}]
        assert len(set(rx.delivered())) == len(rx.delivered()) == 3


def test_failure_is_logged_and_retried_next_run_and_4xx_is_final(store: Store) -> None:
    with receiver() as (rx, url), httpx.Client(timeout=5) as client:
        rx.default = 500
        first = notify(store, url, Filters(region="Texas"), _sender(client, tries=3))
        assert first.delivered == [] and len(first.failed) == 1
        assert "HTTP 500 after 3 attempts" in first.failed[0][1]
        [row] = delivery_log(store, url)
        assert (row["status"], row["attempts"], row["last_code"]) == ("failed", 3, 500)
        rx.default = 200
        second = notify(store, url, Filters(region="Texas"), _sender(client, tries=3))
        assert second.delivered == [row["event_id"]]
        [row] = delivery_log(store, url)
        assert (row["status"], row["attempts"]) == ("delivered", 4)
        assert rx.delivered() == [row["event_id"]]
        rx.default = 410
        gone = notify(store, url, Filters(region="Ohio"), _sender(client, tries=3))
        assert len(gone.rejected) == 1 and len(rx.requests) == 5  # a 4xx is not retried
        rx.default = 200
        assert notify(store, url, Filters(region="Ohio"), _sender(client)).delivered == []


def test_unreachable_receiver_fails_without_losing_the_event(store: Store) -> None:
    with receiver() as (_, url):
        pass  # the server is gone: connection refused
    with httpx.Client(timeout=2) as client:
        result = notify(store, url, Filters(region="Ohio"), _sender(client, tries=2))
    assert len(result.failed) == 1 and "ConnectError" in result.failed[0][1]
    assert [r["status"] for r in delivery_log(store, url)] == ["failed"]


def test_cli_notify_with_filters(store: Store) -> None:
    with receiver() as (rx, url):
        result = CliRunner().invoke(
            cli_app,
            [
                "notify",
                "--webhook",
                url,
                "--db",
                store.url.removeprefix("sqlite:///"),
                "--region",
                "Ohio",
                "--backoff",
                "0.01",
            ],
        )
        assert result.exit_code == 0, result.output
        assert "1 delivered, 0 already delivered, 0 failed, 0 rejected" in result.output
        assert len(rx.delivered()) == 1
        assert json.loads(rx.requests[0]["body"])["event"]["incident_id"] == 2  # type: ignore[arg-type]
        again = CliRunner().invoke(
            cli_app, ["notify", "--webhook", url, "--db", store.url.removeprefix("sqlite:///"), "--region", "Ohio"]
        )
        assert "0 delivered, 1 already delivered" in again.output and len(rx.requests) == 1


def test_cli_notify_refuses_bad_options(store: Store) -> None:
    db = store.url.removeprefix("sqlite:///")
    bad_url = CliRunner().invoke(cli_app, ["notify", "--webhook", "ftp://example.org/x", "--db", db])
    assert bad_url.exit_code == 2 and "give an http:// or https:// URL" in bad_url.output
    bad_day = CliRunner().invoke(
        cli_app, ["notify", "--webhook", "http://127.0.0.1:9/x", "--db", db, "--since", "last week"]
    )
    assert bad_day.exit_code == 2 and "write a day as YYYY-MM-DD" in bad_day.output
    bad_filter = CliRunner().invoke(
        cli_app, ["notify", "--webhook", "http://127.0.0.1:9/x", "--db", db, "--date-from", "May"]
    )
    assert bad_filter.exit_code == 2 and "write a date as YYYY" in bad_filter.output
    assert delivery_log(store) == []
