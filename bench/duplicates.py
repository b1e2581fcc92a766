"""Possible duplicates: `link.duplicates.possible_duplicates` against reading every pair of reports.

The list behind `forcewatch duplicates`, the /duplicates page and /api/duplicates scores each
pair of incidents in each other's blocks by its best pair of reports. The baseline is the code as it
was before: `similarity` (which reads both profiles into Facets) over every pair of reports of
the two incidents, and a pair outside the margin scored again from each report that meets it.
The project scores each pair once, with each incident's reports read into Facets once and one
kept per distinct set of facets. Both run on the same linked synthetic corpus
(bench/link.py's generator) in one process; the lists must be the same.

    .venv/bin/python bench/duplicates.py --size 20000
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def baseline(linker, margin: float):  # type: ignore[no-untyped-def]
    """The earlier possible_duplicates: every pair of reports, each read into Facets per pair."""
    from forcewatch.link.linker import LINK_THRESHOLD, similarity

    found: dict[tuple[int, int], float] = {}
    for incident_id, incident in linker.incidents.items():
        for profile in incident.profiles:
            for other in linker.candidates(profile):
                pair = (min(incident_id, other), max(incident_id, other))
                if other == incident_id or pair in found or frozenset(pair) in linker.apart:
                    continue
                best = max(similarity(a, b) for a in incident.profiles for b in linker.incidents[other].profiles)
                if LINK_THRESHOLD - margin <= best < LINK_THRESHOLD:
                    found[pair] = best  # only pairs in the margin were kept: the others were scored again
    return sorted(((a, b, s) for (a, b), s in found.items()), key=lambda d: (-d[2], d[0], d[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=20_000, help="synthetic articles to link first")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from link import generate

    from forcewatch.link.duplicates import possible_duplicates
    from forcewatch.link.linker import REVIEW_MARGIN, Linker

    ids, profiles, _ = generate(args.size, args.seed)
    linker = Linker()
    for article_id, profile in zip(ids, profiles, strict=True):
        linker.link(article_id, profile)
    largest = max(len(i.profiles) for i in linker.incidents.values())
    t = time.process_time()  # the baseline first: the caches both use (names, word frequencies) warm for ours
    theirs = baseline(linker, REVIEW_MARGIN)
    theirs_s = time.process_time() - t
    t = time.process_time()
    ours = possible_duplicates(linker)
    ours_s = time.process_time() - t
    same = [(d.first, d.second, d.score) for d in ours] == theirs
    print(
        f"possible duplicates of {args.size:,} linked synthetic articles ({len(linker.incidents):,} incidents, "
        f"largest {largest:,} reports): {len(ours):,} pairs; possible_duplicates {ours_s:.2f} s CPU, "
        f"every pair of reports {theirs_s:.2f} s CPU: {theirs_s / ours_s:.1f}x faster; same list: {same}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
