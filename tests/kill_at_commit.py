"""Run the forcewatch CLI and kill -9 it just before its Nth database commit (for tests/test_faults.py).

    python tests/kill_at_commit.py N COUNT_FILE -- ingest corpus.jsonl --db x.db
    python tests/kill_at_commit.py N COUNT_FILE -- python script.py ARGS

N = 0 never kills; the number of commits the run made is written to COUNT_FILE at exit
(so a clean run tells the fault suite how many commit boundaries there are). The kill is
a real SIGKILL of this process, sent by itself from SQLAlchemy's `commit` event, which
fires before the database receives COMMIT: everything before that commit is durable,
the transaction being committed is lost, exactly as with a crash at that point.
"""

from __future__ import annotations

import atexit
import os
import signal
import sys
from pathlib import Path


def main() -> None:
    kill_at, count_file = int(sys.argv[1]), Path(sys.argv[2])
    assert sys.argv[3] == "--"
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    commits = 0

    def on_commit(_conn: object) -> None:
        nonlocal commits
        commits += 1
        if commits == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "commit", on_commit)
    atexit.register(lambda: count_file.write_text(str(commits)))
    if sys.argv[4] == "python":  # a script instead of the CLI: python SCRIPT ARGS...
        import runpy

        sys.argv = sys.argv[5:]
        runpy.run_path(sys.argv[0], run_name="__main__")
        return
    sys.argv = ["forcewatch", *sys.argv[4:]]
    from forcewatch.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
