"""The web interface over a real database: the seeds and a few fictional reports, really ingested once."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import stat
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.formats import CSV_COLUMNS, WAPO_COLUMNS
from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store
from forcewatch.store.queries import export_record, incident_data
from forcewatch.web import create_app
from forcewatch.web.auth import check_password, load_secret, secret_path
from forcewatch.web.data import edit_text, parse_value
from forcewatch.web.render import highlight, safe_url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

ROOT = Path(__file__).resolve().parent.parent
# Everything this module reads ships in the repository (fictional articles), so it runs on a clean clone.
WEB_CORPUS = ROOT / "tests" / "corpus" / "web"  # two outlets on one shooting; one contradicts itself on the time
EXAMPLES = ROOT / "examples" / "corpus"
FICTIONAL = ROOT / "tests" / "corpus" / "fictional"
FEW = [
    "f01_leeds_harehills_courier.txt",
    "f02_leeds_harehills_evening_press.txt",
    "f03_leeds_harehills_metrowire.txt",
    "f07_columbus_linden_ledger.txt",
    "f31_opinion_arming_police.txt",
]
EDITOR, PASSWORD = "editor", "a long test password"

HOSTILE = """date 2025-03-02 Man shot dead by police <script>alert(1)</script> in Leeds
outlet: Hostile <b>Gazette</b>
url: javascript:alert(3)

A man was shot dead by armed police officers in Harehills, Leeds, on Saturday night <script>alert(1)</script>.
West Yorkshire Police said officers fired two shots at about 9pm <img src=x onerror=alert(2)> after reports of a man with a knife.
Read more <a href="javascript:alert(3)">here</a>. The IOPC is investigating the police shooting.
"""


def build_database(folder: Path, hostile: bool = False) -> Path:
    """Ingest the web corpus, the examples and a few fictional reports (and the hostile article) into a new SQLite file."""
    db = folder / "web.db"
    store = Store(str(db))
    paths = [str(WEB_CORPUS), str(EXAMPLES), *(str(FICTIONAL / name) for name in FEW)]
    if hostile:
        (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
        paths.append(str(folder / "hostile.txt"))
    report = ingest(paths, store, Options(ingested_on=date(2025, 6, 1)))
    assert not report.problems
    from forcewatch.web.auth import hash_password

    store.add_user(EDITOR, hash_password(PASSWORD))
    return db


def incident_of(store: Store, filename: str) -> int:
    article = next(a for a in store.articles() if (a.path or "").endswith(filename))
    assert article.incident_id is not None
    return article.incident_id


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
    assert match, page.text[:300]
    return match.group(1)


def sign_in(client: TestClient, name: str = EDITOR, password: str = PASSWORD) -> str:
    r = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": csrf(client), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf(client, "/")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_database(tmp_path_factory.mktemp("web"), hostile=True)


@pytest.fixture(scope="module")
def store(db: Path) -> Store:
    return Store(str(db))


@pytest.fixture(scope="module")
def app(store: Store):  # noqa: ANN201
    return create_app(store, secret="test-secret")


@pytest.fixture()
def client(app) -> TestClient:  # noqa: ANN001
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def seed(store: Store) -> int:
    return incident_of(store, "northampton_shooting_nene_valley_courier.txt")


@pytest.fixture(scope="module")
def leeds(store: Store) -> int:
    return incident_of(store, "f01_leeds_harehills_courier.txt")


# --- reading ---------------------------------------------------------------------------------


def test_list_page_and_api_agree(client: TestClient, store: Store) -> None:
    page = client.get("/")
    assert page.status_code == 200
    api = client.get("/api/incidents").json()
    live = [r for r in store.incident_rows()]
    assert api["total"] == len(live) >= 3
    for item in api["items"]:
        assert f'href="/incidents/{item["id"]}"' in page.text
    assert f"{api['total']} found" in page.text


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("country=GB", lambda r: r["country"] == "GB"),
        ("category=police_shooting", lambda r: r["category"] == "police_shooting"),
        ("date_from=2024-01-01&date_to=2024-12-31", lambda r: r["date"] and "2024-01-01" <= r["date"] <= "2024-12-31"),
        ("date_from=2025&date_to=2025-04", lambda r: r["date"] and "2025" <= r["date"] <= "2025-04-30"),
        ("conflicts=yes", lambda r: r["conflicts"] > 0),
        ("conflicts=no", lambda r: not r["conflicts"]),
        ("region=yorkshire", lambda r: "yorkshire" in (r["region"] or "").lower()),
        ("agency=northamptonshire", lambda r: "Northamptonshire" in (r["agency"] or "")),
        ("armed=gun", lambda r: r["armed"] == "gun"),
    ],
)
def test_filters(client: TestClient, store: Store, query: str, check) -> None:  # noqa: ANN001
    api = client.get(f"/api/incidents?{query}&per_page=200").json()
    assert api["items"], query
    assert all(check(r) for r in api["items"]), query
    everything = client.get("/api/incidents?per_page=200").json()["items"]
    assert api["total"] == sum(1 for r in everything if check(r) if r["date"] or "date" not in query)
    page = client.get(f"/?{query}")
    assert f"{api['total']} found" in page.text
    assert f"/export.csv?{query.split('&')[0]}" in page.text.replace("&amp;", "&")  # exports carry the filters


def test_sort_and_pages(client: TestClient) -> None:
    ids = [r["id"] for r in client.get("/api/incidents?sort=id&order=asc&per_page=200").json()["items"]]
    assert ids == sorted(ids)
    first = client.get("/api/incidents?sort=id&order=asc&per_page=2&page=1").json()
    second = client.get("/api/incidents?sort=id&order=asc&per_page=2&page=2").json()
    assert [r["id"] for r in first["items"] + second["items"]] == ids[:4]
    page = client.get("/?sort=id&order=asc&per_page=1&page=2")
    assert 'rel="next"' in page.text and 'rel="prev"' in page.text
    dates = [r["date"] for r in client.get("/api/incidents?sort=date&order=desc&per_page=200").json()["items"]]
    known = [d for d in dates if d]
    assert known == sorted(known, reverse=True) and dates[: len(known)] == known  # unknown dates last


def test_bad_parameters(client: TestClient) -> None:
    assert client.get("/?date_from=yesterday").status_code == 422
    assert client.get("/api/incidents?per_page=5000").status_code == 422
    assert client.get("/api/incidents?conflicts=maybe").status_code == 422
    assert client.get("/incidents/99999").status_code == 404
    assert client.get("/api/incidents/99999").status_code == 404
    assert client.get("/articles/nope").status_code == 404


def test_incident_page_shows_every_field_source_and_conflict(client: TestClient, store: Store, seed: int) -> None:
    data = incident_data(store, seed)
    page = client.get(f"/incidents/{seed}").text
    text = html.unescape(page)
    for name, m in data["merged"].items():
        anchor = "field-" + re.sub(r"[^A-Za-z0-9_-]", "-", name)
        assert f'id="{anchor}"' in page, name
        assert re.search(rf'id="{anchor}".*?<td class="num"[^>]*>{m["support"]}</td>', page, re.S), name
        for src in m["sources"]:
            for q in src["quotes"]:
                assert q in text, (name, q)
    # the conflict on the shots' time, side by side, including the article that contradicts itself
    assert 'id="conflict-field-timeline-shots_fired"' in page
    assert "contradicts itself" in page and "around 20:00" in page
    assert "before 21:00" in page and "after 21:00" in page
    for a in data["articles"]:
        assert f'href="/articles/{a["id"]}"' in page
    assert 'id="timeline"' in page and 'id="history"' in page
    # quotes link to their span in the article
    assert re.search(r'href="/articles/[0-9a-f]+#span-\d+-\d+"', page)


def test_incident_api_is_the_same_data(client: TestClient, store: Store, seed: int) -> None:
    api = client.get(f"/api/incidents/{seed}").json()
    data = json.loads(json.dumps(incident_data(store, seed), default=str))
    assert api == {**data, "merged_into": None}
    conflict = next(c for c in api["conflicts"] if c["field"] == "timeline.shots_fired")
    assert any(src["contradicting"] for src in conflict["sources"])


def test_article_page_highlights_every_span(client: TestClient, store: Store, seed: int) -> None:
    article = store.articles(seed)[0]
    evidence = store.evidence([article.id])
    page = client.get(f"/articles/{article.id}").text
    api = client.get(f"/api/articles/{article.id}").json()
    assert api["body"] == article.body and len(api["evidence"]) == len(evidence)
    for e in evidence:
        assert f'id="span-{e.start}-{e.end}"' in page
        assert f'href="/incidents/{seed}#field-' in page
    body = re.search(r'<article class="article-body" id="body">(.*?)</article>', page, re.S).group(1)
    assert body.count("<mark") >= 1
    visible = re.sub(r"<sup class=\"ev-tag\">.*?</sup>", "", body)
    visible = html.unescape(re.sub(r"<[^>]+>", "", visible))
    assert visible == article.body  # nothing lost, nothing added, all text escaped
    shown = {html.unescape(m) for m in re.findall(r'<strong class="ev-value">(.*?)</strong>', body)}
    valued = [e for e in evidence if e.value_start is not None and e.value_end > e.value_start]
    assert valued and any(article.body[e.value_start : e.value_end] in "".join(shown) for e in valued)


def test_highlight_marks_the_value_inside_its_sentence() -> None:
    body = "A 34-year-old man & his dog."
    out = str(highlight(body, [{"field": "subject_age", "start": 0, "end": 28, "value_start": 2, "value_end": 13}], 3))
    assert '<strong class="ev-value">34-year-old</strong>' in out
    assert html.unescape(re.sub(r"<sup.*?</sup>|<[^>]+>", "", out)) == body


def test_highlight_escapes_and_handles_overlaps() -> None:
    body = 'He said <b>"hi"</b> & left at 9pm.'
    ev = [
        {"field": "quotes", "start": 0, "end": 20},
        {"field": "timeline.death", "start": 8, "end": 33},
        {"field": "bad", "start": 30, "end": 999},  # outside the body: ignored
    ]
    out = str(highlight(body, ev, 7))
    assert "<b>" not in out and "&lt;b&gt;" in out and "&amp;" in out
    assert out.count('<span class="ev-anchor"') == 2
    assert 'href="/incidents/7#field-timeline-death"' in out and "bad" not in out
    assert html.unescape(re.sub(r"<sup.*?</sup>|<[^>]+>", "", out)) == body


def test_map_and_summary(client: TestClient, store: Store) -> None:
    page = client.get("/map").text
    assert (
        '<script src="/vendor/leaflet/leaflet.js"></script>' in page
        and '<script src="/static/map.js"></script>' in page
    )
    assert "http" not in "".join(
        re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    )  # nothing from elsewhere
    leaflet = client.get("/vendor/leaflet/leaflet.js")
    assert leaflet.status_code == 200 and "Leaflet" in leaflet.text[:2000]
    assert client.get("/vendor/leaflet/leaflet.css").status_code == 200
    points = client.get("/api/points").json()
    assert points["features"] and all(f["properties"]["location_precision"] for f in points["features"])
    assert "tileLayer" not in client.get("/static/map.js").text
    assert "location precision" in client.get("/static/map.js").text.lower()
    summary = client.get("/summary").text
    total = client.get("/api/incidents").json()["total"]
    counts = client.get("/api/summary").json()
    assert counts["total"] == total and sum(n for _, n in counts["year"]) == total
    assert summary.count('<svg class="chart"') == 3 and "police_shooting" in summary
    gb = client.get("/api/summary?country=GB").json()
    assert gb["total"] == client.get("/api/incidents?country=GB").json()["total"] < total


def test_security_headers_and_no_inline_script(client: TestClient, seed: int, store: Store) -> None:
    article = store.articles(seed)[0].id
    for path in ("/", f"/incidents/{seed}", f"/articles/{article}", "/map", "/summary", "/login"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", r.text), path  # every script is a file
        assert " style=" not in r.text  # style-src 'self' too
        assert not re.search(r"<[^>]+\son[a-z]+=", r.text), path  # no inline event handlers
    cookie = client.get("/login").headers.get("set-cookie") or ""
    assert "forcewatch_session=" in cookie or client.cookies.get("forcewatch_session")


def test_session_cookie_flags(app) -> None:  # noqa: ANN001
    with TestClient(app) as fresh:
        cookie = fresh.get("/").headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()


def test_hostile_article_is_escaped(client: TestClient, store: Store) -> None:
    hostile = next(a for a in store.articles() if (a.path or "").endswith("hostile.txt"))
    assert hostile.relevant and hostile.incident_id
    for path in (f"/articles/{hostile.id}", f"/incidents/{hostile.incident_id}", "/"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>Gazette" not in text
        assert 'href="javascript:' not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/articles/{hostile.id}").text
    assert safe_url("javascript:alert(3)") is None and safe_url(" JaVaScRiPt:alert(1)") is None
    assert safe_url("https://example.org/a") == "https://example.org/a"


def test_openapi_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/incidents",
        "/api/incidents/{incident_id}",
        "/api/articles/{article_id}",
        "/api/incidents/{incident_id}/reviews",
        "/export.csv",
        "/export.json",
        "/export.geojson",
    ):
        assert path in paths, path
    post = paths["/api/incidents/{incident_id}/reviews"]["post"]
    assert {"401", "403"} <= set(post["responses"])
    assert "/incidents/{incident_id}" not in paths  # pages are not API


# --- exports ----------------------------------------------------------------------------------


def test_exports_follow_the_filters(client: TestClient, store: Store) -> None:
    gb = client.get("/api/incidents?country=GB&per_page=200").json()
    ids = sorted(r["id"] for r in gb["items"])
    r = client.get("/export.csv?country=GB")
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert sorted(int(row["id"]) for row in rows) == ids
    assert all(row["url"] == f"http://testserver/incidents/{row['id']}" for row in rows)
    wapo = list(csv.DictReader(io.StringIO(client.get("/export.wapo.csv").text)))
    assert wapo and list(wapo[0]) == WAPO_COLUMNS and all(row["state"] == "OH" for row in wapo)  # Columbus only
    records = client.get("/export.json?country=GB").json()
    assert [rec["id"] for rec in records] == ids
    expected = export_record(incident_data(store, ids[0]), "http://testserver/")
    assert records[0] == json.loads(json.dumps(expected, default=str))
    for path in ("/export.csv", "/export.json", "/export.geojson", "/export.wapo.csv"):
        head = client.head(path + "?country=GB")
        assert head.status_code == 200 and head.content == b"" and "attachment" in head.headers["content-disposition"]
    geo = client.get("/export.geojson?country=GB").json()
    assert geo["type"] == "FeatureCollection"
    assert {f["properties"]["id"] for f in geo["features"]} <= set(ids)
    assert all(len(f["geometry"]["coordinates"]) == 2 for f in geo["features"])
    assert len(client.get("/export.json").json()) == client.get("/api/incidents").json()["total"]


# --- access and review ------------------------------------------------------------------------


def test_writes_need_an_editor(client: TestClient, seed: int, store: Store) -> None:
    token = csrf(client)
    form = {"field": "subject_age", "value": "41", "reason": "x", "csrf_token": token}
    assert client.post(f"/incidents/{seed}/review", data=form).status_code == 401
    assert client.post(f"/incidents/{seed}/merge", data={"other": "2", "csrf_token": token}).status_code == 401
    r = client.post(
        f"/api/incidents/{seed}/reviews",
        json={"field": "subject_age", "value": 41, "reason": "x"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 401
    assert not any(h.kind == "review" for h in store.history(seed))


def test_sign_in(client: TestClient) -> None:
    token = csrf(client)
    bad = client.post("/login", data={"name": EDITOR, "password": "wrong", "csrf_token": token})
    assert bad.status_code == 401 and "Wrong name or password" in bad.text
    nobody = client.post("/login", data={"name": "nobody", "password": PASSWORD, "csrf_token": token})
    assert nobody.status_code == 401
    forged = client.post("/login", data={"name": EDITOR, "password": PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 403
    ok = client.post(
        "/login",
        data={"name": EDITOR, "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    assert csrf(client, "/") != token  # a new session token after sign-in
    assert "Signed in as" in client.get("/").text or EDITOR in client.get("/").text


def test_repeated_failures_lock_a_name(client: TestClient) -> None:
    token = csrf(client)
    codes = [
        client.post("/login", data={"name": "guessed", "password": f"try {i}", "csrf_token": token}).status_code
        for i in range(7)
    ]
    assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]


def test_editor_changes_a_field_with_reason(client: TestClient, store: Store, seed: int) -> None:
    token = sign_in(client)
    url = f"/incidents/{seed}/review"
    # no CSRF token, then a wrong one: refused
    assert client.post(url, data={"field": "subject_age", "value": "41", "reason": "r"}).status_code == 403
    assert (
        client.post(
            url, data={"field": "subject_age", "value": "41", "reason": "r", "csrf_token": "x" + token}
        ).status_code
        == 403
    )
    # no reason: refused with a message, nothing changed
    r = client.post(url, data={"field": "subject_age", "value": "41", "reason": " ", "csrf_token": token})
    assert "a reason is required" in r.text and incident_data(store, seed)["fields"]["subject_age"] == 52
    r = client.post(
        url,
        data={
            "field": "subject_age",
            "value": "41",
            "reason": "Inquest gave his age",
            "quote": "aged 41",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].endswith("#field-subject_age")
    data = incident_data(store, seed)
    assert data["fields"]["subject_age"] == 41 and data["merged"]["subject_age"]["reviewed"]
    last = data["history"][-1]
    assert (last["field"], last["old"], last["new"], last["actor"], last["reason"], last["quote"], last["kind"]) == (
        "subject_age",
        52,
        41,
        EDITOR,
        "Inquest gave his age",
        "aged 41",
        "review",
    )
    page = client.get(f"/incidents/{seed}").text
    assert "Inquest gave his age" in page and "reviewed" in page
    # a timeline time typed as words
    r = client.post(
        url,
        data={
            "field": "timeline.shots_fired",
            "value": "before 21:00",
            "reason": "IOPC statement",
            "csrf_token": token,
        },
    )
    assert incident_data(store, seed)["merged"]["timeline.shots_fired"]["value"] == {
        "event": "shots_fired",
        "time": "21:00",
        "qualifier": "before",
    }
    # a value that cannot be read for the field
    r = client.post(url, data={"field": "body_camera", "value": "perhaps", "reason": "r", "csrf_token": token})
    assert "write yes or no" in r.text and incident_data(store, seed)["fields"]["body_camera"] is True
    # confirm keeps the value and says so in history
    r = client.post(f"/incidents/{seed}/confirm", data={"field": "agency", "csrf_token": token})
    hist = incident_data(store, seed)["history"][-1]
    assert (hist["field"], hist["kind"], hist["new"]) == ("agency", "confirm", "Northamptonshire Police")


def test_api_review(client: TestClient, store: Store, seed: int) -> None:
    token = sign_in(client)
    url = f"/api/incidents/{seed}/reviews"
    body = {"field": "subject_armed", "value": "knife", "reason": "Court heard it was a knife", "quote": "a knife"}
    assert client.post(url, json=body).status_code == 403
    assert client.post(url, json=body, headers={"X-CSRF-Token": "nope"}).status_code == 403
    assert client.post(url, json={**body, "reason": ""}, headers={"X-CSRF-Token": token}).status_code == 422
    assert (
        client.post(url, json={**body, "field": "favourite_colour"}, headers={"X-CSRF-Token": token}).status_code == 422
    )
    r = client.post(url, json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201 and r.json()["fields"]["subject_armed"] == "knife"
    assert r.json()["history"][-1]["reason"] == "Court heard it was a knife"
    assert client.get("/api/incidents?reviewed=yes").json()["total"] >= 1
    assert client.post("/api/incidents/99999/reviews", json=body, headers={"X-CSRF-Token": token}).status_code == 404


def test_split_and_merge(client: TestClient, store: Store, leeds: int) -> None:
    token = sign_in(client)
    articles = [a.id for a in store.articles(leeds)]
    assert len(articles) == 3
    r = client.post(f"/incidents/{leeds}/split", data={"articles": articles, "csrf_token": token})
    assert "not all" in r.text  # moving every article is refused
    r = client.post(
        f"/incidents/{leeds}/split",
        data={"articles": [articles[2]], "reason": "different event", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    new_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert [a.id for a in store.articles(new_id)] == [articles[2]] and len(store.articles(leeds)) == 2
    assert any(h["kind"] == "split" for h in incident_data(store, leeds)["history"])
    r = client.post(
        f"/incidents/{leeds}/merge",
        data={"other": str(new_id), "reason": "same event after all", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert len(store.articles(leeds)) == 3 and store.incident(new_id).merged_into == leeds
    moved = client.get(f"/incidents/{new_id}", follow_redirects=False)
    assert moved.status_code == 302 and moved.headers["location"] == f"/incidents/{leeds}"
    assert (
        client.post(f"/incidents/{leeds}/merge", data={"other": str(leeds), "csrf_token": token}).text.count(
            "no other incident"
        )
        == 1
    )
    page = client.get(f"/incidents/{leeds}").text
    assert "same event after all" in page and "different event" in page


def test_sign_out_then_writes_fail(client: TestClient, seed: int) -> None:
    token = sign_in(client)
    r = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303
    token = csrf(client, "/")
    assert (
        client.post(
            f"/api/incidents/{seed}/reviews",
            json={"field": "subject_age", "value": 1, "reason": "x"},
            headers={"X-CSRF-Token": token},
        ).status_code
        == 401
    )
    assert (
        client.post(
            f"/incidents/{seed}/review", data={"field": "subject_age", "value": "1", "reason": "x", "csrf_token": token}
        ).status_code
        == 401
    )


# --- values, users and keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "current", "value"),
    [
        ("subject_age", "41", 40, 41),
        ("latitude", "51.5", 51.0, 51.5),
        ("body_camera", "no", True, False),
        ("others_present", "yes", None, True),
        ("timeline.death", "around 9.30", None, {"event": "death", "time": "09:30", "qualifier": "around"}),
        ("timeline.call_received", "20:05", None, {"event": "call_received", "time": "20:05", "qualifier": "exact"}),
        ("force_used", "firearm; taser", ["firearm"], ["firearm", "taser"]),
        ("subject_name", "Jo Bloggs", None, "Jo Bloggs"),
        ("subject_name", "", "x", None),
        ("quotes", '[{"speaker": "A", "text": "b"}]', [], [{"speaker": "A", "text": "b"}]),
    ],
)
def test_parse_value(field: str, text: str, current: object, value: object) -> None:
    assert parse_value(field, text, current) == value
    if value is not None and field != "quotes":
        assert parse_value(field, edit_text(value), current) == value


def test_parse_value_refuses_nonsense() -> None:
    for field, text in (
        ("subject_age", "forty"),
        ("body_camera", "maybe"),
        ("timeline.death", "25:00"),
        ("timeline.death", "soon"),
    ):
        with pytest.raises(ValueError):
            parse_value(field, text, None)


def test_cli_user_add_and_serve_help(db: Path, store: Store) -> None:
    runner = CliRunner()
    r = runner.invoke(cli_app, ["user", "add", "cli-editor", "--db", str(db), "--password", "another long one"])
    assert r.exit_code == 0, r.output
    user = store.user("cli-editor")
    assert user.password_hash.startswith("$argon2") and "another" not in user.password_hash
    assert check_password(store, "cli-editor", "another long one") and not check_password(store, "cli-editor", "wrong")
    r = runner.invoke(cli_app, ["user", "add", "prompted", "--db", str(db)], input="typed password\ntyped password\n")
    assert r.exit_code == 0, r.output and check_password(store, "prompted", "typed password")
    assert runner.invoke(cli_app, ["user", "add", "short", "--db", str(db), "--password", "short"]).exit_code == 2
    r = runner.invoke(cli_app, ["serve", "--help"])
    assert r.exit_code == 0 and "--port" in r.output and "--host" in r.output


def test_app_from_env_for_worker_processes(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from forcewatch.web.app import create_app_from_env

    monkeypatch.setenv("FORCEWATCH_DB", str(db))
    monkeypatch.setenv("FORCEWATCH_SECRET", "shared")
    with TestClient(create_app_from_env()) as c:
        assert c.get("/api/incidents").json()["total"] >= 3


def test_secret_is_kept_next_to_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORCEWATCH_SECRET", raising=False)
    store = Store(str(tmp_path / "k.db"))
    first = load_secret(store)
    path = secret_path(store)
    assert path == tmp_path / "k.db.secret" and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_secret(store) == first and len(first) > 40
    monkeypatch.setenv("FORCEWATCH_SECRET", "from-env")
    assert load_secret(store) == "from-env"


def test_a_first_short_line_is_the_headline(client: TestClient, store: Store) -> None:
    from forcewatch.store.queries import headline_of

    show = next(a for a in store.articles() if (a.path or "").endswith("hexham_flower_show.txt"))
    assert show.title is None  # no `date YYYY-MM-DD headline` line; its outlet comes from `outlet:`
    page = client.get(f"/articles/{show.id}").text
    assert "<h1>Sweet peas steal the show at Hexham&#39;s autumn flower show</h1>" in page
    assert "Tynedale Weekly" in page and "Untitled" not in page
    assert headline_of(None, "A man was shot by police on Monday, officers said.\n\nMore.") is None  # a sentence
    assert headline_of(None, "Police shoot man in Leeds\nA man was shot.") is None  # no blank line after it
    assert headline_of("Stored title", "Other first line\n\nBody.") == "Stored title"


# --- reading as a person does (issue 12: labels, headlines, search, facets, errors, base map) -----------------


def test_pages_answer_html_errors_and_refuse_impossible_dates(client: TestClient) -> None:
    for path in ("/incidents/999999", "/articles/nope", "/no-such-page"):
        r = client.get(path, headers={"Accept": "*/*"})  # as curl asks
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
        assert "<h1>" in r.text and "forcewatch" in r.text
    r = client.get("/?date_from=2025-13-45", headers={"Accept": "*/*"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "no month 13" in r.text
    assert client.get("/?date_to=2025-02-30").status_code == 422
    assert "no day 30" in client.get("/api/incidents?date_to=2025-02-30").json()["detail"]
    assert client.get("/api/incidents/999999").headers["content-type"].startswith("application/json")
    assert client.get("/?date_from=2024-02-29").status_code == 200  # a real leap day


def test_list_reads_as_labels_with_headlines_outcome_and_totals(client: TestClient, store: Store, seed: int) -> None:
    page = client.get("/").text
    text = html.unescape(page)
    # (earlier tests in this module reviewed the age)
    assert re.search(r"Jon Pellow, \d+, shot dead by Northamptonshire Police in Northampton, 11 Apr 2025", text)
    assert "Police shooting" in text and "United Kingdom" in text and "Died" in text
    assert ">police_shooting<" not in page and ">True<" not in page
    assert 'id="overview"' in page and re.search(r"<b>\d+</b> incidents", page)
    assert "last updated 20" in page and 'href="/methods"' in page
    item = next(i for i in client.get("/api/incidents").json()["items"] if i["id"] == seed)
    assert item["outcome"] == "fatal" and item["headline"].startswith("Jon Pellow, ")


def test_search_by_name_and_article_text(client: TestClient, seed: int) -> None:
    by_name = client.get("/api/incidents?q=pellow").json()["items"]
    assert [i["id"] for i in by_name] == [seed]
    by_text = client.get("/api/incidents?q=Kingsthorpe").json()["items"]  # only in the articles' words
    assert [i["id"] for i in by_text] == [seed]
    assert client.get("/api/incidents?q=zzzz-nothing").json()["total"] == 0
    assert 'value="pellow"' in client.get("/?q=pellow").text


def test_facet_counts_beside_filters(client: TestClient) -> None:
    page = html.unescape(client.get("/").text)
    every = client.get("/api/incidents?per_page=200").json()["items"]
    gb = sum(1 for i in every if i["country"] == "GB")
    assert f'<option value="GB">United Kingdom ({gb})</option>' in page
    shootings_us = sum(1 for i in every if i["country"] == "US" and i["category"] == "police_shooting")
    page_us = html.unescape(client.get("/?country=US").text)
    assert f"Police shooting ({shootings_us})</option>" in page_us  # counts follow the other filters


def test_methods_page_lists_the_catalogue(client: TestClient) -> None:
    from forcewatch.catalogue import CATALOGUE

    page = client.get("/methods").text
    for d in CATALOGUE:
        assert f'id="def-{d.name}"' in page


def test_incident_page_headline_labels_and_checked_count(client: TestClient, store: Store, leeds: int) -> None:
    data = incident_data(store, leeds)
    page = client.get(f"/incidents/{leeds}").text
    assert '<h1 class="headline">' in page and "shot dead by West Yorkshire Police in Leeds" in html.unescape(page)
    checked = sum(1 for m in data["merged"].values() if m["reviewed"])
    assert f"{checked} of {len(data['merged'])} fields checked by a person" in page
    assert 'Country <code class="code">country</code>' in page and ">United Kingdom<" in page  # labels, codes beside
    # automatic history rows grouped by the article that caused them, under its title
    for a in data["articles"]:
        if any(h["article"] == a["id"] and h["kind"] == "auto" for h in data["history"]):
            assert f'id="history-{a["id"]}"' in page
            assert (a["title"] or "") in html.unescape(page)


def test_base_map_and_clustering_are_served_from_here(client: TestClient) -> None:
    page = client.get("/map").text
    for src in ("/static/vendor/topojson-client.min.js", "/static/vendor/leaflet.markercluster.js"):
        assert f'<script src="{src}"></script>' in page
        assert client.get(src).status_code == 200
    world = client.get("/static/vendor/countries-50m.json").json()
    assert world["type"] == "Topology" and len(world["objects"]["countries"]["geometries"]) > 200
    states = client.get("/static/vendor/us-states-10m.json").json()
    assert len(states["objects"]["states"]["geometries"]) >= 50
    points = client.get("/api/points").json()["features"]
    assert all(f["properties"]["headline"] and f["properties"]["precision_label"] for f in points)
    assert {f["properties"]["category_label"] for f in points} >= {"Police shooting"}


def test_article_page_marks_value_words_not_whole_sentences(client: TestClient, store: Store, seed: int) -> None:
    article = store.articles(seed)[0]
    page = client.get(f"/articles/{article.id}").text
    body = re.search(r'<article class="article-body" id="body">(.*?)</article>', page, re.S).group(1)
    marked = "".join(re.findall(r'<mark class="ev"[^>]*><strong class="ev-value">(.*?)</strong></mark>', body))
    whole = "".join(re.findall(r'<mark class="ev ev-whole"[^>]*>(.*?)</mark>', body))
    assert marked and len(html.unescape(marked)) + len(html.unescape(whole)) < 0.5 * len(article.body)
    sidebar = page.split('<aside class="evidence">', 1)[1]
    assert sidebar.count('<li class="evidence-item">') == len(store.evidence([article.id]))
    assert '<q class="ev-words">' in sidebar and "Age" in sidebar  # labels, and the words themselves


def test_the_incident_page_shows_the_case_lifecycle_and_exports_carry_it(client: TestClient, store: Store, seed: int):
    """The seed shooting's reports say the IOPC has begun an investigation: the incident page has
    the case lifecycle with that stage and its quote, and the CSV and JSON exports carry it."""
    page = client.get(f"/incidents/{seed}")
    assert page.status_code == 200
    section = page.text.split('<section id="case">', 1)[1].split("</section>", 1)[0]
    assert "Investigation opened" in section and "independent investigation" in section
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").text)))
    row = next(r for r in rows if r["id"] == str(seed))
    assert row["case_status"] == "investigation_opened" and row["case_lifecycle"].startswith("investigation_opened=")
    data = client.get(f"/api/incidents/{seed}").json()
    assert [e["stage"] for e in data["fields"]["case_lifecycle"]] == ["investigation_opened"]
