"""Plain data passed between the stages: Article -> ArticleFacts -> Incident.

Every stage takes and returns these types, so each stage can be tested alone,
shipped to a Dask worker, or replaced. Values are JSON-friendly (str, int, float,
bool, dict) so that they store and export without custom encoders.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

#: Fields whose value is a list; each element is scored and merged on its own.
LIST_FIELDS = ("force_used", "quotes", "timeline")

#: Every field of shared/FIELDS.md, in catalogue order.
FIELDS = (
    "category",
    "outcome",
    "force_used",
    "date",
    "timeline",
    "country",
    "region",
    "locality",
    "neighbourhood",
    "latitude",
    "longitude",
    "location_precision",
    "subject_name",
    "subject_age",
    "subject_age_approximate",
    "subject_gender",
    "subject_race",
    "subject_armed",
    "subject_weapon_recovered",
    "mental_health_crisis",
    "body_camera",
    "fleeing",
    "threat",
    "agency",
    "shots_fired",
    "first_aid",
    "others_present",
    "oversight_body",
    "oversight_status",
    "quotes",
)

TIMELINE_EVENTS = (
    "call_received",
    "police_arrived",
    "shots_fired",
    "first_aid",
    "death",
    "arrest",
    "other",
)


def normalise_body(text: str) -> str:
    """Canonical form of a body for hashing: NFKC, collapsed whitespace, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def article_id(body: str) -> str:
    """Content hash: the same text read twice, from anywhere, is the same article."""
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()[:16]


@dataclass
class Article:
    """One news report as read from a source, before any interpretation."""

    id: str
    body: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    byline: str | None = None
    published: date | None = None
    language: str = "en"
    path: str | None = None

    @classmethod
    def from_text(cls, body: str, **meta: Any) -> Article:
        return cls(id=article_id(body), body=body, **meta)


@dataclass
class Evidence:
    """One extracted value and the exact span of the body that supports it.

    `field` names the catalogue field; timeline events use `timeline.<event>` so
    that each event merges and conflicts on its own. `start`/`end` span the sentence a
    reader checks; `value_start`/`value_end` the words that carry the value itself.
    """

    field: str
    value: Any
    start: int
    end: int
    quote: str
    confidence: float = 0.8
    extractor: str = ""
    article_id: str = ""
    # The value's own words inside the quote ("34-year-old" in its sentence), for highlighting.
    value_start: int | None = None
    value_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Relevance:
    """The relevance stage's decision and the cue that decided it."""

    relevant: bool
    category: str | None
    reason: str
    score: float = 0.0


@dataclass
class ArticleFacts:
    """All evidence found in one article, grouped by field."""

    article_id: str
    relevance: Relevance
    evidence: list[Evidence] = field(default_factory=list)

    def for_field(self, name: str) -> list[Evidence]:
        return [e for e in self.evidence if e.field == name]

    def fields(self) -> set[str]:
        return {e.field for e in self.evidence}


@dataclass
class SourceValue:
    """What one article (source) says about one field."""

    article_id: str
    value: Any
    evidence: list[Evidence]
    contradicting: list[Evidence] = field(default_factory=list)  # the same article saying otherwise


@dataclass
class Merged:
    """One field of an incident after reconciliation across its sources."""

    field: str
    value: Any
    rule: str
    support: int
    sources: list[SourceValue]
    conflict: bool = False
    conflict_values: list[Any] = dataclasses.field(default_factory=list)  # `field` is an attribute here
    reviewed: bool = False


@dataclass
class Incident:
    """One event, possibly reported by several articles."""

    id: int | None
    article_ids: list[str]
    fields: dict[str, Merged] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        merged = self.fields.get(name)
        return merged.value if merged else None
