"""The linking model, one kind of evidence at a time: each must move the score the right way.

A base pair of reports (same day and town) is compared with and without one difference; the
weights live in `forcewatch.link.linker.Weights`, so these tests check directions and the
decisions that matter (link or not), not the numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from forcewatch.link.linker import LINK_THRESHOLD, Linker, Profile, cited_facts, similarity, term_weight
from forcewatch.model import ArticleFacts, Evidence, Relevance

BASE = Profile(
    date=date(2025, 5, 2),
    country="GB",
    region="Northshire",
    locality="Marrowby",
    agency="Northshire Police",
    category="police_shooting",
    gender="male",
)


@pytest.mark.parametrize(
    "change, direction",
    [
        ({"date": date(2025, 5, 3)}, -1),  # a day off: weaker, still evidence for
        ({"date": date(2025, 9, 3)}, -1),  # months apart
        ({"locality": "Brackley"}, -1),
        ({"neighbourhood": "Pellow Road"}, 0),  # one side has no street: no evidence
        ({"agency": "Ashby Constabulary"}, -1),
        ({"category": "custody"}, -1),
        ({"gender": "female"}, -1),
        ({"country": "US"}, -1),
    ],
)
def test_each_difference_counts_against(change, direction):
    base = similarity(BASE, BASE)
    changed = similarity(BASE, replace(BASE, **change))
    assert (changed < base) if direction < 0 else (changed == base)


def test_names_full_beats_surname_and_a_different_name_is_against():
    full = similarity(replace(BASE, name="Tobin Quarrell"), replace(BASE, name="Tobin Quarrell"))
    surname = similarity(replace(BASE, name="Tobin Quarrell"), replace(BASE, name="Quarrell"))
    other = similarity(replace(BASE, name="Tobin Quarrell"), replace(BASE, name="Ada Voss"))
    assert full > surname > similarity(BASE, BASE) > other


def test_a_rare_surname_weighs_more_than_a_common_one():
    rare = similarity(replace(BASE, name="Tobin Quarrell"), replace(BASE, name="Quarrell"))
    common = similarity(replace(BASE, name="Tobin Smith"), replace(BASE, name="Smith"))
    assert rare > common


def test_ages_close_agree_ten_years_apart_is_another_person():
    a = replace(BASE, age=23)
    assert similarity(a, replace(BASE, age=24)) > similarity(BASE, BASE)
    assert similarity(a, replace(BASE, age=41)) < LINK_THRESHOLD  # same day, town and force: still not one


def test_a_shared_full_name_survives_a_birthplace_read_as_the_scene():
    a = replace(BASE, name="Tobin Quarrell", age=26, date=None)
    b = replace(a, locality="Brackley", region="Westshire")
    assert similarity(a, b) >= LINK_THRESHOLD


def test_rare_shared_words_and_cited_facts_count():
    assert term_weight("quarrell") > term_weight("hospital") == 0.0
    a = replace(BASE, date=None, locality=None, region=None, agency=None, terms=frozenset({"quarrell", "yarnbury"}))
    assert similarity(a, a) > similarity(replace(a, terms=frozenset()), replace(a, terms=frozenset()))
    facts = ArticleFacts(
        article_id="x",
        relevance=Relevance(True, "police_shooting", 5.0, ""),
        evidence=[Evidence("shots_fired", 20, 0, 40, "Officers fired twenty rounds in 45 seconds.")],
    )
    assert cited_facts(facts) == {"20 round", "45 second"}
    with_fact = replace(a, facts=frozenset({"20 round"}))
    assert similarity(with_fact, with_fact) > similarity(a, a)


def test_unnamed_first_report_joins_the_named_later_one():
    """ "A man, 23" first, then "Tobin Quarrell, 24": place, day and force join them."""
    linker = Linker()
    first, _, _ = linker.link("a", replace(BASE, age=23))
    assert linker.link("b", replace(BASE, date=date(2025, 5, 3), name="Tobin Quarrell", age=24))[0] == first


def test_an_article_linking_two_incidents_heals_them_unless_a_person_split_them():
    words = frozenset({"yarnbury", "pellowgate", "brindlecott", "ashcombe"})
    unplaced = Profile(category="police_shooting", gender="male", age=30, terms=words)  # no place, date or name
    named = replace(BASE, name="Tobin Quarrell")
    bridge = replace(BASE, name="Tobin Quarrell", age=30, terms=words)  # says what each of the two says
    for apart, expected in ((False, 1), (True, 2)):
        linker = Linker()
        a, _, _ = linker.link("a", unplaced)
        b, _, _ = linker.link("b", named)
        assert a != b, "the two first reports share nothing to compare"
        if apart:
            linker.apart = {frozenset((a, b))}
        linker.link("c", bridge)
        assert len({linker.live(i) for i in linker.article_incident.values()}) == expected
        assert bool(linker.take_healed()) is (not apart)


def test_pairs_just_below_the_threshold_are_listed_not_merged():
    from forcewatch.link.duplicates import possible_duplicates

    linker = Linker()
    a, _, _ = linker.link("a", BASE)
    b, _, _ = linker.link("b", replace(BASE, date=date(2025, 5, 4), agency=None))  # two days on, no force named
    c, _, _ = linker.link("c", replace(BASE, locality="Brackley", date=date(2025, 5, 6), agency="Ashby Constabulary"))
    assert len({a, b, c}) == 3
    listed = possible_duplicates(linker)
    assert [(d.first, d.second) for d in listed] == [(a, b)]
    assert LINK_THRESHOLD - 1.0 <= listed[0].score < LINK_THRESHOLD
    linker.apart = {frozenset((a, b))}
    assert possible_duplicates(linker) == []  # a person decided: not asked again


def test_a_month_without_a_day_is_as_good_as_dated_and_another_month_is_against():
    from datetime import date

    from forcewatch.link.linker import Profile, similarity

    dated = Profile(date(2020, 5, 29), "NZ", None, "Marrowby", agency="Northshire Police", category="other_contact")
    same_month = Profile(
        None, "NZ", None, "Marrowby", agency="Northshire Police", category="other_contact", month="2020-05"
    )
    undated = Profile(None, "NZ", None, "Marrowby", agency="Northshire Police", category="other_contact")
    years_off = Profile(
        None, "NZ", None, "Marrowby", agency="Northshire Police", category="other_contact", month="2022-02"
    )
    assert similarity(dated, same_month) > similarity(dated, undated) > similarity(dated, years_off)
    assert similarity(dated, same_month) == similarity(same_month, dated)


def test_an_article_bridging_two_different_people_does_not_heal_them():
    """Two named deaths on one day in one town (other names): an unnamed report of
    that day and town scores with both, joins one, and the two stay apart."""
    linker = Linker()
    a, _, _ = linker.link("a", replace(BASE, name="Tobin Quarrell", age=24))
    b, _, _ = linker.link("b", replace(BASE, name="Ada Voss", age=51, gender="female"))
    assert a != b
    bridge, _, _ = linker.link("c", replace(BASE, gender=None))  # the day, the town, the force: nothing else
    assert bridge in (a, b)
    assert linker.take_healed() == []
    assert len({linker.live(i) for i in linker.article_incident.values()}) == 2


def test_an_article_bridging_compatible_reports_still_heals_them():
    """The guard needs contradiction: a named report and an unnamed one of the same age heal."""
    linker = Linker()
    words = frozenset({"yarnbury", "pellowgate", "brindlecott", "ashcombe"})
    a, _, _ = linker.link("a", Profile(category="police_shooting", gender="male", age=30, terms=words))
    b, _, _ = linker.link("b", replace(BASE, name="Tobin Quarrell", age=31))
    assert a != b
    linker.link("c", replace(BASE, name="Tobin Quarrell", age=30, terms=words))
    assert linker.take_healed() == [(b, a)]


UNDATED = replace(BASE, date=None)


@pytest.mark.parametrize(
    "shared, found",
    [
        ({}, False),  # only the town, force and category: at most 2.125, cannot link
        ({"age": 31}, True),  # an age two years off the other's 29
        ({"neighbourhood": "Pellow Road"}, True),
        ({"name": "Quarrell"}, True),
        ({"facts": frozenset({"3 shot"})}, True),
        ({"month": "2025-05"}, True),  # a month is as good as dated
    ],
)
def test_an_undated_pair_is_compared_only_on_evidence_beyond_the_town(shared, found):
    """A big city's undated report is not scored against every incident of the city: only
    against those sharing what a link would need besides the town (and from both sides, so
    the order of arrival does not matter)."""
    dated = replace(BASE, age=29, neighbourhood="Pellow Road", name="Tobin Quarrell", facts=frozenset({"3 shot"}))
    undated = replace(UNDATED, **shared)
    for first, second in ((dated, undated), (undated, dated)):
        linker = Linker()
        a, _, _ = linker.link("a", first)
        assert (a in linker.candidates(second)) is found


def test_an_undated_pair_that_can_link_always_shares_an_evidence_key():
    """The bound behind `undated_keys`, checked against the weights: over many random pairs with
    an undated side and a shared town, every pair scoring at least the threshold shares a key.
    Fails if a change to `Weights` lets the town, force and category alone link an undated pair."""
    import random

    from forcewatch.link.linker import undated_keys

    rng = random.Random(3)

    def pick(values):
        return rng.choice(values)

    def profile(dated: bool) -> Profile:
        return Profile(
            date=date(2025, 5, pick((1, 2, 3))) if dated else None,
            month=None if dated else pick((None, "2025-05", "2025-06")),
            country=pick(("GB", None)),
            region=pick(("Northshire", None)),
            locality="Marrowby",
            neighbourhood=pick((None, "Pellow Road", "Ashby Lane")),
            agency=pick(("Northshire Police", None, "Ashby Constabulary")),
            category=pick(("police_shooting", "custody", None)),
            name=pick((None, "Quarrell", "Tobin Quarrell", "Ada Voss")),
            age=pick((None, 29, 31, 45)),
            gender=pick((None, "male", "female")),
            facts=pick((frozenset(), frozenset({"3 shot"}))),
            terms=pick((frozenset(), frozenset({"brindlecott"}))),
        )

    linkable = 0
    for _ in range(4000):
        a, b = profile(dated=rng.random() < 0.5), profile(dated=False)
        if similarity(a, b) >= LINK_THRESHOLD:
            linkable += 1
            assert set(undated_keys(a, query=True)) & set(undated_keys(b)), (a, b)
            assert set(undated_keys(b, query=True)) & set(undated_keys(a)), (a, b)
    assert linkable > 50  # the check met many pairs that link


def test_possible_duplicates_score_each_pair_by_its_best_pair_of_reports():
    """Scored once per pair over distinct reports: the same score as every pair of reports read."""
    from forcewatch.link.duplicates import best_pair, possible_duplicates

    linker = Linker()
    for k in range(4):  # one incident told four times the same way, once with an age
        linker.link(f"a{k}", replace(BASE, age=30 if k == 3 else None))
    linker.link("b", replace(BASE, date=date(2025, 5, 4), agency=None))  # two days on, no force: just short
    listed = possible_duplicates(linker)
    assert listed
    for d in listed:
        every = max(
            similarity(a, b) for a in linker.incidents[d.first].profiles for b in linker.incidents[d.second].profiles
        )
        assert d.score == every
        assert similarity(*best_pair(linker, d.first, d.second)) == every
