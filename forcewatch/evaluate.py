"""Score the whole pipeline against a gold file (format of shared/gold/seeds.json).

Runs ingest into a temporary database, then scores fields (precision/recall/F1 per
field, micro-averaged), relevance, clustering (pairwise and BCubed) and conflict
recall, and lists every error behind those scores.

Every P/R/F1 comes with the counts it was computed from (tp, fp, fn). A precision
with no predictions, or a recall with nothing to find, is None (null in JSON), not
1.0; F1 is 2tp / (2tp + fp + fn), None only when there is nothing on either side.
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


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def scores(self) -> dict[str, Any]:
        return {
            "precision": _ratio(self.tp, self.tp + self.fp),
            "recall": _ratio(self.tp, self.tp + self.fn),
            "f1": _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
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


def score_field(field: str, gold: Any, predicted: Any, counts: Counts) -> list[dict[str, Any]]:
    """Add one field's counts; return its errors as {error, expected, got} (wrong, missed or spurious)."""
    errors: list[dict[str, Any]] = []
    if field in LIST_FIELDS or isinstance(gold, list):
        unmatched = list(predicted or [])
        for g in gold or []:
            hit = next((p for p in unmatched if element_matches(field, g, p)), None)
            if hit is not None:
                counts.tp += 1
                unmatched.remove(hit)
            else:
                counts.fn += 1
                errors.append({"error": "missed", "expected": g, "got": None})
        counts.fp += len(unmatched)
        errors += [{"error": "spurious", "expected": None, "got": p} for p in unmatched]
        return errors
    if gold is None:
        if predicted not in (None, [], ""):
            counts.fp += 1
            errors.append({"error": "spurious", "expected": None, "got": predicted})
    elif predicted in (None, ""):
        counts.fn += 1
        errors.append({"error": "missed", "expected": gold, "got": None})
    elif accepts(gold, predicted):
        counts.tp += 1
    else:
        counts.fp += 1
        counts.fn += 1
        errors.append({"error": "wrong", "expected": gold, "got": predicted})
    return errors


def bcubed(gold_of: dict[str, Any], predicted_of: dict[str, Any]) -> dict[str, Any]:
    """BCubed precision/recall/F1 over the articles either side puts in an incident.

    An article in no incident on one side is its own singleton cluster on that side.
    """
    items = sorted(
        {f for f, g in gold_of.items() if g is not None} | {f for f, p in predicted_of.items() if p is not None}
    )

    def cluster(of: dict[str, Any], f: str) -> set[str]:
        key = of.get(f)
        return {f} if key is None else {x for x in items if of.get(x) == key}

    precision = recall = 0.0
    for f in items:
        pred, gold = cluster(predicted_of, f), cluster(gold_of, f)
        both = len(pred & gold)
        precision += both / len(pred)
        recall += both / len(gold)
    if not items:
        return {"precision": None, "recall": None, "f1": None, "articles": 0}
    p, r = precision / len(items), recall / len(items)
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "articles": len(items),
    }


def _evidence_for(incident: dict[str, Any] | None, field: str, value: Any) -> list[dict[str, Any]]:
    """The evidence rows of a predicted incident that carry this value of this field."""
    if incident is None or value is None:
        return []
    key = f"timeline.{value.get('event')}" if field == "timeline" and isinstance(value, dict) else field
    rows = incident["evidence"].get(key, [])
    return [e for e in rows if _norm(e["value"]) == _norm(value)]


def evaluate(gold_path: str | Path, db: str | None = None) -> dict[str, Any]:
    """Ingest the gold file's articles into a temporary database and score the result.

    Returns the scores (each with its counts) and `errors`, a list of dicts, each with a
    `kind`:

    - "field": {incident, predicted_incident, field, error (wrong / missed / spurious),
      expected, got, article (gold paths of the articles whose evidence gave the
      predicted value, else of the gold incident's articles), quote (the evidence quote
      of the predicted value, or None)};
    - "relevance": {file, expected, got, reason (the stored reason)};
    - "split": a gold incident whose articles are in several predicted incidents
      {incident, predicted: {id: [files]}, unassigned: [files in no incident]};
    - "mixed": a predicted incident holding articles of several gold incidents
      {predicted_incident, gold: {gold id: [files]}, not_an_incident: [files]};
    - "conflict": a gold conflict the matched incident does not flag {incident, field, article}.
    """
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
        reasons = {f: by_path[p].reason if p in by_path else None for f, p in files.items()}
        file_of = {by_path[p].id: f for f, p in files.items() if p in by_path}
        incidents = {i: incident_data(store, i) for i in {v for v in predicted_incident.values() if v is not None}}
        store.engine.dispose()
    errors: list[dict[str, Any]] = []
    # Relevance, negatives included.
    relevance = Counts()
    for a in gold["articles"]:
        want, got = bool(a.get("relevant")), predicted_relevant[a["file"]]
        relevance.tp += want and got
        relevance.fp += got and not want
        relevance.fn += want and not got
        if want != got:
            errors.append(
                {"kind": "relevance", "file": a["file"], "expected": want, "got": got, "reason": reasons[a["file"]]}
            )
    # Clustering over articles either side puts in an incident: pairwise and BCubed.
    gold_of = {a["file"]: a.get("incident") for a in gold["articles"] if a.get("incident")}
    considered = sorted(set(gold_of) | {f for f, i in predicted_incident.items() if i is not None})
    clustering = Counts()
    for x, y in combinations(considered, 2):
        same_gold = gold_of.get(x) is not None and gold_of.get(x) == gold_of.get(y)
        same_pred = predicted_incident[x] is not None and predicted_incident[x] == predicted_incident[y]
        clustering.tp += same_gold and same_pred
        clustering.fp += same_pred and not same_gold
        clustering.fn += same_gold and not same_pred
    gold_groups: dict[str, list[str]] = defaultdict(list)
    for f, g in gold_of.items():
        gold_groups[g].append(f)
    for g, members in sorted(gold_groups.items()):
        split: dict[int | None, list[str]] = defaultdict(list)
        for f in sorted(members):
            split[predicted_incident[f]].append(f)
        assigned = {i: fs for i, fs in split.items() if i is not None}
        if len(assigned) > 1:
            errors.append(
                {
                    "kind": "split",
                    "incident": g,
                    "predicted": dict(sorted(assigned.items())),
                    "unassigned": split.get(None, []),
                }
            )
    pred_groups: dict[int, list[str]] = defaultdict(list)
    for f, i in predicted_incident.items():
        if i is not None:
            pred_groups[i].append(f)
    for i, members in sorted(pred_groups.items()):
        mixed: dict[str | None, list[str]] = defaultdict(list)
        for f in sorted(members):
            mixed[gold_of.get(f)].append(f)
        real = {g: fs for g, fs in mixed.items() if g is not None}
        if len(real) > 1:
            errors.append(
                {
                    "kind": "mixed",
                    "predicted_incident": i,
                    "gold": dict(sorted(real.items())),
                    "not_an_incident": mixed.get(None, []),
                }
            )
    # Fields and conflicts, per gold incident matched to the predicted incident sharing most articles.
    per_field: dict[str, Counts] = defaultdict(Counts)
    expected = found = 0
    for g in gold["incidents"]:
        votes: dict[int, int] = defaultdict(int)
        for f in g["articles"]:
            if (found_in := predicted_incident.get(f)) is not None:
                votes[found_in] += 1
        match_id = max(votes, key=lambda i: votes[i]) if votes else None
        match = incidents.get(match_id) if match_id is not None else None
        fields = match["fields"] if match else {}
        for name, want in g.get("fields", {}).items():
            for e in score_field(name, want, fields.get(name), per_field[name]):
                evidence = _evidence_for(match, name, e["got"])
                sources = sorted({file_of[r["article"]] for r in evidence if r["article"] in file_of})
                errors.append(
                    {
                        "kind": "field",
                        "incident": g.get("id"),
                        "predicted_incident": match_id,
                        "field": name,
                        **e,
                        "article": sources or list(g["articles"]),
                        "quote": evidence[0]["quote"] if evidence else None,
                    }
                )
        flagged = {c["field"] for c in match["conflicts"]} if match else set()
        for c in g.get("conflicts", []):
            expected += 1
            found += c["field"] in flagged
            if c["field"] not in flagged:
                errors.append(
                    {
                        "kind": "conflict",
                        "incident": g.get("id"),
                        "field": c["field"],
                        "article": sorted(c.get("sources") or g["articles"]),
                    }
                )
    total = Counts(
        sum(c.tp for c in per_field.values()),
        sum(c.fp for c in per_field.values()),
        sum(c.fn for c in per_field.values()),
    )
    return {
        "field_f1": total.scores()["f1"],
        "fields_total": total.scores(),
        "fields": {name: c.scores() for name, c in sorted(per_field.items())},
        "relevance": relevance.scores(),
        "clustering": clustering.scores(),
        "clustering_bcubed": bcubed(gold_of, predicted_incident),
        "conflicts": {"expected": expected, "found": found, "recall": _ratio(found, expected)},
        "articles": len(gold["articles"]),
        "incidents": len(incidents),
        "errors": errors,
    }


def shorten(text: str, width: int = 100) -> str:
    """Text on one line, cut at a word boundary with an ellipsis when longer than width."""
    text = " ".join(str(text).split())
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def show_value(field: str, value: Any) -> str:
    """One field value as the error list shows it."""
    if value is None:
        return "null"
    if isinstance(value, dict) and "any_of" in value:
        return " or ".join(show_value(field, v) for v in value["any_of"])
    if field == "quotes" and isinstance(value, dict):
        said = value.get("text") or value.get("starts_with") or ""
        return f'{value.get("speaker") or "?"}: "{shorten(said, 60)}"'
    if field == "timeline" and isinstance(value, dict):
        return " ".join(str(value[k]) for k in ("event", "time", "qualifier") if value.get(k))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def error_lines(errors: list[dict[str, Any]]) -> list[str]:
    """The error list of evaluate(), readable: one line per error, grouped by kind."""
    lines: list[str] = []
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in errors:
        by_kind[e["kind"]].append(e)

    def files(paths: list[str]) -> str:
        return ", ".join(paths)

    if by_kind["relevance"]:
        lines.append(f"relevance errors ({len(by_kind['relevance'])}):")
        for e in by_kind["relevance"]:
            want = "relevant" if e["expected"] else "not relevant"
            got = "relevant" if e["got"] else "not relevant"
            why = f" (reason: {shorten(e['reason'], 80)})" if e.get("reason") else ""
            lines.append(f"  {e['file']}: expected {want}, got {got}{why}")
    clustering = by_kind["split"] + by_kind["mixed"]
    if clustering:
        lines.append(f"clustering errors ({len(clustering)}):")
        for e in by_kind["split"]:
            parts = "; ".join(f"#{i}: {files(fs)}" for i, fs in e["predicted"].items())
            alone = f"; in no incident: {files(e['unassigned'])}" if e["unassigned"] else ""
            lines.append(f"  gold incident {e['incident']} split across predicted incidents {parts}{alone}")
        for e in by_kind["mixed"]:
            parts = "; ".join(f"{g}: {files(fs)}" for g, fs in e["gold"].items())
            extra = f"; not an incident: {files(e['not_an_incident'])}" if e["not_an_incident"] else ""
            lines.append(f"  predicted incident #{e['predicted_incident']} mixes gold incidents {parts}{extra}")
    if by_kind["field"]:
        lines.append(f"field errors ({len(by_kind['field'])}):")
        incident = object()
        for e in by_kind["field"]:
            if e["incident"] != incident:
                incident = e["incident"]
                pred = (
                    f"predicted #{e['predicted_incident']}"
                    if e["predicted_incident"] is not None
                    else "no predicted incident"
                )
                lines.append(f"  {incident} ({pred})")
            expected, got = show_value(e["field"], e["expected"]), show_value(e["field"], e["got"])
            lines.append(f"    {e['field']}: {e['error']}, expected {expected}, got {got}")
            if e.get("quote"):  # the predicted value's evidence, and the articles it came from
                lines.append(f"      quote: {shorten(e['quote'])}  [{files(e['article'])}]")
    if by_kind["conflict"]:
        lines.append(f"missed conflicts ({len(by_kind['conflict'])}):")
        for e in by_kind["conflict"]:
            lines.append(f"  {e['incident']}: {e['field']} not flagged  [{files(e['article'])}]")
    return lines
