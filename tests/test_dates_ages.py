"""Dates in articles with no publication date, and ages that are figures, not decades.

Sentences are written for these tests (fictional places and people)."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch.extract.people import extract_people
from forcewatch.extract.when import extract_date, extract_timeline


def values(evidence, field):
    return [e.value for e in evidence if e.field == field]


def dates(doc):
    return values(extract_date(doc), "date")


WEEKDAY = "A man died after he was restrained by officers outside a shop in Marlow Vale on Thursday night."


# --- dates -------------------------------------------------------------------


def test_weekday_in_undated_article_gives_no_date(doc_for):
    assert dates(doc_for(WEEKDAY, published=None)) == []


def test_weekday_in_dated_article_is_latest_such_day(doc_for):
    # Published Monday 11 March 2024: the Thursday before is 7 March.
    assert dates(doc_for(WEEKDAY, published=date(2024, 3, 11)))[0] == "2024-03-07"


@pytest.mark.parametrize(
    "text",
    [
        "A woman was shot by police in Fenwick Cross yesterday, the force said.",
        "Officers were called to a flat in Hartlow Dene last night where a man later died.",
        "A teenager was injured when a police car struck his bike in Oldbury Ford last Tuesday.",
        "A man collapsed in a cell at Brackley station this morning and was pronounced dead.",
    ],
)
def test_relative_dates_in_undated_article_give_no_date(doc_for, text):
    assert dates(doc_for(text, published=None)) == []


@pytest.mark.parametrize(
    "text",
    [
        "A man was shot dead by armed officers in Tilby Marsh on 30 December 2020.",
        "A man was shot dead by armed officers in Tilby Marsh on December 30, 2020.",
        "A man was shot dead by armed officers in Tilby Marsh on Wednesday, 30 December 2020.",
    ],
)
def test_full_date_in_undated_article_is_taken(doc_for, text):
    assert dates(doc_for(text, published=None))[0] == "2020-12-30"


def test_day_and_month_without_year_in_undated_article_gives_no_date(doc_for):
    doc = doc_for("A man died after being tasered by police in Corran Heath on Thursday (November 23).", published=None)
    assert dates(doc) == []
    doc = doc_for("A woman was hit by a police van on 13 June and died in hospital in Pellow Bridge.", published=None)
    assert dates(doc) == []


def test_day_and_month_take_the_year_stated_beside_them(doc_for):
    doc = doc_for("In 2019 a man was shot by officers in Corran Heath on 13 June after a stand-off.", published=None)
    assert dates(doc)[0] == "2019-06-13"
    # Two years in the sentence: which one is a guess.
    doc = doc_for(
        "A man shot by officers in Corran Heath on 13 June 2019 had been arrested there in 2017; "
        "another was shot on 2 July.",
        published=None,
    )
    assert "2019-06-13" in dates(doc) and not any(d.endswith("-07-02") for d in dates(doc))


def test_weekday_that_disagrees_with_the_stated_year_gives_no_date(doc_for):
    # 23 November 2023 was a Thursday, not a Monday.
    doc = doc_for(
        "In 2023 a man died after a struggle with police in Corran Heath on Monday (November 23).", published=None
    )
    assert dates(doc) == []


def test_a_bare_year_invents_no_date(doc_for):
    doc = doc_for("A man died after he was restrained by officers in Marlow Vale in 2019.", published=None)
    assert dates(doc) == []


def test_timeline_needs_no_publication_date(doc_for):
    doc = doc_for(
        "Police received a 999 call at 21:10 on Thursday. Officers arrived shortly after 9.20pm "
        "and shots were fired at about 21:30. He was pronounced dead 15 minutes later.",
        published=None,
    )
    got = {(v["event"], v["time"], v["qualifier"]) for v in (e.value for e in extract_timeline(doc))}
    assert ("call_received", "21:10", "exact") in got
    assert ("police_arrived", "21:20", "after") in got
    assert ("shots_fired", "21:30", "around") in got
    assert ("death", "21:45", "exact") in got
    assert dates(doc) == []


# --- ages --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "A man in his 20s was shot by police in Tilby Marsh.",
        "A woman in her thirties died after being restrained by officers in Fenwick Cross.",
        "A man in his early 40s was tasered and later died in hospital.",
        "A man in his mid-50s was struck by a police car and died at the scene.",
    ],
)
def test_a_decade_is_no_age(doc_for, text):
    ev = extract_people(doc_for(text))
    assert values(ev, "subject_age") == []
    assert values(ev, "subject_age_approximate") == []


def test_stated_age_is_exact(doc_for):
    ev = extract_people(doc_for("A man aged 34 died after he was shot by officers in Hartlow Dene."))
    assert values(ev, "subject_age") == [34] and values(ev, "subject_age_approximate") == [False]


@pytest.mark.parametrize(
    "text",
    [
        "The man, believed to be 40, died at the scene after he was shot by police.",
        "The man, believed to be aged 40, died at the scene after he was shot by police.",
        "The man, thought to be about 40, died at the scene after he was shot by police.",
        "A man aged about 40 died at the scene after he was shot by police.",
    ],
)
def test_hedged_figure_is_an_approximate_age(doc_for, text):
    ev = extract_people(doc_for(text))
    assert values(ev, "subject_age") == [40] and values(ev, "subject_age_approximate") == [True]


def test_hedged_count_that_is_no_age(doc_for):
    ev = extract_people(doc_for("A man was shot by police after what was believed to be 40 minutes of talks."))
    assert values(ev, "subject_age") == []


def test_a_decade_is_kept_as_a_range_for_linking_only(doc_for):
    from forcewatch.link.linker import Profile, similarity

    ev = extract_people(doc_for("A man in his early 40s was shot by police in Tilby Marsh."))
    assert values(ev, "subject_age_range") == [[40, 43]]
    forties = Profile(locality="Tilby Marsh", age_range=(40, 49), gender="male")
    assert similarity(forties, Profile(locality="Tilby Marsh", age=19, gender="male")) < similarity(
        forties, Profile(locality="Tilby Marsh", age=44, gender="male")
    )


def test_a_decade_supports_the_stated_age_it_covers():
    from forcewatch.link.reconcile import reconcile
    from forcewatch.model import ArticleFacts, Evidence, Relevance

    def ev(field, value, article, extractor="people.age"):
        return Evidence(field, value, 0, 1, "q", 0.8, extractor, article)

    relevance = Relevance(True, "police_shooting", "test")
    facts = [
        ArticleFacts(
            "a", relevance, [ev("subject_age_range", [36, 39], "a", "people.age.range"), ev("subject_age", 67, "a")]
        ),
        ArticleFacts("b", relevance, [ev("subject_age", 38, "b")]),
    ]
    incident = reconcile(1, facts, {"a": date(2025, 3, 17), "b": None})
    assert incident.fields["subject_age"].value == 38
    assert "subject_age_range" not in incident.fields


def test_a_time_belongs_to_the_verb_it_modifies_not_the_nearest_cue(doc_for):
    """ "shot by police just after 5pm after officers were called": the shooting's time, though
    the call is the nearer cue word; "responded to a call at about 9.18pm" is the arrival."""
    from forcewatch.extract.when import extract_timeline

    shot = extract_timeline(
        doc_for(
            "Tobin Quarrell was shot by Marrowby police just after 5 p.m. Sunday after officers were called to a dispute."
        )
    )
    assert [e.value for e in shot] == [{"event": "shots_fired", "time": "17:00", "qualifier": "after"}]
    came = extract_timeline(
        doc_for("Officers responded at about 9:18 p.m. to a call about a man breaking car windows.")
    )
    assert [e.value["event"] for e in came] == ["police_arrived"]


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        # the first told, when no death tells them apart ...
        (
            "The driver, a 77-year-old man, was taken to hospital after the police car hit his van, while a "
            "74-year-old woman who was a passenger was treated at the scene.",
            77,
            "male",
        ),
        # ... the one who died, when one did
        (
            "A 30-year-old woman was injured and a 45-year-old man died when the police car hit them in Brackley.",
            45,
            "male",
        ),
    ],
)
def test_two_people_aged_in_one_sentence_are_no_conflict(doc_for, text, age, sex):
    people = extract_people(doc_for(text))
    assert {e.value for e in people if e.field == "subject_age"} == {age}
    assert {e.value for e in people if e.field == "subject_gender"} == {sex}


def test_one_person_told_twice_keeps_both_accounts(doc_for):
    text = "A 30-year-old man was shot by police in Brackley.\n\nThe man, 31, died in hospital."
    ages = {e.value for e in extract_people(doc_for(text)) if e.field == "subject_age"}
    assert ages == {30, 31}  # two sentences: a disagreement for the reconciliation to flag
