"""Possible duplicates: pairs of incidents whose best evidence falls just short of linking.

Linking merges whatever scores at least the threshold, so two incidents left apart either
share too little or were split by a person. Pairs within `REVIEW_MARGIN` below the threshold
are listed for a person to confirm (`forcewatch merge`) or leave; nothing here merges."""

from __future__ import annotations

from dataclasses import dataclass

from forcewatch.link.linker import LINK_THRESHOLD, REVIEW_MARGIN, Linker, similarity


@dataclass(frozen=True)
class PossibleDuplicate:
    first: int
    second: int
    score: float  # the best evidence between any report of one and any report of the other


def possible_duplicates(linker: Linker, margin: float = REVIEW_MARGIN) -> list[PossibleDuplicate]:
    """Every pair of live incidents in each other's blocks scoring in [threshold - margin,
    threshold), best first. Pairs a person split apart are left out: they were decided."""
    found: dict[tuple[int, int], float] = {}
    for incident_id, incident in linker.incidents.items():
        for profile in incident.profiles:
            for other in linker.candidates(profile):
                pair = (min(incident_id, other), max(incident_id, other))
                if other == incident_id or pair in found or frozenset(pair) in linker.apart:
                    continue
                best = max(similarity(a, b) for a in incident.profiles for b in linker.incidents[other].profiles)
                if LINK_THRESHOLD - margin <= best < LINK_THRESHOLD:
                    found[pair] = best
    return sorted((PossibleDuplicate(a, b, s) for (a, b), s in found.items()), key=lambda d: (-d.score, d.first, d.second))


__all__ = ["PossibleDuplicate", "possible_duplicates"]
