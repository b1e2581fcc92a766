"""Force used by police, the subject's weapon (claimed versus found), shots fired, outcome."""

from __future__ import annotations

import re

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.numbers import NUMBER_WORDS, to_int
from forcewatch.extract.rules import apply_rules, rule
from forcewatch.model import Evidence

_COPS = r"\b(police|officers?|cops?|deput(y|ies)|troopers?|PCs?|constables?|firearms|armed|sheriff|marksm[ae]n)\b"
_SUBJ = r"\b(he|she|they|the (man|woman|boy|girl|suspect|teenager|driver|motorist|subject|victim|person)|a (man|woman)|his|her)\b"

FORCE_RULES = [
    rule(
        "force_used",
        "firearm",
        r"\b(shot (dead|and killed|and wounded)?|opened fire|fired (\w+ )?(shots|rounds)|police shooting|officer-involved shooting|gunshot wounds?|shots were fired)\b",
        requires=_COPS,
        forbids=r"\b(shot (at )?(a |an |the |two )?(police )?officers?|officers? (was|were) shot)\b",
    ),
    rule(
        "force_used",
        "taser",
        r"\b(taser(ed)?|tased|stun[- ]gun(ned)?|conducted energy (device|weapon)|electroshock weapon)\b",
    ),
    rule("force_used", "baton", r"\b(baton|nightstick|truncheon)s?\b", requires=_COPS),
    rule(
        "force_used",
        "restraint",
        r"\b(restrain(ed|t|ts|ing)|pinned (him|her|them)? ?(down|to the ground)|held (him |her |them )?down|prone position|chokehold|neck ?hold|knelt on|kneeling on|leg restraints?|limb restraints?)\b",
        requires=_COPS,
        forbids=r"\brestraining order\b",
    ),
    rule("force_used", "dog", r"\b(police dog|K-?9|dog handler)\b"),
    rule(
        "force_used",
        "vehicle",
        r"\b(struck|hit|knocked down|run over|collided with|rammed)\b[^.]{0,30}\b(police|patrol|squad) (car|vehicle|van|cruiser|motorcycle|suv)\b|\b(police|patrol|squad) (car|vehicle|van|cruiser)\b[^.]{0,40}\b(struck|hit|collided|crashed into|ran over|rammed|knocked)\b|\bPIT manoeuvre|\bPIT maneuver|\btactical contact\b",
    ),
    rule("force_used", "chemical", r"\b(PAVA|pepper[- ]spray(ed)?|CS (spray|gas)|incapacitant spray|tear gas|mace)\b"),
]

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

OUTCOME_RULES = [
    rule(
        "outcome",
        "fatal",
        r"\b(died|shot dead|killed|pronounced dead|declared dead|fatal(ly)?|death|dead|lost (his|her) life|passed away)\b",
        0.8,
        forbids=r"\b(officers? (was|were) killed|threatened to kill|death threats?)\b",
    ),
    rule(
        "outcome",
        "injured",
        r"\b(injured|wounded|in (a )?(critical|serious|stable) condition|taken to hospital|hospitali[sz]ed|serious injuries|life-threatening|non-life-threatening|treated for)\b",
        0.7,
        forbids=r"\bofficers? (was|were) (also )?(injured|hurt)\b",
    ),
    rule(
        "outcome",
        "unharmed",
        r"\b(unhurt|uninjured|unharmed|was not (injured|hurt)|escaped injury|missed (him|her))\b",
        0.7,
    ),
]

_SHOTS = re.compile(
    rf"\b(fired|discharged)\s+(?P<n1>{NUMBER_WORDS})\s+(?:shots|rounds|times|bullets)"
    rf"|\b(?P<n2>{NUMBER_WORDS})\s+(?:shots|rounds|bullets)\s+(?:were|was)\s+(?:fired|discharged)"
    rf"|\bshot\s+(?:him|her|them|the \w+)\s+(?P<n3>{NUMBER_WORDS}|several|multiple)\s+times"
    rf"|\b(?:fired|discharged)\s+(?:his|her|their|a)?\s*(?:weapon|firearm|gun|service weapon)s?\s+(?P<n4>{NUMBER_WORDS})\s+times"
    r"|\b(?P<n5>a single) shot\b"
    rf"|\bfired\s+a\s+total\s+of\s+(?P<n6>{NUMBER_WORDS})\s+(?:times|shots|rounds)"
    rf"|\bfiring\s+(?P<n7>{NUMBER_WORDS})\s+(?:rounds|shots|bullets)",
    re.I,
)


def extract_shots(doc: ArticleDoc) -> list[Evidence]:
    out = []
    for m in doc.finditer(_SHOTS):
        sent = doc.sentence_at(m.start()).text
        if re.search(r"\b(suspect|gunman|he|she) (fired|shot)\b", sent, re.I) and not re.search(_COPS, sent, re.I):
            continue
        word = next(v for k, v in m.groupdict().items() if v)
        n = to_int(word)
        if n is None or n > 200:
            continue
        out.append(doc.evidence("shots_fired", n, m.start(), m.end(), "force.shots", 0.85))
    return out


def extract_force(doc: ArticleDoc) -> list[Evidence]:
    return (
        apply_rules(doc, FORCE_RULES, "force.used")
        + apply_rules(doc, ARMED_RULES, "force.armed")
        + apply_rules(doc, OUTCOME_RULES, "force.outcome")
        + extract_shots(doc)
    )
