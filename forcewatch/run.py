"""The main job: sources -> articles -> facts -> stored, linked, reconciled incidents.

Read top to bottom: read, skip what is stored, analyse, store, link, reconcile.
Each problem names its input; the batch always goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from forcewatch.errors import Problem
from forcewatch.ingest import read_sources
from forcewatch.model import Article, ArticleFacts, Incident
from forcewatch.pipeline import Analyser, Options
from forcewatch.store.db import Store

if TYPE_CHECKING:  # the linker imports datasketch and scipy: only when an article is linked
    from forcewatch.link.linker import Linker


@dataclass
class Report:
    stored: int = 0
    already: int = 0
    relevant: int = 0
    problems: list[Problem] = field(default_factory=list)
    incidents: set[int] = field(default_factory=set)


def load_linker(store: Store) -> Linker:
    """The linker's index, kept in the store and in memory, brought up to date (forcewatch.link.index)."""
    from forcewatch.link.index import load_linker as load

    return load(store)


def rebuild_incident(store: Store, incident_id: int, article_id: str | None) -> Incident | None:
    """Reconcile an incident from all its stored articles and write it (with history)."""
    from forcewatch.link.reconcile import reconcile

    rows = store.articles(incident_id)
    if not rows:
        store.retire(incident_id, None)
        return None
    facts = store.facts([r.id for r in rows])
    published = {r.id: r.published for r in rows}
    copies = {r.id: r.copy_of for r in rows}

    def group(aid: str) -> str:
        seen = set()
        while copies.get(aid) and aid not in seen:
            seen.add(aid)
            aid = copies[aid]  # type: ignore[assignment]
        return aid

    incident = reconcile(incident_id, facts, published, group)
    independent = len({group(r.id) for r in rows})
    store.save_incident(incident, independent, article_id)
    return incident


def ingest(
    sources: Iterable[str],
    store: Store,
    options: Options,
    on_item: Callable[[str, str], None] | None = None,
    analyser: Analyser | None = None,
) -> Report:
    """Ingest every source into the store; `on_item(path, status)` reports progress."""
    report = Report()
    notify = on_item or (lambda path, status: None)
    fresh: list[Article] = []
    for item in read_sources(sources):
        if isinstance(item, Problem):
            report.problems.append(item)
            notify(item.source, f"error {item}")
            continue
        if store.has_article(item.id):
            report.already += 1
            notify(item.path or item.id, "already stored")
            continue
        fresh.append(item)
    if not fresh:
        return report
    analyser = analyser or Analyser(options)
    with store.writer_lock():  # PostgreSQL: concurrent ingests take turns (SQLite: no-op)
        linker: Linker | None = None  # loaded on the first report: a batch of none costs no linker
        overrides = store.overrides()
        for article, facts, error in analyser.analyse_each(fresh):
            if facts is None:  # not stored, so a rerun tries it again
                problem = Problem(article.path or article.id, "FW011", error or "")
                report.problems.append(problem)
                notify(problem.source, f"error {problem}")
                continue
            if not store.add_article(article, facts):
                report.already += 1
                continue
            report.stored += 1
            notify(article.path or article.id, "relevant" if facts.relevance.relevant else "not relevant")
            if facts.relevance.relevant:
                report.relevant += 1
                linker = linker or load_linker(store)
                link_one(store, linker, article, facts, overrides.get(article.id), report)
    return report


def link_one(
    store: Store, linker: Linker, article: Article, facts: ArticleFacts, forced: int | None, report: Report
) -> None:
    from forcewatch.link.linker import profile_of

    incident_id, copy_of, _ = linker.link(article.id, profile_of(facts), article.body, forced)
    store.set_link(article.id, incident_id, copy_of)
    from forcewatch.link.index import record

    record(store, article.id, incident_id, facts, article.body)  # the linker's index, kept in the store
    rebuild_incident(store, incident_id, article.id)
    report.incidents.add(incident_id)


def merge_incidents(store: Store, target: int, other: int, actor: str, reason: str | None) -> None:
    """Move every article of `other` into `target`; kept as overrides and in history."""
    moved = [r.id for r in store.articles(other)]
    store.relink(moved, target, "merge", actor, reason, source=other)
    store.retire(other, target)
    rebuild_incident(store, target, None)


def split_incident(store: Store, incident_id: int, article_ids: list[str], actor: str, reason: str | None) -> int:
    """Move the named articles of an incident into a new incident; returns its id."""
    new_id = store.next_incident_id()
    store.relink(article_ids, new_id, "split", actor, reason, source=incident_id)
    rebuild_incident(store, new_id, None)
    rebuild_incident(store, incident_id, None)
    return new_id
