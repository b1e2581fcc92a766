"""The writer's own cost: reports of one incident against reports of as many incidents, and bulk writes.

    python bench/write.py [--reports 200] [--plain 5000] [--db postgresql://...]

Side by side in one run, on the shipped write path (`Store.add_articles`, `run.link_one`:
link, store the link, rebuild the incident, all in the chunk's transaction):

1. N reports that all belong to one incident, against N reports of N incidents. The
   incident of each report is forced (as a person's merge would), so the linker's
   scoring is out of it and only the store's work is measured. Printed: the ratio (goal:
   under 3x, i.e. the cost of an article hardly grows with the size of its incident).
2. Non-relevant articles: the bulk writer (one transaction and one executemany per chunk)
   against one transaction per article (the write path before bulk writes), in articles/s.

Facts are real: a few generated reports are analysed once by the shipped pipeline, and
each benchmark article borrows one of their facts under its own id and its own body
(generated text, so no two are near-copies). Analysis is not timed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from forcewatch.model import Article, ArticleFacts, Relevance  # noqa: E402
from forcewatch.pipeline import Analyser, Options  # noqa: E402
from forcewatch.run import CHUNK, Report, link_one, load_linker  # noqa: E402
from forcewatch.store.db import Store, chunks  # noqa: E402


def _generator():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def bodies(n: int, share: float, seed: int) -> list[str]:
    return [r["text"] for r in _generator().generate(n, share, seed)]


def borrowed(pool: list[ArticleFacts], i: int, article_id: str) -> ArticleFacts:
    facts = pool[i % len(pool)]
    return ArticleFacts(article_id, facts.relevance, [replace(e, article_id=article_id) for e in facts.evidence])


MADE: list[str] = []  # PostgreSQL databases this run created (dropped at the end)


def drop_made(db: str) -> None:
    from sqlalchemy import create_engine, text

    from forcewatch.store.db import database_url

    admin = create_engine(database_url(db), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in MADE:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def fresh_store(db: str | None, name: str, folder: Path) -> Store:
    if db:  # a PostgreSQL server: one new database per scenario
        from sqlalchemy import create_engine, make_url, text

        from forcewatch.store.db import database_url

        admin = create_engine(database_url(db), isolation_level="AUTOCOMMIT")
        target = f"fw_bench_{name}_{os.getpid()}"
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target}"'))
        admin.dispose()
        MADE.append(target)
        return Store(make_url(db).set(database=target).render_as_string(hide_password=False))
    return Store(str(folder / f"{name}.db"))


def write_reports(store: Store, texts: list[str], pool: list[ArticleFacts], one_incident: bool) -> float:
    """Seconds to store, link and reconcile the reports, in chunks of CHUNK per transaction."""
    linker, report = load_linker(store), Report()
    items = []
    for i, body in enumerate(texts):
        article = Article.from_text(body, published=date(2026, 3, 1), path=f"report{i}")
        items.append((article, borrowed(pool, i, article.id)))
    started = time.perf_counter()
    done = 0
    for part in chunks(items, CHUNK):
        with store.transaction():
            store.add_articles(part)
            for article, facts in part:
                done += 1
                link_one(store, linker, article, facts, 1 if one_incident else done, report)
    seconds = time.perf_counter() - started
    assert len(report.incidents) == (1 if one_incident else len(texts)), len(report.incidents)
    return seconds


def plain_articles(texts: list[str]) -> list[tuple[Article, ArticleFacts]]:
    out = []
    for i, body in enumerate(texts):
        article = Article.from_text(body, path=f"plain{i}")
        out.append((article, ArticleFacts(article.id, Relevance(False, None, "no police contact"))))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=200, help="reports per scenario (default 200)")
    parser.add_argument("--plain", type=int, default=5000, help="non-relevant articles (default 5000)")
    parser.add_argument("--db", help="a PostgreSQL admin URL (default: SQLite files in a temporary folder)")
    args = parser.parse_args(argv)
    where = "PostgreSQL" if args.db else "SQLite"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; store: {where}")

    analyser = Analyser(Options(ingested_on=date(2026, 11, 23)))
    samples = bodies(40, 1.0, seed=3)
    pool = [f for f in analyser.analyse(Article.from_text(t) for t in samples) if f.relevance.relevant][:10]
    assert pool, "no report among the samples"
    texts = bodies(args.reports, 1.0, seed=5)
    texts = [t for t in dict.fromkeys(texts)][: args.reports]

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        one = write_reports(fresh_store(args.db, "one", folder), texts, pool, True)
        many = write_reports(fresh_store(args.db, "many", folder), texts, pool, False)
        n = len(texts)
        print(f"\n{n} reports of one incident:   {one:7.2f} s ({1000 * one / n:6.1f} ms/report)")
        print(f"{n} reports of {n} incidents: {many:7.2f} s ({1000 * many / n:6.1f} ms/report)")
        print(f"ratio one/many: {one / many:.2f}x (goal: under 3x)")

        plain = plain_articles(bodies(args.plain, 0.0, seed=9))
        bulk_store = fresh_store(args.db, "bulk", folder)
        started = time.perf_counter()
        for part in chunks(plain, CHUNK):
            with bulk_store.transaction():
                bulk_store.add_articles(part)
        bulk = time.perf_counter() - started
        single_store = fresh_store(args.db, "single", folder)
        started = time.perf_counter()
        for article, facts in plain:  # one transaction per article
            single_store.add_article(article, facts)
        single = time.perf_counter() - started
        m = len(plain)
        print(f"\n{m} non-relevant articles, bulk (chunks of {CHUNK}): {m / bulk:8.0f} articles/s ({bulk:.2f} s)")
        print(f"{m} non-relevant articles, one transaction each: {m / single:8.0f} articles/s ({single:.2f} s)")
        print(f"bulk / one each: {single / bulk:.1f}x")
    if args.db:
        drop_made(args.db)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
