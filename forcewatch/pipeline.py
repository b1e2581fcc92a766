"""The orchestrator: Article -> prefilter -> read (spaCy + events) -> relevance -> fields, top to bottom.

One `Analyser` holds the loaded pipeline and gazetteer (loaded once, reused for every
article). Articles the cheap prefilter rejects never reach the model; every other
article is parsed, and its harm events decide relevance. Each dropped article keeps
the reason it was dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from forcewatch.extract.boilerplate import boilerplate_spans, mask
from forcewatch.extract.document import make_doc
from forcewatch.extract.extractor import extract_all
from forcewatch.extract.relevance import THRESHOLD, Weighed, candidate, choose_category, decide, prefilter
from forcewatch.model import Article, ArticleFacts, Relevance

PREFILTER_REASON = "prefilter: no police or custody word and harm word"
#: Only the first characters of an article are read: spaCy's parser needs about 1 GB per 100,000
#: characters, and no news report is longer (a longer "article" is a dump or hostile input).
MAX_READ_CHARS = 60_000
#: The first reading stops after this many characters of candidate sentences.
FIRST_READING_CHARS = 20_000
#: A first reading of the candidate sentences alone must reach this for the whole article to be read.
FIRST_READING_MIN = THRESHOLD - 1.5
_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])|\n+")


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
    return masked[:MAX_READ_CHARS], None


def candidate_sentences(text: str) -> str:
    """The lede and the sentences with a police or custody word and a harm word, one per line:
    what a first,
    cheap reading parses. In a news stream most articles that pass the prefilter are crime and
    court stories whose few such sentences are read in a fraction of the article's time."""
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    # The lede always: it tells the event even when police and harm fall in different sentences
    # (its first three sentences when no sentence has both).
    chosen = [i for i, s in enumerate(sentences) if candidate(s)]
    lede = 1 if chosen else 3
    return "\n".join(s for i, s in enumerate(sentences) if i < lede or i in set(chosen))


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

    def analyse_each(self, articles: list[Article]) -> Iterator[tuple[Article, ArticleFacts | None, str | None]]:
        """(article, facts, None), or (article, None, error) for an article the reader fails on:
        a batch that fails is read again one article at a time, so one bad article costs only itself."""
        by_id = {a.id: a for a in articles}
        done: set[str] = set()
        try:
            for facts in self.analyse(articles):
                done.add(facts.article_id)
                yield by_id[facts.article_id], facts, None
        except Exception:  # noqa: BLE001 - find the article that fails, keep the others
            for article in articles:
                if article.id in done:
                    continue
                try:
                    yield article, self.analyse_one(article), None
                except Exception as exc:  # noqa: BLE001
                    yield article, None, f"{type(exc).__name__}: {exc}"[:300]

    def _read(self, batch: list[tuple[Article, str]]) -> Iterator[ArticleFacts]:
        """A first reading of each article's candidate sentences drops the clear negatives;
        the rest are read whole (the decision and every field come from the whole article)."""
        if not batch:
            return
        size = self.options.batch_size
        firsts = self.nlp.pipe(
            [candidate_sentences(masked)[:FIRST_READING_CHARS] for _, masked in batch], batch_size=size
        )
        rejected: dict[str, Relevance] = {}
        for (article, _), first in zip(batch, firsts, strict=True):
            score, weighed = decide(first)
            if score < FIRST_READING_MIN and not (article.title and candidate(article.title)):
                best = (
                    f": event {weighed[0].event.describe()}"
                    if weighed
                    else ": no harm event by or in the hands of police"
                )
                rejected[article.id] = Relevance(False, None, f"first reading of its candidate sentences{best}", score)
        for article, _ in batch:
            if article.id in rejected:
                yield ArticleFacts(article.id, rejected[article.id])
        batch = [(a, m) for a, m in batch if a.id not in rejected]
        if not batch:
            return
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
