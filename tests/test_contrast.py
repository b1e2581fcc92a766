"""Contrast tests (CheckList style, Ribeiro et al. 2020): the specification of the event-centred reader.

Each group holds short fictional texts, mostly as minimal pairs: change one thing
(who is the victim, whether police took part, whether a fact is negated) and the
expected relevance or field value flips. The case table is tests/contrast_cases.py.

Many of these fail on the regex reader; they describe the reader that reads the
dependency parse (who did what to whom). Do not weaken a case to make it pass.
"""

from __future__ import annotations

from typing import Any

import pytest
from contrast_cases import ANY, GROUPS, KNOWN_GAPS, Case

from forcewatch.model import Article


@pytest.fixture(scope="module")
def reader():
    from forcewatch.pipeline import Analyser

    return Analyser()


def values(facts, field: str) -> set[Any]:
    """Every value the article's evidence gives for `field` (list values flattened)."""
    out: set[Any] = set()
    for ev in facts.for_field(field):
        if isinstance(ev.value, list | tuple | set):
            out.update(ev.value)
        else:
            out.add(ev.value)
    return out


def _alternatives(expected) -> tuple:
    return expected if isinstance(expected, tuple) else (expected,)


def _describe(facts) -> str:
    rel = facts.relevance
    lines = [f"relevance: relevant={rel.relevant} category={rel.category!r} reason={rel.reason!r}"]
    lines += [f"  {ev.field}={ev.value!r}  <- {ev.quote[:70]!r}" for ev in facts.evidence]
    return "\n".join(lines)


def check(reader, case: Case) -> None:
    facts = reader.analyse_one(Article.from_text(case.text, published=case.published))
    seen = _describe(facts)
    rel = facts.relevance

    if case.relevant is not None:
        assert rel.relevant is case.relevant, f"relevant should be {case.relevant}\n{seen}"
    if case.relevant and case.category is not None:
        accepted = _alternatives(case.category)
        assert rel.category in accepted, f"category should be one of {accepted}\n{seen}"

    for field, expected in case.has.items():
        got = values(facts, field)
        accepted = _alternatives(expected)
        assert got & set(accepted), f"{field}: expected one of {accepted}, got {got or 'nothing'}\n{seen}"

    for field, forbidden in case.lacks.items():
        got = values(facts, field)
        if forbidden == ANY:
            assert not got, f"{field}: expected no value, got {got}\n{seen}"
        else:
            bad = got & set(forbidden)
            assert not bad, f"{field}: must not be {bad}\n{seen}"

    for field, needle in case.contains.items():
        got = values(facts, field)
        needles = _alternatives(needle)
        assert any(n.lower() in str(v).lower() for v in got for n in needles), (
            f"{field}: expected a value containing one of {needles}, got {got or 'nothing'}\n{seen}"
        )


def _params(group: str):
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=KNOWN_GAPS[case.id], strict=True)] if case.id in KNOWN_GAPS else [],
        )
        for case in GROUPS[group]
    ]


@pytest.mark.parametrize("case", _params("g01_voice"))
def test_g01_active_passive_nominal(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g02_officer_victim"))
def test_g02_officer_as_victim(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g03_police_only_present"))
def test_g03_police_only_present(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g04_custody"))
def test_g04_custody_wording(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g05_pursuits_vehicles"))
def test_g05_pursuits_and_vehicles(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g06_negation_hedging"))
def test_g06_negation_and_hedging(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g07_generalities"))
def test_g07_reported_vs_general(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g08_who_and_where"))
def test_g08_subject_vs_relatives_home_vs_scene(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g09_later_stages"))
def test_g09_later_stages_are_reports(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g10_oversight_abroad"))
def test_g10_oversight_and_forces_abroad(reader, case):
    check(reader, case)


@pytest.mark.parametrize("case", _params("g11_ledes"))
def test_g11_everyday_ledes(reader, case):
    check(reader, case)


def test_case_table_is_well_formed():
    """Ids are unique, every group has enough cases, expectations name real fields and values."""
    from forcewatch.model import FIELDS

    allowed = {
        "outcome": {"fatal", "injured", "unharmed"},
        "force_used": {"firearm", "taser", "baton", "restraint", "dog", "vehicle", "chemical", "other"},
        "subject_gender": {"male", "female"},
        "subject_armed": {"gun", "knife", "blunt_object", "replica", "vehicle", "other", "unarmed", "undetermined"},
        "fleeing": {"not_fleeing", "foot", "car", "other"},
        "oversight_body": {"IOPC", "IPCC", "PIRC", "PONI", "state", "DOJ", "internal", "other"},
    }
    categories = {"police_shooting", "road_traffic", "custody", "suicide_following_custody", "other_contact"}
    ids = [c.id for cases in GROUPS.values() for c in cases]
    assert len(ids) == len(set(ids))
    assert set(KNOWN_GAPS) <= set(ids), set(KNOWN_GAPS) - set(ids)
    for cases in GROUPS.values():
        assert len(cases) >= 8
        assert any(c.relevant for c in cases)
        for c in cases:
            if c.category is not None:
                assert set(_alternatives(c.category)) <= categories, c.id
            if c.relevant is False:
                assert not c.has and c.category is None, c.id
            checks = [(f, set(_alternatives(v))) for f, v in {**c.has, **c.contains}.items()]
            checks += [(f, set() if v == ANY else set(v)) for f, v in c.lacks.items()]
            for field, vals in checks:
                assert field in FIELDS, (c.id, field)
                if field in allowed:
                    assert vals <= allowed[field], (c.id, field, vals)
