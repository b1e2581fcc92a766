"""The subject's weapon: claimed versus found (force used, outcome and shots come from the events)."""

from __future__ import annotations

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.rules import apply_rules, rule
from forcewatch.model import Evidence

_COPS = r"\b(police|officers?|cops?|deput(y|ies)|troopers?|PCs?|constables?|firearms|armed|sheriff|marksm[ae]n)\b"
_SUBJ = r"\b(he|she|they|the (man|woman|boy|girl|suspect|teenager|driver|motorist|subject|victim|person)|a (man|woman)|his|her)\b"

_GUN = r"(guns?|firearms?|pistols?|handguns?|rifles?|shotguns?|revolvers?)"
_KNIFE = r"(knife|knives|blades?|machetes?|swords?|bladed (article|weapon)|kitchen knife|screwdriver)"
_BLUNT = r"(hammers?|baseball bat|bat|crowbars?|metal pole|pole|brick|axe|club|wooden stick|iron bar)"
_REPLICA = r"(replica|imitation|fake|toy|BB|air|airsoft|pellet)\s+(gun|pistol|firearm|rifle|weapon)s?|BB gun|air rifle|air pistol"
_POSSESS = r"\b(armed with|carrying|holding|brandish\w*|wield\w*|pointed|pointing|waving|had|with (a|an)|in possession of|produced|threatening \w+ with|raised)\b"
_CLAIM = r"\b(said|claimed|told|threatened|reported|saying|claiming|believed)\b[^.]{0,40}\b(had|has|was carrying|possession)\b"
_FOUND = r"\b(found|recovered|located|seized|discovered|retrieved)\b"
_NOT_FOUND = r"\b(no (weapon|gun|firearm|knife)s? (was|were) (found|recovered)|no weapon|(was|were) not armed|nothing was found|did not (have|find) a weapon)\b"
_POLICE_ARMS = r"\b(police[- ]issue (weapon|firearm|gun)|officers?'s? (gun|firearm|weapon)|service (weapon|pistol|firearm)|their (guns|firearms|weapons))\b"
_NON_POLICE = r"\bnon-police[- ]issue\b"

ARMED_RULES = [
    rule("subject_armed", "replica", _REPLICA, 0.9),
    rule(
        "subject_armed",
        "gun",
        rf"\b{_GUN}\b",
        0.8,
        requires=rf"{_POSSESS}|{_FOUND}|{_NON_POLICE}|{_CLAIM}",
        forbids=rf"{_REPLICA}|{_POLICE_ARMS}|\b(officers?|police) (fired|shot|drew)\b[^.]*\b{_GUN}",
    ),
    rule("subject_armed", "knife", rf"\b{_KNIFE}\b", 0.8, requires=rf"{_POSSESS}|{_FOUND}|\b(stab|lunged|slash)"),
    rule("subject_armed", "blunt_object", rf"\b{_BLUNT}\b", 0.7, requires=_POSSESS, forbids=r"\bbaton\b"),
    rule(
        "subject_armed",
        "vehicle",
        r"\b(drove (at|towards|toward) (the )?(officers|police|deputies)|used (his|her|the) (car|vehicle) as a weapon|tried to run over)\b",
        0.8,
    ),
    rule(
        "subject_armed",
        "unarmed",
        r"\b(was|were) unarmed\b|\bunarmed (man|woman|teen|teenager|boy|girl|black man|father)\b|" + _NOT_FOUND,
        0.85,
    ),
    rule(
        "subject_weapon_recovered",
        True,
        rf"\b{_GUN}|{_KNIFE}|{_REPLICA}|\bweapons?\b",
        0.8,
        requires=_FOUND,
        forbids=_NOT_FOUND,
    ),
    rule("subject_weapon_recovered", False, _NOT_FOUND, 0.85),
]


def extract_force(doc: ArticleDoc) -> list[Evidence]:
    """The subject's weapon (claimed versus found); force, outcome and shots come from the events."""
    return apply_rules(doc, ARMED_RULES, "force.armed")
