"""The first reading (forcewatch.pipeline.Analyser.first_reading): an article is read whole only
when the best score the whole reading could give it from its windows reaches the bar
(forcewatch.extract.relevance.reachable), so crime stories with police at the scene stop after
their windows while a report whose deciding support lies outside them is still read whole."""

from __future__ import annotations

from forcewatch.model import Article

PADDING = "\n\n".join(
    f"The {topic} in Kestonbury was discussed at length by the parish council on Tuesday evening."
    for topic in ("library", "bus timetable", "market", "allotments", "bridge repairs", "parking")
)


def _facts(analyser, title: str, body: str):
    return analyser.analyse_one(Article.from_text(body, title=title))


def test_a_stabbing_with_police_at_the_scene_stops_after_its_windows(analyser):
    body = (
        "A 24-year-old man was stabbed in Marrowby on Friday night.\n\n"
        "Officers found him with serious injuries on Voss Road and he was taken to hospital.\n\n"
        f"{PADDING}\n\n"
        "A 31-year-old man was arrested and remains in custody, police said."
    )
    facts = _facts(analyser, "Man stabbed in Marrowby", body)
    assert not facts.relevance.relevant
    assert facts.relevance.reason.startswith("first reading of its windows"), facts.relevance.reason


def test_a_report_whose_oversight_body_is_far_from_the_event_is_read_whole(analyser):
    """The windows alone weigh 'injured with police at the scene' (2.0) below the threshold; the
    oversight body, named in a paragraph no window holds, adds the 1.0 the whole reading needs."""
    body = (
        "A man was seriously injured in Pellow Cross on Sunday after officers were called to a house.\n\n"
        f"{PADDING}\n\n"
        "The Police Ombudsman has begun an investigation into the circumstances."
    )
    facts = _facts(analyser, "Investigation in Pellow Cross", body)
    assert facts.relevance.relevant, facts.relevance.reason
    assert not facts.relevance.reason.startswith("first reading")


# The first reading runs no NER (forcewatch.pipeline.FIRST_READING_SKIPS): its bound must never be
# below the one a reading with the NER gives, or a report would be dropped that the whole reading
# keeps. Each sentence has what the NER decides in a role: a one-word name, a time, a day.
BOUND_CASES = [
    "Police shot Quarrell on Sunday in Brackley.",
    "The officer fired at Pellow at 3:09 p.m. after a chase.",
    "Marrowby died in hospital on Monday after he was restrained by officers.",
    "A Northshire Police officer shot and wounded Tobin, 34, outside a shop.",
    "Ashby was struck by a bullet fired by a constable at about 10pm on Friday.",
    "Officers Tasered Voss twice on 12 March, his family said.",
]


def test_the_first_reading_without_ner_bounds_the_reading_with_it(analyser):
    from forcewatch.extract.relevance import reachable
    from forcewatch.pipeline import FIRST_READING_SKIPS

    assert "ner" in FIRST_READING_SKIPS
    nlp = analyser.nlp
    for text in BOUND_CASES:
        with nlp.select_pipes(disable=["forcewatch_actions"]):
            with_ner, _ = reachable(nlp(text), None, oversight=False, setting=False)
        with nlp.select_pipes(disable=list(FIRST_READING_SKIPS)):
            doc = nlp(text)
            assert not doc.has_annotation("ENT_IOB")
            without, weighed = reachable(doc, None, oversight=False, setting=False)
        assert without >= with_ner, (text, without, with_ner, [w.event.describe() for w in weighed])


def test_without_ner_a_time_is_not_the_one_shot_at(analyser):
    from forcewatch.pipeline import FIRST_READING_SKIPS

    with analyser.nlp.select_pipes(disable=list(FIRST_READING_SKIPS)):
        doc = analyser.nlp("After a chase through Brackley, the officer fired at 3:09 p.m. on Sunday.")
    patients = [e.patient.text for e in doc._.events if e.patient is not None]
    assert not any("3:09" in p or "p.m." in p or "Sunday" in p for p in patients), patients
