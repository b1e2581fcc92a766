"""One article prepared for extraction: masked text, sentences, entities, reference date.

Like a spaCy Doc, it is built once and every extractor reads from it; extractors
never re-run the model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from forcewatch.extract.boilerplate import boilerplate_spans, mask
from forcewatch.extract.gate import could_match
from forcewatch.model import Article, Evidence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class ArticleDoc:
    """An article with everything the extractors share."""

    article: Article
    text: str  # the body with boilerplate blanked out; offsets are the body's
    doc: Doc
    reference: date  # publication date, else the ingestion date
    published: date | None
    sentences: list[Sentence] = field(default_factory=list)
    #: What an extractor computes from the whole article and another reuses (the oversight bodies'
    #: countries, the people named): keyed by the function's name, like spaCy's `doc.user_data`.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        """The model's entities, made once: spaCy builds a new Span for each on every `doc.ents`
        read, which cost the extractors more than all their own work."""
        return tuple(self.doc.ents)

    def sentence_at(self, offset: int) -> Sentence:
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return Sentence(offset, offset, "")

    @cached_property
    def data(self) -> bytes:
        """The masked text as UTF-8, for the Hyperscan gate."""
        return self.text.encode()

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """The pattern's matches in the masked text; a pattern the Hyperscan gate rules out for
        this text is not run (forcewatch.extract.gate)."""
        if not could_match(pattern, self.data):
            return iter(())
        return pattern.finditer(self.text)

    def evidence(
        self,
        field_name: str,
        value: object,
        start: int,
        end: int,
        extractor: str,
        confidence: float = 0.8,
    ) -> Evidence:
        """Evidence whose quote is the whole sentence around the span, as a reader checks it."""
        sent = self.sentence_at(start)
        q_start, q_end = (sent.start, sent.end) if sent.text else (start, end)
        q_start, q_end = min(q_start, start), max(q_end, end)
        return Evidence(
            field=field_name,
            value=value,
            start=q_start,
            end=q_end,
            quote=self.article.body[q_start:q_end],
            confidence=confidence,
            extractor=extractor,
            article_id=self.article.id,
            value_start=start,
            value_end=end,
        )


def split_sentences(doc: Doc, text: str) -> list[Sentence]:
    """spaCy's sentences, also cut at line breaks (a paragraph never runs into the next)."""
    out: list[Sentence] = []
    for sent in doc.sents:
        start = sent.start_char
        for piece in re.finditer(r"[^\n]+", sent.text):
            s, e = start + piece.start(), start + piece.end()
            chunk = text[s:e]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                trail = len(chunk.rstrip())
                out.append(Sentence(s + lead, s + trail, chunk.strip()))
    return out


def make_doc(article: Article, doc: Doc, masked: str, ingested_on: date) -> ArticleDoc:
    reference = article.published or ingested_on
    return ArticleDoc(
        article=article,
        text=masked,
        doc=doc,
        reference=reference,
        published=article.published,
        sentences=split_sentences(doc, masked),
    )


def masked_text(article: Article) -> str:
    return mask(article.body, boilerplate_spans(article.body))
