"""Merge the facts of an incident's articles into one record, with provenance and conflicts.

Per field: each source's value (with its evidence), the chosen value and the rule
that chose it, the number of independent sources behind it (syndicated copies
count once), and a conflict flag when sources, or one source with itself, give
incompatible values.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

from forcewatch.extract.when import nearest_weekday, resolve_partial
from forcewatch.link.compare import compatible, merge_times
from forcewatch.model import LIST_FIELDS, ArticleFacts, Evidence, Incident, Merged, SourceValue

#: Where several values in one article are all plausible, the strongest wins.
PRIORITY = {
    "outcome": ["fatal", "injured", "unharmed"],
    "oversight_status": ["concluded", "investigating", "referred"],
}
#: Evidence that helps linking but is no incident field ("in his 40s" is no age).
LINK_ONLY = ("subject_age_range", "date_month_day", "date_weekday", "date_month")
#: Fields where two values inside one article are a contradiction worth flagging.
SELF_CHECKED = ("timeline.", "subject_age", "shots_fired", "subject_armed")  # a report contradicting itself
#: Fields whose evidence the extractor already ranks best-first.
RANKED = ("date", "locality", "region", "country", "latitude", "longitude", "location_precision", "neighbourhood")
_SPECIFICITY = {"exact": 3, "around": 2, "before": 1, "after": 1}


def _key(value: Any) -> str:
    return repr(sorted(value.items())) if isinstance(value, dict) else repr(value)


def article_value(field: str, evidence: list[Evidence]) -> tuple[Any, list[Evidence], list[Evidence]]:
    """One article's value for a scalar field, its evidence, and values it contradicts itself with."""
    if field == "shots_fired":
        evidence = drop_covered_least_counts(evidence)
    groups: dict[str, list[Evidence]] = defaultdict(list)
    for ev in evidence:
        groups[_key(ev.value)].append(ev)
    if field in RANKED:
        best = _key(evidence[0].value)
    elif field in PRIORITY:
        order = PRIORITY[field]
        best = min(groups, key=lambda k: order.index(groups[k][0].value) if groups[k][0].value in order else 99)
    else:
        best = max(groups, key=lambda k: (sum(e.confidence for e in groups[k]), -groups[k][0].start))
    value = groups[best][0].value
    contradictions = []
    if field.startswith(SELF_CHECKED):
        contradictions = [g[0] for k, g in groups.items() if k != best and not compatible(field, value, g[0].value)]
    if field == "subject_age_approximate":
        value = any(e.value for e in evidence)
    return value, groups[best], contradictions


def reconcile(
    incident_id: int | None,
    facts: list[ArticleFacts],
    published: dict[str, date | None],
    source_group: Callable[[str], str] = lambda article_id: article_id,
) -> Incident:
    """One Incident from its articles' facts. `source_group` maps syndicated copies to one source."""
    by_field: dict[str, list[tuple[str, list[Evidence]]]] = defaultdict(list)
    for f in facts:
        per_field: dict[str, list[Evidence]] = defaultdict(list)
        for ev in f.evidence:
            per_field[ev.field].append(ev)
        if f.relevance.category and "category" not in per_field:
            per_field["category"] = []
        for name, evs in per_field.items():
            by_field[name].append((f.article_id, evs))
    resolve_partial_dates(by_field, published)
    incident = Incident(incident_id, [f.article_id for f in facts])
    for name, sources in by_field.items():
        if name in LINK_ONLY:
            continue
        if name in LIST_FIELDS:
            incident.fields[name] = merge_list(name, sources, source_group)
        else:
            ranges = by_field.get("subject_age_range", []) if name == "subject_age" else []
            incident.fields[name] = merge_scalar(name, sources, published, source_group, ranges)
    for f in facts:  # a category with no cue span still counts from the relevance decision
        merged = incident.fields.get("category")
        if merged and merged.value is None and f.relevance.category:
            merged.value = f.relevance.category
    return incident


def resolve_partial_dates(
    by_field: dict[str, list[tuple[str, list[Evidence]]]], published: dict[str, date | None]
) -> None:
    """A day and month from an undated report ("on April 21") takes its year from the incident's
    dated reports: the latest such day on or before the first of them. It then counts as that
    report's date, and can agree or conflict with the others."""
    dated = [d for d in published.values() if d is not None]
    if not dated:
        return
    reference = min(dated)
    have = {aid for aid, _ in by_field.get("date", [])}
    for aid, evs in by_field.get("date_month_day", []):
        if aid in have:
            continue
        resolved = []
        for ev in evs:
            day = resolve_partial(str(ev.value), reference)
            if day is not None:
                resolved.append(replace(ev, field="date", value=day.isoformat(), extractor="when.date.incident_year"))
        if resolved:
            by_field["date"].append((aid, resolved))
            have.add(aid)
    # "On Thursday" in an undated report: the weekday nearest the date the dated reports give.
    told = Counter(evs[0].value for aid, evs in by_field.get("date", []) if evs and published.get(aid))
    if not told or "date_weekday" not in by_field:
        return
    incident_day = date.fromisoformat(told.most_common(1)[0][0])
    for aid, evs in by_field["date_weekday"]:
        if aid in have:
            continue
        told_day = nearest_weekday(int(evs[0].value), incident_day).isoformat()
        week = replace(evs[0], field="date", value=told_day, extractor="when.date.incident_week")
        by_field["date"].append((aid, [week]))


def merge_scalar(
    name: str,
    sources: list[tuple[str, list[Evidence]]],
    published: dict[str, date | None],
    source_group: Callable[[str], str],
    age_ranges: list[tuple[str, list[Evidence]]] | None = None,
) -> Merged:
    """One value for a scalar field: the one most independent sources give.

    `age_ranges` ("in his late 30s" per article) count as support for the exact ages they
    cover: they are no age themselves, but they say which of two stated ages is the subject's.
    """
    values: list[SourceValue] = []
    self_conflicts: list[Any] = []
    for article_id, evidence in sources:
        if not evidence:
            continue
        value, backing, contradictions = article_value(name, evidence)
        values.append(SourceValue(article_id, value, backing, contradictions))
        self_conflicts += [e.value for e in contradictions]
    if not values:
        return Merged(name, None, "no evidence", 0, [])
    if name == "subject_age":
        values = prefer_exact_ages(values)
    if name.startswith("timeline."):
        values = resolve_half_days(values)
        if all(_half_day(sv) for sv in values):
            return Merged(name, None, "a clock time with no a.m. or p.m.", 0, values)
    if name == "shots_fired":
        values = prefer_exact_counts(values)
        if all(_least_count(sv) for sv in values):
            return Merged(name, None, "only least counts ('fired several times')", 0, values)
    if name in PLACE_FIELDS:
        values = prefer_direct(values)
    # Independent support: distinct source groups per distinct value.
    support: dict[str, set[str]] = defaultdict(set)
    for sv in values:
        support[_key(sv.value)].add(source_group(sv.article_id))
    for article_id, evidence in age_ranges or []:
        for sv in values:
            if isinstance(sv.value, int) and any(
                lo - 2 <= sv.value <= hi + 2 for lo, hi in (e.value for e in evidence)
            ):
                support[_key(sv.value)].add(source_group(article_id))

    def rank(sv: SourceValue) -> tuple:
        specific = _SPECIFICITY.get(sv.value.get("qualifier", ""), 0) if isinstance(sv.value, dict) else 0
        when = published.get(sv.article_id) or date.min
        fine = _clock_precision(sv.value) if name.startswith("timeline.") else 0
        if name == "date":  # a tie goes to the earlier day: later ones are an inquest's, a report's
            fine = -date.fromisoformat(str(sv.value)).toordinal()
        return (not (_least_count(sv) or _half_day(sv)), len(support[_key(sv.value)]), specific, fine, when)

    chosen = max(values, key=rank)
    rule = "most independent sources"
    tied = [sv for sv in values if len(support[_key(sv.value)]) == len(support[_key(chosen.value)])]
    if len({_key(sv.value) for sv in tied}) > 1:
        rule = "most specific" if len({rank(sv)[2:4] for sv in tied}) > 1 else "most recent report"
    value = chosen.value
    disagreeing = [sv.value for sv in values if not compatible(name, chosen.value, sv.value)]
    if name.startswith("timeline."):
        value = merge_times([chosen.value] + [sv.value for sv in tied if sv is not chosen])
        if value != chosen.value:
            rule = "before and after the same time: around it"
    if name == "subject_armed" and disagreeing and len(tied) > 1:
        value, rule = "undetermined", "sources disagree"
    conflict_values = (
        _distinct([chosen.value, *disagreeing, *self_conflicts]) if (disagreeing or self_conflicts) else []
    )
    return Merged(
        name,
        value,
        rule,
        len(support[_key(chosen.value)]),
        values,
        conflict=bool(disagreeing or self_conflicts),
        conflict_values=conflict_values,
    )


PLACE_FIELDS = ("locality", "region", "country", "latitude", "longitude", "location_precision")


def prefer_direct(values: list[SourceValue]) -> list[SourceValue]:
    """A place read from the text beats one inferred from the force's name (places.agency)."""
    direct = [sv for sv in values if any(e.extractor != "places.agency" for e in sv.evidence)]
    return direct or values


def _approximate(sv: SourceValue) -> bool:
    return all(e.extractor.endswith(".approximate") for e in sv.evidence)


def prefer_exact_ages(values: list[SourceValue]) -> list[SourceValue]:
    """An exact age beats a hedge it agrees with ("in his 30s" then "38"): the hedge is not a rival.

    Hedged values that an exact age falls within (a decade, or +-2 years) are dropped from
    the choice; hedges that contradict every exact age stay, and will be flagged.
    """
    exact = [sv for sv in values if not _approximate(sv)]
    if not exact:
        return values

    def covered(approx: int) -> bool:
        return any(approx <= sv.value <= approx + 9 or abs(sv.value - approx) <= 2 for sv in exact)

    return exact + [sv for sv in values if _approximate(sv) and not covered(sv.value)]


def _clock_precision(value: dict[str, str]) -> int:
    """How finely a time is told: "about 13:00" is rounder than "about 12:35" (on the hour, the
    quarter, five minutes, the minute)."""
    minute = int(value["time"].split(":")[1])
    return 0 if minute == 0 else 1 if minute % 15 == 0 else 2 if minute % 5 == 0 else 3


def _half_day(sv: SourceValue) -> bool:
    return all(e.extractor.endswith(".half_day") for e in sv.evidence)


def resolve_half_days(values: list[SourceValue]) -> list[SourceValue]:
    """ "Pronounced dead at 9:18" beside another source's 9:16 p.m.: the 12-hour reading nearest
    the other sources' times (a 9:18 beside 21:16 is 21:18, two minutes off, and flagged)."""
    known = [interval_mid(sv.value) for sv in values if not _half_day(sv)]
    if not known:
        return values
    out = []
    for sv in values:
        if _half_day(sv):
            h, m = (int(x) for x in sv.value["time"].split(":"))
            readings = [(h % 12) * 60 + m, (h % 12 + 12) * 60 + m]
            best = min(readings, key=lambda t: min(min(abs(t - k), 1440 - abs(t - k)) for k in known))
            sv = replace(sv, value={**sv.value, "time": f"{best // 60:02d}:{best % 60:02d}"})
        out.append(sv)
    return out


def interval_mid(value: dict[str, str]) -> int:
    h, m = value["time"].split(":")
    return int(h) * 60 + int(m)


def _least_count(sv: SourceValue) -> bool:
    return all(e.extractor.endswith(".at_least") for e in sv.evidence)


def drop_covered_least_counts(evidence: list[Evidence]) -> list[Evidence]:
    """Inside one report, "a number of shots, believed to be five" is one figure, not two."""
    exact = [e for e in evidence if not e.extractor.endswith(".at_least")]
    least = [e for e in evidence if e.extractor.endswith(".at_least")]
    return exact + [e for e in least if not any(x.value >= e.value for x in exact)] if exact else evidence


def prefer_exact_counts(values: list[SourceValue]) -> list[SourceValue]:
    """A count beats a least count it satisfies ("fired multiple times", then "twice"); a least
    count no stated figure reaches ("several times" against "twice") stays, and is flagged."""
    exact = [sv for sv in values if not _least_count(sv)]
    if not exact:
        return values
    return exact + [sv for sv in values if _least_count(sv) and not any(x.value >= sv.value for x in exact)]


def merge_list(name: str, sources: list[tuple[str, list[Evidence]]], source_group: Callable[[str], str]) -> Merged:
    """Union of elements; quotes are merged per speaker."""
    values: list[SourceValue] = []
    support: dict[str, set[str]] = defaultdict(set)
    elements: dict[str, Any] = {}
    for article_id, evidence in sources:
        article_elements: dict[str, Any] = {}
        for ev in evidence:
            key = ev.value["speaker"].lower() if name == "quotes" else _key(ev.value)
            if name == "quotes" and key in article_elements:
                article_elements[key] = {
                    **article_elements[key],
                    "text": article_elements[key]["text"] + " … " + ev.value["text"],
                }
            else:
                article_elements.setdefault(key, ev.value)
            support[key].add(source_group(article_id))
        for key, element in article_elements.items():
            if key not in elements or (name == "quotes" and len(element["text"]) > len(elements[key]["text"])):
                elements[key] = element
        values.append(SourceValue(article_id, list(article_elements.values()), evidence))
    chosen = list(elements.values())
    return Merged(name, chosen, "union of sources", max((len(s) for s in support.values()), default=0), values)


def _distinct(values: list[Any]) -> list[Any]:
    seen, out = set(), []
    for v in values:
        if _key(v) not in seen:
            seen.add(_key(v))
            out.append(v)
    return out


def timeline_list(incident: Incident) -> list[dict[str, str]]:
    """The merged timeline as FIELDS.md's list of {event, time, qualifier}, in clock order."""
    events = [m.value for name, m in incident.fields.items() if name.startswith("timeline.") and m.value]
    return sorted(events, key=lambda e: e["time"])
