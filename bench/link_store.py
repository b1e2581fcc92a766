"""Linking through the store: 1k new articles into a database that already holds many, against
1k into an empty one, each article as `watch` handles a feed item (load the linker, store the
article, link it, rebuild its incident).

    python bench/link_store.py --base 100000 --new 1000
    python bench/link_store.py --base 10000 --new 500      # a quicker run

Articles are bench/link.py's synthetic profiles (incidents of 1-6 reports, real places and
forces, noisy dates and places), stored with one evidence row per profile field and a body
of random words (so that no two are near-copies). The base database is filled through the
same calls, with one linker for the whole fill (as one `ingest` call would). The figure that
matters is the ratio of the two "new" phases (issue 10: under 2x). The old `load_linker`
(every linked body and its evidence read again) is timed on the full base for comparison.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [f"w{i:03d}" for i in range(3000)]


def facts_for(profile: object, article_id: str, body: str) -> object:
    from forcewatch.model import ArticleFacts, Evidence, Relevance

    evidence = []
    fields = {
        "date": profile.date.isoformat() if profile.date else None,  # type: ignore[attr-defined]
        "country": profile.country,  # type: ignore[attr-defined]
        "region": profile.region,  # type: ignore[attr-defined]
        "locality": profile.locality,  # type: ignore[attr-defined]
        "neighbourhood": profile.neighbourhood,  # type: ignore[attr-defined]
        "agency": profile.agency,  # type: ignore[attr-defined]
        "subject_name": profile.name,  # type: ignore[attr-defined]
        "subject_age": profile.age,  # type: ignore[attr-defined]
        "subject_gender": profile.gender,  # type: ignore[attr-defined]
    }
    for name, value in fields.items():
        if value is not None:
            evidence.append(Evidence(name, value, 0, 40, body[:40], 0.9, "bench", article_id))
    category = profile.category  # type: ignore[attr-defined]
    return ArticleFacts(article_id, Relevance(True, category, "bench", 5.0), evidence)


def articles(n: int, seed: int) -> list[tuple[object, object]]:
    from link import generate

    from forcewatch.model import Article

    rng = random.Random(seed)
    _, profiles, _ = generate(n, seed)
    out = []
    for profile in profiles:
        body = " ".join(rng.choice(WORDS) for _ in range(60)) + "."
        article = Article.from_text(body, title="bench")
        out.append((article, facts_for(profile, article.id, body)))
    return out


def feed(store: object, items: list[tuple[object, object]], per_item: bool) -> float:
    """Store and link each item; `per_item`: load the linker for each (as `watch` does)."""
    from forcewatch.run import Report, link_one, load_linker

    report = Report()
    started = time.perf_counter()
    linker = load_linker(store)  # type: ignore[arg-type]
    for article, facts in items:
        if per_item:
            linker = load_linker(store)  # type: ignore[arg-type]
        if store.add_article(article, facts):  # type: ignore[attr-defined]
            link_one(store, linker, article, facts, None, report)  # type: ignore[arg-type]
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from forcewatch.link import index
    from forcewatch.store.db import Store

    folder = Path(tempfile.mkdtemp(prefix="forcewatch-link-"))
    everything = articles(args.base + 2 * args.new, args.seed)
    base, new_a, new_b = (
        everything[: args.base],
        everything[args.base : args.base + args.new],
        everything[args.base + args.new :],
    )
    big = Store(str(folder / "base.db"))
    fill = feed(big, base, per_item=False)
    print(f"base: {args.base:,} linked articles stored in {fill:.0f} s ({args.base / fill:.0f}/s), {folder}")
    index.forget()
    into_empty = feed(Store(str(folder / "empty.db")), new_a, per_item=True)
    index.forget()  # the first load of the base reads its index rows: part of the cost
    into_base = feed(big, new_b, per_item=True)
    print(f"{args.new:,} new articles, one linker load per article (as watch): into an empty database "
          f"{into_empty:.1f} s, into the {args.base:,}-article database {into_base:.1f} s: "
          f"{into_base / into_empty:.2f}x (goal: under 2x)")  # fmt: skip

    from forcewatch.link.linker import Linker, profile_of

    t = time.perf_counter()
    linker = Linker()
    linked = big.linked_articles()
    facts = {f.article_id: f for f in big.facts([a for a, _, _ in linked])}
    for article_id, incident_id, body in linked:
        linker.add_existing(incident_id, article_id, profile_of(facts[article_id]), body)
    old = time.perf_counter() - t
    index.forget()
    t = time.perf_counter()
    index.load_linker(big)
    rows = time.perf_counter() - t
    print(f"one linker load on the {len(linked):,}-article database: the old rebuild (bodies and evidence) "
          f"{old:.1f} s, from the index rows {rows:.1f} s, already in memory and up to date "
          f"{_timed(lambda: index.load_linker(big)):.3f} s")  # fmt: skip
    return 0


def _timed(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


if __name__ == "__main__":
    raise SystemExit(main())
