"""The orchestrator: Article -> relevance -> extraction -> ArticleFacts, read top to bottom.

One `Analyser` holds the loaded model and gazetteer (loaded once, reused for every
article). Articles the cheap prefilter rejects never reach the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from forcewatch.extract.boilerplate import boilerplate_spans, mask
from forcewatch.extract.document import make_doc
from forcewatch.extract.extractor import extract_all
from forcewatch.extract.relevance import classify, prefilter
from forcewatch.model import Article, ArticleFacts, Relevance

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])|\n+")


@dataclass
class Options:
    """Settings that travel through every stage."""

    ingested_on: date = field(default_factory=date.today)
    batch_size: int = 32


def quick_sentences(text: str) -> list[str]:
    """A regex sentence split, good enough for relevance cues, without the model."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def judge(article: Article) -> tuple[str, Relevance]:
    """Masked text and the relevance decision, without loading any model."""
    if not prefilter(article.body):  # on the raw text first: masking only ever removes words
        return article.body, Relevance(False, None, "prefilter: no police word near a harm word")
    masked = mask(article.body, boilerplate_spans(article.body))
    if not prefilter(masked):
        return masked, Relevance(False, None, "prefilter: no police word near a harm word")
    return masked, classify(quick_sentences(masked), article.title)


class Analyser:
    """Relevance then extraction, batched through spaCy for speed."""

    def __init__(self, options: Options | None = None) -> None:
        from forcewatch.extract.gazetteer import load_gazetteer
        from forcewatch.extract.nlp import load_nlp

        self.options = options or Options()
        self.nlp = load_nlp()
        self.gazetteer = load_gazetteer()

    def analyse(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        pending: list[tuple[Article, str, Relevance]] = []
        for article in articles:
            masked, decision = judge(article)
            if not decision.relevant:
                yield ArticleFacts(article.id, decision)
                continue
            pending.append((article, masked, decision))
            if len(pending) >= self.options.batch_size:
                yield from self._extract(pending)
                pending = []
        yield from self._extract(pending)

    def analyse_one(self, article: Article) -> ArticleFacts:
        return next(iter(self.analyse([article])))

    def _extract(self, batch: list[tuple[Article, str, Relevance]]) -> Iterator[ArticleFacts]:
        docs = self.nlp.pipe([masked for _, masked, _ in batch], batch_size=self.options.batch_size)
        for (article, masked, decision), spacy_doc in zip(batch, docs, strict=True):
            doc = make_doc(article, spacy_doc, masked, self.options.ingested_on)
            evidence = extract_all(doc, decision, self.gazetteer)
            yield ArticleFacts(article.id, decision, evidence)
