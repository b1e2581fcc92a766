"""The distributed run: relevance and extraction as Dask tasks over partitions, one writer.

    forcewatch batch shards/*.jsonl --workers 4 [--scheduler tcp://host:8786]

Read top to bottom:

1. read: the driver streams the inputs (`read_sources`: JSONL, folders of .txt/.html,
   WARC) and cuts them into partitions of `partition_size` articles, in input order. A
   partition's key is a hash of its article ids.
2. skip: partitions recorded in `batch_partitions` are finished and not read again;
   articles already in the store are not sent to the workers.
3. analyse: each partition's new articles go to a Dask worker as one task, which
   returns their ArticleFacts (plain, picklable data; the driver keeps the Articles it
   sent). A worker loads spaCy once, on its first report.
4. write: the driver, holding the writer lock for the whole run, stores (in bulk), links
   and reconciles each partition's results in input order (the order makes incident ids
   the same on every run) and records the partition as finished, all in one transaction
   per partition.

A run killed at any point and started again gives the same database as one clean run:
article inserts are idempotent, finished partitions are skipped, and an unfinished
partition is replayed in order (articles stored but not yet linked are linked, and
the incidents of those already linked are rebuilt).
"""

from __future__ import annotations

import hashlib
import logging
import resource
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.schema import CreateTable

from forcewatch.errors import Problem
from forcewatch.ingest.sources import READABLE_SUFFIXES, expand_paths, read_sources
from forcewatch.model import Article, ArticleFacts
from forcewatch.pipeline import Analyser, Options
from forcewatch.run import Report, link_one, load_linker, rebuild_incident
from forcewatch.store.db import Store, now

#: Analysis of one article raised: the article is not stored, and its partition stays unfinished.
ANALYSIS_FAILED = "FW011"

metadata = MetaData()

#: One row per finished partition (the Alembic migration should create the same table).
batch_partitions = Table(
    "batch_partitions",
    metadata,
    Column("key", String(64), primary_key=True),  # sha256 of the partition's article ids, in order
    Column("articles", Integer, nullable=False),  # articles read into the partition
    Column("stored", Integer, nullable=False),  # newly stored by the run that finished it
    Column("relevant", Integer, nullable=False),  # of those, reports
    Column("first_source", Text),  # where its first article came from (file:line), for people
    Column("finished_at", DateTime, nullable=False),
)


@dataclass
class BatchOptions:
    """How to cut and where to run."""

    workers: int = 2
    scheduler: str | None = None  # a running Dask scheduler's address instead of a local cluster
    partition_size: int = 1000
    ahead: int | None = None  # partitions submitted before the oldest is written (default 2 x workers + 1)


@dataclass
class Partition:
    index: int
    articles: list[Article]
    key: str


@dataclass
class BatchReport:
    partitions: int = 0
    skipped: int = 0  # finished by an earlier run
    articles: int = 0  # read from the inputs
    stored: int = 0
    already: int = 0
    relevant: int = 0
    problems: list[Problem] = field(default_factory=list)
    incidents: set[int] = field(default_factory=set)
    worker_peak_rss: dict[str, int] = field(default_factory=dict)  # bytes, per worker address
    dashboard: str | None = None
    seconds: float = 0.0


@dataclass
class Analysed:
    """What one task returns: facts for the articles it could analyse, and those it could not."""

    facts: list[ArticleFacts]
    failed: dict[str, str]  # article id -> error
    seconds: float


# --- the worker side ------------------------------------------------------------------

_ANALYSERS: dict[tuple[Any, ...], Analyser] = {}


def _analyser(options: Options) -> Analyser:
    key = (options.ingested_on, options.batch_size)
    if key not in _ANALYSERS:
        _ANALYSERS[key] = Analyser(options)
    return _ANALYSERS[key]


def analyse_partition(articles: list[Article], options: Options) -> Analysed:
    """The first pass for every article, the reading for those it keeps; runs in a Dask worker
    (which loads the model on the first article that passes the first pass)."""
    started = time.perf_counter()
    facts: list[ArticleFacts] = []
    failed: dict[str, str] = {}
    for article, found, error in _analyser(options).analyse_each(articles):
        if found is None:  # one bad article must not sink the partition
            failed[article.id] = error or "analysis failed"
        else:
            facts.append(found)
    return Analysed(facts, failed, time.perf_counter() - started)


def peak_rss() -> int:
    """This process's peak resident memory in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# --- the driver side ------------------------------------------------------------------


def ensure_table(store: Store) -> None:
    """Create `batch_partitions` if the migrations have not (yet) done it."""
    with store.engine.begin() as conn:
        conn.execute(CreateTable(batch_partitions, if_not_exists=True))


def partition_key(article_ids: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(article_ids).encode()).hexdigest()


def partitions(items: Iterable[Article | Problem], size: int, report: BatchReport) -> Iterator[Partition]:
    """Consecutive runs of `size` articles; problems go to the report as they are met."""
    chunk: list[Article] = []
    index = 0
    for item in items:
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        chunk.append(item)
        if len(chunk) >= size:
            yield Partition(index, chunk, partition_key(a.id for a in chunk))
            index, chunk = index + 1, []
    if chunk:
        yield Partition(index, chunk, partition_key(a.id for a in chunk))


def count_articles(paths: Iterable[str]) -> int | None:
    """How many articles the inputs hold, counted cheaply (JSONL lines, files); None if unknown (WARC, URLs)."""
    total = 0
    for item in expand_paths(paths):
        if isinstance(item, Problem):
            continue
        lower = item.lower()
        if lower.startswith(("http://", "https://")) or lower.endswith((".warc", ".gz")):
            return None
        if lower.endswith((".jsonl", ".ndjson")):
            try:
                with open(item, "rb") as handle:
                    total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
            except OSError:
                continue
        elif any(lower.endswith(s) for s in READABLE_SUFFIXES):
            total += 1
    return total


def _children() -> dict[int, Any]:
    """This process's descendants by pid (the local cluster's scheduler, nannies and workers)."""
    import psutil  # type: ignore[import-untyped]

    return {p.pid: p for p in psutil.Process().children(recursive=True)}


def _reap(processes: list[Any], grace: float = 5.0) -> None:
    """Terminate, then kill, the given processes that are still alive (only those this run started)."""
    import psutil  # type: ignore[import-untyped]

    alive = [p for p in processes if p.is_running()]
    for p in alive:
        try:
            p.terminate()
        except psutil.NoSuchProcess:
            continue
    _, alive = psutil.wait_procs(alive, timeout=grace)
    for p in alive:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            continue
    psutil.wait_procs(alive, timeout=grace)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM (kill, a scheduler's stop) becomes SystemExit, so the cleanup below runs."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def dask_client(options: BatchOptions) -> Iterator[Any]:
    """A client of the named scheduler, or of a local cluster of single-threaded worker processes.

    The local cluster is closed on every way out (normal end, an exception, Ctrl-C, SIGTERM), and
    any process it started that is still alive after closing is terminated, then killed."""
    from distributed import Client, LocalCluster

    if options.scheduler:
        with Client(options.scheduler) as client:
            yield client
        return
    before = set(_children())
    cluster = client = None
    with _sigterm_raises():
        try:
            cluster = LocalCluster(
                n_workers=options.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address="127.0.0.1:8787",  # another port if taken
                silence_logs=logging.ERROR,  # not the "still alive after 4 s, killing" notices at shutdown
            )
            client = Client(cluster)
            yield client
        finally:
            started = [p for pid, p in _children().items() if pid not in before]
            for closing in (client, cluster):
                if closing is not None:
                    try:
                        closing.close(timeout=20)
                    except Exception:  # noqa: BLE001 - closing must not hide the error that got us here
                        logging.getLogger(__name__).debug("closing %r failed", closing, exc_info=True)
            _reap(started + [p for pid, p in _children().items() if pid not in before])


def _finished_keys(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.scalars(select(batch_partitions.c.key)))


def _stored_ids(store: Store, ids: list[str]) -> set[str]:
    return store.stored_ids(ids)


class Writer:
    """The single writer: stores, links and reconciles one partition at a time, in input order."""

    def __init__(self, store: Store, report: BatchReport) -> None:
        self.store = store
        self.report = report
        self.linker = load_linker(store)
        self.overrides = store.overrides()
        self.links = Report()

    def write(self, part: Partition, analysed: Analysed | None) -> None:
        """Store, link and reconcile one partition, and record it finished, in one transaction.

        A kill leaves the partition wholly written or not at all; the articles go in bulk.
        """
        facts = {f.article_id: f for f in analysed.facts} if analysed else {}
        failed = analysed.failed if analysed else {}
        stored = relevant = 0
        seen: set[str] = set()
        todo: list[tuple[Article, ArticleFacts | None]] = []
        for article in part.articles:
            if article.id in failed:
                self.report.problems.append(Problem(article.path or article.id, ANALYSIS_FAILED, failed[article.id]))
                continue
            if article.id in seen:
                self.report.already += 1
                continue
            seen.add(article.id)
            todo.append((article, facts.get(article.id)))
        with self.store.transaction() as s:
            new = self.store.add_articles([(a, f) for a, f in todo if f is not None])
            for article, f in todo:
                if f is not None and article.id in new:
                    stored += 1
                    if f.relevance.relevant:
                        relevant += 1
                        self._link(article, f)
                    continue
                self.report.already += 1
                self._replay(article)
            if not failed:  # else left unfinished: a later run retries the failed articles
                row = {
                    "key": part.key,
                    "articles": len(part.articles),
                    "stored": stored,
                    "relevant": relevant,
                    "first_source": part.articles[0].path,
                    "finished_at": now(),
                }
                s.execute(
                    self.store.insert(batch_partitions).values(**row).on_conflict_do_nothing(index_elements=["key"])
                )
        self.report.stored += stored
        self.report.relevant += relevant
        self.report.incidents |= self.links.incidents

    def _link(self, article: Article, facts: ArticleFacts) -> None:
        link_one(self.store, self.linker, article, facts, self.overrides.get(article.id), self.links)

    def _replay(self, article: Article) -> None:
        """An article stored before (a killed run, `ingest`): finish what a clean run would have done."""
        row = self.store.article(article.id)
        if row is None or not row.relevant:
            return
        if row.incident_id is None:
            [facts] = self.store.facts([article.id])
            self._link(article, facts)
        else:
            rebuild_incident(self.store, row.incident_id, article.id)
            self.links.incidents.add(row.incident_id)


def run_batch(
    paths: Iterable[str],
    store: Store,
    options: Options,
    batch: BatchOptions | None = None,
    on_start: Callable[[str | None], None] | None = None,
    on_partition: Callable[[Partition, bool], None] | None = None,
) -> BatchReport:
    """Analyse every input on Dask workers and write the results into the store.

    `on_start(dashboard_link)` is called once the cluster is up; `on_partition(partition,
    skipped)` after each partition is written (or skipped as finished).
    """
    batch = batch or BatchOptions()
    report = BatchReport()
    started = time.perf_counter()
    with store.writer_lock(), dask_client(batch) as client:
        ensure_table(store)
        workers = len(client.scheduler_info().get("workers", {})) or batch.workers
        ahead = batch.ahead or 2 * workers + 1
        report.dashboard = client.dashboard_link
        if on_start:
            on_start(report.dashboard)
        finished = _finished_keys(store)
        writer = Writer(store, report)
        window: deque[tuple[Partition, Any]] = deque()

        def write_oldest() -> None:
            part, future = window.popleft()
            writer.write(part, future.result() if future is not None else None)
            if on_partition:
                on_partition(part, False)

        for part in partitions(read_sources(paths), batch.partition_size, report):
            report.partitions += 1
            report.articles += len(part.articles)
            if part.key in finished:
                report.skipped += 1
                if on_partition:
                    on_partition(part, True)
                continue
            stored = _stored_ids(store, [a.id for a in part.articles])
            todo = list({a.id: a for a in part.articles if a.id not in stored}.values())
            future = (
                client.submit(analyse_partition, todo, options, key=f"analyse-{part.index}-{part.key[:12]}")
                if todo
                else None
            )
            window.append((part, future))
            while len(window) > ahead:
                write_oldest()
        while window:
            write_oldest()
        report.worker_peak_rss = client.run(peak_rss)
    report.seconds = time.perf_counter() - started
    return report
