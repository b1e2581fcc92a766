"""read_warc over WARC files built here with warcio's own writer."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from pathlib import Path

import pytest
from http_fixture import ARTICLE_HTML, ARTICLE_TITLE, page
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from forcewatch.errors import Problem
from forcewatch.ingest.sources import read_path
from forcewatch.ingest.warc import read_warc
from forcewatch.model import Article

SECOND_TITLE = "Café owner dies after arrest"
SECOND_HTML = page(SECOND_TITLE, "The café owner was arrested outside his shop on the high street.")


def _response(writer: WARCWriter, url: str, body: bytes, ctype: str, status: str = "200 OK") -> str:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    writer.write_record(record)
    return record.rec_headers.get_header("WARC-Record-ID").strip("<>")


def build_warc(path: Path, compress: bool) -> list[str]:
    """Two articles, one broken HTML record, and records that must be skipped; returns ids."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "forcewatch tests"}))
        request = StatusAndHeaders("GET /news/a HTTP/1.1", [("Host", "gazette.example")], is_http_request=True)
        writer.write_record(
            writer.create_warc_record("https://gazette.example/news/a", "request", http_headers=request)
        )
        ids = [_response(writer, "https://gazette.example/news/a", ARTICLE_HTML.encode(), "text/html; charset=utf-8")]
        _response(writer, "https://gazette.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
        ids.append(_response(writer, "https://gazette.example/broken", b"<html>\x00\x01\x02\x00" * 50, "text/html"))
        _response(writer, "https://gazette.example/old", b"<html>Moved</html>", "text/html", "301 Moved Permanently")
        ids.append(
            _response(
                writer, "https://courier.example/cafe", SECOND_HTML.encode("latin-1"), "text/html; charset=iso-8859-1"
            )
        )
    return ids


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_articles_and_a_problem_in_order(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    first, broken, second = build_warc(path, compress=name.endswith(".gz"))
    items = list(read_warc(str(path)))
    assert [type(item) for item in items] == [Article, Problem, Article]
    article, problem, other = items
    assert article.title == ARTICLE_TITLE
    assert "restrained by police officers" in article.body
    assert article.url == "https://gazette.example/news/a"
    assert article.path == f"{path}#{first}"
    assert problem.source == f"{path}#{broken}" and problem.code == "FW002"
    assert other.title == SECOND_TITLE and "The café owner was arrested" in other.body
    assert other.path == f"{path}#{second}" and other.url == "https://courier.example/cafe"


def test_read_path_routes_warc_files(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    build_warc(path, compress=True)
    titles = [getattr(item, "title", None) or item.code for item in read_path(str(path))]
    assert titles == [ARTICLE_TITLE, "FW002", SECOND_TITLE]


def test_cut_off_gzip_archive_keeps_earlier_records(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    *_, second = build_warc(whole, compress=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:-150])
    items = list(read_warc(str(cut)))
    assert [getattr(i, "title", None) for i in items] == [ARTICLE_TITLE, None, None]
    assert (items[-1].source, items[-1].code) == (f"{cut}#{second}", "FW005")
    assert "record truncated" in items[-1].detail


@pytest.mark.parametrize(
    ("kept", "where", "detail"),
    [
        (10, "", "last 10 bytes are not a complete record"),  # warcio stops quietly here
        (20, "#offset", "damaged or truncated record"),  # a record with half a header
    ],
)
def test_gzip_member_cut_early_is_reported(tmp_path: Path, kept: int, where: str, detail: str) -> None:
    whole = tmp_path / "whole.warc.gz"
    build_warc(whole, compress=True)
    good = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(good + gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" * 20)[:kept])
    items = list(read_warc(str(cut)))
    assert [getattr(i, "title", None) for i in items] == [ARTICLE_TITLE, None, SECOND_TITLE, None]
    source = f"{cut}#{len(good)}" if where else str(cut)
    assert (items[-1].source, items[-1].code) == (source, "FW005")
    assert detail in items[-1].detail


def test_cut_off_plain_archive_names_the_short_record(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    *_, second = build_warc(whole, compress=False)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[:-200])
    last = list(read_warc(str(cut)))[-1]
    assert isinstance(last, Problem) and last.source == f"{cut}#{second}"
    assert last.code == "FW005" and "truncated" in last.detail


def test_files_that_are_not_warcs(tmp_path: Path) -> None:
    text = tmp_path / "notes.warc"
    text.write_text("These are notes, not an archive.\n")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    assert [(p.source, p.code) for p in read_warc(str(text))] == [(str(text), "FW005")]
    assert [(p.source, p.code) for p in read_warc(str(empty))] == [(str(empty), "FW001")]
    missing = str(tmp_path / "missing.warc.gz")
    assert [(p.source, p.code) for p in read_warc(missing)] == [(missing, "FW007")]


def test_memory_stays_flat_on_a_large_archive(tmp_path: Path) -> None:
    path = tmp_path / "big.warc"
    blob = b"\x89PNG" + bytes(1024 * 1024)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for n in range(24):
            _response(writer, f"https://gazette.example/img/{n}.png", blob, "image/png")
        _response(writer, "https://gazette.example/news/a", ARTICLE_HTML.encode(), "text/html")
    assert path.stat().st_size > 24 * 1024 * 1024
    tracemalloc.start()
    try:
        items = list(read_warc(str(path)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [item.title for item in items] == [ARTICLE_TITLE]
    assert peak < 4 * 1024 * 1024
