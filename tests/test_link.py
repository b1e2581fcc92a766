"""Linking, time-interval conflicts and reconciliation, on plain data."""

from __future__ import annotations

from datetime import date

from forcewatch.link.compare import compatible
from forcewatch.link.linker import Linker, Profile
from forcewatch.link.reconcile import reconcile
from forcewatch.model import ArticleFacts, Evidence, Relevance


def t(time: str, qualifier: str) -> dict[str, str]:
    return {"event": "shots_fired", "time": time, "qualifier": qualifier}


def test_compare_time_intervals():
    assert not compatible("timeline.shots_fired", t("21:00", "before"), t("21:00", "after"))
    assert compatible("timeline.shots_fired", t("21:00", "around"), t("21:00", "after"))
    assert not compatible("timeline.shots_fired", t("20:00", "around"), t("21:00", "before"))


def test_linker_day_apart_links_but_other_death_same_day_does_not():
    linker = Linker()
    a = Profile(
        date(2024, 3, 9),
        "GB",
        "West Yorkshire",
        "Leeds",
        None,
        "West Yorkshire Police",
        "police_shooting",
        None,
        34,
        "male",
    )
    b = Profile(
        date(2024, 3, 10),
        "GB",
        "West Yorkshire",
        "Leeds",
        "Harehills",
        "West Yorkshire Police",
        "police_shooting",
        None,
        34,
        "male",
    )
    other = Profile(
        date(2024, 3, 9), "GB", "West Yorkshire", "Leeds", None, "West Yorkshire Police", "custody", None, 52, "female"
    )
    first, _, _ = linker.link("a", a)
    assert linker.link("b", b)[0] == first
    assert linker.link("c", other)[0] != first


def test_linker_syndicated_copy_is_flagged():
    linker = Linker()
    body = "A man was shot dead by police in Leeds on Saturday night after reports of a man with a gun. " * 5
    first, copy, _ = linker.link("a", Profile(), body)
    second, copy, _ = linker.link("b", Profile(), body + " Updated.")
    assert second == first and copy == "a"


def ev(article: str, field: str, value, quote: str = "q") -> Evidence:
    return Evidence(field, value, 0, 1, quote, 0.8, "test", article)


def test_reconcile_support_conflicts_and_syndication():
    rel = Relevance(True, "police_shooting", "test")
    facts = [
        ArticleFacts(
            "a",
            rel,
            [
                ev("a", "subject_age", 40),
                ev("a", "timeline.shots_fired", t("21:00", "before")),
                ev("a", "timeline.shots_fired", t("20:00", "around")),
            ],
        ),
        ArticleFacts("b", rel, [ev("b", "subject_age", 40), ev("b", "timeline.shots_fired", t("21:00", "after"))]),
        ArticleFacts("c", rel, [ev("c", "subject_age", 41)]),
        ArticleFacts("d", rel, [ev("d", "subject_age", 41)]),
    ]
    incident = reconcile(1, facts, {"a": date(2024, 1, 2)}, source_group=lambda x: "c" if x == "d" else x)
    age = incident.fields["subject_age"]
    assert age.value == 40 and age.support == 2  # c and d are one syndicated source
    assert age.conflict and 41 in age.conflict_values
    shots = incident.fields["timeline.shots_fired"]
    assert shots.conflict
    assert shots.value == t("21:00", "around")
    assert any(sv.contradicting for sv in shots.sources)  # "about 8pm" in the same article


def test_reconcile_prefers_specific_time_and_text_over_inferred_place():
    rel = Relevance(True, "police_shooting", "test")
    a = [ev("a", "timeline.shots_fired", t("20:00", "after")), ev("a", "region", "Luton")]
    b = [
        ev("b", "timeline.shots_fired", t("19:45", "around")),
        Evidence("region", "Bedfordshire", 0, 1, "q", 0.5, "places.agency", "b"),
    ]
    incident = reconcile(1, [ArticleFacts("a", rel, a), ArticleFacts("b", rel, b)], {})
    shots = incident.fields["timeline.shots_fired"]
    assert shots.value == t("19:45", "around") and shots.rule == "most specific"
    assert shots.conflict  # around 19:45 and after 20:00 cannot both hold
    region = incident.fields["region"]
    assert region.value == "Luton" and not region.conflict


def test_reconcile_gives_an_undated_reports_day_and_month_the_incidents_year():
    from datetime import date

    rel = Relevance(True, "custody", "test")
    dated = ArticleFacts("a", rel, [ev("a", "date", "2024-04-21")])
    agrees = ArticleFacts("b", rel, [ev("b", "date_month_day", "04-21")])
    inc = reconcile(1, [dated, agrees], {"a": date(2024, 4, 23), "b": None})
    assert inc.value("date") == "2024-04-21" and inc.fields["date"].support == 2
    assert "date_month_day" not in inc.fields  # link-only: no field of its own
    differs = ArticleFacts("c", rel, [ev("c", "date_month_day", "04-19")])
    inc = reconcile(1, [dated, differs], {"a": date(2024, 4, 23), "c": None})
    assert inc.fields["date"].conflict  # 19 April from the undated report, 21 April from the dated one
    alone = reconcile(1, [agrees], {"b": None})
    assert alone.value("date") is None  # no dated report: no year to give
