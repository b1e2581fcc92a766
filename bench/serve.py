"""Web benchmark: requests/s and p50/p99 latency of `forcewatch serve` over 10,000 incidents.

Builds a SQLite database of synthetic incidents (two articles each, a dozen merged
fields with per-source quotes, evidence spans and history), written straight through
the Store's engine in bulk; starts `forcewatch serve` on 127.0.0.1 in a subprocess; and
sends a fixed number of requests per endpoint from a few concurrent workers (httpx,
keep-alive). Traffic goes only to 127.0.0.1, and every loop is bounded in count and time.

    .venv/bin/python bench/serve.py                          # 10,000 incidents, 600 requests per endpoint
    .venv/bin/python bench/serve.py --incidents 2000 --requests 200 --workers 2
    .venv/bin/python bench/serve.py --db /tmp/bench.db --keep  # reuse (and keep) the database
    .venv/bin/python bench/serve.py --with-index               # with the proposed partial index (see PROPOSED_INDEX)

Target: p99 under 100 ms for the list, a filtered list and an incident page.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forcewatch.store.db import Store  # noqa: E402
from forcewatch.store.schema import ArticleRow, EvidenceRow, HistoryRow, IncidentFieldRow, IncidentRow  # noqa: E402

PLACES = [
    ("US", "Texas", "Houston", 29.76, -95.37, "Houston Police Department"),
    ("US", "Ohio", "Columbus", 39.96, -83.0, "Columbus Police Department"),
    ("US", "California", "Los Angeles", 34.05, -118.24, "Los Angeles Police Department"),
    ("US", "Illinois", "Chicago", 41.88, -87.63, "Chicago Police Department"),
    ("US", "Arizona", "Phoenix", 33.45, -112.07, "Phoenix Police Department"),
    ("US", "Georgia", "Atlanta", 33.75, -84.39, "Atlanta Police Department"),
    ("US", "Florida", "Miami", 25.76, -80.19, "Miami Police Department"),
    ("US", "New York", "New York", 40.71, -74.0, "New York City Police Department"),
    ("GB", "London", "Croydon", 51.37, -0.1, "Metropolitan Police Service"),
    ("GB", "West Yorkshire", "Leeds", 53.8, -1.55, "West Yorkshire Police"),
    ("GB", "Greater Manchester", "Manchester", 53.48, -2.24, "Greater Manchester Police"),
    ("GB", "West Midlands", "Birmingham", 52.48, -1.9, "West Midlands Police"),
]
CATEGORIES = ["police_shooting", "police_shooting", "police_shooting", "road_traffic", "custody", "other_contact"]
ARMED = ["gun", "knife", "unarmed", "vehicle", "replica", None]
SENTENCES = [
    "{subject} was shot by officers from the {agency} in {locality} on {day}.",
    "Police said they were called to a report of a man with a {weapon} shortly before {time}.",
    "Officers gave first aid but the man died at the scene at about {time}.",
    "The {oversight} said it had begun an independent investigation into the death.",
    "Neighbours described hearing several shots and seeing armed officers in the street.",
    "Body-worn cameras were active, the force said, and the footage has been handed over.",
    "A spokesperson for the family said they wanted answers about what happened.",
    "The force said the officers involved had been placed on restricted duties.",
]


def build(db: str, n: int, seed: int = 7) -> None:
    """Write n synthetic incidents (and their articles, fields, evidence, history) in bulk."""
    rng = random.Random(seed)
    store = Store(db)
    stamp = datetime(2025, 1, 1)
    incidents, fields, articles, evidence, history = [], [], [], [], []
    for i in range(1, n + 1):
        country, region, locality, lat, lon, agency = rng.choice(PLACES)
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        category, armed = rng.choice(CATEGORIES), rng.choice(ARMED)
        age, hour = rng.randrange(16, 80), rng.randrange(24)
        conflict = rng.random() < 0.15
        subject = f"Person {i}"
        body = (
            " ".join(
                s.format(
                    subject=subject,
                    agency=agency,
                    locality=locality,
                    day=day.strftime("%A %d %B %Y"),
                    weapon=armed or "phone",
                    time=f"{hour}:{rng.randrange(60):02d}",
                    oversight="IOPC" if country == "GB" else "state attorney general",
                )
                for s in SENTENCES
            )
            * 2
        )
        quote = body[: body.index(".") + 1]
        art_ids = [f"{i:08x}{k:08x}" for k in range(2)]
        for k, aid in enumerate(art_ids):
            articles.append(
                {
                    "id": aid,
                    "path": f"/bench/{aid}.txt",
                    "url": f"https://news.example/{aid}",
                    "outlet": f"Outlet {k}",
                    "byline": None,
                    "published": day + timedelta(days=1 + k),
                    "title": f"{subject} shot by police in {locality}",
                    "body": body,
                    "language": "en",
                    "ingested_at": stamp,
                    "relevant": True,
                    "category": category,
                    "reason": "synthetic",
                    "incident_id": i,
                    "copy_of": None,
                }
            )
        values = {
            "category": category,
            "date": day.isoformat(),
            "country": country,
            "region": region,
            "locality": locality,
            "latitude": lat + rng.uniform(-0.1, 0.1),
            "longitude": lon + rng.uniform(-0.1, 0.1),
            "location_precision": "locality",
            "agency": agency,
            "subject_name": subject,
            "subject_age": age,
            "subject_gender": "male",
            "subject_armed": armed,
            "outcome": "fatal",
            "force_used": ["firearm"],
            "timeline.shots_fired": {"event": "shots_fired", "time": f"{hour:02d}:00", "qualifier": "around"},
        }
        for name, value in values.items():
            other = (
                {"event": "shots_fired", "time": f"{(hour + 1) % 24:02d}:00", "qualifier": "after"}
                if name.startswith("timeline.")
                else value
            )
            disagree = conflict and name.startswith("timeline.")
            sources = [
                {"article": aid, "value": other if (disagree and k) else value, "quotes": [quote], "contradicting": []}
                for k, aid in enumerate(art_ids)
            ]
            fields.append(
                {
                    "incident_id": i,
                    "field": name,
                    "value": value,
                    "rule": "most independent sources",
                    "support": 1 if disagree else 2,
                    "conflict": disagree,
                    "conflict_values": [value, other] if disagree else [],
                    "sources": sources,
                    "reviewed": False,
                }
            )
            history.append(
                {
                    "incident_id": i,
                    "field": name,
                    "old": None,
                    "new": value,
                    "article_id": art_ids[0],
                    "kind": "auto",
                    "actor": "forcewatch",
                    "reason": None,
                    "quote": None,
                    "at": stamp,
                }
            )
            for aid in art_ids:
                evidence.append(
                    {
                        "article_id": aid,
                        "field": name,
                        "value": value,
                        "start": 0,
                        "end": len(quote),
                        "quote": quote,
                        "confidence": 0.8,
                        "extractor": "bench",
                    }
                )
        incidents.append(
            {
                "id": i,
                "created_at": stamp,
                "updated_at": stamp,
                "merged_into": None,
                "date": day.isoformat(),
                "country": country,
                "region": region,
                "locality": locality,
                "category": category,
                "agency": agency,
                "subject": f"{subject} {age} male",
                "armed": armed,
                "latitude": values["latitude"],
                "longitude": values["longitude"],
                "sources": 2,
                "conflicts": 1 if conflict else 0,
                "reviewed": False,
            }
        )
    with store.engine.begin() as conn:
        for table, rows in (
            (IncidentRow, incidents),
            (ArticleRow, articles),
            (IncidentFieldRow, fields),
            (EvidenceRow, evidence),
            (HistoryRow, history),
        ):
            for start in range(0, len(rows), 5000):
                conn.execute(table.__table__.insert(), rows[start : start + 5000])
    store.engine.dispose()


#: The index this benchmark proposes for the schema (--with-index adds it to the synthetic database):
#: a partial index over live incidents that covers the list's count and its common filters.
PROPOSED_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_incidents_live ON incidents (date, country, category, conflicts, reviewed, armed, sources) "
    "WHERE merged_into IS NULL AND sources > 0"
)


def add_index(db: str) -> None:
    from sqlalchemy import text

    store = Store(db)
    with store.engine.begin() as conn:
        conn.execute(text(PROPOSED_INDEX))
    store.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, workers: int = 1) -> subprocess.Popen:
    env = {**os.environ, "FORCEWATCH_SECRET": "bench"}
    cmd = [
        sys.executable,
        "-m",
        "forcewatch.cli",
        "serve",
        "--db",
        db,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/incidents?per_page=1", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start within 60 s")


def load(base: str, paths: list[str], workers: int, deadline_s: float = 120.0) -> dict[str, float]:
    """GET each path once, from `workers` threads sharing the list; latencies in ms."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    queue = list(reversed(paths))
    stop_at = time.monotonic() + deadline_s

    def work() -> None:
        nonlocal errors
        with httpx.Client(base_url=base, timeout=10) as client:
            while time.monotonic() < stop_at:
                with lock:
                    if not queue:
                        return
                    path = queue.pop()
                t0 = time.perf_counter()
                try:
                    ok = client.get(path).status_code == 200
                except httpx.HTTPError:
                    ok = False
                ms = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(ms)
                    errors += not ok

    threads = [threading.Thread(target=work) for _ in range(workers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": q[49],
        "p99": q[98],
        "max": latencies[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=600, help="requests per endpoint")
    parser.add_argument("--workers", type=int, default=4, help="concurrent clients")
    parser.add_argument("--server-workers", type=int, default=1, help="server processes (forcewatch serve --workers)")
    parser.add_argument("--db", help="database file (default: a temporary one)")
    parser.add_argument("--with-index", action="store_true", help="add the proposed ix_incidents_live index first")
    parser.add_argument("--keep", action="store_true", help="keep the database; reuse it if it exists")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="fw-bench-")
    db = args.db or str(Path(tmp.name) / "bench.db")
    if not (args.keep and Path(db).exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        build(db, args.incidents)
        print(
            f"built {args.incidents:,} incidents in {time.perf_counter() - t0:.1f} s ({Path(db).stat().st_size / 1e6:.0f} MB)"
        )
    if args.with_index:
        add_index(db)
    port = free_port()
    proc = start_server(db, port, args.server_workers)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(1)
    n = args.requests
    endpoints = {
        "/ (list, page 1)": ["/"] * n,
        "/ filtered + sorted": [
            f"/?country=US&category=police_shooting&conflicts={c}&sort=sources&page={rng.randrange(1, 4)}"
            for c in rng.choices(["yes", "no", ""], k=n)
        ],
        "/incidents/{id}": [f"/incidents/{rng.randrange(1, args.incidents + 1)}" for _ in range(n)],
        "/api/incidents (JSON)": [f"/api/incidents?region=texas&page={rng.randrange(1, 10)}" for _ in range(n)],
    }
    try:
        load(base, ["/", "/incidents/1", "/?country=GB"] * 10, args.workers)  # warm up
        print(f"\n{'endpoint':26} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
        worst = 0.0
        for name, paths in endpoints.items():
            r = load(base, paths, args.workers)
            worst = max(worst, r["p99"])
            print(
                f"{name:26} {r['requests']:>8} {r['errors']:>6} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['max']:>8.1f}"
            )
        load1, load5, _ = os.getloadavg()
        print(
            f"\n{args.workers} concurrent clients, keep-alive, {args.server_workers} server process(es), {os.cpu_count()} cores "
            f"(load average {load1:.1f}/{load5:.1f} now); worst p99 {worst:.1f} ms "
            f"({'meets' if worst < 100 else 'misses'} the 100 ms target)"
        )
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if not args.keep:
            tmp.cleanup()


if __name__ == "__main__":
    main()
