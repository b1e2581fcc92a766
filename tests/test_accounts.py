"""Accounts and the web app's limits (issue 11, points 10-15): body limit, throttle, revocable sessions,
name caps, review values checked by field, `forcewatch user list|disable|enable|remove|history`.

A real database (SQLite files in tmp) and the real app; editors' names are invented.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.store.accounts import MAX_PER_NAME, LoginAttemptRow, account_history, editors, set_password
from forcewatch.store.db import Store
from forcewatch.web import create_app
from forcewatch.web.auth import hash_password

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
EDITOR, PASSWORD = "voss", "a long test password"
runner = CliRunner()


def csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', client.get(path).text)
    assert match
    return match.group(1)


def sign_in(client: TestClient, name: str = EDITOR, password: str = PASSWORD) -> str:
    r = client.post(
        "/login", data={"name": name, "password": password, "csrf_token": csrf(client)}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return csrf(client, "/")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(str(tmp_path / "accounts.db"))
    set_password(store, EDITOR, hash_password(PASSWORD), "test")
    return store


def attempts(store: Store) -> list[LoginAttemptRow]:
    with store.session() as s:
        return list(s.query(LoginAttemptRow))


# --- 10: request bodies are limited before parsing -----------------------------------------


class Served:
    """The app in a real uvicorn server on 127.0.0.1 (a thread), for what TestClient cannot show."""

    def __init__(self, store: Store) -> None:
        import uvicorn

        self.server = uvicorn.Server(
            uvicorn.Config(create_app(store, secret="s"), host="127.0.0.1", port=0, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def _post_raw(port: int, head: str, body_chunks: list[bytes]) -> bytes:
    """Send a request's head and some body, then read what the server answers (10 s at most)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):  # the server stopped reading: as it should
            pass
        answer = b""
        while b"\r\n\r\n" not in answer:
            data = sock.recv(65536)
            if not data:
                break
            answer += data
        return answer


def test_huge_bodies_get_413_before_they_are_read(store: Store) -> None:
    served = Served(store)
    try:
        declared = (
            "POST /api/incidents/1/reviews HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {400 * 2**20}\r\n\r\n"
        )
        started = time.monotonic()
        answer = _post_raw(served.port, declared, [b"{" + b" " * 65536] * 16)  # 1 MiB of the 400 sent
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        chunked = (
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"name=" + b"a" * (256 * 1024 - 5)
        chunks = [f"{len(piece):x}\r\n".encode() + piece + b"\r\n"] * 8  # 2 MiB, no length declared
        answer = _post_raw(served.port, chunked, chunks)
        assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
        assert time.monotonic() - started < 15
    finally:
        served.close()


def test_small_bodies_still_work(store: Store) -> None:
    with TestClient(create_app(store, secret="s")) as client:
        sign_in(client)
        big = client.post("/login", data={"name": "x", "password": "p" * (2 * 2**20), "csrf_token": csrf(client)})
        assert big.status_code == 413 and "1 MiB" in big.text


# --- 11: the sign-in throttle: reserved first, in the database, per client -----------------


def test_concurrent_wrong_passwords_get_only_the_allowed_checks(store: Store) -> None:
    with TestClient(create_app(store, secret="s")) as client:
        token = csrf(client)

        def guess(i: int) -> int:
            form = {"name": EDITOR, "password": f"guess {i}", "csrf_token": token}
            return client.post("/login", data=form).status_code

        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(guess, range(40)))
    assert codes.count(401) == MAX_PER_NAME, codes  # only these were checked against the hash
    assert codes.count(429) == 40 - MAX_PER_NAME
    assert len(attempts(store)) == MAX_PER_NAME  # refused attempts are not kept


def test_failures_count_across_processes_and_do_not_lock_the_name_for_others(store: Store) -> None:
    other_worker = Store(store.url.replace("sqlite:///", ""))  # a second server process: its own engine
    app_a, app_b = create_app(store, secret="s"), create_app(other_worker, secret="s")
    with TestClient(app_a) as a, TestClient(app_b) as b:
        for client in (a, b, a, b, a):
            form = {"name": EDITOR, "password": "wrong", "csrf_token": csrf(client)}
            assert client.post("/login", data=form).status_code == 401
        for client in (a, b):  # both workers see the five failures of this client
            form = {"name": EDITOR, "password": PASSWORD, "csrf_token": csrf(client)}
            assert client.post("/login", data=form).status_code == 429
    # the editor, from another address, still signs in
    with TestClient(app_a, client=("203.0.113.9", 5000)) as elsewhere:
        sign_in(elsewhere)


def test_a_client_spraying_names_is_stopped(store: Store) -> None:
    with TestClient(create_app(store, secret="s")) as client:
        token = csrf(client)
        codes = [
            client.post("/login", data={"name": f"ashby{i}", "password": "x", "csrf_token": token}).status_code
            for i in range(25)
        ]
    assert codes[:20] == [401] * 20 and set(codes[20:]) == {429}


# --- 12: sessions can be revoked -------------------------------------------------------------


def _write(client: TestClient, token: str) -> int:
    """A write any editor may make (an unknown incident gives 404 once the session is accepted)."""
    return client.post(
        "/api/incidents/999/reviews",
        json={"field": "subject_age", "value": 30, "reason": "r"},
        headers={"X-CSRF-Token": token},
    ).status_code


@pytest.mark.parametrize("how", ["sign-out", "new password", "disabled"])
def test_a_copied_cookie_stops_working(store: Store, how: str) -> None:
    app = create_app(store, secret="s")
    with TestClient(app) as browser, TestClient(app) as thief:
        token = sign_in(browser)
        thief.cookies.update(browser.cookies)  # the cookie copied while signed in
        assert _write(thief, token) == 404
        if how == "sign-out":
            assert browser.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code == 303
        elif how == "new password":
            result = runner.invoke(
                cli_app, ["user", "add", EDITOR, "--db", store.url.replace("sqlite:///", ""), "--password", "x" * 12]
            )
            assert result.exit_code == 0, result.output
        else:
            result = runner.invoke(cli_app, ["user", "disable", EDITOR, "--db", store.url.replace("sqlite:///", "")])
            assert result.exit_code == 0, result.output
        assert _write(thief, token) == 401
        assert (
            "session has ended"
            in thief.post(
                "/api/incidents/999/reviews",
                json={"field": "subject_age", "value": 30, "reason": "r"},
                headers={"X-CSRF-Token": token},
            ).json()["detail"]
        )


# --- 13: sign-in names are capped -------------------------------------------------------------


def test_long_sign_in_names_are_refused_unechoed_and_unkept(store: Store) -> None:
    long_name = "pellow" * 20_000  # 120 KB
    with TestClient(create_app(store, secret="s")) as client:
        r = client.post("/login", data={"name": long_name, "password": "x", "csrf_token": csrf(client)})
    assert r.status_code == 422 and "at most 80 characters" in r.text
    assert "pellowpellowpellow" not in r.text
    assert attempts(store) == []


# --- 15: forcewatch user list | disable | enable | remove | history --------------------------


def test_user_commands_are_kept_in_history(store: Store) -> None:
    db = store.url.replace("sqlite:///", "")
    assert runner.invoke(cli_app, ["user", "add", "ashby", "--db", db, "--password", "p" * 10]).exit_code == 0
    assert runner.invoke(cli_app, ["user", "disable", "ashby", "--db", db, "--reason", "left"]).exit_code == 0
    listed = runner.invoke(cli_app, ["user", "list", "--db", db], terminal_width=200)
    assert listed.exit_code == 0
    rows = {line.split()[0]: line for line in listed.output.splitlines() if line.split()}
    assert "disabled" in rows["ashby"] and "active" in rows[EDITOR]
    with TestClient(create_app(store, secret="s")) as client:  # a disabled editor cannot sign in
        form = {"name": "ashby", "password": "p" * 10, "csrf_token": csrf(client)}
        assert client.post("/login", data=form).status_code == 403
    assert runner.invoke(cli_app, ["user", "enable", "ashby", "--db", db]).exit_code == 0
    assert runner.invoke(cli_app, ["user", "remove", "ashby", "--db", db]).exit_code == 0
    missing = runner.invoke(cli_app, ["user", "remove", "ashby", "--db", db])
    assert missing.exit_code == 1 and "no editor" in missing.output
    assert [e.name for e in editors(store)] == [EDITOR]
    events = [(e.name, e.action, e.reason) for e in account_history(store)]
    assert events == [
        (EDITOR, "add", None),
        ("ashby", "add", None),
        ("ashby", "disable", "left"),
        ("ashby", "enable", None),
        ("ashby", "remove", None),
    ]
    shown = runner.invoke(cli_app, ["user", "history", "--db", db], terminal_width=200).output
    assert "disable" in shown and "left" in shown and "remove" in shown


# --- 14: review values are checked by field type and range ------------------------------------


@pytest.fixture(scope="module")
def incident_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("review") / "review.db"
    result = runner.invoke(cli_app, ["ingest", str(EXAMPLES), "--db", str(db), "--ingested-on", "2026-11-23"])
    assert result.exit_code == 0, result.output
    store = Store(str(db))
    set_password(store, EDITOR, hash_password(PASSWORD), "test")
    return store


BAD_VALUES = [
    ("subject_age", [1, 2], "whole number"),
    ("subject_age", {"years": 40}, "whole number"),
    ("subject_age", -5, "outside 0 to 120"),
    ("subject_age", "-5", "outside 0 to 120"),
    ("latitude", 1e308, "outside -90 to 90"),
    ("longitude", {"east": 1}, "decimal degrees"),
    ("date", "not a date", "YYYY-MM-DD"),
    ("date", "2024-02-30", "not a day of the calendar"),
    ("category", "picnic", "not one of"),
    ("force_used", ["firearm", "catapult"], "not one of"),
    ("body_camera", "perhaps", "yes or no"),
    ("subject_name", {"first": "Ashby"}, "write text"),
    ("timeline.death", "at 25:00", "HH:MM"),
]


@pytest.mark.parametrize(("field", "value", "reason"), BAD_VALUES)
def test_api_refuses_values_that_do_not_fit_the_field(incident_store: Store, field: str, value, reason: str) -> None:
    before = len(incident_store.history(1))
    with TestClient(create_app(incident_store, secret="s"), raise_server_exceptions=False) as client:
        token = sign_in(client)
        r = client.post(
            "/api/incidents/1/reviews",
            json={"field": field, "value": value, "reason": "r"},
            headers={"X-CSRF-Token": token},
        )
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(f"{field}: ") and reason in r.json()["detail"]
    assert len(incident_store.history(1)) == before


def test_form_answers_422_with_the_reason_beside_the_field(incident_store: Store) -> None:
    import html

    with TestClient(create_app(incident_store, secret="s"), raise_server_exceptions=False) as client:
        token = sign_in(client)
        form = {"field": "subject_age", "value": "-5", "reason": "typo", "csrf_token": token}
        r = client.post("/incidents/1/review", data=form, follow_redirects=False)
        assert r.status_code == 422
        row = html.unescape(r.text.split('id="field-subject_age"', 1)[1].split("</tr>", 1)[0])
        assert "subject_age: -5 is outside 0 to 120" in row and 'value="-5"' in row
        # values that fit are stored, normalised
        for field, typed, stored in (
            ("date", "2024-03-09", "2024-03-09"),
            ("latitude", "51.5", 51.5),
            ("country", "gb", "GB"),
            ("category", "Police_Shooting", "police_shooting"),
        ):
            form = {"field": field, "value": typed, "reason": "checked", "csrf_token": token}
            assert client.post("/incidents/1/review", data=form, follow_redirects=False).status_code == 303
            assert incident_store.history(1)[-1].new == stored


# --- the same on PostgreSQL (skipped without FORCEWATCH_TEST_PG) --------------------------------


def test_postgres_throttle_and_revocation(pg_url: str) -> None:
    store = Store(pg_url)
    set_password(store, EDITOR, hash_password(PASSWORD), "test")
    other_worker = Store(pg_url)
    with TestClient(create_app(store, secret="s")) as a, TestClient(create_app(other_worker, secret="s")) as b:
        token = csrf(a)

        def guess(i: int) -> int:
            return a.post("/login", data={"name": EDITOR, "password": f"g{i}", "csrf_token": token}).status_code

        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(guess, range(40)))
        assert codes.count(401) == MAX_PER_NAME and codes.count(429) == 40 - MAX_PER_NAME
        form = {"name": EDITOR, "password": PASSWORD, "csrf_token": csrf(b)}
        assert b.post("/login", data=form).status_code == 429  # the other worker sees the failures
    with TestClient(create_app(store, secret="s"), client=("203.0.113.7", 1)) as browser:
        token = sign_in(browser)
        with TestClient(create_app(other_worker, secret="s")) as thief:
            thief.cookies.update(browser.cookies)  # copied while signed in, used on the other worker
            assert _write(thief, token) == 404
            browser.post("/logout", data={"csrf_token": token})
            assert _write(thief, token) == 401
    assert [e.action for e in account_history(store)] == ["add"]
