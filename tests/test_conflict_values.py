"""The values sources disagree on: hedged and vague shot counts, clock times said without a.m. or
p.m., times of nominal events, and weekdays in undated reports. Each is read from a sentence
written for it (fictional people and places), then reconciled across two reports.

A disagreement is only worth a reporter's time when both values are read well, so each case
checks the reading first and the flag second."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch.link.reconcile import reconcile
from forcewatch.model import ArticleFacts, Evidence, Relevance

REL = Relevance(True, "police_shooting", "test")


@pytest.fixture(scope="module")
def nlp():
    from forcewatch.read.reader import load_reader

    return load_reader()


def firing(nlp, text: str):
    found = [e for e in nlp(text)._.events if e.kind == "firearm" and e.count is not None]
    assert found, f"no counted firearm event in {text!r}"
    return found[0]


def test_a_hedged_figure_is_the_count_and_the_shots_are_not_the_patient(nlp):
    ev = firing(nlp, "A number of shots, believed to be three, were discharged at the man after a Taser failed.")
    assert (ev.count, ev.count_at_least) == (3, False)
    assert ev.patient is None or ev.patient.text.lower() != "a number"


@pytest.mark.parametrize(
    ("text", "least"),
    [
        ("An officer shot him several times before paramedics arrived in Marrowby.", 3),
        ("One of the officers fired his gun multiple times at Tobin Quarrell.", 2),
        ("Armed officers fired repeatedly at the car on the Brackley bypass.", 2),
    ],
)
def test_vague_counts_are_least_counts(nlp, text, least):
    ev = firing(nlp, text)
    assert (ev.count, ev.count_at_least) == (least, True)
    assert ev.police_agent, ev.describe()


def test_a_total_is_an_exact_count_by_the_officers_it_names(nlp):
    ev = firing(nlp, "Two of the officers fired a total of 31 rounds at Voss before the van stopped.")
    assert (ev.count, ev.count_at_least) == (31, False)
    assert ev.police_agent


def test_a_pronoun_in_what_the_officer_said_is_the_officer(nlp):
    doc = nlp(
        "The constable who shot Ada Voss has said he was in fear and felt he had no option "
        "but to fire his weapon four times after she ran at him."
    )
    fired = [e for e in doc._.events if e.predicate == "fire"]
    assert fired and fired[0].count == 4 and fired[0].police_agent, [e.describe() for e in doc._.events]


def ev(article: str, field: str, value, extractor: str = "test") -> Evidence:
    return Evidence(field, value, 0, 1, "q", 0.8, extractor, article)


def shots(*sources: tuple[str, int, str]):
    facts = [ArticleFacts(a, REL, [ev(a, "shots_fired", n, x)]) for a, n, x in sources]
    return reconcile(1, facts, {a: date(2024, 5, i + 1) for i, (a, _, _) in enumerate(sources)}).fields["shots_fired"]


def test_several_against_twice_is_flagged_and_twice_is_the_value():
    merged = shots(("a", 3, "events.shots.at_least"), ("b", 2, "events.shots"), ("c", 3, "events.shots.at_least"))
    assert merged.value == 2 and merged.conflict


def test_multiple_times_then_twice_agree():
    merged = shots(("a", 2, "events.shots.at_least"), ("b", 2, "events.shots"))
    assert merged.value == 2 and not merged.conflict


def test_least_counts_alone_give_no_figure():
    merged = shots(("a", 3, "events.shots.at_least"), ("b", 2, "events.shots.at_least"))
    assert merged.value is None and not merged.conflict


def test_a_report_counting_five_and_a_number_of_shots_does_not_contradict_itself():
    facts = [
        ArticleFacts(
            "a", REL, [ev("a", "shots_fired", 5, "events.shots"), ev("a", "shots_fired", 2, "events.shots.at_least")]
        )
    ]
    merged = reconcile(1, facts, {"a": date(2024, 5, 1)}).fields["shots_fired"]
    assert merged.value == 5 and not merged.conflict


def death(time: str, qualifier: str = "exact") -> dict[str, str]:
    return {"event": "death", "time": time, "qualifier": qualifier}


def test_a_clock_time_without_half_of_day_takes_the_other_sources_half(doc_for):
    from forcewatch.extract.when import extract_timeline

    bare = extract_timeline(
        doc_for("Staff began CPR, but Pellow was pronounced dead at 9:18, an hour after the arrest.")
    )
    assert [(e.value, e.extractor) for e in bare] == [(death("09:18"), "when.timeline.half_day")]
    facts = [
        ArticleFacts("a", REL, [ev("a", "timeline.death", death("21:16"), "when.timeline")]),
        ArticleFacts("b", REL, [bare[0].__class__(**{**bare[0].__dict__, "article_id": "b"})]),
    ]
    merged = reconcile(1, facts, {"a": date(2024, 5, 1), "b": date(2024, 5, 2)}).fields["timeline.death"]
    assert merged.value == death("21:16") and merged.conflict
    assert death("21:18") in merged.conflict_values
    alone = reconcile(1, facts[1:], {"b": date(2024, 5, 2)}).fields["timeline.death"]
    assert alone.value is None


def test_an_earlier_time_in_the_report_says_which_half(doc_for):
    from forcewatch.extract.when import extract_timeline

    found = extract_timeline(
        doc_for("Officers were called at 8:40 p.m. to a flat in Marrowby. Pellow was pronounced dead at 9:18.")
    )
    assert [e.value["time"] for e in found] == ["20:40", "21:18"]
    assert all(e.extractor == "when.timeline" for e in found)


def test_a_score_or_a_ratio_is_no_clock_time(doc_for):
    from forcewatch.extract.when import extract_timeline

    assert extract_timeline(doc_for("Marrowby won 3:10 on aggregate after the shooting of their manager's car.")) == []


def test_the_time_of_a_nominal_event_a_light_verb_carries(doc_for):
    from forcewatch.extract.when import extract_timeline

    found = extract_timeline(
        doc_for("The incident involved the discharge of an official firearm in Brackley at approximately 13:00 hours.")
    )
    assert [e.value for e in found] == [{"event": "shots_fired", "time": "13:00", "qualifier": "around"}]


def test_a_rounder_time_gives_way_to_a_finer_one():
    a = {"event": "shots_fired", "time": "12:35", "qualifier": "around"}
    b = {"event": "shots_fired", "time": "13:00", "qualifier": "around"}
    facts = [
        ArticleFacts("a", REL, [ev("a", "timeline.shots_fired", a)]),
        ArticleFacts("b", REL, [ev("b", "timeline.shots_fired", b)]),
    ]
    merged = reconcile(1, facts, {"a": date(2024, 5, 1), "b": date(2024, 5, 3)}).fields["timeline.shots_fired"]
    assert merged.value == a and merged.conflict


def test_a_weekday_in_an_undated_report_is_read_in_the_incidents_week(doc_for):
    from forcewatch.extract.when import extract_date

    undated = extract_date(
        doc_for("Ashby was stopped after his car was seen being driven unsafely on Thursday.", published=None)
    )
    assert [(e.field, e.value) for e in undated] == [("date_weekday", 3)]
    facts = [
        ArticleFacts("a", REL, [ev("a", "date", "2020-05-06")]),  # a Wednesday
        ArticleFacts("b", REL, [ev("b", "date", "2020-05-06")]),
        ArticleFacts("c", REL, [undated[0].__class__(**{**undated[0].__dict__, "article_id": "c"})]),
    ]
    published = {"a": date(2020, 5, 7), "b": date(2020, 5, 8), "c": None}
    merged = reconcile(1, facts, published).fields["date"]
    assert merged.value == "2020-05-06" and merged.conflict and "2020-05-07" in merged.conflict_values
    same_day = [*facts[:2], ArticleFacts("c", REL, [ev("c", "date_weekday", 2, "when.date.weekday")])]
    assert not reconcile(1, same_day, published).fields["date"].conflict


def test_the_pages_own_timestamp_dates_nothing_but_said_the_chase_on_does(doc_for):
    from forcewatch.extract.when import extract_date

    stamp = extract_date(
        doc_for("8 Mar 2024\n\nA police dog bit a man after a chase in Marrowby.", published=date(2024, 3, 8))
    )
    assert "2024-03-08" not in [e.value for e in stamp if e.field == "date"]
    chase = extract_date(doc_for("The authority said the chase on February 2, 2022, did not warrant a police dog."))
    assert [e.value for e in chase if e.field == "date"][:1] == ["2022-02-02"]


def test_a_tie_between_two_days_goes_to_the_earlier():
    facts = [
        ArticleFacts("a", REL, [ev("a", "date", "2016-08-02")]),
        ArticleFacts("b", REL, [ev("b", "date", "2014-08-04")]),
    ]
    merged = reconcile(1, facts, {"a": date(2016, 12, 1), "b": date(2016, 12, 2)}).fields["date"]
    assert merged.value == "2014-08-04" and merged.conflict


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Officers fired at least five shots at the car in Marrowby.", (5, True)),
        ("Deputies fired more than 20 rounds at Voss.", (21, True)),
        ("Police fired a dozen shots at the man in Ashby.", (12, False)),
        ("Officers shot Ashby at least four times.", (4, True)),
        ("Police fired dozens of rounds at the van.", (24, True)),
        ("Police fired 16 bullets into the car.", (16, False)),
    ],
)
def test_figures_and_least_figures(nlp, text, count):
    ev = firing(nlp, text)
    assert (ev.count, ev.count_at_least) == count


def test_an_upper_bound_is_no_figure(nlp):
    assert all(e.count is None for e in nlp("Police fired up to ten shots at the van.")._.events)
