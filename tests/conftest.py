"""Shared fixtures: one loaded Analyser per session (spaCy loads once), paths to corpora."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SEEDS_GOLD = SHARED / "gold" / "seeds.json"


@pytest.fixture(scope="session")
def analyser():
    from forcewatch.pipeline import Analyser, Options

    return Analyser(Options(ingested_on=date(2026, 11, 23)))


@pytest.fixture(scope="session")
def doc_for(analyser):
    """Build an ArticleDoc from plain text, as the pipeline would."""
    from forcewatch.extract.document import make_doc, masked_text
    from forcewatch.model import Article

    def build(text: str, published: date | None = date(2024, 3, 8)):
        article = Article.from_text(text, published=published)
        masked = masked_text(article)
        return make_doc(article, analyser.nlp(masked), masked, date(2026, 11, 23))

    return build


def needs_shared():
    return pytest.mark.skipif(not SEEDS.exists(), reason="../shared/corpus is not beside the repository")
