"""The data dictionary shipped in docs/fields.md is the code's own field catalogue, and the extractors keep to it."""

from __future__ import annotations

from pathlib import Path

from forcewatch.catalogue import BY_NAME, CATALOGUE, TIMELINE_LABELS, definition, field_label, markdown, value_label
from forcewatch.model import FIELDS, TIMELINE_EVENTS

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / "examples" / "corpus", REPO / "tests" / "corpus" / "web", REPO / "tests" / "corpus" / "fictional"]


def test_docs_fields_md_is_generated_from_the_catalogue() -> None:
    shipped = (REPO / "docs" / "fields.md").read_text(encoding="utf-8")
    assert shipped == markdown(), "docs/fields.md is stale: python -m forcewatch.catalogue > docs/fields.md"


def test_catalogue_defines_every_field_and_event_in_order() -> None:
    assert [d.name for d in CATALOGUE] == list(FIELDS)
    assert list(TIMELINE_LABELS) == list(TIMELINE_EVENTS)
    for d in CATALOGUE:
        assert d.label and d.description, d.name
        assert (d.kind in ("code", "codes", "boolean")) == bool(d.values), d.name
        assert f"`{d.name}`" in markdown()


def test_labels_read_as_words() -> None:
    assert value_label("category", "police_shooting") == "Police shooting"
    assert value_label("country", "GB") == "United Kingdom"
    assert value_label("body_camera", True) == "Yes" and value_label("first_aid", False) == "No"
    assert (
        value_label("timeline.shots_fired", {"event": "shots_fired", "time": "19:20", "qualifier": "exact"})
        == "at 19:20"
    )
    assert value_label("force_used", ["firearm", "taser"]) == "Firearm; Taser"
    assert value_label("subject_name", None) == "—"
    assert value_label("country", "FR") == "FR"  # a country with no label stays its code
    assert field_label("subject_age") == "Age" and field_label("timeline.death") == "Death (time)"
    assert definition("timeline.death") is BY_NAME["timeline"]


def test_extracted_values_are_catalogue_values(analyser) -> None:  # noqa: ANN001
    """Every coded value the extractors give on the corpora shipped here is one the catalogue defines."""
    from forcewatch.ingest.sources import expand_paths, read_path
    from forcewatch.model import Article

    articles = [
        a
        for p in expand_paths(str(c) for c in CORPORA)
        if isinstance(p, str)
        for a in read_path(p)
        if isinstance(a, Article)
    ]
    assert len(articles) > 40
    seen: dict[str, set[str]] = {}
    for facts in analyser.analyse(articles):
        for e in facts.evidence:
            d = definition(e.field)
            if d is None or d.kind not in ("code", "codes"):
                continue
            values = e.value if isinstance(e.value, list) else [e.value]
            seen.setdefault(d.name, set()).update(str(v) for v in values if v is not None)
    assert {"category", "outcome", "force_used", "subject_armed", "oversight_body"} <= set(seen)
    for name, values in seen.items():
        if name == "country":
            assert all(len(v) == 2 and v.isupper() for v in values), values
            continue
        unknown = values - set(BY_NAME[name].values)
        assert not unknown, (name, unknown)
