"""The incidents do not depend on the order articles arrive in (issue: clusters that heal).

Each gold corpus is analysed once; its relevant articles are then stored and linked in five
shuffled orders through the same path as `ingest` (store, link, heal, rebuild), and every order
must give the same partition of articles into incidents."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from forcewatch.pipeline import Analyser, Options
from forcewatch.run import Report, link_one, load_linker
from forcewatch.store.db import Store

REPO = Path(__file__).resolve().parents[1]
SETS = [
    REPO / "tests" / "gold" / "dev.json",
    REPO / "tests" / "gold" / "fictional.json",
    REPO.parent / "shared" / "gold" / "real-uk.json",
    REPO.parent / "shared" / "gold" / "real-na.json",
]


def _analysed(gold_path: Path):
    from forcewatch.ingest.sources import read_path

    gold = json.loads(gold_path.read_text())
    root = gold_path.parent / gold["root"]
    options = Options(ingested_on=date.fromisoformat(gold.get("ingested_on") or "2026-11-23"))
    articles = [a for entry in gold["articles"] for a in read_path(str(root / entry["file"]))]
    return [(article, facts) for article, facts, _ in Analyser(options).analyse_each(articles) if facts is not None]


def _partition(analysed, tmp_path: Path, seed: int) -> frozenset[frozenset[str]]:
    order = list(analysed)
    random.Random(seed).shuffle(order)
    store = Store(str(tmp_path / f"order{seed}.db"))
    linker, report = load_linker(store), Report()
    for article, facts in order:
        assert store.add_article(article, facts)
        if facts.relevance.relevant:
            link_one(store, linker, article, facts, None, report)
    groups: dict[int, set[str]] = {}
    for row in store.articles():
        if row.incident_id is not None:
            groups.setdefault(row.incident_id, set()).add(row.path or row.id)
    return frozenset(frozenset(g) for g in groups.values())


@pytest.mark.slow
@pytest.mark.parametrize("gold_path", SETS, ids=lambda p: p.stem)
def test_five_shuffled_orders_give_the_same_incidents(gold_path: Path, tmp_path: Path):
    if not gold_path.exists():
        pytest.skip(f"{gold_path} is not here (../shared is not beside the repository)")
    analysed = _analysed(gold_path)
    partitions = {_partition(analysed, tmp_path, seed) for seed in range(5)}
    assert len(partitions) == 1, f"{len(partitions)} different clusterings from 5 orders"
