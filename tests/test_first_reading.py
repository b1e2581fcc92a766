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
