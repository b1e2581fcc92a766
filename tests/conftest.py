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


@pytest.fixture
def new_pg_database():
    """A factory of fresh, empty PostgreSQL databases, dropped after the test.

    The server is the one FORCEWATCH_TEST_PG names (`eval "$(bash .ci/postgres.sh)"`);
    without it the test is skipped.
    """
    import os
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from forcewatch.store.db import database_url

    admin_url = os.environ.get("FORCEWATCH_TEST_PG")
    if not admin_url:
        pytest.skip('FORCEWATCH_TEST_PG is not set: eval "$(bash .ci/postgres.sh)" first')
    admin = create_engine(database_url(admin_url), isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"fw_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg_url(new_pg_database):
    """A postgresql:// URL of a fresh, empty database for this test only."""
    return new_pg_database()


@pytest.fixture
def db_content():
    """Everything a run wrote, keyed by content rather than by generated ids, for comparing runs.

    `db_content(url)` returns articles (by id), evidence (per article, in order),
    incidents keyed by their set of article ids (summary columns, merged fields and
    history without its timestamps), `incident_ids` (article set -> id) and row counts
    per table.
    """
    from sqlalchemy import MetaData, Table, create_engine, func, inspect, select

    from forcewatch.store.db import database_url
    from forcewatch.store.schema import ArticleRow, EvidenceRow, HistoryRow, IncidentFieldRow, IncidentRow

    def content(db: str) -> dict:
        engine = create_engine(database_url(db))
        try:
            with engine.connect() as conn:
                meta = MetaData()
                counts = {
                    name: conn.execute(
                        select(func.count()).select_from(Table(name, meta, autoload_with=conn))
                    ).scalar_one()
                    for name in inspect(conn).get_table_names()
                }
                articles, members = {}, {}
                for row in conn.execute(select(ArticleRow.__table__)).mappings():
                    articles[row["id"]] = {k: v for k, v in row.items() if k not in ("ingested_at", "incident_id")}
                    if row["incident_id"] is not None:
                        members.setdefault(row["incident_id"], set()).add(row["id"])
                evidence: dict[str, list] = {}
                for row in conn.execute(select(EvidenceRow.__table__).order_by(EvidenceRow.id)).mappings():
                    evidence.setdefault(row["article_id"], []).append({k: v for k, v in row.items() if k != "id"})
                fields: dict[int, dict] = {}
                for row in conn.execute(select(IncidentFieldRow.__table__)).mappings():
                    fields.setdefault(row["incident_id"], {})[row["field"]] = {
                        k: v for k, v in row.items() if k != "incident_id"
                    }
                history: dict[int, list] = {}
                for row in conn.execute(select(HistoryRow.__table__).order_by(HistoryRow.id)).mappings():
                    history.setdefault(row["incident_id"], []).append(
                        {k: v for k, v in row.items() if k not in ("id", "incident_id", "at")}
                    )
                incidents, incident_ids = {}, {}
                for row in conn.execute(select(IncidentRow.__table__)).mappings():
                    key = frozenset(members.get(row["id"], ()))
                    assert key not in incidents, f"two incidents hold the same articles: {sorted(key)}"
                    summary = {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}
                    incidents[key] = {
                        "summary": summary,
                        "fields": fields.get(row["id"], {}),
                        "history": history.get(row["id"], []),
                    }
                    incident_ids[key] = row["id"]
        finally:
            engine.dispose()
        return {
            "articles": articles,
            "evidence": evidence,
            "incidents": incidents,
            "incident_ids": incident_ids,
            "counts": counts,
        }

    return content
