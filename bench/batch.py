"""Benchmark: the plain single-process `ingest` against `batch` on 1 and 2 Dask workers.

    python bench/batch.py                 # 100,000 synthetic articles, 1% reports
    python bench/batch.py --n 20000       # a quicker run
    python bench/batch.py --n 5000 --pg postgresql://postgres@127.0.0.1:55432/postgres  # into PostgreSQL

Generates one corpus (bench/generate.py), then runs each mode in a fresh process into
its own SQLite database, one after the other, and prints articles per second (the
whole call: model loading and cluster start included), the ratios 2 workers / 1 worker
and batch / plain, the peak memory of every process, the CPU time each mode used (so
that a busy machine shows), the machine's size, and whether all modes wrote the same
database content.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
INGESTED_ON = date(2026, 11, 23)
MODES = ("plain", "batch-1", "batch-2")


def run_mode(mode: str, corpus: str, db: str, partition_size: int) -> dict[str, object]:
    """One mode, in this (fresh) process; returns its figures."""
    from forcewatch.pipeline import Options
    from forcewatch.store.db import Store

    store = Store(db)
    options = Options(ingested_on=INGESTED_ON)
    started = time.perf_counter()
    result: dict[str, object] = {"mode": mode}
    if mode == "plain":
        from forcewatch.run import ingest

        report = ingest([corpus], store, options)
        result |= {
            "stored": report.stored,
            "relevant": report.relevant,
            "problems": len(report.problems),
            "workers": {},
        }
    else:
        import forcewatch.batch as fb
        from forcewatch.batch import BatchOptions, run_batch

        # The writer's own time and the workers' task time, from the shipped Writer.write calls; the
        # writer's time is split into linking reports (Writer._link, _replay: link, rebuild the
        # incident) and storing (the rest: articles and evidence in bulk, the partition's record),
        # by wall clock and by the writer thread's own CPU time (SQLite works in that thread).
        clock = {"writer_s": 0.0, "writer_cpu": 0.0, "link_s": 0.0, "link_cpu": 0.0, "task_s": 0.0}
        counts = {"written": 0, "plain": 0, "linked": 0}
        shipped, shipped_link, shipped_replay = fb.Writer.write, fb.Writer._link, fb.Writer._replay

        def timed_write(self: fb.Writer, part: fb.Partition, analysed: fb.Analysed | None) -> None:
            t, c = time.perf_counter(), time.thread_time()
            shipped(self, part, analysed)
            clock["writer_s"] += time.perf_counter() - t
            clock["writer_cpu"] += time.thread_time() - c
            clock["task_s"] += analysed.seconds if analysed else 0.0
            counts["written"] += len(part.articles)
            counts["plain"] += sum(1 for f in analysed.facts if not f.relevance.relevant) if analysed else 0

        def timed(method):  # noqa: ANN001, ANN202
            def run(self, *args):  # noqa: ANN001, ANN002, ANN202
                t, c = time.perf_counter(), time.thread_time()
                try:
                    return method(self, *args)
                finally:
                    clock["link_s"] += time.perf_counter() - t
                    clock["link_cpu"] += time.thread_time() - c
                    counts["linked"] += 1

            return run

        fb.Writer.write = timed_write  # type: ignore[method-assign]
        fb.Writer._link = timed(shipped_link)  # type: ignore[method-assign]
        fb.Writer._replay = timed(shipped_replay)  # type: ignore[method-assign]
        up: list[float] = []
        batch = BatchOptions(workers=int(mode.split("-")[1]), partition_size=partition_size)
        report = run_batch([corpus], store, options, batch, on_start=lambda _link: up.append(time.perf_counter()))
        result |= {
            "stored": report.stored,
            "relevant": report.relevant,
            "problems": len(report.problems),
            "workers": report.worker_peak_rss,
            "cluster_start_s": round(up[0] - started, 1) if up else None,
            "writer_rate": counts["written"] / clock["writer_s"] if clock["writer_s"] else None,
            "worker_rate": counts["written"] / clock["task_s"] if clock["task_s"] else None,
            "store_s": clock["writer_s"] - clock["link_s"],
            "store_cpu": clock["writer_cpu"] - clock["link_cpu"],
            "link_s": clock["link_s"],
            "link_cpu": clock["link_cpu"],
            **counts,
        }
    result["seconds"] = time.perf_counter() - started
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    result["driver_peak_rss"] = own.ru_maxrss * 1024
    result["driver_cpu_s"] = own.ru_utime + own.ru_stime  # imports and model loading included
    result["workers_cpu_s"] = children.ru_utime + children.ru_stime  # Dask workers, once the cluster is closed
    return result


def _engine(db: str):  # noqa: ANN202
    from sqlalchemy import create_engine

    from forcewatch.store.db import database_url

    return create_engine(database_url(db))


def content_digest(db: str) -> str:
    """A hash of what a run wrote (articles, evidence, incidents, merged fields), ids included."""
    from sqlalchemy import text

    queries = [
        "SELECT id, relevant, category, incident_id, copy_of FROM articles ORDER BY id",
        'SELECT article_id, field, value, start, "end", quote FROM evidence ORDER BY article_id, id',
        "SELECT id, date, country, region, locality, category, agency, subject, sources, conflicts FROM incidents ORDER BY id",
        "SELECT incident_id, field, value, support, conflict FROM incident_fields ORDER BY incident_id, field",
    ]
    digest = hashlib.sha256()
    engine = _engine(db)
    with engine.connect() as conn:
        for query in queries:
            for row in conn.execute(text(query)):
                digest.update(repr(tuple(row)).encode())
    engine.dispose()
    return digest.hexdigest()[:16]


def incidents(db: str) -> int:
    from sqlalchemy import text

    engine = _engine(db)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM incidents WHERE sources > 0")).scalar_one()
    engine.dispose()
    return int(found)


def fresh_database(admin: str, name: str) -> str:
    """A new, empty PostgreSQL database on the server `admin` names; its URL."""
    from sqlalchemy import create_engine, make_url, text

    from forcewatch.store.db import database_url

    engine = create_engine(database_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin).set(database=name).render_as_string(hide_password=False)


def drop_database(admin: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    from forcewatch.store.db import database_url

    engine = create_engine(database_url(admin), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def machine() -> dict[str, object]:
    import psutil

    return {
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def mib(value: object) -> str:
    return f"{int(value) / 2**20:,.0f} MiB"  # type: ignore[call-overload]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="articles to generate (default 100000)")
    parser.add_argument("--relevant-share", type=float, default=0.01)
    parser.add_argument("--stream", action="store_true", help="the realistic stream of bench/stream.py instead")
    parser.add_argument("--partition-size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    parser.add_argument("--dir", type=Path, help="keep the corpus and databases here (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--rounds", type=int, default=1, help="run the modes this many times, in ABBA order")
    parser.add_argument("--pg", help="a PostgreSQL admin URL: every mode writes into a new database there")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one mode in this process
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one:
        print(json.dumps(run_mode(args.one, args.corpus, args.db, args.partition_size)))
        return 0

    sys.path.insert(0, str(HERE))
    from generate import write_jsonl

    folder = args.dir or Path(tempfile.mkdtemp(prefix="forcewatch-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / f"articles-{args.n}.jsonl"
    started = time.perf_counter()
    if args.stream:
        from stream import stream

        with corpus.open("w", encoding="utf-8") as out:
            for record in stream(args.n, report_share=args.relevant_share, seed=args.seed):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        write_jsonl(corpus, args.n, args.relevant_share, args.seed)
    print(
        f"corpus: {args.n:,} articles ({corpus.stat().st_size / 2**20:,.0f} MiB, {args.relevant_share:.1%} reports) "
        f"generated in {time.perf_counter() - started:.0f} s: {corpus}",
        flush=True,
    )
    info = machine()
    print(f"store: {'PostgreSQL (' + args.pg.rsplit('@', 1)[-1] + ')' if args.pg else 'SQLite (WAL)'}", flush=True)
    print(
        f"machine: {info['cpus']} CPUs ({info['cpus_usable']} usable), {info['ram_gib']} GiB RAM, "
        f"Python {info['python']}, {info['platform']}",
        flush=True,
    )

    results = []
    modes = args.modes.split(",")
    # Rounds in ABBA order (1, 2, 2, 1, ...): a machine whose load drifts weighs on every mode alike.
    order = [m for r in range(args.rounds) for m in (modes if r % 2 == 0 else modes[::-1])]
    for mode in order:
        if args.pg:
            pg_name = f"fw_bench_batch_{mode.replace('-', '_')}_{os.getpid()}"
            db = fresh_database(args.pg, pg_name)
        else:
            db = str(folder / f"{mode}.db")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [
            sys.executable,
            __file__,
            "--one",
            mode,
            "--corpus",
            str(corpus),
            "--db",
            str(db),
            "--partition-size",
            str(args.partition_size),
        ]
        # Dask starts its workers with PYTHONHASHSEED=6640; every mode gets the same seed, since
        # extraction does not yet give the same result under every seed (ambiguous place names).
        env = {**os.environ, "PYTHONHASHSEED": "6640"}
        load = os.getloadavg()[0]
        wall = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            print(f"{mode}: failed\n{done.stderr[-3000:]}", file=sys.stderr)
            return 1
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["process_s"] = time.perf_counter() - wall
        result["load_before"], result["load_after"] = load, os.getloadavg()[0]
        cpu = result["driver_cpu_s"] + result["workers_cpu_s"]
        result["cpu_ms_per_article"] = 1000 * cpu / args.n
        # What the CPU time alone allows on this machine when nothing else runs: busy processes
        # share the usable cores, and no process can go faster than its own CPU time.
        workers_n = len(result["workers"])
        busiest = max(result["driver_cpu_s"], result["workers_cpu_s"] / max(workers_n, 1))
        result["idle_ceiling"] = args.n / max(cpu / min(info["cpus_usable"], 1 + workers_n), busiest)
        result["rate"] = args.n / result["seconds"]
        result["incidents"] = incidents(db)
        result["digest"] = content_digest(db)
        if args.pg:
            drop_database(args.pg, pg_name)
        results.append(result)
        workers = ", ".join(mib(v) for v in result["workers"].values()) or "-"
        print(
            f"{mode:8} {result['seconds']:7.1f} s  {result['rate']:7.1f} articles/s  stored {result['stored']:,} "
            f"({result['relevant']} reports, {result['incidents']} incidents)  peak: driver {mib(result['driver_peak_rss'])}, "
            f"workers {workers}"
            + (f"  cluster up in {result['cluster_start_s']} s" if result.get("cluster_start_s") else ""),
            flush=True,
        )
        print(
            f"{'':8} CPU {result['cpu_ms_per_article']:.2f} ms/article (driver {result['driver_cpu_s']:.0f} s, "
            f"workers {result['workers_cpu_s']:.0f} s); load average {load:.1f} before, {result['load_after']:.1f} after; "
            f"CPU-bound ceiling on this machine when idle {result['idle_ceiling']:.0f} articles/s",
            flush=True,
        )

    by_mode: dict[str, dict] = {}  # per mode over its rounds: seconds summed, ceilings averaged
    for r in results:
        m = by_mode.setdefault(r["mode"], {"seconds": 0.0, "ceilings": []})
        m["seconds"] += r["seconds"]
        m["ceilings"].append(r["idle_ceiling"])
    for m in by_mode.values():
        m["rate"] = args.n * len(m["ceilings"]) / m["seconds"]
        m["idle_ceiling"] = sum(m["ceilings"]) / len(m["ceilings"])
    ratios = {}
    if {"batch-1", "batch-2"} <= by_mode.keys():
        ratios["batch-2 / batch-1"] = by_mode["batch-2"]["rate"] / by_mode["batch-1"]["rate"]
    for mode in ("batch-1", "batch-2"):
        if {"plain", mode} <= by_mode.keys():
            ratios[f"{mode} / plain"] = by_mode[mode]["rate"] / by_mode["plain"]["rate"]
    for name, value in ratios.items():
        top, bottom = name.split(" / ")
        ceiling = by_mode[top]["idle_ceiling"] / by_mode[bottom]["idle_ceiling"]
        print(f"{name}: {value:.2f}x over {args.rounds} round(s) (CPU-bound ceilings: {ceiling:.2f}x)")
    for r in results:
        if r.get("writer_rate") and r.get("worker_rate"):
            writer, worker = r["writer_rate"], r["worker_rate"]
            store_wall, store_cpu = r["written"] / r["store_s"], r["written"] / max(r["store_cpu"], 1e-9)
            reports = max(r["relevant"], 1)
            print(
                f"{r['mode']}: the writer stores {store_wall:,.0f} articles/s ({store_cpu:,.0f}/s by its own CPU time; "
                f"{r['plain']:,} of {r['written']:,} not relevant) and links {r['relevant']} reports at "
                f"{1000 * r['link_s'] / reports:.0f} ms each ({1000 * r['link_cpu'] / reports:.0f} ms CPU)"
            )
            projected = ", ".join(f"{w} workers {min(w * worker, writer):,.0f}/s" for w in (1, 2, 8, 32))
            print(
                f"{r['mode']}: the writer alone {writer:,.0f} articles/s on this stream, one worker {worker:,.0f} "
                f"articles/s; projected (min of workers x worker rate, writer rate): {projected}"
            )
            # The same projection from CPU time: each worker and the writer with a core of its own.
            writer_cpu = r["written"] / max(r["store_cpu"] + r["link_cpu"], 1e-9)
            worker_cpu = args.n / max(r["workers_cpu_s"], 1e-9)  # model loading included
            projected = ", ".join(f"{w} workers {min(w * worker_cpu, writer_cpu):,.0f}/s" for w in (1, 2, 8, 32))
            print(
                f"{r['mode']}: by CPU time the writer {writer_cpu:,.0f} articles/s, one worker {worker_cpu:,.0f} "
                f"articles/s; projected on idle cores: {projected}"
            )
    same = len({r["digest"] for r in results}) == 1
    print(f"same database content in every mode: {'yes' if same else 'NO'} ({', '.join(r['digest'] for r in results)})")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "n": args.n,
                    "relevant_share": args.relevant_share,
                    "machine": info,
                    "results": results,
                    "ratios": ratios,
                    "same_content": same,
                },
                indent=1,
            )
        )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
