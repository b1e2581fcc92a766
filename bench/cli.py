"""Start-up benchmark: how long a command takes before it does anything, against `python -c pass`.

    python bench/cli.py              # 7 rounds
    python bench/cli.py --rounds 3
    python bench/cli.py --read-only  # python -c pass, --help, incidents, show

Builds a database from examples/corpus (one `forcewatch ingest`, not timed), then runs in
rounds, the order rotating each round so load from other processes falls on all alike:
`python -c pass`, `forcewatch incidents`, `forcewatch show 1`, `forcewatch --help`, and
two one-article ingests into a fresh copy of the database (an ordinary article, which the
first pass drops without loading the model, and a report, which loads it). Each is a fresh
process; the figures are the median wall time and the median CPU time (user + system of
the child) over the rounds. The goals (issue 12 and 14): read-only commands under 1 s,
a one-article ingest under 2 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ORDINARY = """date 2025-03-04 Library opening hours to change
outlet: Marrowby Courier

The library on Voss Road will open an hour later on Mondays from next month, the council said.
A spokesperson said the change would let staff run more reading groups for children.
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 2):
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--read-only", action="store_true", help="Only the read commands (no ingests): quicker.")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="forcewatch-cli-"))
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    fw = [sys.executable, "-m", "forcewatch.cli"]
    db = folder / "example.db"
    subprocess.run(
        [*fw, "ingest", "examples/corpus", "--db", str(db)], env=env, cwd=REPO, capture_output=True, check=True
    )
    ordinary = folder / "ordinary.txt"
    ordinary.write_text(ORDINARY, encoding="utf-8")
    report = next((REPO / "examples" / "corpus").glob("*shooting*.txt"))  # a report: the model loads

    empty = folder / "empty.db"
    make = f"from forcewatch.store.db import Store; Store({str(empty)!r})"
    subprocess.run([sys.executable, "-c", make], env=env, cwd=REPO, check=True)

    def fresh_copy(source: Path = db) -> str:
        target = folder / "copy.db"
        shutil.copy(source, target)
        return str(target)

    commands: dict[str, object] = {  # a list, or a function giving one (a fresh database each run)
        "python -c pass": [sys.executable, "-c", "pass"],
        "forcewatch --help": [*fw, "--help"],
        "forcewatch incidents": [*fw, "incidents", "--db", str(db)],
        "forcewatch show 1": [*fw, "show", "1", "--db", str(db)],
        "ingest 1 ordinary article": lambda: [*fw, "ingest", str(ordinary), "--db", fresh_copy()],
        "ingest 1 report (loads the model)": lambda: [*fw, "ingest", str(report), "--db", fresh_copy(empty)],
    }
    if args.read_only:
        commands = {k: v for k, v in commands.items() if not k.startswith("ingest")}
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    names = list(commands)
    for r in range(args.rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            spec = commands[name]
            cmd = spec() if callable(spec) else spec
            results[name].append(timed(cmd, env))  # type: ignore[arg-type]
    print(
        f"start-up benchmark: {args.rounds} rounds, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"
    )
    base_wall = statistics.median(w for w, _ in results["python -c pass"])
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"  {name:<36} {wall:6.2f} s wall  {cpu:6.2f} s CPU  ({wall - base_wall:+.2f} s over python -c pass)")
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
