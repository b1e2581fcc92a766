"""Circumstances: mental health crisis, body cameras, first aid, others present, fleeing, threat."""

from __future__ import annotations

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.rules import apply_rules, rule
from forcewatch.model import Evidence

RULES = [
    rule(
        "mental_health_crisis",
        True,
        r"\b(take (his|her|their) own life|kill (himself|herself|themselves)|end (his|her|their) life|suicidal|mental health (crisis|episode|issues|problems|condition)|mental[- ]health|mentally ill|mental illness|self-harm|psychiatric|schizophreni\w+|bipolar|welfare check|in crisis|threatening suicide|suicide threat)\b",
        0.8,
        forbids=r"\b(helpline|samaritans)\b",
    ),
    rule(
        "body_camera",
        True,
        r"\b(body[- ]worn (video|cameras?|footage)|body[- ]?cam(era)?s?( footage| video)?|bodycam|body cameras?)\b",
        0.85,
        forbids=r"\b(not|weren't|wasn't|no) (wearing|activated|turned on|equipped)|\bdid not (have|activate|record)\b",
    ),
    rule(
        "body_camera",
        False,
        r"\b(not|weren't|wasn't) (wearing|equipped with) (body|body-worn)|\b(body[- ]?cam(era)?s?|body-worn cameras?) (was|were) (not|never) (activated|switched on|turned on)|\bno body[- ]?cam(era)? footage\b",
        0.85,
    ),
    rule(
        "first_aid",
        True,
        r"\b(first aid|CPR|cardiopulmonary resuscitation|tried to resuscitate|attempted to resuscitate|lifesaving (aid|measures|treatment)|life-saving (aid|measures|treatment)|chest compressions|defibrillator|tourniquet|rendered aid|provided medical aid|emergency aid)\b",
        0.85,
        forbids=r"\b(no first aid|did not (give|provide|receive) (first )?aid|failed to (give|provide) (first )?aid)\b",
    ),
    rule(
        "first_aid",
        False,
        r"\b(no first aid|did not (give|provide|render) (any )?(first )?aid|failed to (give|provide|render) (first )?aid)\b",
        0.85,
    ),
    rule(
        "others_present",
        False,
        r"\b(no one|nobody|no-one) else (was|were) (in|at|inside|present|there|in the house|at the address)|\bwas alone\b|\bno other (people|person)s? (was|were) (present|inside|there)",
        0.85,
    ),
    rule(
        "others_present",
        True,
        r"\b(bystanders?|witnesses (saw|said|described)|in front of (his|her) (children|family|partner)|(his|her) (partner|wife|husband|children|mother|father|girlfriend|boyfriend) (was|were) (inside|present|in the house|at home|there)|others were present|onlookers|passers-by)\b",
        0.7,
    ),
    rule(
        "fleeing",
        "foot",
        r"\b(ran (off|away|from)|fled on foot|foot (pursuit|chase)|chased (him|her|them)? ?on foot|running away|ran from (officers|police))\b",
        0.8,
    ),
    rule(
        "fleeing",
        "car",
        r"\b(drove off|sped (off|away)|fled in (a|his|her|the) (car|vehicle|van)|failed to stop|vehicle pursuit|police pursuit|high-speed (chase|pursuit)|fleeing (police|officers|deputies|troopers) in|refused to stop)\b",
        0.8,
    ),
    rule(
        "fleeing",
        "not_fleeing",
        r"\b((came|come|walked|stepped) out of the (house|home|property|flat|building)|walked (towards|toward) (the )?(officers|police|deputies)|approached (the )?(officers|police|deputies)|refused to leave|barricaded (himself|herself|themselves)|remained (inside|in the (house|home|property|flat))|stood (his|her) ground|advanced (on|towards|toward) (the )?(officers|police|deputies))\b",
        0.6,
    ),
    rule(
        "threat",
        "shoot",
        r"\b(fired|shot|opened fire|shooting)( \w+){0,3} (at|on|towards|toward) ([\w'’]+ ){0,4}(officers|police|deputies|troopers|agents)\b"
        r"|\b(officers|deputies|troopers|agents) (were|had been) (shot at|fired (up)?on|fired at)\b|\bexchange of (gun)?fire\b",
        0.85,
    ),
    rule(
        "threat",
        "point",
        r"\b(point(ed|ing)|aim(ed|ing)|rais(ed|ing)) (a|the|his|her) ([\w-]+ ){0,2}(gun|firearm|pistol|rifle|weapon|shotgun|handgun|replica|imitation|revolver)\b",
        0.8,
    ),
    rule(
        "threat",
        "attack",
        r"\b(lunged|charged|attacked|stabbed|slashed|swung)\b[^.]{0,30}\b(at|towards|toward)?\s*(the )?(officers?|police|deput(y|ies)|troopers?|constables?)\b",
        0.75,
    ),
    rule(
        "threat",
        "threat",
        r"\bthreatened (to (shoot|kill|stab) )?(the )?(officers|police|deputies|troopers)\b|\bthreatening (the )?(officers|police)\b",
        0.7,
    ),
    rule(
        "threat",
        "move",
        r"\b(moved|walked|advanced|stepped) (quickly )?(towards|toward) (the )?(officers|police|deputies)\b",
        0.6,
    ),
]


def extract_circumstances(doc: ArticleDoc) -> list[Evidence]:
    return apply_rules(doc, RULES, "circumstances")
