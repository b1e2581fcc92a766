"""The orchestrator: Article -> prefilter -> read (spaCy + events) -> relevance -> fields, top to bottom.

One `Analyser` holds the loaded pipeline and gazetteer (loaded once, reused for every
article). Articles the cheap prefilter rejects never reach the model; every other
article is parsed, and its harm events decide relevance. Each dropped article keeps
the reason it was dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from forcewatch.extract.boilerplate import boilerplate_spans, mask
from forcewatch.extract.document import make_doc
from forcewatch.extract.extractor import extract_all
from forcewatch.extract.relevance import THRESHOLD, Weighed, choose_category, decide, prefilter
from forcewatch.model import Article, ArticleFacts, Relevance

PREFILTER_REASON = "prefilter: no police or custody word and harm word"


@dataclass
class Options:
    """Settings that travel through every stage."""

    ingested_on: date = field(default_factory=date.today)
    batch_size: int = 32


def screen(article: Article) -> tuple[str, Relevance | None]:
    """The masked text, and a rejection when the prefilter drops the article (None: read it)."""
    if not prefilter(article.body):  # on the raw text first: masking only ever removes words
        return article.body, Relevance(False, None, PREFILTER_REASON)
    masked = mask(article.body, boilerplate_spans(article.body))
    if not prefilter(masked):
        return masked, Relevance(False, None, PREFILTER_REASON)
    return masked, None


def relevance_from_events(doc: Doc, title: Doc | None) -> tuple[Relevance, list[Weighed]]:
    """The decision and the events behind it; the reason names the event that decided."""
    score, weighed = decide(doc, title)
    if not weighed:
        return Relevance(False, None, "no harm event by or in the hands of police", 0.0), []
    best = weighed[0]
    said = f"event {best.event.describe()} ({best.why})"
    if score < THRESHOLD:
        return Relevance(False, None, f"too weak ({score:.1f} < {THRESHOLD:.1f}): {said}", score), weighed
    return Relevance(True, choose_category(weighed), said, score), weighed


class Analyser:
    """Relevance then extraction, batched through spaCy for speed."""

    def __init__(self, options: Options | None = None) -> None:
        from forcewatch.extract.gazetteer import load_gazetteer
        from forcewatch.extract.nlp import load_nlp

        self.options = options or Options()
        self.nlp = load_nlp()
        self.gazetteer = load_gazetteer()

    def analyse(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        pending: list[tuple[Article, str]] = []
        for article in articles:
            masked, rejected = screen(article)
            if rejected is not None:
                yield ArticleFacts(article.id, rejected)
                continue
            pending.append((article, masked))
            if len(pending) >= self.options.batch_size:
                yield from self._read(pending)
                pending = []
        yield from self._read(pending)

    def analyse_one(self, article: Article) -> ArticleFacts:
        return next(iter(self.analyse([article])))

    def _read(self, batch: list[tuple[Article, str]]) -> Iterator[ArticleFacts]:
        if not batch:
            return
        size = self.options.batch_size
        docs = self.nlp.pipe([masked for _, masked in batch], batch_size=size)
        titles = self.nlp.pipe([article.title or "" for article, _ in batch], batch_size=size)
        for (article, masked), spacy_doc, title in zip(batch, docs, titles, strict=True):
            decision, weighed = relevance_from_events(spacy_doc, title if article.title else None)
            if not decision.relevant:
                yield ArticleFacts(article.id, decision)
                continue
            doc = make_doc(article, spacy_doc, masked, self.options.ingested_on)
            evidence = extract_all(doc, decision, weighed, self.gazetteer)
            yield ArticleFacts(article.id, decision, evidence)
