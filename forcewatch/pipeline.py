"""The orchestrator: Article -> first pass -> read (spaCy + events) -> relevance -> fields, top to bottom.

One `Analyser` holds the loaded pipeline and gazetteer, loaded on the first article that
passes the first pass (a stream with no candidate costs no model) and reused for every
article after. The first pass (forcewatch.extract.prefilter) scans each article once for
police and harm words; articles without both never reach the model. The others get a
first reading of their windows (the lede and every sentence where an event can weigh as a
report, forcewatch.extract.prefilter.screen_text) and their title, and are read whole only
when the best score the whole reading could give them from there
(forcewatch.extract.relevance.reachable: the same events and weights as the decision, with
what the rest of the article can still add) reaches the threshold. Each dropped article
keeps the reason it was dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from forcewatch.extract.prefilter import Screened, screen_text
from forcewatch.model import Article, ArticleFacts, Relevance

if TYPE_CHECKING:  # spaCy and the readers load with the model, not with this module
    from spacy.language import Language
    from spacy.tokens import Doc

    from forcewatch.extract.gazetteer import Gazetteer
    from forcewatch.extract.relevance import Weighed

PREFILTER_REASON = "prefilter: no police or custody word and harm word"
#: Only the first characters of an article are read: spaCy's parser needs about 1 GB per 100,000
#: characters, and no news report is longer (a longer "article" is a dump or hostile input).
MAX_READ_CHARS = 60_000
#: The first reading stops after this many characters of candidate sentences.
FIRST_READING_CHARS = 20_000
#: The whole article is read when the best score it can reach from its windows is at least
#: THRESHOLD minus this: windows parsed apart from their article can parse a little differently
#: (sentence bounds, entities), so a report at the threshold is never lost to that.
FIRST_READING_SLACK = 0.5
#: Pipes the first reading does without: the decision reads events, not what the subject did.
FIRST_READING_SKIPS = ("ner", "forcewatch_actions")


@dataclass
class Options:
    """Settings that travel through every stage."""

    ingested_on: date = field(default_factory=date.today)
    batch_size: int = 32


def screen(article: Article) -> tuple[str, Relevance | None]:
    """The masked text, and a rejection when the first pass drops the article (None: read it)."""
    from forcewatch.extract.boilerplate import boilerplate_spans, mask

    first = screen_text(article.body)
    if not first.passed:
        return article.body, Relevance(False, None, PREFILTER_REASON)
    return mask(article.body, boilerplate_spans(article.body))[:MAX_READ_CHARS], None


def candidate_sentences(text: str) -> str:
    """The first reading's text: the sentences that can hold the event, with their neighbours."""
    return screen_text(text).windows


def relevance_from_events(doc: Doc, title: Doc | None) -> tuple[Relevance, list[Weighed]]:
    """The decision and the events behind it; the reason names the event that decided."""
    from forcewatch.extract.relevance import THRESHOLD, choose_category, decide

    score, weighed = decide(doc, title)
    if not weighed:
        return Relevance(False, None, "no harm event by or in the hands of police", 0.0), []
    best = weighed[0]
    said = f"event {best.event.describe()} ({best.why})"
    if score < THRESHOLD:
        return Relevance(False, None, f"too weak ({score:.1f} < {THRESHOLD:.1f}): {said}", score), weighed
    return Relevance(True, choose_category(weighed), said, score), weighed


@dataclass
class Pending:
    """An article the first pass kept, on its way to the model."""

    article: Article
    first: Screened  # the windows the first reading parses, and what the rest of the article holds
    title: Doc | None = None  # the title's parse: the first reading's, then a whole one for the decision

    @property
    def windows(self) -> str:
        return self.first.windows


class Analyser:
    """Relevance then extraction, batched through spaCy for speed."""

    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self._nlp: Language | None = None
        self._gazetteer: Gazetteer | None = None

    @property
    def nlp(self) -> Language:
        """The reading pipeline, loaded on first use (the first article that passes the first pass)."""
        if self._nlp is None:
            from forcewatch.extract.nlp import load_nlp

            self._nlp = load_nlp()
        return self._nlp

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            from forcewatch.extract.gazetteer import load_gazetteer

            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def load(self) -> Analyser:
        """Load the model, the gazetteer and the first reading's word scanner now (benchmarks time this apart)."""
        from forcewatch.extract.prefilter import reading_hits

        _ = self.nlp, self.gazetteer
        reading_hits(b"")
        return self

    def first_pass(self, article: Article) -> Pending | Relevance:
        """The article's rejection by the first pass, or what the model should read of it."""
        first = screen_text(article.body)
        if not first.passed:
            return Relevance(False, None, PREFILTER_REASON)
        return Pending(article, first)

    def analyse(self, articles: Iterable[Article]) -> Iterator[ArticleFacts]:
        pending: list[Pending] = []
        for article in articles:
            kept = self.first_pass(article)
            if isinstance(kept, Relevance):
                yield ArticleFacts(article.id, kept)
                continue
            pending.append(kept)
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

    def first_reading(self, batch: list[Pending]) -> tuple[list[Pending], list[ArticleFacts]]:
        """Parse each article's title, then the windows of those the title alone does not send to a
        whole reading; (articles to read whole, articles dropped with the reason).

        An article is dropped when even the best the whole reading could make of it
        (`reachable`) stays below the bar: the decision it would reach anyway. The bound only
        rises as events are added, so a title that reaches the bar alone ("Man shot dead by
        police") sends its article to the whole reading without a parse of its windows."""
        from forcewatch.extract.relevance import THRESHOLD, reachable

        bar = THRESHOLD - FIRST_READING_SLACK
        size = self.options.batch_size
        skip = [name for name in FIRST_READING_SKIPS if name in self.nlp.pipe_names]
        with self.nlp.select_pipes(disable=skip):
            titled = [p for p in batch if p.article.title]
            for p, title in zip(
                titled, self.nlp.pipe([p.article.title or "" for p in titled], batch_size=size), strict=True
            ):
                p.title = title
            bounds = {
                p.article.id: reachable(None, p.title, oversight=p.first.oversight, setting=p.first.setting)
                for p in batch
            }
            reading = [p for p in batch if bounds[p.article.id][0] < bar and p.windows]
            firsts = self.nlp.pipe([p.windows[:FIRST_READING_CHARS] for p in reading], batch_size=size)
            for p, first in zip(reading, firsts, strict=True):
                bounds[p.article.id] = reachable(first, p.title, oversight=p.first.oversight, setting=p.first.setting)
        dropped: dict[str, ArticleFacts] = {}
        for p in batch:
            score, weighed = bounds[p.article.id]
            if score < bar:
                best = (
                    f"event {weighed[0].event.describe()} ({weighed[0].why})"
                    if weighed
                    else "no harm event by or in the hands of police"
                )
                what = "its windows" if p.windows else "its title (no sentence can hold the event)"
                why = f"first reading of {what}: at most {score:.2f} reachable (< {bar:.1f}): {best}"
                dropped[p.article.id] = ArticleFacts(p.article.id, Relevance(False, None, why, score))
        kept = [p for p in batch if p.article.id not in dropped]
        # The decision reads the title with every pipe (the first reading's parse has no entities).
        titled = [p for p in kept if p.article.title]
        for p, title in zip(
            titled, self.nlp.pipe([p.article.title or "" for p in titled], batch_size=size), strict=True
        ):
            p.title = title
        return kept, list(dropped.values())

    def _read(self, batch: list[Pending]) -> Iterator[ArticleFacts]:
        """A first reading of each article's windows and title drops the articles that cannot be
        reports; the rest are read whole (the decision and every field come from the whole article)."""
        if not batch:
            return
        from forcewatch.extract.boilerplate import boilerplate_spans, mask
        from forcewatch.extract.document import make_doc
        from forcewatch.extract.extractor import extract_all

        kept, dropped = self.first_reading(batch)
        yield from dropped
        if not kept:
            return
        size = self.options.batch_size
        masked = [mask(p.article.body, boilerplate_spans(p.article.body))[:MAX_READ_CHARS] for p in kept]
        docs = self.nlp.pipe(masked, batch_size=size)
        for p, text, spacy_doc in zip(kept, masked, docs, strict=True):
            article = p.article
            decision, weighed = relevance_from_events(spacy_doc, p.title)
            if not decision.relevant:
                yield ArticleFacts(article.id, decision)
                continue
            doc = make_doc(article, spacy_doc, text, self.options.ingested_on)
            evidence = extract_all(doc, decision, weighed, self.gazetteer)
            yield ArticleFacts(article.id, decision, evidence)
