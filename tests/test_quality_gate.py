"""The quality gate: every gold file scores at or above the floors pinned in quality_floors.json.

Each gold file is evaluated once (the result is cached) and each of its floors is its own test.
A score of None means there was nothing to score on either side (no gold and no prediction):
it meets any floor. Gold files under ../shared are skipped, with the reason, when ../shared
is not beside the repository.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from forcewatch.evaluate import evaluate
from tests.conftest import REPO, SHARED

FLOORS = json.loads((REPO / "tests" / "quality_floors.json").read_text())
GOLD = [name for name in FLOORS if not name.startswith("_")]
CASES = [(gold, metric) for gold in GOLD for metric in FLOORS[gold]]


@cache
def result(gold: str) -> dict[str, Any]:
    return evaluate((REPO / gold).resolve())


def score(res: dict[str, Any], metric: str) -> float | None:
    return {
        "field_f1": res["field_f1"],
        "relevance_f1": res["relevance"]["f1"],
        "clustering_f1": res["clustering"]["f1"],
        "conflicts_recall": res["conflicts"]["recall"],
    }[metric]


@pytest.mark.parametrize(("gold", "metric"), CASES, ids=[f"{g}:{m}" for g, m in CASES])
def test_quality_gate(gold, metric):
    path = (REPO / gold).resolve()
    if not path.exists():
        if gold.startswith("../shared/") and not SHARED.exists():
            pytest.skip(f"../shared is not beside the repository: {SHARED} does not exist, so {gold} cannot be scored")
        pytest.skip(f"{gold} is absent: no file at {path}")
    floor = FLOORS[gold][metric]
    got = score(result(gold), metric)
    assert got is None or got >= floor, f"{gold}: {metric} {got} is below the pinned floor {floor}"
