"""The web interface in a real browser (Debian's chromium, driven by Playwright), as a reader and an editor would use it."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

sync_api = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")

from forcewatch.pipeline import Options  # noqa: E402
from forcewatch.run import ingest  # noqa: E402
from forcewatch.store.db import Store  # noqa: E402
from forcewatch.web import create_app  # noqa: E402
from forcewatch.web.auth import hash_password  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Everything read here ships in the repository (fictional articles), so it runs on a clean clone.
WEB_CORPUS = ROOT / "tests" / "corpus" / "web"  # two outlets on one shooting; one contradicts itself on the time
EXAMPLES = ROOT / "examples" / "corpus"
FICTIONAL = ROOT / "tests" / "corpus" / "fictional"
DUPLICATES = ROOT / "tests" / "corpus" / "duplicates"  # two reports just short of linking: a possible duplicate
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
EDITOR, PASSWORD = "editor", "a long test password"

HOSTILE = """date 2025-03-02 Man shot dead by police <script>alert(1)</script> in Bradford
outlet: Hostile <b onmouseover=alert(4)>Gazette</b>
url: javascript:alert(3)

A man was shot dead by armed police officers in Bradford on Sunday night <script>alert(1)</script>.
West Yorkshire Police said officers fired two shots at about 10pm <img src=x onerror=alert(2)> after reports of a man with a gun.
Read more <a href="javascript:alert(3)">here</a>. The IOPC is investigating the police shooting and the man's death.
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("browser")
    store = Store(str(folder / "web.db"))
    paths = [
        str(WEB_CORPUS),
        str(EXAMPLES),
        str(FICTIONAL / "f01_leeds_harehills_courier.txt"),
        str(FICTIONAL / "f07_columbus_linden_ledger.txt"),
        str(DUPLICATES),
    ]
    assert not ingest(paths, store, Options(ingested_on=date(2025, 6, 1))).problems
    store.add_user(EDITOR, hash_password(PASSWORD))
    return store


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[str]:
    """uvicorn on 127.0.0.1 and a free port, in a thread, for this module."""
    port = free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(store, secret="browser-test"), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


class Watch:
    """Every dialog (alert, confirm...), console error and page error of a page."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.events: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda m: self.events.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.events.append(f"page error: {e}"))

    def _dialog(self, dialog) -> None:  # noqa: ANN001
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture()
def page(browser, server: str):  # noqa: ANN001, ANN201
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def incident_of(store: Store, filename: str) -> int:
    found = next(a.incident_id for a in store.articles() if (a.path or "").endswith(filename))
    assert found is not None, filename
    return found


def test_read_review_and_sign_out(page, store: Store) -> None:  # noqa: ANN001
    watch = Watch(page)
    seed = incident_of(store, "northampton_shooting_nene_valley_courier.txt")

    # the list, filtered to Great Britain
    page.goto("/")
    assert page.locator("table.incidents tbody tr").count() == len(store.incident_rows())
    page.select_option("select[name=country]", "GB")
    page.click("#apply-filters")
    page.wait_for_url("**/?*country=GB*")
    rows = page.locator("table.incidents tbody tr")
    assert 0 < rows.count() < len(store.incident_rows())
    assert page.locator("table.incidents").get_by_text("US", exact=False).count() == 0

    # the seed incident and its conflict on the time of the shots, one source contradicting itself
    page.click(f"a[href='/incidents/{seed}']")
    page.wait_for_url(f"**/incidents/{seed}")
    conflict = page.locator("#conflict-field-timeline-shots_fired")
    assert conflict.is_visible()
    assert "contradicts itself" in conflict.inner_text()
    assert "before 21:00" in conflict.inner_text() and "after 21:00" in conflict.inner_text()
    assert page.locator("#field-timeline-shots_fired th .badge.conflict").count() == 1

    # sign in, and come back to the incident
    page.click("#sign-in")
    page.fill("#name", EDITOR)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/incidents/{seed}")
    assert "Signed in as" in page.locator(".who").inner_text()

    # correct the time of the shots, with a reason
    row = page.locator("#field-timeline-shots_fired")
    row.locator("summary").click()
    row.locator("input[name=value]").fill("before 21:00")
    row.locator("input[name=reason]").fill("Body-worn footage: shots shortly before 9pm")
    row.locator("textarea[name=quote]").fill("armed officers fired two shots shortly before 9pm")
    row.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/incidents/{seed}#field-timeline-shots_fired")
    assert "timeline.shots_fired set to before 21:00" in page.locator(".flash").inner_text()
    assert "reviewed" in page.locator("#field-timeline-shots_fired").inner_text()
    latest = page.locator("#history tbody tr").first
    assert (
        EDITOR in latest.inner_text() and "Body-worn footage" in latest.inner_text() and "review" in latest.inner_text()
    )

    # sign out: the forms are gone and a change is refused
    page.click("#sign-out")
    page.wait_for_url("**/")
    page.goto(f"/incidents/{seed}")
    assert page.locator("form[action$='/review']").count() == 0
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    r = page.request.post(
        f"/api/incidents/{seed}/reviews",
        data={"field": "subject_age", "value": 1, "reason": "x"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status == 401
    r = page.request.post(
        f"/incidents/{seed}/review", form={"field": "subject_age", "value": "1", "reason": "x", "csrf_token": token}
    )
    assert r.status == 401
    assert (
        store.incident_fields(seed)
        and next(f for f in store.incident_fields(seed) if f.field == "subject_age").value == 52
    )

    # the map draws the points from the package's Leaflet, and a popup says the location precision
    page.goto("/map")
    page.locator("#map-count", has_text="with a location").wait_for()  # (wait_for_function would need unsafe-eval)
    markers = page.locator("path.leaflet-interactive")
    assert markers.count() >= 2
    markers.first.dispatch_event("click")
    assert "Location precision" in page.locator(".leaflet-popup-content").inner_text()
    assert watch.events == []


def test_hostile_article_runs_nothing(page, store: Store, tmp_path: Path) -> None:  # noqa: ANN001
    watch = Watch(page)
    (tmp_path / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    report = ingest([str(tmp_path / "hostile.txt")], store, Options(ingested_on=date(2025, 6, 1)))
    assert report.stored == 1 and report.relevant == 1
    article = next(a for a in store.articles() if (a.path or "").endswith("hostile.txt"))
    assert article.incident_id is not None
    for path in (f"/articles/{article.id}", f"/incidents/{article.incident_id}", "/"):
        page.goto(path)
        page.wait_for_load_state("load")
        assert page.locator("img[src=x]").count() == 0
        assert page.locator("a[href^='javascript:' i]").count() == 0
    page.goto(f"/articles/{article.id}")
    body = page.locator("#body").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    page.locator("h1").hover()
    page.locator("p.lede").hover()  # the outlet's onmouseover is text, not an attribute
    page.wait_for_timeout(300)
    assert watch.events == []


DOCS = ROOT / "docs"
WIDTHS = [1280, 375]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request, browser, server: str):  # noqa: ANN001, ANN201
    width = request.param
    context = browser.new_context(base_url=server, viewport={"width": width, "height": 900 if width > 800 else 780})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg, width
    context.close()


def no_sideways_scroll(page) -> int:  # noqa: ANN001
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_page_fits_the_screen(sized, store: Store) -> None:  # noqa: ANN001
    page, width = sized
    watch = Watch(page)
    seed = incident_of(store, "northampton_shooting_nene_valley_courier.txt")
    article = store.articles(seed)[0].id
    errors = {"/incidents/999999": "404", "/?date_from=2025-13-45": "422", "/?sort=nonsense": "422"}
    for path in (
        "/",
        f"/incidents/{seed}",
        f"/articles/{article}",
        "/map",
        "/summary",
        "/methods",
        "/duplicates",
        "/releases",
        *errors,
    ):
        if path in errors:
            assert watch.events == []  # the error pages below log their own status, as they should
        page.goto(path)
        page.wait_for_load_state("load")
        assert no_sideways_scroll(page) <= width, (path, no_sideways_scroll(page))
        box = page.locator("#sign-in").bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (path, box)  # "Sign in" is not clipped
        if path in errors:  # an HTML page in the site's frame, not raw JSON
            assert page.locator("h1").inner_text() == errors[path], path
            assert page.locator("header.top .brand").is_visible()
            watch.events.clear()
    assert "no month 13" in page.goto("/?date_from=2025-13-45").text()  # an impossible date is refused, saying why
    watch.events.clear()
    for export in ("/export.csv", "/export.wapo.csv", "/export.json", "/export.geojson"):
        head = page.request.fetch(export, method="HEAD")
        assert head.status == 200 and head.body() == b"", export  # HEAD works on the downloads
    page.goto("/summary")
    chart = page.locator("#chart-category svg.chart" if width > 800 else "#chart-category ol.chart-list")
    assert chart.is_visible()
    if width <= 800:  # the chart's text at a readable size
        size = page.locator("#chart-category ol.chart-list li").first.evaluate("e => getComputedStyle(e).fontSize")
        assert float(size.rstrip("px")) >= 14
    assert watch.events == []


def test_list_map_and_incident_read_as_words_with_screenshots(sized, store: Store) -> None:  # noqa: ANN001
    page, width = sized
    watch = Watch(page)
    seed = incident_of(store, "northampton_shooting_nene_valley_courier.txt")
    page.goto("/")
    first = page.locator("table.incidents tbody tr td.headline").first
    assert re.search(r", \d+ \w{3} \d{4}$", first.inner_text())  # a headline with its date, not "Incident 2"
    assert page.locator("table.incidents td[data-label=Category]", has_text="Police shooting").first.is_visible()
    page.screenshot(path=str(DOCS / f"list-{width}.png"), full_page=False)

    page.goto("/map")
    page.locator("#map-count", has_text="with a location").wait_for()
    outlines = page.locator(".leaflet-outlines-pane path")
    outlines.first.wait_for(state="attached")
    assert outlines.count() >= 2  # the Natural Earth countries and the US states, drawn offline
    legend = page.locator(".map-legend")
    assert legend.is_visible() and "Police shooting" in legend.inner_text() and "precise" in legend.inner_text()
    page.locator(".leaflet-interactive, .marker-cluster").first.wait_for()
    swatches = set(
        page.eval_on_selector_all(".map-legend .swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)")
    )
    assert len(swatches) >= 3  # one colour per category present (shootings, custody, other contact)
    points = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    if points.count():  # points not gathered into a cluster are drawn in their category's colour
        fills = set(points.evaluate_all("els => els.map(e => getComputedStyle(e).fill)"))
        assert fills <= swatches, (fills, swatches)
    page.locator("#map").screenshot(path=str(DOCS / f"map-{width}.png"))  # the map itself, legend included

    page.goto(f"/incidents/{seed}")
    assert "shot dead by Northamptonshire Police in Northampton" in page.locator("h1.headline").inner_text()
    assert "fields checked by a person" in page.locator("#checked").inner_text()
    assert page.locator("#field-country td.value").inner_text().startswith("United Kingdom")
    assert no_sideways_scroll(page) <= width
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(DOCS / f"incident-{width}.png"))
    # automatic history grouped by the article that caused it, under the article's title
    titles = {a.title for a in store.articles(seed)}
    groups = page.locator("#history details.history-article summary a")
    assert groups.count() == len(titles) and {groups.nth(i).inner_text() for i in range(groups.count())} == titles

    # the article page marks the words that carry each value, not whole sentences
    article = next(a for a in store.articles(seed) if a.outlet == "Nene Valley Courier")
    page.goto(f"/articles/{article.id}")
    values = page.locator("#body mark.ev strong.ev-value")
    assert values.count() >= 5
    words = [values.nth(i).inner_text() for i in range(values.count())]
    assert max(len(w) for w in words) < 80 and "52-year-old" in words, words  # short value spans
    assert page.locator("#body mark.ev-whole").count() < values.count()
    assert page.locator("#body .ev-sentence").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    ) != page.locator("#body mark.ev").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )  # the sentence is not highlighted like its value
    item = page.locator("aside.evidence li.evidence-item").first
    assert item.locator(".ev-field").is_visible() and item.locator(".ev-said").is_visible()
    assert no_sideways_scroll(page) <= width
    assert watch.events == []


def test_a_refused_value_is_shown_beside_its_field_with_what_was_typed(page, store: Store) -> None:  # noqa: ANN001
    seed = incident_of(store, "northampton_shooting_nene_valley_courier.txt")
    page.goto(f"/login?next=/incidents/{seed}")
    page.fill("#name", EDITOR)
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/incidents/{seed}")
    row = page.locator("#field-body_camera")
    row.locator("summary").click()
    row.locator("input[name=value]").fill("perhaps")
    row.locator("input[name=reason]").fill("The footage was never found")
    with page.expect_response(lambda r: r.request.method == "POST" and "/review" in r.url) as answered:
        row.get_by_role("button", name="Save").click()
    assert answered.value.status == 422  # the incident page again, answering 422
    error = page.locator("#error-field-body_camera")
    assert error.is_visible() and "write yes or no" in error.inner_text()
    typed = row.locator("input[name=value]")
    assert typed.is_visible() and typed.input_value() == "perhaps"  # what was typed is kept
    assert row.locator("input[name=reason]").input_value() == "The footage was never found"
    gap = abs(error.bounding_box()["y"] - typed.bounding_box()["y"])
    assert gap < 400  # next to the field, not at the top of the page
    assert next(f for f in store.incident_fields(seed) if f.field == "body_camera").value is True

    # a possible duplicate: both incidents linked, the evidence shown, and kept apart by the editor
    page.goto("/duplicates")
    pair = page.locator("section.pair").first
    assert pair.is_visible() and pair.locator("tr.for").count() >= 2 and "Town or region" in pair.inner_text()
    links = pair.locator("h2 a")
    ids = [links.nth(i).inner_text() for i in range(2)]
    pair.get_by_role("button", name="Not the same: keep apart").click()
    page.wait_for_url("**/duplicates")
    assert "kept apart" in page.locator(".flash").inner_text() and page.locator("#no-duplicates").is_visible()
    assert frozenset(int(i) for i in ids) in store.split_pairs()
    page.click("#sign-out")
