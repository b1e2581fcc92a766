"""evaluate(): counts behind every score, BCubed clustering and the error list.

The gold file is built here, over four short invented articles (people, places and
outlets are fictional). It is deliberately wrong in places so that every kind of error
shows up: it joins two unrelated reports into one incident and splits a report from its
follow-up, claims a conflict no article supports, and gives values the articles do not
say. Expected numbers are worked out by hand in the comments. The pipeline runs once
for the module.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from forcewatch.evaluate import Counts, bcubed, shorten

ARTICLES = {
    "a1.txt": """date 2025-04-12 Man shot dead by armed police in Marrowby
outlet: The Marrowby Gazette

A 41-year-old man has died after being shot by armed police officers in Marrowby on Friday evening.

Officers were called to a house on Tenterfield Lane after reports of a man with a knife. The force said two shots were fired and the man died at the scene.

A knife was recovered. The police watchdog has been informed.
""",
    "a1b.txt": """date 2025-04-13 Marrowby police shooting: man named as Owen Tallis
outlet: The Marrowby Gazette

Owen Tallis, 41, was shot dead by armed police in Marrowby on Friday evening, the force said as it named him.

His sister, Maud Tallis, said he was a gentle man who loved fishing.
""",
    "a2.txt": """date 2025-09-03 Woman dies in police cell in Quillhaven
outlet: The Quillhaven Post

A 29-year-old woman has died after being found unresponsive in a police cell in Quillhaven on Tuesday morning.

She had been arrested the night before on suspicion of theft and was taken to the custody suite at Harbour Street police station. Paramedics were called but she was pronounced dead.

Her family have been told.
""",
    "a3.txt": """date 2025-06-20 Library opening hours extended in Fennick
outlet: The Fennick Weekly

Fennick library will open until 8pm on weekdays from next month, the town council has agreed.

Councillor Edna Pruett said the longer hours would help students and shift workers. The reading room will also be refurbished.
""",
}

A1, A1B, A2, A3 = (f"corpus/{name}" for name in ARTICLES)

GOLD = {
    "root": ".",
    "ingested_on": "2026-11-23",
    "articles": [
        {"file": A1, "relevant": True, "incident": "marrowby"},
        {"file": A1B, "relevant": True, "incident": "marrowby-again"},  # wrongly apart from a1
        {"file": A2, "relevant": True, "incident": "marrowby"},  # wrongly joined to a1
        {"file": A3, "relevant": True, "incident": "fennick"},  # wrongly relevant
    ],
    "incidents": [
        {
            "id": "marrowby",
            "articles": [A1, A2],
            "fields": {
                "outcome": "fatal",  # tp
                "subject_age": 41,  # tp
                "shots_fired": 3,  # the article says two: wrong (fp + fn)
                "force_used": ["firearm", "taser"],  # firearm tp, taser missed (fn)
                "subject_name": None,  # a1b names him, so the merged incident has a name: spurious (fp)
            },
            "conflicts": [{"field": "subject_age", "sources": {A1: "41-year-old", A2: "29-year-old"}}],
        },
        {"id": "marrowby-again", "articles": [A1B], "fields": {}},
        {"id": "fennick", "articles": [A3], "fields": {"oversight_body": "IOPC"}},  # no incident predicted: fn
    ],
}


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    from forcewatch.evaluate import evaluate

    root = tmp_path_factory.mktemp("gold")
    (root / "corpus").mkdir()
    for name, text in ARTICLES.items():
        (root / "corpus" / name).write_text(text)
    (root / "gold.json").write_text(json.dumps(GOLD))
    return evaluate(root / "gold.json")


def kinds(result, kind):
    return [e for e in result["errors"] if e["kind"] == kind]


def test_zero_predictions_give_no_precision():
    assert Counts(0, 0, 3).scores() == {"precision": None, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 3}
    assert Counts(0, 0, 0).scores()["f1"] is None
    assert Counts(2, 1, 1).scores() == {"precision": 0.6667, "recall": 0.6667, "f1": 0.6667, "tp": 2, "fp": 1, "fn": 1}


def test_bcubed_by_hand():
    # Gold: {a, b, c}; predicted: {a, b}, c in no incident (a singleton), d only predicted (a gold singleton).
    # a, b: precision 2/2, recall 2/3; c: 1/1, 1/3; d: 1/1, 1/1 -> P 1, R (2/3 + 2/3 + 1/3 + 1) / 4 = 2/3.
    got = bcubed({"a": "g", "b": "g", "c": "g", "e": None}, {"a": 1, "b": 1, "c": None, "d": 2, "e": None})
    assert got == {"precision": 1.0, "recall": 0.6667, "f1": 0.8, "articles": 4}
    assert bcubed({}, {"a": None})["f1"] is None


def test_shorten_cuts_at_a_word_boundary():
    assert shorten("short enough", 20) == "short enough"
    assert shorten("the quick brown fox jumps over the lazy dog", 20) == "the quick brown fox…"
    assert len(shorten("word " * 50, 30)) <= 30


def test_relevance_counts_and_error(result):
    # a1, a1b, a2 found; the library piece (gold says relevant) is not.
    assert result["relevance"] == {"precision": 1.0, "recall": 0.75, "f1": 0.8571, "tp": 3, "fp": 0, "fn": 1}
    [error] = kinds(result, "relevance")
    assert error["file"] == A3 and error["expected"] is True and error["got"] is False
    assert isinstance(error["reason"], str) and error["reason"]  # the reason stored on the article row


def test_clustering_pairs_and_bcubed(result):
    # Predicted {a1, a1b}, {a2}, a3 in none; gold {a1, a2}, {a1b}, {a3}.
    # Pairs: (a1, a1b) predicted together only: fp; (a1, a2) gold together only: fn.
    assert result["clustering"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    # BCubed: a1 P 1/2 R 1/2; a1b P 1/2 R 1; a2 P 1 R 1/2; a3 P 1 R 1 -> P 0.75, R 0.75.
    assert result["clustering_bcubed"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "articles": 4}
    assert result["incidents"] == 2
    [split] = kinds(result, "split")
    assert split["incident"] == "marrowby" and split["unassigned"] == []
    assert sorted(split["predicted"].values()) == [[A1], [A2]]
    [mixed] = kinds(result, "mixed")
    assert mixed["gold"] == {"marrowby": [A1], "marrowby-again": [A1B]} and mixed["not_an_incident"] == []
    assert mixed["predicted_incident"] in split["predicted"]


def test_field_counts(result):
    fields = result["fields"]
    assert fields["outcome"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0}
    assert fields["shots_fired"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 1, "fn": 1}
    assert fields["force_used"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "tp": 1, "fp": 0, "fn": 1}
    assert fields["subject_name"] == {"precision": 0.0, "recall": None, "f1": 0.0, "tp": 0, "fp": 1, "fn": 0}
    # Nothing predicted for the Fennick "incident": no precision at all, not 1.00.
    assert fields["oversight_body"] == {"precision": None, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    # tp: outcome, age, firearm; fp: shots, name; fn: shots, taser, IOPC.
    assert result["fields_total"] == {"precision": 0.6, "recall": 0.5, "f1": 0.5455, "tp": 3, "fp": 2, "fn": 3}
    assert result["field_f1"] == 0.5455


def test_field_errors(result):
    errors = {(e["incident"], e["field"]): e for e in kinds(result, "field")}
    assert set(errors) == {
        ("marrowby", "shots_fired"),
        ("marrowby", "force_used"),
        ("marrowby", "subject_name"),
        ("fennick", "oversight_body"),
    }
    shots = errors["marrowby", "shots_fired"]
    assert (shots["error"], shots["expected"], shots["got"]) == ("wrong", 3, 2)
    assert shots["article"] == [A1] and "two shots were fired" in shots["quote"]
    taser = errors["marrowby", "force_used"]
    assert (taser["error"], taser["expected"], taser["got"], taser["quote"]) == ("missed", "taser", None, None)
    assert taser["article"] == [A1, A2]  # no predicted value: the gold incident's articles
    name = errors["marrowby", "subject_name"]
    assert (name["error"], name["expected"], name["got"]) == ("spurious", None, "Owen Tallis")
    assert name["article"] == [A1B] and "Owen Tallis, 41, was shot dead" in name["quote"]
    iopc = errors["fennick", "oversight_body"]
    assert iopc["predicted_incident"] is None and iopc["article"] == [A3] and iopc["error"] == "missed"


def test_missed_conflict(result):
    assert result["conflicts"] == {"expected": 1, "found": 0, "recall": 0.0}
    assert kinds(result, "conflict") == [
        {"kind": "conflict", "incident": "marrowby", "field": "subject_age", "article": [A1, A2]}
    ]


def test_eval_command_prints_counts_and_errors(result, monkeypatch, tmp_path):
    import forcewatch.evaluate
    from forcewatch.cli import app

    monkeypatch.setattr(forcewatch.evaluate, "evaluate", lambda gold: json.loads(json.dumps(result)))
    gold = tmp_path / "gold.json"
    gold.write_text("{}")
    runner = CliRunner()
    out = runner.invoke(app, ["eval", str(gold)], terminal_width=200).output
    assert "fields (micro): precision 0.60 recall 0.50 f1 0.55 (tp 3, fp 2, fn 3)" in out
    assert "clustering (BCubed, 4 articles): precision 0.75 recall 0.75 f1 0.75" in out
    assert "shots_fired: wrong, expected 3, got 2" in out
    assert "oversight_body: missed, expected IOPC, got null" in out
    assert f"{A3}: expected relevant, got not relevant (reason: " in out
    assert "marrowby: subject_age not flagged" in out
    assert "split across predicted incidents" in out and "mixes gold incidents" in out
    quiet = runner.invoke(app, ["eval", str(gold), "--no-errors"], terminal_width=200).output
    assert "relevance: precision 1.00 recall 0.75 f1 0.86 (tp 3, fp 0, fn 1)" in quiet
    assert "field errors" not in quiet
    data = json.loads(runner.invoke(app, ["eval", str(gold), "--json"]).output)
    assert data["fields"]["oversight_body"]["precision"] is None and len(data["errors"]) == len(result["errors"])
