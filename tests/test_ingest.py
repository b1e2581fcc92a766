"""Readers: headers, HTML through trafilatura, JSONL, and every kind of bad input."""

from __future__ import annotations

import json
from datetime import date

from forcewatch.errors import Problem
from forcewatch.ingest import read_sources
from forcewatch.model import Article


def _read(paths):
    items = list(read_sources([str(p) for p in paths]))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, Problem)]


BODY = "A man died after he was shot by police officers in Leeds on Saturday night, the force said.\n\nThe IOPC is investigating."


def test_ingest_text_header_gives_date_title_outlet(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text(f"date 2024-03-10 Man shot dead by police\noutlet: The Courier\nnote: fictional\n\n{BODY}\n")
    articles, problems = _read([f])
    assert not problems
    a = articles[0]
    assert a.published == date(2024, 3, 10)
    assert a.title == "Man shot dead by police"
    assert a.outlet == "The Courier"
    assert a.body.startswith("A man died")
    assert a.path == str(f)


def test_ingest_text_without_header_is_all_body(tmp_path):
    f = tmp_path / "b.txt"
    f.write_text(BODY)
    articles, _ = _read([f])
    assert articles[0].published is None and articles[0].body == BODY


def test_ingest_same_text_same_id_whatever_whitespace(tmp_path):
    (tmp_path / "a.txt").write_text(BODY)
    (tmp_path / "b.txt").write_text(BODY.replace(" ", "  "))
    articles, _ = _read([tmp_path])
    assert len(articles) == 2 and articles[0].id == articles[1].id


def test_ingest_html_main_text_and_metadata(tmp_path):
    page = f"""<html><head><title>Man shot by police | Courier</title>
    <meta property="og:site_name" content="The Courier"><meta name="date" content="2024-03-10"></head>
    <body><nav>Home News Sport</nav><article><h1>Man shot by police</h1>
    <p>{BODY.split(chr(10))[0]}</p><p>The IOPC is investigating the shooting and will appeal for witnesses.</p>
    <p>Officers gave first aid at the scene but he died a short time later in hospital.</p></article>
    <footer>Copyright</footer></body></html>"""
    f = tmp_path / "p.html"
    f.write_text(page)
    articles, problems = _read([f])
    assert not problems
    assert "shot by police officers in Leeds" in articles[0].body
    assert "Home News Sport" not in articles[0].body
    assert articles[0].published == date(2024, 3, 10)


def test_ingest_jsonl_bad_line_is_reported_and_rest_read(tmp_path):
    f = tmp_path / "a.jsonl"
    good = {"url": "https://x.invalid/1", "title": "T", "published": "2024-03-10", "outlet": "Wire", "text": BODY}
    f.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({**good, "text": BODY + " More."}) + "\n")
    articles, problems = _read([f])
    assert len(articles) == 2
    assert problems[0].source == f"{f}:2" and problems[0].code == "FW005"
    assert articles[0].outlet == "Wire" and articles[0].path == f"{f}:1"


def test_ingest_bad_inputs_each_get_a_named_problem(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 200)
    (tmp_path / "latin.txt").write_bytes(
        "Un homme a été tué près de la gare, selon la préfecture de police. ".encode("cp1252") * 5
    )
    (tmp_path / "undecodable.txt").write_bytes(bytes(range(128, 256)) * 40)
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    (tmp_path / "good.txt").write_text(BODY)
    articles, problems = _read([tmp_path, tmp_path / "missing.txt"])
    codes = {p.source.rsplit("/", 1)[-1]: p.code for p in problems}
    assert codes["empty.txt"] == "FW001"
    assert codes["binary.txt"] == "FW002"
    assert codes["huge.txt"] == "FW004"
    assert codes["latin.txt"] == "FW010"  # decoded, then refused as not English
    assert codes["undecodable.txt"] in ("FW002", "FW003")
    assert codes["missing.txt"] == "FW007"
    assert [a.path.rsplit("/", 1)[-1] for a in articles] == ["good.txt"]
    assert all(str(tmp_path) in str(p) or "missing" in str(p) for p in problems)


def test_text_header_after_a_stray_space_or_blank_line(tmp_path):
    from forcewatch.ingest.sources import read_text

    data = b"\n date 2022-05-14 A headline\nA man died after officers restrained him on Friday in the town centre."
    article = read_text(str(tmp_path / "a.txt"), data)
    assert article.published is not None and article.published.isoformat() == "2022-05-14"
    assert article.title == "A headline" and article.body.startswith("A man died")


def test_a_huge_article_is_read_from_its_start_and_the_batch_goes_on(tmp_path):
    """Past spaCy's limit (and its memory: ~1 GB per 100,000 characters parsed) only the first 60,000 characters are read."""
    from forcewatch.pipeline import Options
    from forcewatch.run import ingest
    from forcewatch.store.db import Store

    huge = tmp_path / "huge.txt"
    huge.write_text("date 2024-01-06 Shooting\n" + "Police said a man was shot dead by officers in Leeds. " * 25_000)
    small = tmp_path / "small.txt"
    small.write_text("date 2024-01-06 Crash\nA man died in police custody in Bristol on Friday, the IOPC said.")
    store = Store(str(tmp_path / "fw.db"))
    report = ingest([str(huge), str(small)], store, Options())
    assert report.problems == [] and report.stored == 2 and report.relevant == 2


def test_a_header_line_longer_than_a_headline_is_the_lede(tmp_path):
    """Stored excerpts often put the first paragraph on the header line: it is read as the report's
    first sentence (events, subject, evidence spans), not as a headline."""
    from forcewatch.ingest.sources import read_text

    lede = "Police officers in Marrowby shot at a man twenty times in the back garden of his family home on Sunday night, the force said."
    article = read_text(str(tmp_path / "a.txt"), f"date 2021-03-02 {lede}\nHe died at the scene.\n".encode())
    assert article.title is None
    assert article.body.startswith(lede) and article.body.endswith("He died at the scene.")
    short = read_text(
        str(tmp_path / "b.txt"), b"date 2021-03-02 Man shot by police in Marrowby\nHe died at the scene.\n"
    )
    assert short.title == "Man shot by police in Marrowby" and short.body == "He died at the scene."
