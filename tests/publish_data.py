"""Fictional reports stored through the real write path (Store, reconcile) for the publish tests.

Each report is a few sentences, one per field, with its Evidence pointing at that
sentence; `report()` stores the article, links it to an incident and rebuilds the
incident (run.rebuild_incident: reconcile and save_incident, which writes history).
The linker is not involved: these tests are about what is published, not about linking.
All names and places are invented or taken from tests/corpus/fictional.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from forcewatch.model import Article, ArticleFacts, Evidence, Relevance, article_id
from forcewatch.run import rebuild_incident
from forcewatch.store.db import Store


def report(
    store: Store,
    incident_id: int,
    outlet: str,
    published: date,
    facts: list[tuple[str, Any, str]],
    url: str | None = None,
    category: str = "police_shooting",
) -> str:
    """Store one article stating `facts` [(field, value, sentence)], linked to `incident_id`; returns its id."""
    body = " ".join(sentence for _, _, sentence in facts) + f" ({outlet}, fictional report.)"
    article = Article(
        id=article_id(body),
        body=body,
        title=facts[0][2][:60],
        url=url,
        outlet=outlet,
        published=published,
        path=f"{outlet.lower().replace(' ', '_')}_{incident_id}.txt",
    )
    evidence = []
    for name, value, sentence in facts:
        start = body.index(sentence)
        evidence.append(Evidence(name, value, start, start + len(sentence), sentence, 0.9, "test", article.id))
    relevance = Relevance(True, category, "fictional report")
    assert store.add_article(article, ArticleFacts(article.id, relevance, evidence))
    store.set_link(article.id, incident_id, None)
    rebuild_incident(store, incident_id, article.id)
    return article.id


def shooting(name: str, age: int, city: str, state: str, day: str, armed: str = "gun") -> list[tuple[str, Any, str]]:
    """The facts of a fictional US police shooting, one sentence each."""
    return [
        ("category", "police_shooting", f"{name}, {age}, was shot dead by police officers in {city}."),
        ("outcome", "fatal", f"{name} died at the scene, the police department said."),
        ("date", day, f"The shooting happened on {day}."),
        ("country", "US", f"{city} is in {state}, in the United States."),
        ("region", state, f"Officers across {state} were told of the shooting."),
        ("locality", city, f"Residents of {city} gathered on the street."),
        ("subject_name", name, f"The man was named as {name}."),
        ("subject_age", age, f"He was {age} years old."),
        ("subject_gender", "male", f"{name} was a man."),
        ("subject_armed", armed, f"Police said he was armed with a {armed}."),
        ("agency", f"{city} Police Department", f"The {city} Police Department is investigating."),
    ]
