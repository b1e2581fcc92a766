"""What the subject did: threats, flight and weapons, read from the parse.

Component `forcewatch_actions` (after `forcewatch_events`) finds predicates whose agent
is a civilian, not the police: pointing or firing a weapon, lunging, attacking or
threatening, fleeing on foot or in a vehicle, being armed with something, and weapons
found or recovered. It writes `doc._.actions`, a list of `Action`, and
`doc.spans["actions"]`. The threat, fleeing and armed fields are read off these: an
officer's gun is not the subject's, and "no weapon was found" is a negated recovery.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from forcewatch.read.component import Annotator
from forcewatch.read.events import _inherited_subject, _participant, _pobj, _polarity, antecedent
from forcewatch.read.lexicon import VEHICLE_NOUNS, is_police, labels_of

SPANS_KEY = "actions"

#: Predicate lemma -> WaPo threat type when the subject does it.
THREATS: dict[str, str] = {
    **dict.fromkeys(("point", "aim", "brandish", "wave"), "point"),
    **dict.fromkeys(("fire", "shoot"), "shoot"),
    **dict.fromkeys(
        ("lunge", "charge", "attack", "stab", "slash", "swing", "advance", "assault", "ram", "punch"), "attack"
    ),
    **dict.fromkeys(("threaten",), "threat"),
}
FLIGHT = frozenset("flee run escape drive speed bolt sprint".split())
POSSESS = frozenset("carry hold brandish wield wave have point produce raise grab arm".split())
FOUND = frozenset("find recover locate seize discover retrieve".split())

#: Weapon word -> FIELDS.md subject_armed value.
WEAPONS: dict[str, str] = {
    **dict.fromkeys("gun firearm pistol handgun rifle shotgun revolver weapon".split(), "gun"),
    **dict.fromkeys("knife blade machete sword screwdriver scissors dagger".split(), "knife"),
    **dict.fromkeys("hammer bat crowbar axe pole brick club bar stick".split(), "blunt_object"),
}
_REPLICA = frozenset("replica imitation fake toy bb air airsoft pellet".split())


@dataclass
class Action:
    """One thing the subject did (or that was found), with its span and polarity."""

    kind: str  # threat | flee | armed | found
    value: str | bool  # a threat type, a flee mode, a weapon type, True for found
    start: int
    end: int
    token: int
    polarity: str = "asserted"


def weapon_type(token: Token) -> str | None:
    """gun, knife, blunt_object or replica for a weapon noun (its modifiers decide a replica)."""
    lemma = token.lemma_.lower()
    mods = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound", "nmod")}
    if lemma not in WEAPONS and "WEAPON" not in labels_of(token):
        return None
    if mods & _REPLICA or token.lower_ in _REPLICA:
        return "replica"
    if lemma == "weapon":
        return None  # "a weapon": of no known kind
    return WEAPONS.get(lemma)


def _civilian(token: Token | None) -> bool:
    if token is None:
        return False
    if token.lower_ in ("who", "that"):
        relcl = next((a for a in [token, *token.ancestors] if a.dep_ == "relcl"), None)
        return relcl is not None and _civilian(relcl.head)
    if token.pos_ == "PRON":
        ante = antecedent(token)
        if ante is None:
            return token.lower_ in ("he", "she", "him", "her")  # a report's lone "he" is its subject
        return not is_police(ante)
    role = _participant(token).role
    return role in ("civilian", "relative")


def _agent(token: Token) -> Token | None:
    """The doer: the subject, the noun an active participle hangs on ("the man ... lunged"), the
    head of a relative clause ("a man who they said fired"), or a subject shared with the head."""
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in token.children):
        return _pobj(token, "by")  # "after being shot by a deputy": the deputy fired, not the one shot
    subj = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if subj is not None:
        return subj
    if token.dep_ == "acl" and token.tag_ in ("VBD", "VBG"):
        return token.head
    if token.dep_ == "xcomp" and token.head.dep_ == "relcl":
        if any(c.dep_ == "dobj" and c.lower_ in ("who", "that") for c in token.head.children):
            return token.head.head
    return _inherited_subject(token)


def _objects(token: Token) -> list[Token]:
    objs = [c for c in token.children if c.dep_ == "dobj"]
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "at")):
        objs += [c for c in prep.children if c.dep_ == "pobj"]
    return objs


def _flee_mode(token: Token) -> str:
    words = {t.lemma_.lower() for t in token.subtree} | {token.lemma_.lower()}
    if token.lemma_ in ("drive", "speed") or words & VEHICLE_NOUNS:
        return "car"
    if "foot" in words or token.lemma_ in ("run", "sprint", "bolt"):
        return "foot"
    return "other"


def read_actions(doc: Doc) -> list[Action]:
    out: list[Action] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ not in ("VERB", "ADJ", "AUX") and lemma != "armed":
            continue
        polarity = _polarity(token)
        span = (token.idx, token.idx + len(token.text), token.i)
        if lemma in FOUND:
            for obj in [c for c in token.children if c.dep_ in ("nsubjpass", "dobj")]:
                if weapon_type(obj) or obj.lemma_ == "weapon":
                    negated = polarity == "negated" or any(c.lower_ == "no" for c in obj.children)
                    out.append(Action("found", not negated, *span, polarity="asserted"))
            continue
        agent = _agent(token)
        if lemma == "armed" or (lemma == "arm" and token.tag_ == "VBN"):
            holder = agent or (token.head if token.dep_ in ("amod", "acl") else None)
            if holder is None and token.dep_ in ("acomp", "oprd"):
                holder = _agent(token.head)
            if _civilian(holder) or holder is None:
                for obj in _objects(token):
                    kind = weapon_type(obj)
                    if kind:
                        out.append(Action("armed", kind, *span, polarity=polarity))
            continue
        if lemma == "unarmed" and _civilian(_agent(token.head) if token.dep_ == "acomp" else token.head):
            out.append(Action("armed", "unarmed", *span, polarity=polarity))
            continue
        if not _civilian(agent):
            continue
        objs = _objects(token)
        if lemma in POSSESS:
            for obj in objs:
                kind = weapon_type(obj)
                if kind:
                    out.append(Action("armed", kind, *span, polarity=polarity))
        threat = THREATS.get(lemma)
        if threat == "point" and not any(weapon_type(o) or o.lemma_ == "weapon" for o in objs):
            threat = None  # "pointed at the house"
        if threat:
            out.append(Action("threat", threat, *span, polarity=polarity))
        if lemma in FLIGHT and (lemma != "run" or any(c.lower_ in ("away", "off") for c in token.children)):
            if lemma == "drive" and not any(c.lower_ in ("off", "away") for c in token.children):
                continue
            out.append(Action("flee", _flee_mode(token), *span, polarity=polarity))
    return out


@Language.factory(
    "forcewatch_actions",
    requires=["token.dep", "token.lemma", "doc.spans"],
    assigns=["doc._.actions", "doc.spans"],
)
def make_actions(nlp: Language, name: str) -> Annotator:
    """doc._.actions and doc.spans['actions'] (labelled by kind)."""
    return Annotator(SPANS_KEY, read_actions)
