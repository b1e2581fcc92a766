"""The read-only commands as a person uses them: filters shared with the web list, readable `show`, 80 columns."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from forcewatch.cli import app
from forcewatch.pipeline import Options
from forcewatch.run import ingest
from forcewatch.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "x.db")
    paths = [ROOT / "examples" / "corpus", ROOT / "tests" / "corpus" / "web"]
    assert not ingest([str(p) for p in paths], Store(path), Options(ingested_on=date(2025, 11, 1))).problems
    return path


def cli(*args: str) -> tuple[int, str, str]:
    r = runner.invoke(app, list(args), terminal_width=200)
    return r.exit_code, r.stdout, r.stderr


def test_version() -> None:
    code, out, _ = cli("--version")
    assert code == 0 and re.fullmatch(r"forcewatch \d+\.\d+\.\d+\S*\n", out)


def test_every_option_has_help_and_no_flag_shows_a_type() -> None:
    root = typer.main.get_command(app)

    def commands(cmd, path):  # noqa: ANN001, ANN202
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from commands(sub, [*path, name])

    for path, cmd in commands(root, []):
        for param in cmd.params:
            assert getattr(param, "help", None), (path, param.name)
        code, out, _ = cli(*path, "--help")
        assert code == 0 and "<bool>" not in out, path


def test_a_mistyped_db_is_refused_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "forcewatc.db"
    for command in (["incidents"], ["show", "1"], ["export"]):
        code, _, err = cli(*command, "--db", str(missing))
        assert code == 2 and str(missing) in err.replace("\n", "") and "no database" in err
    assert not missing.exists()


def test_incidents_filters_sort_and_limit_like_the_web_list(db: str) -> None:
    every = json.loads(cli("incidents", "--db", db, "--json")[1])
    assert len(every) == 3
    gb = json.loads(cli("incidents", "--db", db, "--json", "--country", "GB")[1])
    assert {r["country"] for r in gb} == {"GB"} and len(gb) == 2
    by_date = json.loads(cli("incidents", "--db", db, "--json", "--sort", "date", "--order", "asc")[1])
    assert [r["date"] for r in by_date] == sorted(r["date"] for r in every)
    conflicting = json.loads(cli("incidents", "--db", db, "--json", "--conflicts", "yes")[1])
    assert conflicting and all(r["conflicts"] for r in conflicting)
    found = json.loads(cli("incidents", "--db", db, "--json", "--search", "kingsthorpe")[1])  # words of a report
    assert [r["locality"] for r in found] == ["Northampton"]
    code, out, _ = cli("incidents", "--db", db, "--limit", "1")
    assert code == 0 and "1 of 3 incidents" in out
    code, out, _ = cli("incidents", "--db", db)
    assert "Police shooting" in out and "police_shooting" not in out  # labels, not codes
    assert max(len(line) for line in out.splitlines()) <= 80
    assert re.search(r"^\d+ +2025-10-06 +Luton, GB .*Police shooting +2 +1$", out, re.M), out  # nothing cropped
    assert cli("incidents", "--db", db, "--date-to", "2025-02-30")[0] == 2
    assert "no incidents match" in cli("incidents", "--db", db, "--country", "NZ")[1]


def test_show_reads_as_labels_and_whole_words(db: str) -> None:
    luton = next(r for r in json.loads(cli("incidents", "--db", db, "--json")[1]) if r["locality"] == "Luton")
    code, out, _ = cli("show", str(luton["id"]), "--db", db)
    assert code == 0
    assert out.startswith(f"Incident {luton['id']}: Man, 38, shot dead by Bedfordshire Police in Luton, 6 Oct 2025")
    assert "0 of " in out and "fields checked by a person" in out
    assert "Body camera: Yes" in out and "Country: United Kingdom" in out and "Category: Police shooting" in out
    assert "Call received (time): at 19:20" in out
    for python in ("True", "False", "None", "exact "):
        assert python not in out, python
    assert "CONFLICT" in out and "Conflict on Shots fired (time)" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    text = " ".join(out.split())
    bodies = " ".join(" ".join(p.read_text().split()) for p in (ROOT / "examples" / "corpus").glob("luton*.txt"))
    for quote in re.findall(r"“([^”]+)”", text):
        if quote.endswith(" …"):  # shortened at a word boundary, and says so
            assert quote[:-2] in bodies and bodies[bodies.index(quote[:-2]) + len(quote) - 2] == " "
        elif "(" not in quote:  # the speaker's quotes field shows its own text
            assert quote in bodies, quote
