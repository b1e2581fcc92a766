"""The quality gate: every gold file scores at or above the floors pinned in quality_floors.json."""

from __future__ import annotations

import json

import pytest

from forcewatch.evaluate import evaluate
from tests.conftest import REPO

FLOORS = json.loads((REPO / "tests" / "quality_floors.json").read_text())
GOLD = [name for name in FLOORS if not name.startswith("_")]


@pytest.mark.parametrize("gold", GOLD)
def test_quality_gate(gold):
    path = (REPO / gold).resolve()
    if not path.exists():
        pytest.skip(f"{gold} is not here")
    floors = FLOORS[gold]
    result = evaluate(path)
    got = {
        "field_f1": result["field_f1"],
        "relevance_f1": result["relevance"]["f1"],
        "clustering_f1": result["clustering"]["f1"],
        "conflicts_recall": result["conflicts"]["recall"],
    }
    below = {k: (got[k], floor) for k, floor in floors.items() if got[k] < floor}
    assert not below, f"{gold}: below the pinned floor (got, floor): {below}"
