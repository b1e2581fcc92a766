"""Each extractor alone, on short texts written for the behaviour under test."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch.extract.agencies import extract_agency
from forcewatch.extract.circumstances import extract_circumstances
from forcewatch.extract.force import extract_force
from forcewatch.extract.oversight import extract_oversight
from forcewatch.extract.people import extract_people
from forcewatch.extract.places import extract_places
from forcewatch.extract.quotes import extract_quotes
from forcewatch.extract.relevance import prefilter
from forcewatch.extract.when import extract_date, extract_timeline, last_weekday, resolve_month_day
from forcewatch.model import Article


def values(evidence, field):
    return [e.value for e in evidence if e.field == field]


def test_when_weekday_is_latest_on_or_before_publication():
    assert last_weekday(3, date(2023, 11, 24)) == date(2023, 11, 23)  # Thursday before a Friday
    assert last_weekday(4, date(2023, 11, 24)) == date(2023, 11, 24)  # "on Friday" in a Friday paper


def test_when_month_day_without_year_uses_weekday():
    assert resolve_month_day(11, 23, date(2026, 11, 23), weekday=3) == date(2023, 11, 23)
    assert resolve_month_day(3, 3, date(2024, 3, 8)) == date(2024, 3, 3)


def test_when_incident_date_is_event_sentence_not_statement(doc_for):
    doc = doc_for(
        "The force said on Friday that a man was shot by officers in the early hours of Wednesday.", date(2024, 3, 8)
    )
    assert extract_date(doc)[0].value == "2024-03-06"


def test_when_us_numeric_date_order(doc_for):
    doc = doc_for("The shooting happened at about 10:50 p.m. on 3/4/2025 in a parking lot.", date(2025, 3, 6))
    assert extract_date(doc, us_order=True)[0].value == "2025-03-04"


def test_when_timeline_qualifiers_and_relative_time(doc_for):
    doc = doc_for(
        "Police received a 999 call at 20:05. Officers arrived just after 8.15pm. "
        "Shots were fired shortly before 21:00hrs. He was pronounced dead about 20 minutes later."
    )
    got = {(v["event"], v["time"], v["qualifier"]) for v in (e.value for e in extract_timeline(doc))}
    assert ("call_received", "20:05", "exact") in got
    assert ("police_arrived", "20:15", "after") in got
    assert ("shots_fired", "21:00", "before") in got
    assert ("death", "21:20", "around") in got


@pytest.mark.parametrize(
    "text",
    [
        "A police officer was shot and seriously injured by a suspect in Dayton on Monday, police said.",
        "Police are appealing for witnesses after a man was stabbed in Wolverhampton. He died in hospital.",
        "A former officer was jailed for six years at Crown Court for misconduct dating back to 2015.",
        "The council approved a new police budget on Tuesday, with more money for officers in the city.",
    ],
)
def test_relevance_rejects_non_reports_with_a_reason(text, analyser):
    decision = analyser.analyse_one(Article.from_text(text)).relevance
    assert not decision.relevant
    assert decision.reason


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("A man was shot dead by armed police in Leeds on Saturday.", "police_shooting"),
        (
            "A man died in police custody after he was found unresponsive in his cell at Bristol police station.",
            "custody",
        ),
        ("A teenager died when the car he was driving crashed during a police pursuit in Lubbock.", "road_traffic"),
        (
            "A woman who was found dead two days after she was released from police custody took her own life, an inquest heard.",
            "suicide_following_custody",
        ),
        (
            "A man was seriously injured after being Tasered by officers at his home. The IOPC is investigating his injuries.",
            "other_contact",
        ),
    ],
)
def test_relevance_category(text, category, analyser):
    assert prefilter(text)
    decision = analyser.analyse_one(Article.from_text(text, published=date(2024, 3, 8))).relevance
    assert decision.relevant and decision.category == category
    assert decision.reason.startswith("event '")  # the reason names the deciding event


def test_agencies_aliases_merge_to_one_canonical_name(doc_for):
    doc = doc_for(
        "The Met said a Met Police officer fired. Metropolitan Police officers attended. Scotland Yard confirmed it."
    )
    assert set(values(extract_agency(doc), "agency")) == {"Metropolitan Police Service"}


def test_agencies_us_patterns(doc_for, analyser):
    doc = doc_for("Houston police said the Harris County Sheriff's Office and the Texas Highway Patrol also responded.")
    got = set(values(extract_agency(doc, analyser.gazetteer), "agency"))
    assert {"Houston Police Department", "Harris County Sheriff's Office", "Texas Highway Patrol"} <= got


def test_places_district_beats_city_and_gives_hierarchy(doc_for, analyser):
    doc = doc_for("A man was shot dead by police in east London. Officers shot him at a house in Dagenham on Thursday.")
    ev = extract_places(doc, analyser.gazetteer, [("GB", 3.0)], [])
    assert values(ev, "locality")[0] == "Dagenham"
    assert values(ev, "region")[0] == "London"
    assert "GB" in values(ev, "country")
    assert values(ev, "location_precision")[0] == "locality"


def test_places_us_city_with_state(doc_for, analyser):
    doc = doc_for("A man was shot and killed by officers in Houston, Texas, on Saturday morning.")
    ev = extract_places(doc, analyser.gazetteer, [], [])
    assert values(ev, "locality")[0] == "Houston" and values(ev, "region")[0] == "Texas"
    assert values(ev, "country")[0] == "US"


def test_people_age_hedges_and_decades(doc_for):
    ev = extract_people(doc_for("The man, believed to be aged 40, died at the scene after he was shot."))
    assert values(ev, "subject_age") == [40] and values(ev, "subject_age_approximate") == [True]
    # A decade is no age: nothing would tell a true 40 from this 40.
    ev = extract_people(doc_for("A woman in her forties was injured when she was struck by a police car."))
    assert values(ev, "subject_age") == [] and values(ev, "subject_gender")[0] == "female"
    ev = extract_people(doc_for("A 23-year-old man died in custody."))
    assert values(ev, "subject_age") == [23] and values(ev, "subject_age_approximate") == [False]


def test_people_unidentified_means_no_name(doc_for):
    doc = doc_for("The man who died was named locally as John Carter. Formal identification has not yet taken place.")
    assert values(extract_people(doc), "subject_name") == []
    doc = doc_for("The man shot by police has been named as John Carter, 34, by his family.")
    assert set(values(extract_people(doc), "subject_name")) == {"John Carter"}


def test_force_claimed_versus_found_and_replica(doc_for):
    claimed = extract_force(
        doc_for("He told the call handler he had a gun, but no weapon was found after he was shot by police.")
    )
    assert values(claimed, "subject_weapon_recovered") == [False]
    replica = extract_force(doc_for("Officers shot the man, who was holding a BB gun, police said."))
    assert "replica" in values(replica, "subject_armed")
    found = extract_force(doc_for("Officers fired two shots. Two non-police issue guns were found at the scene."))
    assert True in values(found, "subject_weapon_recovered")


def test_shots_force_and_outcome_come_from_events(analyser):
    text = "Officers fired two shots at a man in Leeds on Saturday. He died at the scene."
    facts = analyser.analyse_one(Article.from_text(text, published=date(2024, 3, 10)))
    assert values(facts.evidence, "shots_fired") == [2]
    assert set(values(facts.evidence, "force_used")) == {"firearm"}
    assert "fatal" in values(facts.evidence, "outcome")


def test_circumstances_and_oversight(doc_for):
    ev = extract_circumstances(
        doc_for(
            "He had threatened to take his own life. Footage from body-worn cameras was reviewed. "
            "Officers gave CPR. No one else was in the flat at the time. He had come out of the house."
        )
    )
    assert values(ev, "mental_health_crisis") == [True]
    assert values(ev, "body_camera") == [True]
    assert values(ev, "first_aid") == [True]
    assert values(ev, "others_present") == [False]
    assert values(ev, "fleeing") == ["not_fleeing"]
    ov = extract_oversight(doc_for("The force referred the death to the IOPC, which is investigating."))
    assert set(values(ov, "oversight_status")) == {"referred", "investigating"}
    assert values(ov, "oversight_body") == ["IOPC"]


def test_quotes_multi_paragraph_and_pronoun(doc_for):
    text = (
        "Chief Constable Jane Morrow, of West Yorkshire Police, said: “This is a tragic incident.\n"
        "“We will cooperate fully with the IOPC investigation.”\n"
        "“It is too early to say more,” she said.\n"
        "“They never told us anything,” said a neighbour."
    )
    quotes = [e.value for e in extract_quotes(doc_for(text))]
    assert quotes[0]["speaker"] == "Jane Morrow"
    assert quotes[0]["role"] == "Chief Constable"
    assert quotes[0]["organisation"] == "West Yorkshire Police"
    assert "cooperate fully" in quotes[0]["text"]
    assert quotes[1]["speaker"] == "Jane Morrow"  # "she said" resolves to the last named speaker
    assert all(q["speaker"] not in ("she", "a neighbour") for q in quotes)


def test_boilerplate_yields_no_facts(analyser):
    text = (
        "A man was shot dead by police in Leeds on Saturday.\n"
        "If you are struggling, call the Samaritans for free on 116 123 - a 24-year-old volunteer answers.\n"
        "Picture: a 35-year-old man at Kent Police HQ"
    )
    facts = analyser.analyse_one(Article.from_text(text, published=date(2024, 3, 10)))
    assert facts.relevance.relevant
    assert values(facts.evidence, "subject_age") == []
    assert "Kent Police" not in values(facts.evidence, "agency")


def test_boilerplate_related_link_lines_are_masked():
    from forcewatch.extract.boilerplate import boilerplate_spans

    text = "A man died after police restrained him.\nMore: the fatal shooting of Jo Voss by deputies\nHe said more: no."
    assert [text[a:b] for a, b in boilerplate_spans(text)] == ["More: the fatal shooting of Jo Voss by deputies"]


def test_quotes_speaker_is_a_person_not_an_organisation_or_a_possessive(doc_for):
    text = (
        "A Garda statement said: “Officers responded to the scene.”\n"
        "Mr Voss’s family said: “He was a gentle man.”\n"
        "Superintendent Ada Pellow said: “We will cooperate fully.”"
    )
    speakers = [e.value["speaker"] for e in extract_quotes(doc_for(text))]
    assert speakers == ["Ada Pellow"]


def _extractor_patterns() -> list:
    """Every module-level regex and rule pattern of the extractors, and the force aliases."""
    import importlib
    import pkgutil
    import re

    import forcewatch.extract as package
    from forcewatch.extract.agencies import forces_abroad
    from forcewatch.extract.rules import Rule

    found: dict[tuple[str, int], re.Pattern] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"forcewatch.extract.{info.name}")
        for value in vars(module).values():
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                pattern = item.pattern if isinstance(item, Rule) else item
                if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                    found[(pattern.pattern, pattern.flags)] = pattern
    for alias in forces_abroad().aliases:
        found[(alias.pattern.pattern, alias.pattern.flags)] = alias.pattern
    return list(found.values())


def test_the_hyperscan_gate_never_rules_out_a_pattern_that_matches():
    """forcewatch.extract.gate skips a regex only where it cannot match: checked for every
    extractor pattern on every test article, with the texts' non-ASCII letters and quotes."""
    from pathlib import Path

    from forcewatch.extract.gate import _database, could_match

    patterns = _extractor_patterns()
    gated = [p for p in patterns if _database(p) is not None]
    assert len(patterns) > 100 and len(gated) > 0.7 * len(patterns)
    corpus = Path(__file__).parent / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*/*.txt"))]
    texts.append("Gardaí said José Núñez, 41, was struck — “twice” — by a Garda car in Co. Kildare.")
    assert len(texts) > 50
    ruled_out = 0
    for text in texts:
        data = text.encode()
        for pattern in gated:
            if not could_match(pattern, data):
                ruled_out += 1
                assert pattern.search(text) is None, (pattern.pattern[:80], text[:80])
    assert ruled_out > 0.5 * len(texts) * len(gated)  # it does skip most patterns on most articles


def test_the_gate_keeps_its_compiled_scanners_in_the_cache(tmp_path, monkeypatch):
    import re

    import forcewatch.extract.gate as gate

    monkeypatch.setenv("FORCEWATCH_CACHE", str(tmp_path))
    pattern = re.compile(r"\b(?<!not )(tasered|stun gun)\b", re.I)
    gate._database.cache_clear()
    assert gate.could_match(pattern, b"He was Tasered twice") and not gate.could_match(pattern, b"A quiet day")
    (saved,) = (tmp_path / "gate").glob("*.hsdb")
    gate._database.cache_clear()
    assert gate.could_match(pattern, b"a STUN GUN was used")  # loaded from the file
    saved.write_bytes(b"torn")
    gate._database.cache_clear()
    assert gate.could_match(pattern, b"tasered") and not gate.could_match(pattern, b"nothing")  # rebuilt
    assert saved.read_bytes() != b"torn"
    gate._database.cache_clear()


def test_an_agency_named_as_the_source_weighs_less_than_the_one_that_acted(doc_for):
    from forcewatch.extract.agencies import extract_agency

    doc = doc_for(
        "One man was killed in an officer-involved shooting on Tuesday, according to the Iowa Department of "
        "Public Safety.\nDeputies with the Marrow County Sheriff's Office were called to a home in Sheffield."
    )
    by_name: dict[str, float] = {}
    for ev in extract_agency(doc):
        by_name[ev.value] = max(by_name.get(ev.value, 0.0), ev.confidence)
    assert by_name["Iowa Department of Public Safety"] < by_name["Marrow County Sheriff's Office"], by_name
