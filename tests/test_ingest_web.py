"""fetch_article and Fetcher against a real local HTTP server (no mocks, no internet)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import date

import pytest
from http_fixture import ARTICLE_TITLE, Site, serve

from forcewatch.errors import IngestError
from forcewatch.ingest.sources import read_path
from forcewatch.ingest.web import USER_AGENT, Fetcher, fetch_article, to_utf8


@pytest.fixture
def site() -> Iterator[Site]:
    with serve() as state:
        yield state


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> Iterator[Fetcher]:
    """Short timeouts and back-off so failure cases finish quickly; sleeps are recorded."""

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(seconds)

    with Fetcher(
        connect_timeout=1.0,
        read_timeout=0.5,
        deadline=5.0,
        backoff=0.01,
        max_retry_after=0.05,
        sleep=sleep,
    ) as client:
        yield client


def fails(code: str, url: str, fetcher: Fetcher) -> str:
    with pytest.raises(IngestError) as caught:
        fetch_article(url, fetcher)
    assert caught.value.code == code, caught.value
    return caught.value.detail


def test_article_text_and_metadata(site: Site, fetcher: Fetcher) -> None:
    url = site.url("/news/article.html")
    article = fetch_article(url, fetcher)
    assert article.title == ARTICLE_TITLE
    assert "restrained by police officers" in article.body
    assert "Independent Office for Police Conduct" in article.body
    assert "Sport" not in article.body  # navigation is boilerplate
    assert article.url == url and article.path == url
    assert article.outlet == "The Eastmoor Gazette"
    assert article.byline == "Priya Natarajan"
    assert article.published == date(2024, 3, 14)
    assert set(site.user_agents) == {USER_AGENT}


def test_robots_is_fetched_once_per_host(site: Site, fetcher: Fetcher) -> None:
    fetch_article(site.url("/news/article.html"), fetcher)
    fetch_article(site.url("/news/second.html"), fetcher)
    assert site.hits["/robots.txt"] == 1


def test_without_a_client_the_shared_one_is_used(site: Site) -> None:
    assert fetch_article(site.url("/news/article.html")).title == ARTICLE_TITLE
    assert fetch_article(site.url("/news/second.html")).title == "Inquest opens into death"
    assert site.hits["/robots.txt"] == 1


def test_read_path_routes_urls_here(site: Site) -> None:
    (article,) = list(read_path(site.url("/news/article.html")))
    assert article.title == ARTICLE_TITLE
    (problem,) = list(read_path(site.url("/missing")))
    assert problem.code == "FW009" and problem.source == site.url("/missing")


def test_redirect_chain_keeps_given_url_as_path(site: Site, fetcher: Fetcher) -> None:
    given = site.url("/redirect/1")
    article = fetch_article(given, fetcher)
    assert article.title == ARTICLE_TITLE
    assert article.path == given
    assert article.url == site.url("/news/article.html")
    assert site.hits["/redirect/2"] == 1 and site.hits["/redirect/3"] == 1


def test_too_many_redirects(site: Site, fetcher: Fetcher) -> None:
    assert "more than 5 redirects" in fails("FW009", site.url("/loop/0"), fetcher)
    assert sum(n for path, n in site.hits.items() if path.startswith("/loop/")) == 6


def test_robots_disallowed_path_is_never_requested(site: Site, fetcher: Fetcher) -> None:
    assert "robots.txt disallows" in fails("FW009", site.url("/private/secret.html"), fetcher)
    assert "robots.txt disallows" in fails("FW009", site.url("/to-private"), fetcher)
    assert site.hits["/private/secret.html"] == 0


def test_missing_robots_allows_everything(site: Site, fetcher: Fetcher) -> None:
    site.robots = None
    assert fetch_article(site.url("/private/secret.html"), fetcher).title == ARTICLE_TITLE


def test_unreachable_robots_allows_nothing(site: Site, fetcher: Fetcher) -> None:
    site.robots = "503"
    detail = fails("FW009", site.url("/news/article.html"), fetcher)
    assert "robots.txt" in detail and "unreachable" in detail and "HTTP 503" in detail
    assert site.hits["/robots.txt"] == 3 and site.hits["/news/article.html"] == 0


def test_404(site: Site, fetcher: Fetcher) -> None:
    assert "HTTP 404 Not Found" in fails("FW009", site.url("/missing"), fetcher)
    assert site.hits["/missing"] == 1  # a 4xx is not retried


def test_500_then_200_is_retried(site: Site, fetcher: Fetcher, sleeps: list[float]) -> None:
    assert fetch_article(site.url("/flaky"), fetcher).title == ARTICLE_TITLE
    assert site.hits["/flaky"] == 2
    assert sleeps == [0.01]


def test_retry_after_is_honoured_up_to_the_cap(site: Site, fetcher: Fetcher, sleeps: list[float]) -> None:
    assert fetch_article(site.url("/busy"), fetcher).title == ARTICLE_TITLE
    assert sleeps == [0.05]  # the server asked for 120 s; the cap is 0.05 s


def test_persistent_5xx_gives_up_after_three_tries(site: Site, fetcher: Fetcher, sleeps: list[float]) -> None:
    detail = fails("FW009", site.url("/down"), fetcher)
    assert "HTTP 503" in detail and "after 3 tries" in detail
    assert site.hits["/down"] == 3
    assert sleeps == [0.01, 0.02]  # exponential back-off


def test_connection_refused(fetcher: Fetcher) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    detail = fails("FW009", f"http://127.0.0.1:{port}/news.html", fetcher)
    assert "could not connect" in detail and "after 3 tries" in detail


def test_slow_response_times_out(site: Site, fetcher: Fetcher) -> None:
    start = time.monotonic()
    assert "timed out" in fails("FW009", site.url("/slow"), fetcher)
    assert time.monotonic() - start < 1.4


def test_overall_deadline_stops_a_dripping_body(site: Site) -> None:
    with Fetcher(read_timeout=1.0, deadline=0.6) as fetcher:
        start = time.monotonic()
        assert "deadline" in fails("FW009", site.url("/drip"), fetcher)
        assert time.monotonic() - start < 1.5


def test_truncated_body(site: Site, fetcher: Fetcher) -> None:
    detail = fails("FW009", site.url("/truncated"), fetcher)
    assert "truncated after 300 bytes" in detail


def test_non_html_is_refused(site: Site, fetcher: Fetcher) -> None:
    assert "application/pdf" in fails("FW005", site.url("/report.pdf"), fetcher)


def test_size_cap(site: Site) -> None:
    with Fetcher(max_bytes=1000) as fetcher:
        assert "declares 5013 bytes" in fails("FW004", site.url("/big-declared"), fetcher)
        assert "more than 1000 bytes" in fails("FW004", site.url("/big-undeclared"), fetcher)


def test_declared_charset_is_used_for_non_utf8_pages(site: Site, fetcher: Fetcher) -> None:
    article = fetch_article(site.url("/news/latin1.html"), fetcher)
    assert article.title == "Café owner dies after arrest"
    assert "The café owner was arrested" in article.body


def test_to_utf8_keeps_valid_utf8_even_if_mislabelled() -> None:
    assert to_utf8("café".encode(), "text/html; charset=iso-8859-1") == "café".encode()
    assert to_utf8("café".encode("cp1252"), "text/html; charset=windows-1252") == "café".encode()
    assert to_utf8(b"caf\xe9", "text/html; charset=no-such-codec") == b"caf\xe9"
