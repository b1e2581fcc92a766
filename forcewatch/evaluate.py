"""Score the whole pipeline against a gold file (format of shared/gold/seeds.json).

Runs ingest into a temporary database, then scores fields (precision/recall/F1 per
field, micro-averaged), relevance, pairwise clustering and conflict recall.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

from forcewatch.model import LIST_FIELDS
from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store
from forcewatch.store.queries import incident_data


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def accepts(gold: Any, predicted: Any) -> bool:
    options = gold["any_of"] if isinstance(gold, dict) and "any_of" in gold else [gold]
    return any(_norm(o) == _norm(predicted) for o in options)


def element_matches(field: str, gold: Any, predicted: Any) -> bool:
    if field == "quotes":
        speaker_ok = _norm(gold.get("speaker")) == _norm(predicted.get("speaker"))
        start = gold.get("starts_with") or gold.get("text") or ""
        return speaker_ok and _norm(start)[:60] in _norm(predicted.get("text", ""))
    if field == "timeline":
        return all(_norm(gold.get(k)) == _norm(predicted.get(k)) for k in ("event", "time", "qualifier") if k in gold)
    return accepts(gold, predicted)


def score_field(field: str, gold: Any, predicted: Any, counts: Counts) -> None:
    if field in LIST_FIELDS or isinstance(gold, list):
        gold_items = gold or []
        pred_items = list(predicted or [])
        unmatched = list(pred_items)
        for g in gold_items:
            hit = next((p for p in unmatched if element_matches(field, g, p)), None)
            if hit is not None:
                counts.tp += 1
                unmatched.remove(hit)
            else:
                counts.fn += 1
        counts.fp += len(unmatched)
        return
    if gold is None:
        if predicted not in (None, [], ""):
            counts.fp += 1
        return
    if predicted in (None, ""):
        counts.fn += 1
    elif accepts(gold, predicted):
        counts.tp += 1
    else:
        counts.fp += 1
        counts.fn += 1


def evaluate(gold_path: str | Path, db: str | None = None) -> dict[str, Any]:
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text())
    root = (gold_path.parent / gold.get("root", ".")).resolve()
    ingested_on = date.fromisoformat(gold["ingested_on"]) if gold.get("ingested_on") else date.today()
    files = {a["file"]: str(root / a["file"]) for a in gold["articles"]}
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(db or str(Path(tmp) / "eval.db"))
        ingest(list(files.values()), store, Options(ingested_on=ingested_on))
        by_path = {a.path: a for a in store.iter_articles()}
        predicted_incident = {f: by_path[p].incident_id if p in by_path else None for f, p in files.items()}
        predicted_relevant = {f: bool(by_path[p].relevant) if p in by_path else False for f, p in files.items()}
        incidents = {i: incident_data(store, i) for i in {v for v in predicted_incident.values() if v is not None}}
        store.engine.dispose()
    # Relevance, negatives included.
    relevance = Counts()
    for a in gold["articles"]:
        want, got = bool(a.get("relevant")), predicted_relevant[a["file"]]
        relevance.tp += want and got
        relevance.fp += got and not want
        relevance.fn += want and not got
    # Pairwise clustering over articles either side calls relevant.
    gold_of = {a["file"]: a.get("incident") for a in gold["articles"] if a.get("incident")}
    considered = sorted(set(gold_of) | {f for f, i in predicted_incident.items() if i is not None})
    clustering = Counts()
    for x, y in combinations(considered, 2):
        same_gold = gold_of.get(x) is not None and gold_of.get(x) == gold_of.get(y)
        same_pred = predicted_incident[x] is not None and predicted_incident[x] == predicted_incident[y]
        clustering.tp += same_gold and same_pred
        clustering.fp += same_pred and not same_gold
        clustering.fn += same_gold and not same_pred
    # Fields and conflicts, per gold incident matched to the predicted incident sharing most articles.
    per_field: dict[str, Counts] = defaultdict(Counts)
    expected = found = 0
    for g in gold["incidents"]:
        votes: dict[int, int] = defaultdict(int)
        for f in g["articles"]:
            if predicted_incident.get(f) is not None:
                votes[predicted_incident[f]] += 1
        match = incidents.get(max(votes, key=lambda i: votes[i])) if votes else None
        fields = match["fields"] if match else {}
        for name, want in g.get("fields", {}).items():
            score_field(name, want, fields.get(name), per_field[name])
        flagged = {c["field"] for c in match["conflicts"]} if match else set()
        for c in g.get("conflicts", []):
            expected += 1
            found += c["field"] in flagged
    total = Counts(
        sum(c.tp for c in per_field.values()),
        sum(c.fp for c in per_field.values()),
        sum(c.fn for c in per_field.values()),
    )
    return {
        "field_f1": total.scores()["f1"],
        "fields": {name: c.scores() for name, c in sorted(per_field.items())},
        "relevance": relevance.scores(),
        "clustering": clustering.scores(),
        "conflicts": {"expected": expected, "found": found, "recall": round(found / expected, 4) if expected else 1.0},
        "articles": len(gold["articles"]),
        "incidents": len(incidents),
    }
