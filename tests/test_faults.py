"""The fault suite: kill -9 writers at every commit boundary and at random moments, rerun, compare.

Every run is a real `forcewatch` process. `tests/kill_at_commit.py` kills it just before
its Nth database commit (a clean run first counts the commits); random kills are a
SIGKILL after a random delay. After each kill the database must be consistent (no report
left unlinked, no live incident without fields, no incident without articles); after the
rerun every table must equal the clean run's, row for row (timestamps aside). Three
concurrent `ingest` processes over the thirds of a corpus must give what one run of the
thirds in the same order gives (SQLite, and PostgreSQL when FORCEWATCH_TEST_PG is set).

The counts (runs, kills, rows compared, differences) are printed at the end of each test.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
KILLER = REPO / "tests" / "kill_at_commit.py"
INGESTED_ON = "2026-11-23"
ARTICLES, SHARE, CHUNK = 45, 0.35, 15  # three chunks of 15, about 15 reports
#: Columns that say when, not what: left out of the comparison.
VOLATILE = {"ingested_at", "created_at", "updated_at", "at", "finished_at"}
# One hash seed for every process (extraction can depend on set order for ambiguous place names).
ENV = {**os.environ, "PYTHONHASHSEED": "6640", "FORCEWATCH_CHUNK": str(CHUNK), "PYTHONPATH": str(REPO)}


@dataclass
class Tally:
    runs: int = 0
    kills: int = 0
    rows: int = 0
    differences: int = 0

    def line(self, what: str) -> str:
        return (
            f"fault suite, {what}: runs {self.runs}, kills {self.kills}, "
            f"rows compared {self.rows}, differences {self.differences}"
        )


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    assert _generator().write_jsonl(path, ARTICLES, SHARE, seed=11) == ARTICLES
    return path


def forcewatch(tally: Tally, args: list[str], kill_at: int = 0, counts: Path | None = None) -> tuple[int, str]:
    """Run the CLI (killed before commit `kill_at`, 0: never); returns (exit code, stderr)."""
    counts = counts or Path(os.devnull)
    cmd = [sys.executable, str(KILLER), str(kill_at), str(counts), "--", *args]
    done = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=600, check=False)
    tally.runs += 1
    if done.returncode == -signal.SIGKILL:
        tally.kills += 1
    return done.returncode, done.stderr


def commits_of(tally: Tally, args: list[str], tmp: Path) -> int:
    counts = tmp / "commits.txt"
    rc, errs = forcewatch(tally, args, 0, counts)
    assert rc == 0, errs
    return int(counts.read_text())


def kill_randomly(tally: Tally, args: list[str], delay: float) -> None:
    cmd = [sys.executable, "-m", "forcewatch.cli", *args]
    proc = subprocess.Popen(cmd, cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tally.runs += 1
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        tally.kills += 1


def copy_db(src: Path, dst: Path) -> None:
    """A SQLite file with its write-ahead log: a stale -wal left beside `dst` by an earlier copy
    (or a killed process) would be replayed into the new file and corrupt it."""
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copy(src, dst)
    if Path(f"{src}-wal").exists():
        shutil.copy(f"{src}-wal", f"{dst}-wal")


def tables(db: Path) -> dict[str, Counter]:
    """Every row of every table (timestamps left out), as a multiset per table."""
    with closing(sqlite3.connect(db)) as conn:  # closed: an open handle keeps the -wal
        names = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        out: dict[str, Counter] = {}
        for name in names:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({name})") if r[1] not in VOLATILE]
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM {name}").fetchall()
            out[name] = Counter(rows)
        return out


def compare(tally: Tally, got: Path, expected: Path) -> list[str]:
    """Differences between two databases, table by table; adds to the tally."""
    a, b = tables(got), tables(expected)
    problems = []
    for name in sorted(set(a) | set(b)):
        ra, rb = a.get(name, Counter()), b.get(name, Counter())
        tally.rows += sum(rb.values())
        diff = (ra - rb) + (rb - ra)
        if diff:
            tally.differences += sum(diff.values())
            problems.append(f"{name}: {sum(diff.values())} rows differ, e.g. {next(iter(diff))!r:.300}")
    return problems


def inconsistencies(db: Path) -> list[str]:
    """What a half-written database shows: reports with no incident, incidents with no fields or no articles."""
    if not db.exists():
        return []
    with closing(sqlite3.connect(db)) as conn:  # closed: an open handle keeps the -wal
        have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "incidents" not in have:
            return []
        checks = {
            "relevant articles with no incident": "SELECT count(*) FROM articles WHERE relevant AND incident_id IS NULL",
            "live incidents with articles but no fields": (
                "SELECT count(*) FROM incidents i WHERE merged_into IS NULL"
                " AND EXISTS (SELECT 1 FROM articles a WHERE a.incident_id = i.id)"
                " AND NOT EXISTS (SELECT 1 FROM incident_fields f WHERE f.incident_id = i.id)"
            ),
            "live incidents with articles but sources 0": (
                "SELECT count(*) FROM incidents i WHERE merged_into IS NULL AND sources = 0"
                " AND EXISTS (SELECT 1 FROM articles a WHERE a.incident_id = i.id)"
            ),
            "incidents counted as sourced with no articles": (
                "SELECT count(*) FROM incidents i WHERE sources > 0"
                " AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.incident_id = i.id)"
            ),
            "evidence of no article": (
                "SELECT count(*) FROM evidence e WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.article_id)"
            ),
        }
        return [f"{n} {what}" for what, sql in checks.items() if (n := conn.execute(sql).fetchone()[0])]


def ingest_args(corpus: Path | list[Path], db: Path) -> list[str]:
    paths = [str(p) for p in (corpus if isinstance(corpus, list) else [corpus])]
    return ["ingest", *paths, "--db", str(db), "--ingested-on", INGESTED_ON]


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """One uninterrupted ingest, and how many commits it made."""
    tmp = tmp_path_factory.mktemp("clean")
    db = tmp / "clean.db"
    commits = commits_of(Tally(), ingest_args(corpus, db), tmp)
    assert commits >= 1 + ARTICLES // CHUNK  # the migration, then one per chunk
    return db, commits


def test_ingest_killed_at_every_commit_boundary_then_rerun_equals_a_clean_run(clean, corpus, tmp_path, capsys):
    """One database killed before each of its commits in turn (each rerun gets one step further)."""
    expected, commits = clean
    tally = Tally()
    db = tmp_path / "killed.db"
    # Run 1 dies before the migration commits, run 2 before its first chunk, each later run
    # after committing one more chunk (the schema is current then: no migration commit, so its
    # second commit is the next chunk's): every boundary once.
    plan = [1, 2] + [2] * (commits - 2)
    for kill_at in plan:
        rc, errs = forcewatch(tally, ingest_args(corpus, db), kill_at)
        assert rc == -signal.SIGKILL, f"run meant to die at commit {kill_at} ended with {rc}: {errs[-500:]}"
        assert inconsistencies(db) == [], f"after a kill at commit {kill_at}"
    rc, errs = forcewatch(tally, ingest_args(corpus, db))
    assert rc == 0, errs
    problems = compare(tally, db, expected)
    with capsys.disabled():
        print("\n" + tally.line(f"ingest, {len(plan)} commit boundaries"))
    assert problems == [] and tally.kills == len(plan)


def test_ingest_killed_at_random_moments_then_rerun_equals_a_clean_run(clean, corpus, tmp_path, capsys):
    expected, _ = clean
    tally = Tally()
    rng = random.Random(20261201)
    for i in range(3):
        db = tmp_path / f"random{i}.db"
        kill_randomly(tally, ingest_args(corpus, db), rng.uniform(3.0, 15.0))
        assert inconsistencies(db) == []
        rc, errs = forcewatch(tally, ingest_args(corpus, db))
        assert rc == 0, errs
        assert compare(tally, db, expected) == [], f"random kill {i}"
    with capsys.disabled():
        print("\n" + tally.line("ingest, random kills"))
    assert tally.differences == 0


def _two_incidents(db: Path) -> tuple[int, int, str]:
    """Two live incidents and one article of the first (the one with most articles)."""
    with closing(sqlite3.connect(db)) as conn:  # closed: an open handle keeps the -wal
        rows = conn.execute(
            "SELECT incident_id, count(*) n, min(id) FROM articles WHERE incident_id IS NOT NULL"
            " GROUP BY incident_id ORDER BY n DESC, incident_id"
        ).fetchall()
    assert len(rows) >= 2 and rows[0][1] >= 2, rows
    return rows[0][0], rows[1][0], rows[0][2]


def test_merge_split_unmerge_killed_at_every_commit_then_rerun_equals_a_clean_run(clean, tmp_path, capsys):
    """Each person's decision is one transaction: killed, it leaves nothing; rerun, it equals one clean run."""
    source, _ = clean
    big, small, article = _two_incidents(source)
    tally = Tally()
    steps = [
        ["merge", str(big), str(small), "--reason", "same event", "--actor", "editor"],
        ["unmerge", str(small), "--reason", "not the same", "--actor", "editor"],
        ["split", str(big), article, "--reason", "two events", "--actor", "editor"],
    ]
    reference = tmp_path / "reference.db"
    copy_db(source, reference)
    for step in steps:
        db = tmp_path / "step.db"
        copy_db(reference, db)
        commits = commits_of(tally, [*step, "--db", str(reference)], tmp_path)  # the clean decision
        for kill_at in range(1, commits + 1):
            before = tmp_path / "before.db"
            copy_db(db, before)
            rc, errs = forcewatch(tally, [*step, "--db", str(db)], kill_at)
            assert rc == -signal.SIGKILL, errs
            assert compare(tally, db, before) == [], f"{step[0]} killed at commit {kill_at} left a change"
            assert inconsistencies(db) == []
        rc, errs = forcewatch(tally, [*step, "--db", str(db)])
        assert rc == 0, errs
        assert compare(tally, db, reference) == [], f"{step[0]} rerun"
    with capsys.disabled():
        print("\n" + tally.line("merge, unmerge, split"))
    assert tally.differences == 0 and tally.kills >= 3


def test_web_review_killed_at_its_commit_leaves_nothing_then_lands_once(clean, tmp_path, capsys):
    """A review posted through the web app (signed in, CSRF token), killed at its commit, then posted again."""
    source, _ = clean
    big, _, _ = _two_incidents(source)
    tally = Tally()
    script = tmp_path / "review.py"
    script.write_text(WEB_REVIEW.format(incident=big), encoding="utf-8")
    base, reference, db = tmp_path / "base.db", tmp_path / "reference.db", tmp_path / "review.db"
    copy_db(source, base)
    from forcewatch.store.db import Store
    from forcewatch.web.auth import hash_password

    store = Store(str(base))
    store.add_user("editor", hash_password("a long test password"))
    store.engine.dispose()
    copy_db(base, reference)
    copy_db(base, db)
    run = [sys.executable, str(KILLER)]

    def review(target: Path, kill_at: int, counts: Path) -> int:
        cmd = [*run, str(kill_at), str(counts), "--", "python", str(script), str(target)]
        done = subprocess.run(cmd, cwd=REPO, env=ENV, capture_output=True, text=True, timeout=300, check=False)
        tally.runs += 1
        tally.kills += done.returncode == -signal.SIGKILL
        assert done.returncode in (0, -signal.SIGKILL), done.stderr[-2000:]
        return done.returncode

    counts = tmp_path / "commits.txt"
    assert review(reference, 0, counts) == 0
    commits = int(counts.read_text())
    with closing(sqlite3.connect(reference)) as conn:  # closed: an open handle keeps the -wal
        assert conn.execute("SELECT count(*) FROM history WHERE kind='review'").fetchone()[0] == 1
    before = tmp_path / "before.db"
    copy_db(db, before)
    assert review(db, commits, tmp_path / "x.txt") == -signal.SIGKILL  # the review's own commit is the last
    assert compare(tally, db, before) == []
    assert review(db, 0, tmp_path / "x.txt") == 0
    problems = compare(tally, db, reference)
    with capsys.disabled():
        print("\n" + tally.line("web review"))
    assert problems == []


#: Signs in and posts one review through the real app (TestClient: in-process ASGI, no socket).
WEB_REVIEW = """
import re, sys
from fastapi.testclient import TestClient
from forcewatch.store.db import Store
from forcewatch.web import create_app
from forcewatch.web.auth import hash_password

store = Store(sys.argv[1])
if store.user("editor") is None:
    store.add_user("editor", hash_password("a long test password"))
with TestClient(create_app(store, secret="test-secret")) as client:
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text).group(1)
    r = client.post("/login", data={{"name": "editor", "password": "a long test password",
                                     "csrf_token": token, "next": "/"}}, follow_redirects=False)
    assert r.status_code == 303, r.text
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    r = client.post("/incidents/{incident}/review", data={{"field": "subject_name", "value": "Ada Voss",
                    "reason": "named at the inquest", "csrf_token": token}}, follow_redirects=False)
    assert r.status_code == 303, r.text
"""


def test_batch_killed_at_a_partition_commit_then_rerun_equals_a_clean_ingest(clean, corpus, tmp_path, capsys):
    """`batch` writes each partition in one transaction: killed before one commits, the rerun finishes it."""
    expected, _ = clean
    tally = Tally()
    db = tmp_path / "batch.db"
    args = ["batch", str(corpus), "--workers", "1", "--partition-size", str(CHUNK), "--db", str(db)]
    args += ["--ingested-on", INGESTED_ON]
    # Commits: the migration, batch_partitions, then one per partition; die before the second partition's.
    rc, errs = forcewatch(tally, args, 4)
    assert rc == -signal.SIGKILL, errs[-2000:]
    assert inconsistencies(db) == []
    with closing(sqlite3.connect(db)) as conn:  # closed: an open handle keeps the -wal
        assert conn.execute("SELECT count(*) FROM batch_partitions").fetchone()[0] == 1
    rc, errs = forcewatch(tally, args)
    assert rc == 0, errs[-2000:]
    got, want = tables(db), tables(expected)
    assert sum(got.pop("batch_partitions").values()) == ARTICLES // CHUNK
    assert sum(want.pop("batch_partitions", Counter()).values()) == 0  # ingest has the table, empty
    problems = []
    for name in sorted(set(got) | set(want)):  # batch writes what ingest writes, row for row
        tally.rows += sum(want[name].values())
        diff = (got[name] - want[name]) + (want[name] - got[name])
        tally.differences += sum(diff.values())
        if diff:
            problems.append(f"{name}: {next(iter(diff))!r:.300}")
    with capsys.disabled():
        print("\n" + tally.line("batch"))
    assert problems == []


# --- concurrent writers -------------------------------------------------------------------


def thirds(corpus: Path, folder: Path) -> list[Path]:
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(lines) // 3)
    parts = []
    for i in range(3):
        part = folder / f"third{i}.jsonl"
        part.write_text("".join(lines[i * size : (i + 1) * size]), encoding="utf-8")
        parts.append(part)
    return parts


def lock_order(db: str, parts: list[Path]) -> list[Path]:
    """The order in which the writers held the lock: by when each third's first article was stored."""
    from sqlalchemy import create_engine, func, select

    from forcewatch.store.db import database_url
    from forcewatch.store.schema import ArticleRow

    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        q = select(ArticleRow.path, func.min(ArticleRow.ingested_at)).group_by(ArticleRow.path)
        first = {path: at for path, at in conn.execute(q).all()}
    engine.dispose()
    started = {p: min(t for path, t in first.items() if path and path.startswith(str(p))) for p in parts}
    return sorted(parts, key=started.__getitem__)


def concurrent_then_sequential(db: str, reference: str, parts: list[Path], tally: Tally) -> None:
    racers = [
        subprocess.Popen(
            [sys.executable, "-m", "forcewatch.cli", *ingest_args(part, db)],  # type: ignore[arg-type]
            cwd=REPO,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in parts
    ]
    for p in racers:
        _out, errs = p.communicate(timeout=900)
        tally.runs += 1
        assert p.returncode == 0, errs[-2000:]
    order = lock_order(db, parts)
    rc, errs = forcewatch(tally, ["ingest", *map(str, order), "--db", reference, "--ingested-on", INGESTED_ON])
    assert rc == 0, errs


def test_three_concurrent_ingests_on_sqlite_equal_one_run(corpus, tmp_path, capsys):
    tally = Tally()
    parts = thirds(corpus, tmp_path)
    db, reference = tmp_path / "shared.db", tmp_path / "reference.db"
    concurrent_then_sequential(str(db), str(reference), parts, tally)
    problems = compare(tally, db, reference)
    with capsys.disabled():
        print("\n" + tally.line("3 concurrent ingests, SQLite"))
    assert problems == []


@pytest.mark.postgres
def test_three_concurrent_ingests_on_postgres_equal_one_run(corpus, tmp_path, new_pg_database, db_content, capsys):
    tally = Tally()
    parts = thirds(corpus, tmp_path)
    db, reference = new_pg_database(), new_pg_database()
    concurrent_then_sequential(db, reference, parts, tally)
    got, expected = db_content(db), db_content(reference)
    for key in ("articles", "evidence", "incidents", "incident_ids", "counts"):
        tally.rows += len(expected[key])
        if got[key] != expected[key]:
            tally.differences += 1
    with capsys.disabled():
        print("\n" + tally.line("3 concurrent ingests, PostgreSQL"))
    assert tally.differences == 0
