"""The main job: sources -> articles -> facts -> stored, linked, reconciled incidents.

Read top to bottom: read (in chunks), skip what is stored, analyse, then store, link and
reconcile each chunk in one transaction under the writer lock. Each problem names its
input; the batch always goes on.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from forcewatch.errors import Notice, Problem
from forcewatch.ingest import read_sources
from forcewatch.ingest.stream import ReadCounts, fresh_chunks
from forcewatch.link import index
from forcewatch.link.incremental import rebuild_state, update_incident
from forcewatch.link.linker import Linker, profile_of
from forcewatch.model import Article, ArticleFacts, Incident
from forcewatch.pipeline import Analyser, Options
from forcewatch.store.db import Store

#: Articles per transaction in `ingest` (environment: FORCEWATCH_CHUNK).
CHUNK = 500
CHUNK_ENV = "FORCEWATCH_CHUNK"


@dataclass
class Report:
    stored: int = 0
    already: int = 0
    relevant: int = 0
    problems: list[Problem] = field(default_factory=list)
    incidents: set[int] = field(default_factory=set)
    notices: list[Notice] = field(default_factory=list)  # read after a repair (FW012): stored, not failed


def load_linker(store: Store) -> Linker:
    """The linker's index, kept in the store and in memory per database (forcewatch.link.index):
    loaded once, brought up to date with what others wrote since, with the pairs a person
    split apart (never healed back together)."""
    from forcewatch.link.index import load_linker as load

    return load(store)


def rebuild_incident(store: Store, incident_id: int, article_id: str | None) -> Incident | None:
    """Merge an incident in full from all its stored articles and write it (with history), after a
    merge, split or replay. Its merge state is kept (link/incremental.py: what reconcile() gives),
    so the next article into it merges incrementally instead of building it again."""
    store.incident_states.pop(incident_id, None)  # stale: articles came or went
    rows = store.members(incident_id)  # (id, published, copy_of), not the articles' text
    if not rows:
        store.retire(incident_id, None)
        return None
    return rebuild_state(store, incident_id, article_id, rows)


def chunk_size() -> int:
    """Articles per transaction (and per read-ahead): $FORCEWATCH_CHUNK, default CHUNK."""
    value = os.environ.get(CHUNK_ENV)
    return max(1, int(value)) if value else CHUNK


def ingest(
    sources: Iterable[str],
    store: Store,
    options: Options,
    on_item: Callable[[str, str], None] | None = None,
    analyser: Analyser | None = None,
) -> Report:
    """Ingest every source into the store; `on_item(path, status)` reports progress.

    The input is read in chunks of `chunk_size()` articles. Each chunk's articles, their
    evidence, links and incident rebuilds are written in one transaction under the writer
    lock, so a kill leaves whole chunks or nothing of them, and a rerun (which skips what is
    stored) finishes the rest exactly as one run would have.
    """
    report = Report()
    notify = on_item or (lambda path, status: None)
    state: dict[str, Any] = {}
    with ExitStack() as held:

        def write(chunk: list[Article]) -> None:
            stored = store.stored_ids([a.id for a in chunk])
            fresh = []
            for article in chunk:
                if article.id in stored:
                    report.already += 1
                    notify(article.path or article.id, "already stored")
                else:
                    fresh.append(article)
            if not fresh:
                return
            if "linker" not in state:  # the first new article: now take the lock, then load
                held.enter_context(store.writer_lock())
                state["analyser"] = analyser or Analyser(options)
                state["linker"] = load_linker(store)
            forced = store.overrides([a.id for a in fresh])
            write_chunk(store, state["analyser"], state["linker"], forced, fresh, report, notify)

        # Read in bounded chunks (ingest/stream.py: at most chunk_size() articles or 16 MiB of
        # text), so memory is flat in the input's size; stored ids are checked per chunk.
        counts = ReadCounts(problems=report.problems, notices=report.notices)
        for chunk in fresh_chunks(read_sources(sources), lambda _id: False, counts, notify, max_articles=chunk_size()):
            write(chunk)
    if "linker" in state:  # committed: the next process may start from this Linker
        from forcewatch.link.index import save_snapshot

        save_snapshot(store)
    return report


def write_chunk(
    store: Store,
    analyser: Analyser,
    linker: Linker,
    overrides: dict[str, int],
    articles: list[Article],
    report: Report,
    notify: Callable[[str, str], None],
) -> None:
    """Analyse a chunk, then store, link and reconcile it in input order, in one transaction."""
    analysed: dict[str, ArticleFacts] = {}
    for article, facts, error in analyser.analyse_each(articles):
        if facts is None:  # not stored, so a rerun tries it again
            problem = Problem(article.path or article.id, "FW011", error or "")
            report.problems.append(problem)
            notify(problem.source, f"error {problem}")
            continue
        analysed[article.id] = facts
    todo = [(a, analysed[a.id]) for a in articles if a.id in analysed]
    with store.transaction():
        new = store.add_articles(todo)
        done: set[str] = set()
        for article, facts in todo:
            if article.id not in new or article.id in done:
                report.already += 1
                continue
            done.add(article.id)
            report.stored += 1
            notify(article.path or article.id, "relevant" if facts.relevance.relevant else "not relevant")
            if facts.relevance.relevant:
                report.relevant += 1
                link_one(store, linker, article, facts, overrides.get(article.id), report)


def link_one(
    store: Store, linker: Linker, article: Article, facts: ArticleFacts, forced: int | None, report: Report
) -> None:
    """Link one stored article and rebuild its incident, in one transaction (or the caller's).
    An article that ties two incidents to one event merges them (history, actor `linker`, undo)."""
    with store.transaction():
        profile = profile_of(facts)
        incident_id, copy_of, _ = linker.link(article.id, profile, article.body, forced)
        store.set_link(article.id, incident_id, copy_of)
        index.record(store, linker, article.id, incident_id, profile, index.signature_of(linker.last_minhash))
        for absorbed, into in linker.take_healed():
            merge_incidents(store, into, absorbed, "linker", f"article {article.id} links both incidents")
            report.incidents.discard(absorbed)
        update_incident(store, incident_id, article.id, rebuild_incident)  # incremental: flat in its size
    report.incidents.add(incident_id)


def _live(store: Store, incident_id: int) -> None:
    row = store.incident(incident_id)
    if row is None:
        raise ValueError(f"no incident {incident_id}")
    if row.merged_into is not None:
        raise ValueError(f"incident {incident_id} was merged into incident {row.merged_into}")
    if not store.articles(incident_id):
        raise ValueError(f"incident {incident_id} has no articles")


def merge_incidents(store: Store, target: int, other: int, actor: str, reason: str | None) -> None:
    """Move every article of `other` into `target`, with `other`'s reviewed values; one transaction.

    Kept as overrides and in history; `unmerge_incident` undoes it. Raises ValueError for a
    merge that makes no sense (an incident into itself, a retired or empty incident).
    """
    if target == other:
        raise ValueError(f"cannot merge incident {target} into itself")
    with store.transaction():
        _live(store, target)
        _live(store, other)
        moved = [r.id for r in store.articles(other)]
        store.relink(moved, target, "merge", actor, reason, source=other)
        index.moved(store, moved, target)
        store.absorb_reviews(target, other, actor, reason)
        store.retire(other, target, actor)
        store.incident_states.pop(other, None)
        rebuild_incident(store, target, None)


def unmerge_incident(store: Store, other: int, actor: str, reason: str | None) -> tuple[int, list[str]]:
    """Undo the last merge of `other`: returns (the incident it had been merged into, articles moved back)."""
    with store.transaction():
        target, moved = store.unmerge(other, actor, reason)
        index.moved(store, moved, other)
        rebuild_incident(store, other, None)
        rebuild_incident(store, target, None)
    return target, moved


def split_incident(store: Store, incident_id: int, article_ids: list[str], actor: str, reason: str | None) -> int:
    """Move the named articles of an incident into a new incident (one transaction); returns its id."""
    with store.transaction():
        _live(store, incident_id)
        own = {a.id for a in store.articles(incident_id)}
        chosen = list(dict.fromkeys(article_ids))
        missing = [a for a in chosen if a not in own]
        if missing:
            raise ValueError(f"not articles of incident {incident_id}: {', '.join(missing)}")
        if len(chosen) == len(own) or not chosen:
            raise ValueError("move some, not all, of an incident's articles")
        new_id = store.next_incident_id()
        store.relink(chosen, new_id, "split", actor, reason, source=incident_id)
        index.moved(store, chosen, new_id)
        rebuild_incident(store, new_id, None)
        rebuild_incident(store, incident_id, None)
    return new_id
