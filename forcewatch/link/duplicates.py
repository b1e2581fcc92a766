"""Possible duplicates: pairs of incidents whose best evidence falls just short of linking.

Linking merges whatever scores at least the threshold, so two incidents left apart either
share too little or were split by a person. Pairs within `REVIEW_MARGIN` below the threshold
are listed for a person to confirm (`forcewatch merge`) or leave; nothing here merges."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from forcewatch.link.linker import LINK_THRESHOLD, REVIEW_MARGIN, Facets, Linker, Profile, score_facets, similarity


@dataclass(frozen=True)
class PossibleDuplicate:
    first: int
    second: int
    score: float  # the best evidence between any report of one and any report of the other


def _distinct(
    linker: Linker, incident_id: int, memo: dict[int, list[tuple[Facets, Profile]]]
) -> list[tuple[Facets, Profile]]:
    """An incident's reports read into Facets once, one per distinct set of facets: the best pair
    is a maximum, so a repeat cannot change it (a famous case tells the same facts many times)."""
    found = memo.get(incident_id)
    if found is None:
        seen: dict[tuple[object, ...], tuple[Facets, Profile]] = {}
        for profile in linker.incidents[incident_id].profiles:
            facets = Facets(profile)
            seen.setdefault(facets.key(), (facets, profile))
        found = memo[incident_id] = list(seen.values())
    return found


def _best(
    linker: Linker, first: int, second: int, memo: dict[int, list[tuple[Facets, Profile]]]
) -> tuple[float, Profile, Profile]:
    """The best evidence between any report of one incident and any report of the other."""
    return max(
        (
            (score_facets(fa, fb), a, b)
            for fa, a in _distinct(linker, first, memo)
            for fb, b in _distinct(linker, second, memo)
        ),
        key=lambda x: x[0],
    )


def possible_duplicates(linker: Linker, margin: float = REVIEW_MARGIN) -> list[PossibleDuplicate]:
    """Every pair of live incidents in each other's blocks scoring in [threshold - margin,
    threshold), best first. Pairs a person split apart are left out: they were decided.

    Each pair is scored once (not again from every report that meets it), each incident's
    reports are read into Facets once and deduplicated (`_distinct`), and pairs are scored with
    `score_facets`, what `similarity` computes (bench/duplicates.py)."""
    found: dict[tuple[int, int], float] = {}
    memo: dict[int, list[tuple[Facets, Profile]]] = {}
    for incident_id in linker.incidents:
        for _facets, profile in _distinct(linker, incident_id, memo):
            for other in linker.candidates(profile):
                pair = (min(incident_id, other), max(incident_id, other))
                if other == incident_id or pair in found or frozenset(pair) in linker.apart:
                    continue
                found[pair] = _best(linker, incident_id, other, memo)[0]
    return sorted(
        (PossibleDuplicate(a, b, s) for (a, b), s in found.items() if LINK_THRESHOLD - margin <= s < LINK_THRESHOLD),
        key=lambda d: (-d.score, d.first, d.second),
    )


#: The kinds of evidence a person is shown, each the Profile attributes it covers.
EVIDENCE_KINDS: dict[str, tuple[str, ...]] = {
    "date": ("date",),
    "country": ("country",),
    "town or region": ("locality", "region"),
    "street or neighbourhood": ("neighbourhood",),
    "police force": ("agency",),
    "category": ("category",),
    "name": ("name",),
    "age": ("age", "age_range"),
    "gender": ("gender",),
    "shared rare words": ("terms",),
    "cited facts": ("facts",),
}


@dataclass(frozen=True)
class Evidence:
    kind: str  # a key of EVIDENCE_KINDS
    points: float  # what this kind adds to the score (negative: evidence against)
    first: Any  # what each report says
    second: Any


def _blank(profile: Profile, names: tuple[str, ...]) -> Profile:
    blank: dict[str, Any] = {n: frozenset() if n in ("terms", "facts") else None for n in names}
    return replace(profile, **blank)


def _shown(profile: Profile, names: tuple[str, ...], other: Profile) -> Any:
    if names[0] in ("terms", "facts"):
        return sorted(getattr(profile, names[0]) & getattr(other, names[0]))
    values = [getattr(profile, n) for n in names if getattr(profile, n) is not None]
    return ", ".join(str(v) for v in values) if values else None


def explain(a: Profile, b: Profile) -> list[Evidence]:
    """Each kind of evidence's share of `similarity(a, b)`: the score with it minus the score
    without it (the kind blanked on both reports). The model stays in linker.similarity; this
    only asks it, so what a person reads is what the linker weighed."""
    whole = similarity(a, b)
    out = []
    for kind, names in EVIDENCE_KINDS.items():
        points = whole - similarity(_blank(a, names), _blank(b, names))
        if abs(points) >= 0.01:
            out.append(Evidence(kind, round(points, 2), _shown(a, names, b), _shown(b, names, a)))
    return sorted(out, key=lambda e: -e.points)


def best_pair(linker: Linker, first: int, second: int) -> tuple[Profile, Profile]:
    """The two reports, one of each incident, whose evidence is strongest (the pair the score is from)."""
    _, a, b = _best(linker, first, second, {})
    return a, b


def keep_apart(store: Any, first: int, second: int, actor: str, reason: str | None = None) -> None:
    """A person's answer "not the same incident" to a possible duplicate: recorded as a split of
    `second` from `first` (Store.relink, the path `split` takes, in both incidents' history), so
    Store.split_pairs holds the pair: linking never heals them and they are not listed again."""
    articles = [a for a, _, _ in store.members(second)]
    if first == second or not articles or not store.members(first):
        raise ValueError(f"incidents {first} and {second} are not two live incidents")
    store.relink(articles, second, "split", actor, reason or f"not the same incident as {first}", source=first)


__all__ = [
    "EVIDENCE_KINDS",
    "Evidence",
    "PossibleDuplicate",
    "best_pair",
    "explain",
    "keep_apart",
    "possible_duplicates",
]
