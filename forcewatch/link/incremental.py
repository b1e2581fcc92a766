"""An incident's merged record brought up to date with one new article, at a cost flat in its size.

`reconcile()` (link/reconcile.py) merges all of an incident's articles at once, so a rebuild
after each new article made N reports of one incident cost O(N^2). `IncidentState` keeps, per
field, each article's value (`article_value`, computed once per article) and, per distinct
value, its count, its supporting source groups and its earliest and most recent source. A
new article updates the aggregates of the fields it touches, and only those fields are
merged again, from the aggregates (a handful of distinct values), not from every source.

`reconcile()` stays the reference: merges, splits and unmerges rebuild in full through it,
and tests/test_incremental.py checks that this gives the same Incident, field by field
(values, rules, support, conflicts, sources and their order), for articles arriving in any
order. The comparisons (`compatible`, `merge_times`, `article_value`, `prefer_*`) are
reconcile's own, so a change in how values are compared applies here too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from forcewatch.link.compare import compatible, merge_times
from forcewatch.link.reconcile import (
    _SPECIFICITY,
    LINK_ONLY,
    PLACE_FIELDS,
    _approximate,
    _distinct,
    _key,
    article_value,
    merge_scalar,
    prefer_direct,
    prefer_exact_ages,
    resolve_partial_dates,
)
from forcewatch.model import LIST_FIELDS, ArticleFacts, Evidence, Incident, Merged, SourceValue

if TYPE_CHECKING:
    from forcewatch.store.db import Store

#: Fields merged from all their sources at once, by reconcile's own merge_scalar: their choice
#: weighs every value together (least counts against figures, 12-hour times against the other
#: sources' times, a weekday read in the week the dated reports give). Linear in the incident's
#: size, but only for these few fields.
WHOLE_FIELDS = ("date", "shots_fired")


def merged_whole(name: str) -> bool:
    return name in WHOLE_FIELDS or name.startswith("timeline.")


#: Incidents whose state one Store keeps (least recently updated dropped first).
MAX_STATES = 5000


def group_of(copies: dict[str, str | None], aid: str) -> str:
    """The source an article counts as: the end of its chain of syndicated copies (as run.py's)."""
    seen = set()
    while copies.get(aid) and aid not in seen:
        seen.add(aid)
        aid = copies[aid]  # type: ignore[assignment]
    return aid


def per_field(facts: ArticleFacts) -> dict[str, list[Evidence]]:
    """One article's evidence by field, in the order reconcile() meets it."""
    out: dict[str, list[Evidence]] = defaultdict(list)
    for ev in facts.evidence:
        out[ev.field].append(ev)
    if facts.relevance.category and "category" not in out:
        out["category"] = []
    return dict(out)


@dataclass
class _Entry:
    """One article's value for a scalar field."""

    aid: str
    segment: int  # 0: the article's own evidence; 1: a date resolved from a day and month (after every 0)
    sv: SourceValue
    key: str
    cls: int  # 1: a direct place, an exact age; 0: otherwise (reconcile's prefer_* filters)


@dataclass
class _Value:
    """One distinct value of a scalar field (per class): what the merge needs of its sources."""

    cls: int
    key: str
    count: int = 0
    groups: set[str] = field(default_factory=set)
    first: _Entry | None = None  # earliest source in reconcile's order
    best: _Entry | None = None  # earliest of the most recently published sources
    best_when: date = date.min


class IncidentState:
    """The merge state of one incident's articles, in the store's article order."""

    def __init__(self, incident_id: int) -> None:
        self.id = incident_id
        self.order: list[str] = []
        self.pos: dict[str, int] = {}
        self.published: dict[str, date | None] = {}
        self.copies: dict[str, str | None] = {}
        self.groups: dict[str, str] = {}
        self.evidence: dict[str, dict[str, list[Evidence]]] = {}  # article -> field -> evidence
        self.category_of: dict[str, str | None] = {}
        self.first_field: dict[str, tuple[str, int]] = {}  # field -> (first article, index in it)
        self.scalars: dict[str, dict[tuple[int, str], _Value]] = {}
        self.entries: dict[str, list[dict[str, _Entry]]] = {}  # field -> [segment 0, segment 1]
        self.contradictions: dict[str, dict[str, tuple[_Entry, int, Any]]] = {}  # field -> key -> earliest
        self.lists: dict[str, dict[str, list[Any]]] = {}  # field -> element key -> [first, idx, element, groups]
        self.list_values: dict[str, dict[str, SourceValue]] = {}
        self.ranges: list[tuple[str, list[Any]]] = []  # (group, [(lo, hi)...]) of subject_age_range
        self.range_groups: dict[str, set[str]] = {}  # subject_age key -> groups of ranges covering it
        self.reference: date | None = None
        self.partial: set[str] = set()  # articles with a day and month but no date of their own
        self.merged: dict[str, Merged] = {}

    # --- building ------------------------------------------------------------

    @classmethod
    def build(
        cls, incident_id: int, rows: list[tuple[str, date | None, str | None]], facts: dict[str, ArticleFacts]
    ) -> IncidentState:
        """The state of an incident from all its articles ((id, published, copy_of) in store order)."""
        state = cls(incident_id)
        state.copies = {a: c for a, _, c in rows}
        for aid, published, copy_of in rows:
            if aid in facts:
                state._insert(len(state.order), aid, published, copy_of, facts[aid])
        return state

    def matches(self, rows: list[tuple[str, date | None, str | None]]) -> bool:
        """Whether the state is of exactly these articles (the store may have changed meanwhile)."""
        return [a for a, _, _ in rows] == self.order and all(
            self.published[a] == p and self.copies.get(a) == c for a, p, c in rows
        )

    def add(
        self, index: int, aid: str, published: date | None, copy_of: str | None, facts: ArticleFacts
    ) -> list[str] | None:
        """Add one article at `index` of the store's order; the fields it changed, or None when only
        a full rebuild can tell (it ends another article's chain of copies, or is there already)."""
        if aid in self.pos or (copy_of and aid in set(self.groups.values())):
            return None
        self.copies[aid] = copy_of
        return self._insert(index, aid, published, copy_of, facts)

    def _insert(
        self, index: int, aid: str, published: date | None, copy_of: str | None, facts: ArticleFacts
    ) -> list[str]:
        self.order.insert(index, aid)
        for i in range(index, len(self.order)):  # only the articles after it move
            self.pos[self.order[i]] = i
        self.published[aid] = published
        group = self.groups[aid] = group_of(self.copies, aid)
        fields = self.evidence[aid] = per_field(facts)
        self.category_of[aid] = facts.relevance.category
        touched: set[str] = set()
        for idx, name in enumerate(fields):
            first = self.first_field.get(name)
            if first is None or self.pos[aid] < self.pos[first[0]]:
                self.first_field[name] = (aid, idx)
        for name, evs in fields.items():
            if name in LINK_ONLY:
                continue
            touched.add(name)
            if name in LIST_FIELDS:
                self._add_list(name, aid, evs, group)
            else:
                self.entries.setdefault(name, [{}, {}])
                self.scalars.setdefault(name, {})
                if evs:
                    self._add_scalar(name, 0, aid, evs, group)
        if fields.get("subject_age_range"):
            ranges = [e.value for e in fields["subject_age_range"]]
            self.ranges.append((group, ranges))
            for key, groups in self.range_groups.items():
                if _covers(ranges, self._age_value(key)):
                    groups.add(group)
            if "subject_age" in self.scalars:
                touched.add("subject_age")
        touched |= self._dates(aid, published, group)
        if (fields.get("date_weekday") or fields.get("date_month_day")) and self._whole_sources("date"):
            touched.add("date")  # the date merges from every source (WHOLE_FIELDS)
        for name in touched:
            self.merged.pop(name, None)
        return self._in_field_order(touched)

    def _age_value(self, key: str) -> Any:
        for (_, k), value in self.scalars["subject_age"].items():
            if k == key and value.first is not None:
                return value.first.sv.value
        return None

    def _dates(self, aid: str, published: date | None, group: str) -> set[str]:
        """Days and months without a year take it from the incident's earliest dated report."""
        reference = self.reference
        if published is not None and (reference is None or published < reference):
            self.reference = published
        fields = self.evidence[aid]
        if fields.get("date_month_day") and "date" not in fields:
            self.partial.add(aid)
        partial = self.partial
        if not partial:
            return set()
        if self.reference != reference:  # every resolved date may change: resolve them all again
            kept = self.entries.get("date", [{}, {}])[0]
            self.entries["date"], self.scalars["date"] = [{}, {}], {}
            self.contradictions.pop("date", None)
            for a in self.order:
                if a in kept:
                    self._add_scalar("date", 0, a, self.evidence[a]["date"], self.groups[a])
            for a in partial:
                self._resolve(a)
            return {"date"}
        if aid in partial:
            return {"date"} if self._resolve(aid) else set()
        return set()

    def _resolve(self, aid: str) -> bool:
        by_field: dict[str, list[tuple[str, list[Evidence]]]] = defaultdict(list)
        by_field["date_month_day"] = [(aid, self.evidence[aid]["date_month_day"])]
        resolve_partial_dates(by_field, {"reference": self.reference})  # reconcile's own rule, one article
        if not by_field.get("date"):
            return False
        self.entries.setdefault("date", [{}, {}])
        self.scalars.setdefault("date", {})
        self._add_scalar("date", 1, aid, by_field["date"][0][1], self.groups[aid])
        return True

    def _add_scalar(self, name: str, segment: int, aid: str, evs: list[Evidence], group: str) -> None:
        value, backing, contradictions = article_value(name, evs)
        sv = SourceValue(aid, value, backing, contradictions)
        cls = 0
        if name == "subject_age":
            cls = 0 if _approximate(sv) else 1
        elif name in PLACE_FIELDS:
            cls = 1 if any(e.extractor != "places.agency" for e in sv.evidence) else 0
        entry = _Entry(aid, segment, sv, _key(value), cls)
        self.entries[name][segment][aid] = entry
        agg = self.scalars[name].setdefault((cls, entry.key), _Value(cls, entry.key))
        agg.count += 1
        agg.groups.add(group)
        if agg.first is None or self._order(entry) < self._order(agg.first):
            agg.first = entry
        when = self.published.get(aid) or date.min
        if (
            agg.best is None
            or when > agg.best_when
            or (when == agg.best_when and self._order(entry) < self._order(agg.best))
        ):
            agg.best, agg.best_when = entry, when
        if contradictions:
            seen = self.contradictions.setdefault(name, {})
            for i, ev in enumerate(contradictions):
                k = _key(ev.value)
                if k not in seen or (self._order(entry), i) < (self._order(seen[k][0]), seen[k][1]):
                    seen[k] = (entry, i, ev.value)

    def _add_list(self, name: str, aid: str, evs: list[Evidence], group: str) -> None:
        """merge_list, one article: elements by key (quotes merged per speaker), their sources."""
        elements: dict[str, Any] = {}
        for ev in evs:
            key = ev.value["speaker"].lower() if name == "quotes" else _key(ev.value)
            if name == "quotes" and key in elements:
                elements[key] = {**elements[key], "text": elements[key]["text"] + " … " + ev.value["text"]}
            else:
                elements.setdefault(key, ev.value)
        known = self.lists.setdefault(name, {})
        here = self.pos[aid]
        for idx, (key, element) in enumerate(elements.items()):
            if key not in known:
                known[key] = [aid, idx, element, aid, {group}]
                continue
            first, _, best, best_aid, groups = known[key]
            groups.add(group)
            if here < self.pos[first]:
                known[key][0], known[key][1] = aid, idx
            if name == "quotes":  # the longest text, the earliest of equals
                longer = len(element["text"]) > len(best["text"])
                if longer or (len(element["text"]) == len(best["text"]) and here < self.pos[best_aid]):
                    known[key][2], known[key][3] = element, aid
            elif here < self.pos[best_aid]:  # the first article's element
                known[key][2], known[key][3] = element, aid
        self.list_values.setdefault(name, {})[aid] = SourceValue(aid, list(elements.values()), evs)

    def _order(self, entry: _Entry) -> tuple[int, int]:
        return (entry.segment, self.pos[entry.aid])

    def _in_field_order(self, names: set[str]) -> list[str]:
        """Fields in reconcile()'s order: by first appearance; a date known only from days and months last."""

        def rank(name: str) -> tuple[int, int, int]:
            first = self.first_field.get(name)
            if name == "date" and not any(self.entries.get("date", [{}])[0]):
                first = None
            return (0, self.pos[first[0]], first[1]) if first else (1, 0, 0)

        return sorted(names, key=rank)

    # --- merging -----------------------------------------------------------------

    def names(self) -> list[str]:
        """The incident's fields: every field some article has (a date also from days and months)."""
        present = {n for n in self.first_field if n not in LINK_ONLY and n != "date"}
        if self._whole_sources("date"):
            present.add("date")
        return self._in_field_order(present)

    def incident(self, names: list[str] | None = None) -> Incident:
        """The merged incident (all fields, or only the named ones, in reconcile's order)."""
        incident = Incident(self.id, list(self.order))
        for name in self.names() if names is None else names:
            if name not in self.merged:
                self.merged[name] = self._merge_list(name) if name in LIST_FIELDS else self._merge_scalar(name)
            incident.fields[name] = self.merged[name]
        return incident

    def independent(self) -> int:
        return len(set(self.groups.values()))

    def _merge_list(self, name: str) -> Merged:
        known = self.lists[name]
        keys = sorted(known, key=lambda k: (self.pos[known[k][0]], known[k][1]))
        values = [self.list_values[name][a] for a in self.order if a in self.list_values[name]]
        support = max((len(known[k][4]) for k in keys), default=0)
        return Merged(name, [known[k][2] for k in keys], "union of sources", support, values)

    def _merge_scalar(self, name: str) -> Merged:
        """merge_scalar from the per-value aggregates (see reconcile.merge_scalar, the reference)."""
        segments = self.entries[name]
        if merged_whole(name):
            merged = self._merge_whole(name)
        elif not any(segments[0]) and not any(segments[1]):
            merged = Merged(name, None, "no evidence", 0, [])
        else:
            merged = self._choose(name)
        if name == "category" and merged.value is None:
            for aid in self.order:  # a category with no cue span still counts from the relevance decision
                if self.category_of.get(aid):
                    merged.value = self.category_of[aid]
                    break
        return merged

    def _whole_sources(self, name: str) -> list[tuple[str, list[Evidence]]]:
        """Every article's evidence for a field, as reconcile() gathers it (dates resolved)."""
        wanted = ("date", "date_month_day", "date_weekday") if name == "date" else (name,)
        by_field: dict[str, list[tuple[str, list[Evidence]]]] = defaultdict(list)
        for aid in self.order:
            for f in wanted:
                if f in self.evidence[aid]:
                    by_field[f].append((aid, self.evidence[aid][f]))
        if name == "date":
            resolve_partial_dates(by_field, self.published)
        return by_field.get(name, [])

    def _merge_whole(self, name: str) -> Merged:
        return merge_scalar(name, self._whole_sources(name), self.published, lambda a: self.groups[a])

    def _choose(self, name: str) -> Merged:
        aggs = [a for a in self.scalars[name].values() if a.first is not None]
        reps = {id(a.first.sv): a for a in aggs if a.first is not None}
        chosen_reps = [a.first.sv for a in aggs if a.first is not None]
        if name == "subject_age":
            chosen_reps = prefer_exact_ages(chosen_reps)
        if name in PLACE_FIELDS:
            chosen_reps = prefer_direct(chosen_reps)
        effective = [reps[id(sv)] for sv in chosen_reps]
        exact_first = name == "subject_age" and any(a.cls == 1 for a in effective)

        def order(agg: _Value, entry: _Entry) -> tuple[int, int, int]:
            return ((1 - agg.cls) if exact_first else 0, *self._order(entry))

        support: dict[str, set[str]] = {}
        for agg in effective:
            groups = agg.groups
            value = agg.first.sv.value  # type: ignore[union-attr]
            if name == "subject_age" and self.ranges and isinstance(value, int):
                if agg.key not in self.range_groups:
                    self.range_groups[agg.key] = {g for g, r in self.ranges if _covers(r, value)}
                groups = groups | self.range_groups[agg.key]
            support[agg.key] = groups

        def rank(agg: _Value) -> tuple[int, int, date]:
            value = agg.first.sv.value  # type: ignore[union-attr]
            specific = _SPECIFICITY.get(value.get("qualifier", ""), 0) if isinstance(value, dict) else 0
            return (len(support[agg.key]), specific, agg.best_when)

        top = max(rank(a) for a in effective)
        chosen_agg = min((a for a in effective if rank(a) == top), key=lambda a: order(a, a.best))  # type: ignore[arg-type]
        chosen = chosen_agg.best.sv  # type: ignore[union-attr]
        count = len(support[chosen_agg.key])
        tied = [a for a in effective if len(support[a.key]) == count]
        rule = "most independent sources"
        if len(tied) > 1:
            rule = "most specific" if len({rank(a)[1] for a in tied}) > 1 else "most recent report"
        value = chosen.value
        by_first = sorted(effective, key=lambda a: order(a, a.first))  # type: ignore[arg-type]
        disagreeing = [a.first.sv.value for a in by_first if not compatible(name, chosen.value, a.first.sv.value)]  # type: ignore[union-attr]
        if name.startswith("timeline."):
            value = merge_times([chosen.value] + [a.first.sv.value for a in tied if a is not chosen_agg])  # type: ignore[union-attr]
            if value != chosen.value:
                rule = "before and after the same time: around it"
        if name == "subject_armed" and disagreeing and sum(a.count for a in tied) > 1:
            value, rule = "undetermined", "sources disagree"
        seen = self.contradictions.get(name, {})
        self_conflicts = [v for _, _, v in sorted(seen.values(), key=lambda c: (self._order(c[0]), c[1]))]
        conflict_values = (
            _distinct([chosen.value, *disagreeing, *self_conflicts]) if (disagreeing or self_conflicts) else []
        )
        keep = {(a.cls, a.key) for a in effective}
        sources = []
        for seg in self.entries[name]:  # reconcile's order: articles in store order, resolved dates last
            sources += [e.sv for e in (seg.get(a) for a in self.order) if e is not None and (e.cls, e.key) in keep]
        if exact_first:  # prefer_exact_ages: exact ages, then the hedges no exact age covers
            sources = [sv for sv in sources if not _approximate(sv)] + [sv for sv in sources if _approximate(sv)]
        return Merged(
            name,
            value,
            rule,
            count,
            sources,
            conflict=bool(disagreeing or self_conflicts),
            conflict_values=conflict_values,
        )


def _covers(ranges: list[Any], value: Any) -> bool:
    return isinstance(value, int) and any(lo - 2 <= value <= hi + 2 for lo, hi in ranges)


# --- the store side ---------------------------------------------------------------


def update_incident(
    store: Store, incident_id: int, article_id: str, full: Callable[[Store, int, str | None], Incident | None]
) -> Incident | None:
    """An incident after its new article: merged incrementally when its state is at hand and still
    matches the store, else in full (`full`, run.rebuild_incident), then kept for the next article."""
    kept = store.incident_states
    rows = store.members(incident_id)
    state = kept.pop(incident_id, None)
    if state is not None and state.matches(rows):  # merged with the article already (a merge just now)
        _keep(store, state)
        return state.incident()
    index = next((i for i, (a, _, _) in enumerate(rows) if a == article_id), None)
    touched = None
    if state is not None and index is not None and state.matches(rows[:index] + rows[index + 1 :]):
        found = store.facts([article_id])
        if found:
            facts = found[0]
            touched = state.add(index, article_id, rows[index][1], rows[index][2], facts)
    if touched is None:  # no state, or a stale one: in full, then kept from here on
        if not rows:
            return full(store, incident_id, article_id)
        return rebuild_state(store, incident_id, article_id, rows)
    incident = state.incident(touched)
    store.save_incident(incident, state.independent(), article_id, only=touched)
    _keep(store, state)
    return incident


def rebuild_state(
    store: Store, incident_id: int, article_id: str | None, rows: list[tuple[str, date | None, str | None]]
) -> Incident:
    """An incident merged in full from all its articles (`rows`, as Store.members gives them) and
    written, its state kept so that the next article into it merges incrementally. The state
    built from every article gives what reconcile() gives (tests/test_incremental.py), so a merge
    of two incidents (healing) or a new article's first touch of one is one pass, not two."""
    state = IncidentState.build(incident_id, rows, {f.article_id: f for f in store.facts([a for a, _, _ in rows])})
    incident = state.incident()
    store.save_incident(incident, state.independent(), article_id)
    _keep(store, state)
    return incident


def _keep(store: Store, state: IncidentState) -> None:
    kept = store.incident_states
    kept[state.id] = state
    while len(kept) > MAX_STATES:
        kept.popitem(last=False)
