"""A small rule engine: a pattern found in a sentence gives a field a value.

Most categorical fields are signalled by stock phrases ("first aid", "body-worn
video", "threatened to take his own life"). Each extractor module lists its rules as
data; this module applies them so they all check sentence context the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forcewatch.extract.document import ArticleDoc
from forcewatch.model import Evidence


@dataclass(frozen=True)
class Rule:
    field: str
    value: object
    pattern: re.Pattern[str]
    confidence: float = 0.8
    requires: re.Pattern[str] | None = None  # the sentence must also match this
    forbids: re.Pattern[str] | None = None  # ... and must not match this


def rule(
    field: str,
    value: object,
    pattern: str,
    confidence: float = 0.8,
    requires: str | None = None,
    forbids: str | None = None,
) -> Rule:
    flags = re.I
    return Rule(
        field,
        value,
        re.compile(pattern, flags),
        confidence,
        re.compile(requires, flags) if requires else None,
        re.compile(forbids, flags) if forbids else None,
    )


def apply_rules(doc: ArticleDoc, rules: list[Rule], extractor: str) -> list[Evidence]:
    out = []
    for r in rules:
        for m in doc.finditer(r.pattern):
            sent = doc.sentence_at(m.start())
            if not sent.text:
                continue
            if r.requires and not r.requires.search(sent.text):
                continue
            if r.forbids and r.forbids.search(sent.text):
                continue
            out.append(doc.evidence(r.field, r.value, m.start(), m.end(), extractor, r.confidence))
    return out
