"""Harm events read from the dependency parse: who did what to whom, where, and who says so.

Component `forcewatch_events` finds every harm predicate, verbal ("officers shot a
man", "he died", "was tasered") or nominal ("the fatal shooting of X by police",
"his death in custody", "killed in police firing"), and fills its roles from the
dependencies: the agent from the active subject, a passive `by` phrase, a nominal
`by` phrase or a police compound ("police shooting"); the patient from the object,
the passive subject, an `of` phrase or a possessive. It adds polarity (asserted,
negated, hedged), attribution (the subject of a governing speech verb), whether the
words are inside a quotation, a shot count, and the setting words of the sentence
(custody, pursuit, police contact) from the shared lexicon.

An officer as the victim, a relative's age or a hedged claim then follow from the
roles, with no list of negative phrases. The parser (en_core_web_sm) errs on news
sentences ("deputy shot" as a compound noun), so a few fallbacks read the same
relations from neighbouring tokens: conjoined predicates share their roles, and a
police noun compounded onto a predicate is its agent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from forcewatch.extract.numbers import to_int
from forcewatch.read.component import Annotator
from forcewatch.read.lexicon import (
    CONTACT_NEEDS_POLICE,
    PERSON_NOUNS,
    TERMS,
    VEHICLE_NOUNS,
    entities_read,
    is_person,
    is_police,
    labels_of,
)

SPANS_KEY = "events"

#: Harm predicates by lemma or lower-cased form -> kind of harm.
TRIGGERS: dict[str, str] = {
    **dict.fromkeys(("shoot", "shot", "shooting", "gunshot", "gun", "fire", "firing", "discharge"), "firearm"),
    **dict.fromkeys(("taser", "tase", "tasere", "tasered", "tased", "tasering", "stun"), "taser"),
    **dict.fromkeys(
        ("restrain", "restraint", "pin", "kneel", "tackle", "chokehold", "smother", "asphyxia"), "restraint"
    ),
    **dict.fromkeys(
        (
            "beat",
            "beating",
            "punch",
            "kick",
            "baton",
            "assault",
            "batter",
            "thrash",
            "lathi-charge",
            "lathicharge",
            "slam",
            "torture",
            "club",
        ),
        "blunt",
    ),
    **dict.fromkeys(("succumb", "succumbed"), "death"),
    **dict.fromkeys(("bite", "maul"), "dog"),
    **dict.fromkeys(("spray", "pepper-spray", "pepper-sprayed"), "chemical"),
    **dict.fromkeys(("strike", "hit", "ram", "run"), "hit"),
    **dict.fromkeys(("crash", "collide", "collision", "overturn", "smash"), "crash"),
    **dict.fromkeys(
        ("die", "died", "dies", "dying", "death", "kill", "killed", "killing", "dead", "drown", "fatality", "life"),
        "death",
    ),
    **dict.fromkeys(
        (
            "injure",
            "wound",
            "hurt",
            "injury",
            "hospitalise",
            "hospitalize",
            "condition",
            "hospital",
            "fracture",
            "fractured",
            "broken",
        ),
        "injury",
    ),
    **dict.fromkeys(("collapse", "unresponsive", "unconscious", "unwell"), "collapse"),
    **dict.fromkeys(("suicide",), "suicide"),
    **dict.fromkeys(("stab", "stabbing"), "stab"),
}

#: Kinds that are force by whoever is the agent (the police, for a report).
FORCE_KINDS = {
    "firearm": "firearm",
    "taser": "taser",
    "restraint": "restraint",
    "blunt": "baton",
    "dog": "dog",
    "chemical": "chemical",
    "vehicle": "vehicle",
}
#: Kinds that say something happened to the patient's body.
OUTCOME_KINDS = {"death": "fatal", "injury": "injured", "collapse": "injured", "suicide": "fatal"}
#: Kinds whose grammatical subject is the one harmed ("he died", "the car crashed").
INTRANSITIVE = {"death", "collapse", "crash", "suicide"}

_SPEECH = {
    "say",
    "tell",
    "state",
    "claim",
    "allege",
    "report",
    "confirm",
    "announce",
    "add",
    "insist",
    "testify",
    "write",
}
#: Verbs of looking into what happened: police as their subject investigate the harm, they are
#: not shown at its scene ("a man was shot, and police are looking for the gunman").
_INQUIRY = frozenset("investigate probe appeal hunt seek trace identify".split())
_LOOKING = frozenset(("look", "search"))  # with "for": "searching for the driver" (not "searched him")
_HEDGE_MARKS = {"whether", "if"}
_HEDGE_WORDS = {"may", "might", "could", "allegedly", "possibly", "perhaps", "unclear", "alleged", "apparently"}
_SHOT_UNITS = {"shot", "round", "bullet", "time"}
_PROJECTILES = frozenset(("bullet", "round", "shot", "gunfire", "gunshot", "pellet"))
_QUOTES_OPEN = '“"'
_POLICE_WORDS = frozenset(t for t in TERMS["POLICE"] if " " not in t)


@dataclass
class Participant:
    """A noun phrase in a role of an event, classified by who it is."""

    text: str
    start: int
    end: int
    role: str  # police | police_vehicle | civilian | relative | vehicle | other
    token: int  # index of its head token in the Doc


@dataclass
class Event:
    """One harm predicate with its roles, as the parse gives them."""

    predicate: str
    kind: str
    start: int
    end: int
    sentence: tuple[int, int]
    token: int
    agent: Participant | None = None
    patient: Participant | None = None
    polarity: str = "asserted"  # asserted | negated | hedged
    attribution: str | None = None
    quoted: bool = False
    count: int | None = None
    count_at_least: bool = False  # "fired several times": at least `count` shots, no exact figure
    fatal: bool = False
    instrument: str | None = None  # "with a baton", "with a Taser": the lemma of what was used
    settings: set[str] = field(default_factory=set)
    police_nearby: bool = False  # no agent, but police in the sentence other than as patient or speaker
    means: str | None = None  # the kind of a linked force event: "killed when police fired" -> firearm

    @property
    def police_agent(self) -> bool:
        return self.agent is not None and self.agent.role in ("police", "police_vehicle")

    @property
    def civilian_patient(self) -> bool:
        return self.patient is not None and self.patient.role in ("civilian", "relative")

    @property
    def officer_patient(self) -> bool:
        return self.patient is not None and self.patient.role == "police"

    def describe(self) -> str:
        who = f" by '{self.agent.text}'" if self.agent else ""
        whom = f" of '{self.patient.text}'" if self.patient else ""
        extra = f" [{self.polarity}]" if self.polarity != "asserted" else ""
        if self.agent:
            who += f" ({self.agent.role})"
        if self.patient:
            whom += f" ({self.patient.role})"
        where = f" in {'/'.join(sorted(self.settings))}" if self.settings else ""
        return f"'{self.predicate}'{whom}{who}{where}{extra}"


def trigger_kind(token: Token) -> str | None:
    """The harm kind of a token, or None. Nouns such as 'fire' or 'shot' need a verb sense or a harm context."""
    lower, lemma = token.lower_, token.lemma_.lower()
    kind = TRIGGERS.get(lemma) or TRIGGERS.get(lower)
    if kind is None and token.pos_ == "NOUN" and _medical(token, lemma):
        return "collapse"
    if kind is None and token.pos_ == "VERB":
        kind = _bodily(token)
    if kind is None or token.pos_ in ("ADP", "DET", "PRON", "PUNCT", "NUM", "CCONJ"):
        return None
    if token.pos_ == "AUX" and lower not in ("died", "dies", "killed"):  # the tagger's "died" as AUX
        return None
    if lemma == "fire" or lower == "fire":
        # "opened fire" (noun object of open) or the verb "fired"; not "a house fire".
        if token.pos_ == "VERB" or token.head.lemma_ == "open" or lower == "firing":
            return "firearm"
        return None
    if lemma == "shoot" and any(c.dep_ == "prt" and c.lower_ in ("down", "up") for c in token.children):
        return None  # "shot down 4-1", "shot up the charts": not a shooting
    if lemma == "hospital" or (lemma == "life" and token.dep_ == "pobj"):
        return None  # only in the phrases above
    if lemma == "life" and token.dep_ == "dobj":
        if token.head.lemma_ == "take" and any(c.lower_ == "own" for c in token.children):
            return "suicide"  # "took his own life"
        return "death" if token.head.lemma_ == "lose" else None  # "lost his life"
    if lemma == "life" and token.head.lemma_ == "for" and token.head.head.lemma_ == "fight":
        return "injury"  # "fighting for his life"
    if (
        lemma == "hospital"
        and token.head.lower_ == "to"
        and token.head.head.lemma_ in ("take", "rush", "airlift", "fly")
    ):
        return "injury"  # "taken to hospital"
    if lower == "broken" and token.dep_ != "amod":
        return None  # "a broken wrist", not "broken into"
    if lemma == "condition":
        grave = ("critical", "serious", "stable", "life-threatening", "grave")
        return "injury" if any(c.lower_ in grave for c in token.children) else None
    if lemma == "gun" and token.pos_ != "VERB":
        return None
    if lemma == "run" and not any(c.lower_ == "over" for c in token.children):
        return None
    if lemma == "shot" and token.pos_ == "NOUN" and token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj"):
        return None  # "shots were fired", "fired two shots": the count, not the predicate
    if lemma == "stun" and not any(c.lower_ == "gun" for c in token.head.subtree):
        return None
    if lemma in ("pin", "run", "strike", "hit") and token.pos_ not in ("VERB",):
        return None
    return kind


#: A body giving way, by a noun and the modifier that makes it medical: a "cardiac arrest" is
#: not an arrest, a "heart attack" not an attack; a seizure needs no modifier.
_MEDICAL: dict[str, frozenset[str]] = {
    "arrest": frozenset(("cardiac", "respiratory", "cardiorespiratory", "cardio-respiratory", "heart")),
    "attack": frozenset(("heart",)),
    "failure": frozenset(("heart", "cardiac", "respiratory")),
    "seizure": frozenset(),
}


def _medical(token: Token, lemma: str) -> bool:
    modifiers = _MEDICAL.get(lemma)
    if modifiers is None:
        return False
    return not modifiers or any(c.dep_ in ("amod", "compound") and c.lower_ in modifiers for c in token.children)


#: Verbs that are force only when a person is moved by them: "pushed her to the ground", "held
#: him down", "threw him against a wall" (not "pushed for an inquiry", "held a vigil").
_BODILY = {"push": "blunt", "shove": "blunt", "throw": "blunt", "drag": "blunt", "hold": "restraint"}


def _bodily(token: Token) -> str | None:
    kind = _BODILY.get(token.lemma_.lower())
    if kind is None:
        return None
    moved = _child(token, "dobj", "nsubjpass")
    if moved is None and not _is_passive(token):
        return None
    if moved is not None and not (moved.pos_ == "PRON" or is_person(moved) or moved.pos_ == "PROPN"):
        return None
    if kind == "restraint":  # "held him down", "held her on the floor"
        pinned = any(c.dep_ == "prt" and c.lower_ == "down" for c in token.children) or _pobj(token, "on", "against")
        return kind if pinned else None
    goal = _pobj(token, "to", "into", "against", "onto", "down")
    return (
        kind
        if goal is not None
        and goal.lemma_.lower() in ("ground", "floor", "wall", "pavement", "road", "car", "van", "stair", "cell")
        else None
    )


def antecedent(token: Token) -> Token | None:
    """The nearest earlier noun a pronoun can stand for (number agreeing), in this sentence or the
    one before: "pointed a gun at the officers before they shot him" -> officers. A one-step
    heuristic, not coreference resolution (no offline coreference model is available)."""
    plural = token.lower_ in ("they", "them")
    doc = token.doc
    matrix = _matrix_subject(token, plural)
    if matrix is not None:
        return matrix
    start = token.sent.start
    if start > 0:
        start = doc[start - 1].sent.start
    own_clause_head = token.head.head if token.head.dep_ == "relcl" else None  # "a man he struck": not the man
    for i in range(token.i - 1, start - 1, -1):
        t = doc[i]
        if (
            t.pos_ not in ("NOUN", "PROPN")
            or t.dep_ in ("compound", "poss")
            or (own_clause_head is not None and t.i == own_clause_head.i)
        ):
            continue
        if t.head.i == token.head.i and t.dep_.startswith("nsubj"):
            continue  # "the dog bit him": a pronoun object is not its own clause's subject
        if not (is_police(t) or is_person(t) or (t.pos_ == "PROPN" and t.text in doc.user_data.get(_PERSONS, ()))):
            continue
        if (t.tag_ in ("NNS", "NNPS") or t.lower_ in ("police", "gardaí", "gardai")) == plural:
            return t
    return None


_COMPLEMENT_DEPS = ("ccomp", "conj", "xcomp")
_PERSONAL = frozenset(("he", "she", "they", "him", "her", "them"))


def _matrix_subject(token: Token, plural: bool) -> Token | None:
    """A subject pronoun inside a clause that a person's verb governs binds to that person: "the
    officer said he was in fear and felt he had no option but to fire" -> the officer (the subject
    of the saying or feeling), not the man named in between."""
    if not token.dep_.startswith("nsubj"):
        return None
    clause = token.head
    for _ in range(3):
        if clause.dep_ not in _COMPLEMENT_DEPS or clause.head.i == clause.i:
            return None
        clause = clause.head
        subj = _child(clause, "nsubj")
        if subj is None or subj.i == token.i:
            continue
        if subj.i > token.i:
            return None  # "He died peacefully, his son said": the speaker comes after; not him
        if subj.pos_ == "PRON":  # "he was in fear and felt he ...": the chain goes on through him
            same = (subj.lower_ in ("they", "them")) == plural and subj.lower_ in _PERSONAL
            return _matrix_subject(subj, plural) if same else None
        if subj.pos_ in ("NOUN", "PROPN") and (is_police(subj) or is_person(subj)):
            if (subj.tag_ in ("NNS", "NNPS") or subj.lower_ in ("police", "gardaí", "gardai")) == plural:
                return subj
            return None
    return None


def _participant(token: Token) -> Participant:
    doc = token.doc
    left = token
    for child in token.lefts:
        if child.dep_ in ("det", "compound", "amod", "nummod", "poss", "nmod", "npadvmod", "quantmod", "case"):
            left = doc[min(left.i, child.left_edge.i)]
    right = token.i
    for child in token.rights:
        if child.dep_ in ("compound", "flat", "case") or (child.dep_ == "appos" and child.i - token.i < 10):
            right = max(right, child.right_edge.i)
    span = doc[left.i : right + 1]
    role = _role(token)
    if token.pos_ == "PRON" and token.lower_ in ("he", "she", "they", "him", "her", "them"):
        ante = antecedent(token)
        if ante is not None:
            role = _role(ante)
    return Participant(span.text, span.start_char, span.end_char, role, token.i)


def _role(token: Token) -> str:
    """Police, a police vehicle, a civilian (or a relative), another vehicle, or something else."""
    mods = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    lemma = token.lemma_.lower()
    if token.like_num or lemma in ("one", "another", "each", "both", "either", "neither", "none", "some"):
        group = _pobj(token, "of")
        if group is not None:
            return _role(group)  # "one of the officers fired": an officer
    if lemma in VEHICLE_NOUNS or token.lower_ in VEHICLE_NOUNS:
        if any(is_police(m) or m.lemma_.lower() in ("patrol", "squad", "marked", "unmarked") for m in mods):
            return "police_vehicle"
        return "vehicle"
    if is_police(token) or (token.ent_type_ == "ORG" and lemma in _POLICE_WORDS):
        return "police"
    if any(c.dep_ == "appos" and any(is_police(t) for t in c.subtree) for c in token.children):
        return "police"  # "Jane Voss, a former chief constable"
    if token.pos_ == "PROPN" and token.text in token.doc.user_data.get("forcewatch_police_names", ()):
        return "police"  # "Constable Jane Voss" earlier, "Voss" now
    if token.pos_ == "PROPN" and (_said_as_person(token) or token.text in token.doc.user_data.get(_PERSONS, ())):
        return "civilian"  # "39-year-old Jo Voss" (whatever the NER says), or "Voss" after "Mr Voss"
    if token.pos_ == "PROPN" and any(is_police(t) for t in name_tokens(token)):
        return "police"  # "Northshire Police", "Northshire Firearms Unit"
    if "RELATIVE" in labels_of(token):
        return "relative"
    if lemma in ("dog", "k9", "k-9", "horse") and any(is_police(m) for m in mods):
        return "police"  # a police dog acts for the police
    if _police_staff(token, mods):
        return "police"  # "a police dog handler", "a police worker": staff of the force
    if is_person(token):
        return "civilian"
    if any(
        c.dep_ == "relcl" and any(g.lower_ == "who" and g.dep_.startswith("nsubj") for g in c.children)
        for c in token.children
    ):
        return "civilian"  # "X, who was shot ...": 'who' is said of a person whatever the NER thinks
    if token.pos_ == "PROPN" and token.ent_type_ in ("", "PERSON") and len(name_tokens(token)) >= 2:
        return "civilian"  # a first and last name the NER did not tag (a single capital may be a team)
    if token.pos_ == "PROPN" and any(
        (c.dep_ == "appos" and c.like_num)
        or (c.dep_ == "compound" and c.lower_.rstrip(".") in ("mr", "mrs", "ms", "miss", "dr"))
        for c in token.children
    ):
        return "civilian"  # a name the NER missed, in a role only a person takes
    if token.pos_ == "NOUN" and token.lower_.endswith(("er", "or", "ist", "ian", "ant", "ent")) and not token.ent_type_:
        return "civilian"  # agent nouns: labourer, villager, pensioner, motorcyclist, pedestrian, resident
    if token.pos_ == "PROPN" and not entities_read(token.doc):
        return "civilian"  # the first reading runs no NER: any name may be a PERSON's
    return "other"


#: Person nouns a police compound does not make the force's own: they name a relation to it.
_NOT_STAFF = frozenset("informant informer suspect victim witness critic".split())
#: What the force has that a person can work: "a police dog handler", "a police helicopter pilot".
_POLICE_ASSETS = frozenset({"dog", "k9", "k-9", "horse", "helicopter", *VEHICLE_NOUNS})


def _police_staff(token: Token, mods: list[Token]) -> bool:
    """A person noun of the agent kind (handler, worker, dispatcher, spokesman) whose compound
    is a police word, directly or through something the force has ("police dog handler"). Read
    before the person rule: the agent-noun ending alone would make a dog handler a civilian."""
    lemma = token.lemma_.lower()
    if token.pos_ != "NOUN" or lemma in _NOT_STAFF:
        return False
    if not (lemma.endswith(("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person")) or lemma == "staff"):
        return False
    for m in mods:
        if m.dep_ != "compound":
            continue
        if is_police(m):
            return True
        if m.lemma_.lower() in _POLICE_ASSETS and any(c.dep_ == "compound" and is_police(c) for c in m.children):
            return True
    return False


def name_tokens(token: Token) -> list[Token]:
    """The proper-noun chain of a name ("Northshire Firearms Unit"), not its relative clauses."""
    chain, frontier = [token], [token]
    while frontier:
        frontier = [c for t in frontier for c in t.children if c.dep_ in ("compound", "flat")]
        chain += frontier
    return chain


def _child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _pobj(token: Token, *preps: str) -> Token | None:
    """The object of a `by`/`of`/... phrase attached to token (the passive agent when `by` is
    asked for); never a date or time ("on Sunday")."""
    for child in token.children:
        if (child.dep_ == "agent" and "by" in preps) or (child.dep_ == "prep" and child.lower_ in preps):
            obj = _child(child, "pobj")
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME") and not _date_like(obj):
                return obj
    return None


_DAY_WORDS = frozenset(
    "a.m. p.m. am pm noon midday midnight morning afternoon evening night today yesterday tonight week month year "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december".split()
)


def _date_like(token: Token) -> bool:
    """Without the NER's DATE and TIME (the first reading runs none), a number or a day word
    ("at 3:09 p.m.", "on Sunday") may be one, and is no agent or patient."""
    if entities_read(token.doc):
        return False
    return token.like_num or any(ch.isdigit() for ch in token.text) or token.lower_ in _DAY_WORDS


def _inherited_subject(token: Token) -> Token | None:
    """The subject a clause shares with its head: conjuncts, 'tried to restrain', 'opened fire, wounding'."""
    seen = 0
    while (
        token.dep_ in ("conj", "xcomp", "advcl", "acl", "ccomp", "pcomp", "prep")
        and token.head.i != token.i
        and seen < 5
    ):
        token, seen = token.head, seen + 1
        if token.dep_ == "prep":
            continue  # "died after being restrained": through the preposition to the verb
        subj = _child(token, "nsubj", "nsubjpass")
        if subj is not None:
            return subj
    return None


def _headline_passive(token: Token, obj: Token | None) -> bool:
    """A transitive harm verb with a subject but no object, no 'at' and no aux: read as passive."""
    if obj is not None or token.lemma_ not in ("shoot", "kill", "wound", "injure", "hurt", "stab", "taser", "tase"):
        return False
    if any(
        c.dep_ in ("aux", "prep") and c.lower_ in ("at", "will", "would", "to", "did", "had", "have")
        for c in token.children
    ):
        return False
    return token.tag_ in ("VBN", "VBD") and token.dep_ == "ROOT" and token.sent.end - token.sent.start < 16


def _left_neighbour(token: Token) -> Token | None:
    """The noun just left of a predicate that has no subject of its own ("after Jo Voss, 34, died",
    "Police pepper-sprayed ..."): the parser often attaches it elsewhere."""
    doc = token.doc
    i = token.i - 1
    while i >= max(token.sent.start, token.i - 6):
        t = doc[i]
        if t.is_punct or t.like_num or t.dep_ in ("aux", "auxpass", "neg", "advmod", "npadvmod") or t.lower_ == "-":
            i -= 1
            continue
        if t.pos_ in ("NOUN", "PROPN", "PRON") and (is_police(t) or is_person(t) or t.pos_ == "PROPN"):
            return t
        return None
    return None


_CAUSE_VERBS = frozenset(("cause", "contribute", "lead", "result"))


def _causer(token: Token) -> Token | None:
    """ "Police failures contributed to her death", "restraint by officers caused his death": the
    police noun in the subject of a verb of causing is the event's agent."""
    verb = token.head.head if token.dep_ == "pobj" and token.head.lower_ in ("to", "in") else token.head
    if token.dep_ not in ("pobj", "dobj") or verb.lemma_ not in _CAUSE_VERBS:
        return None
    subj = _child(verb, "nsubj", "nsubjpass")
    if subj is None:
        return None
    return next((t for t in subj.subtree if is_police(t)), None)


_DEPLOY = frozenset(("use", "deploy", "draw", "discharge", "fire", "aim", "point", "unleash", "release"))
_BODY_PARTS = frozenset("neck back head chest face body legs arm arms shoulders throat torso".split())


def _owner(token: Token | None) -> Token | None:
    """The person a body part belongs to ("on the man's neck" -> the man); else the token itself."""
    if token is None or token.lemma_.lower() not in _BODY_PARTS:
        return token
    return _child(token, "poss") or _pobj(token, "of") or token


def _is_taser(token: Token) -> bool:
    """A Taser or stun gun ("with a stun gun", "with his Taser", "a conducted energy weapon")."""
    words = {t.lower_ for t in token.subtree}
    return token.lower_.startswith(("taser", "stun")) or "stun" in words or ("energy" in words and "weapon" in words)


def _is_shots(token: Token) -> bool:
    """Shots, rounds, or a number of them ("a number of shots")."""
    lemma = token.lemma_.lower()
    if lemma in _SHOT_UNITS:
        return True
    of = _pobj(token, "of") if lemma in _QUANTITY_NOUNS else None
    return of is not None and of.lemma_.lower() in _SHOT_UNITS


#: Nouns of using a weapon on someone: "the use of a Taser on him", "the discharge of a Taser at her".
_USE_NOUNS = frozenset(("use", "deployment", "discharge"))


def _is_passive(token: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in token.children):
        return True
    # "was Tasered twice" parsed as a copula with an adjectival complement: still the passive it is.
    return token.tag_ == "VBN" and token.dep_ in ("acl", "advcl", "relcl", "conj", "oprd", "xcomp", "acomp")


def _roles(token: Token, kind: str) -> tuple[Token | None, Token | None]:
    """(agent, patient) head tokens."""
    agent = patient = None
    verbal = token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB")
    if not verbal and token.pos_ == "NOUN" and any(c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
        verbal = True  # a noun has no subject: "officers shot at him" mis-tagged, read as the verb it is
    if verbal:
        if _is_passive(token):
            patient = _child(token, "nsubjpass", "nsubj")
            agent = _pobj(token, "by")
            if patient is None and token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN", "PRON"):
                patient = token.head  # "a man shot by police"
            if patient is None and token.dep_ == "acomp":
                patient = _child(token.head, "nsubj", "nsubjpass")  # "the man was Tasered": the copula's subject
            if patient is None:
                patient = _inherited_subject(token)
        else:
            subj = _child(token, "nsubj")
            if subj is None and token.dep_ == "acl" and token.tag_ == "VBG":
                subj = token.head  # "police firing", "officers chasing him": the noun does it
            if subj is None and token.dep_ not in ("conj", "xcomp") and token.tag_ != "VBG":
                subj = _left_neighbour(token)
            subj = subj or _inherited_subject(token)
            obj = _child(token, "dobj")
            if obj is None:  # "pepper-sprayed and handcuffed a woman": the conjunct's object
                obj = next((_child(c, "dobj") for c in token.children if c.dep_ == "conj" and _child(c, "dobj")), None)
            if subj is not None and subj.dep_ == "nsubjpass" and subj.head.i != token.i and obj is None:
                patient = subj  # "was handcuffed and struck with a baton": the shared subject is passive
            elif kind in INTRANSITIVE and obj is None:
                patient = subj
            elif _headline_passive(token, obj):
                patient = subj  # "Officer shot in city", "Man killed after chase": a headline's bare passive
            else:
                agent, patient = subj, obj
            if patient is None and kind in ("restraint", "blunt"):
                patient = _owner(_pobj(token, "on", "against", "onto"))  # "knelt on the man's neck"
            if token.lemma_ == "open" or (obj is not None and obj.lemma_ == "fire"):
                patient = _pobj(token, "on", "at")
            elif token.lemma_ == "run" and obj is None:
                patient = _pobj(token, "over") or patient  # "ran over a man"
            elif kind == "firearm" and (obj is None or obj.lemma_.lower() in _SHOT_UNITS or "WEAPON" in labels_of(obj)):
                patient = _pobj(token, "at", "on") or patient  # "fired two shots at a man"
            if token.dep_ == "relcl" and subj is not None and subj.lower_ in ("who", "that", "which"):
                if kind in INTRANSITIVE:
                    patient = token.head
                else:
                    agent = token.head
    elif token.pos_ == "ADJ" or (kind == "injury" and token.dep_ == "amod"):
        # "found dead", "was unresponsive", "shot dead"; "left with a fractured skull"
        head = token.head
        if token.dep_ == "amod":
            head = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), head)
        patient = _child(head, "nsubjpass", "nsubj", "dobj") or _inherited_subject(head)
        if patient is None and head.dep_ == "acl" and head.head.pos_ in ("NOUN", "PROPN", "PRON"):
            patient = head.head  # "a woman found dead in a cell": the noun the clause describes
    else:  # a nominal event
        if token.dep_ == "dobj" and token.head.lemma_ in _DEPLOY and kind in FORCE_KINDS:
            # "used a Taser on a boy", "deployed pepper spray against him": the user and the target
            verb = token.head
            target = _pobj(verb, "on", "against", "at")
            return _child(verb, "nsubj") or _inherited_subject(verb), _owner(target) if target is not None else None
        use = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "of" else None
        if use is not None and use.lemma_ in _USE_NOUNS and kind in FORCE_KINDS:
            target = _pobj(use, "on", "against", "at")
            if target is not None:  # "the use of a Taser on a man": the nominal of "used a Taser on"
                return _pobj(use, "by"), _owner(target)
        agent = _pobj(token, "by", "from")
        if agent is None and kind in ("crash", "hit"):
            agent = _pobj(token, "with")  # "a collision with a police car"
        hands = _pobj(token, "at")
        if agent is None and hands is not None and hands.lemma_ == "hand":
            agent = _pobj(hands, "of")
        poss = _child(token, "poss")
        if poss is not None and is_police(poss) and agent is None:
            agent, poss = poss, None  # "the sheriff's deputy shot": the parser's possessive is the agent
        patient = _pobj(token, "of") or poss
        if agent is None and patient is not None:
            agent = _pobj(patient, "by")  # "the shooting of a man by police": the parser hangs 'by' on the man
        if token.lemma_ == "life" and token.head.lemma_ in ("lose", "take"):
            return None, _child(token.head, "nsubj") or _inherited_subject(token.head)
        if token.lemma_ == "fire" and token.head.lemma_ == "open":  # "officers opened fire (on X)"
            agent = _child(token.head, "nsubj") or _inherited_subject(token.head)
            return agent, _pobj(token.head, "on", "at")
        if agent is None:
            agent = next((c for c in token.children if c.dep_ in ("compound", "amod", "nmod") and is_police(c)), None)
        if agent is None:
            agent = _causer(token)
        if patient is None and kind in OUTCOME_KINDS and token.dep_ in ("dobj", "pobj", "attr", "nsubj", "nsubjpass"):
            # "he died of gunshot wounds", "X suffered fatal injuries": the clause's subject is the patient
            verb = next((a for a in token.ancestors if a.pos_ in ("VERB", "AUX")), token.head)
            if verb.lemma_ in ("suffer", "sustain", "die", "receive", "have", "be", "leave", "take", "treat", "rush"):
                cand = _child(verb, "nsubj", "nsubjpass") or _inherited_subject(verb)
                if cand is not None and cand.i != token.i and cand.lemma_ not in TRIGGERS:
                    patient = cand
    if agent is None:
        # The parser often makes "police shooting"/"deputy shot" a compound: read the police noun as agent.
        agent = next((c for c in token.lefts if c.dep_ in ("compound", "nmod", "poss", "amod") and is_police(c)), None)
    if patient is not None and patient.i == token.i:
        patient = None
    if patient is not None and (_is_shots(patient) or "WEAPON" in labels_of(patient)):
        patient = None  # "fired two shots", "fired his weapon", "a number of shots": what was fired
        if kind == "firearm":
            patient = _pobj(token, "at", "on")  # "... were discharged at the man"
    if patient is not None and patient.lower_ in ("who", "that") and patient.head.head.i != patient.i:
        patient = patient.head.head if patient.head.dep_ == "relcl" else patient
    return agent, patient


def _polarity(token: Token) -> str:
    chain = [token] + [a for a in token.ancestors][:3]
    for t in chain[:2]:
        if any(c.dep_ == "neg" for c in t.children):
            return "negated"
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj") and any(
            d.lower_ in ("no", "nobody") for d in child.subtree if d.dep_ == "det" or d.i == child.i
        ):
            return "negated"
    own = [token] + ([token.head] if token.dep_ in ("xcomp", "conj", "ccomp") else [])
    for t in own:
        if any(c.dep_ == "mark" and c.lower_ in _HEDGE_MARKS for c in t.children):
            return "hedged"  # "whether he was shot"; not "whether he pointed a gun before they shot him"
        if any(c.lower_ in _HEDGE_WORDS and c.dep_ in ("aux", "advmod", "amod") for c in t.children):
            return "hedged"
    return "asserted"


def _attribution(token: Token) -> str | None:
    for anc in token.ancestors:
        if anc.lemma_ in _SPEECH:
            subj = _child(anc, "nsubj")
            return _participant(subj).text if subj is not None else anc.lemma_
    return None


#: Nouns that count shots without a figure: "a number of shots", "a volley of rounds".
_QUANTITY_NOUNS = frozenset(
    ("number", "series", "volley", "burst", "hail", "barrage", "couple", "flurry", "total", "dozen")
)
#: Words that say "more than one" and no more: the least count each allows.
_VAGUE_COUNTS = {"several": 3, "multiple": 2, "numerous": 3, "many": 3, "repeatedly": 2, "few": 2, "some": 2}
#: Verbs that hedge a figure: "shots, believed to be five", "thought to be three rounds".
_HEDGE_VERBS = frozenset(("believe", "think", "understand", "estimate"))


def _figure(num: Token) -> tuple[int | None, bool]:
    """A number and whether it is only a least count: "five", "a dozen" (12), "at least five"
    (5, least), "more than 20" (21, least); "up to ten" says no figure."""
    n = 12 if num.lower_ == "dozen" else to_int(num.text)
    mods = {c.lower_ for c in num.children} | {g.lower_ for c in num.children for g in c.children}
    if n is None or {"up", "many"} & mods:
        return None, False  # "up to ten", "as many as ten": at most
    if "least" in mods or "minimum" in mods:
        return n, True
    if "than" in mods and ("more" in mods or "over" in mods) or "over" in mods:
        return n + 1, True
    return n, False


def _hedged_figure(unit: Token) -> int | None:
    """'A number of shots, believed to be five, were fired': the figure a hedge verb gives the
    shots, whether the parser hangs the verb on them (acl) or makes them its subject."""
    verbs = [c for c in unit.children if c.dep_ == "acl" and c.lemma_ in _HEDGE_VERBS]
    if unit.dep_.startswith("nsubj") and unit.head.lemma_ in _HEDGE_VERBS:
        verbs.append(unit.head)
    for verb in verbs:
        for comp in verb.children:
            if comp.dep_ == "xcomp" and comp.lemma_ == "be":
                attr = _child(comp, "attr", "acomp")
                if attr is not None and attr.like_num:
                    n = to_int(attr.text)
                    if n is not None and 0 < n < 200:
                        return n
    return None


def _count(token: Token) -> tuple[int | None, bool]:
    """Shots by this firearm event and whether the figure is only a least count: 'fired 12 shots',
    'five shots were fired', 'shot him three times', 'shot him twice', 'one shot fired', 'shots,
    believed to be five, were fired'; 'fired several times', 'a number of shots' -> (3 / 2, True)."""
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ in ("once", "twice", "thrice"):
            return {"once": 1, "twice": 2, "thrice": 3}[child.lower_], False
    if token.lemma_.lower() in ("shot", "round"):
        for mod in token.children:
            if mod.dep_ == "nummod":
                n = to_int(mod.text)
                if n is not None and 0 < n < 200:
                    return n, False
    candidates = list(token.children)
    for child in list(candidates):
        if child.dep_ == "prep":
            candidates += list(child.children)
    if _is_passive(token) and not any(c.dep_.startswith("nsubj") for c in token.children):
        shared = _inherited_subject(token)  # "shots, believed to be five, were discharged"
        if shared is not None:
            candidates.append(shared)
    vague: int | None = None
    for child in candidates:
        unit = child
        if child.lemma_.lower() in _QUANTITY_NOUNS:
            of = _pobj(child, "of")
            if of is None or of.lemma_.lower() not in _SHOT_UNITS:
                continue
            unit = of
            if child.lemma_.lower() == "dozen" and child.tag_ == "NNS":
                vague = max(vague or 0, 24)  # "dozens of rounds"
            elif child.lemma_.lower() != "total":
                vague = vague or 2  # "a number of shots": more than one (but "a total of 49 rounds")
            figure = _hedged_figure(child)
            if figure is not None:
                return figure, False
        if unit.lemma_.lower() not in _SHOT_UNITS:
            continue
        figure = _hedged_figure(unit)
        if figure is not None:
            return figure, False
        for mod in unit.children:
            if mod.dep_ in ("nummod", "quantmod") or (mod.dep_ == "amod" and mod.lower_ == "single"):
                n, least = (1, False) if mod.lower_ in ("single", "one", "a") else _figure(mod)
                if n is not None and 0 < n < 200:
                    return n, least
            if mod.dep_ in ("amod", "det", "quantmod", "nummod") and mod.lower_ in _VAGUE_COUNTS:
                vague = max(vague or 0, _VAGUE_COUNTS[mod.lower_])
        if unit.lemma_ == "shot" and any(c.lower_ in ("a", "one", "single") for c in unit.children):
            return 1, False
    if any(c.dep_ == "advmod" and c.lower_ == "repeatedly" for c in token.children):
        vague = max(vague or 0, _VAGUE_COUNTS["repeatedly"])
    return vague, vague is not None


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks (curly or straight)."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if ch == "“" or (ch == '"' and start is None):
            start = i
        elif (ch == "”" or ch == '"') and start is not None:
            out.append((start, i))
            start = None
        elif ch == "\n" and start is not None and text[i + 1 : i + 2] not in ("“", '"'):
            start = start  # a quote may run on into the next paragraph: kept open
    if start is not None:
        out.append((start, len(text)))
    return out


def _settings(token: Token, patient: Token | None) -> set[str]:
    """Custody, pursuit or contact words the predicate governs ("died in custody", "died after
    being restrained"), or the patient is ("an inmate died"); a verb the predicate merely sits
    beside ("a man was arrested after a woman died") does not count."""
    scope = token.head if token.pos_ == "ADJ" or token.dep_ in ("acomp", "oprd", "dobj") else token
    words = list(scope.subtree)
    if patient is not None:
        words.append(patient)
    found = set()
    for tok in words:
        for label in labels_of(tok):
            if label not in ("CUSTODY", "PURSUIT", "CONTACT"):
                continue
            if tok.lemma_.lower() in CONTACT_NEEDS_POLICE and not any(is_police(t) for t in tok.subtree):
                continue  # a struggle with a neighbour is not police contact
            if _medical(tok, tok.lemma_.lower()):
                continue  # a cardiac arrest is not an arrest
            found.add(label.lower())
    return found


def _police_nearby(sent: Span, event_tokens: set[int]) -> bool:
    """A police noun in the sentence that is neither the one harmed nor only the speaker
    ("shot dead after armed police were called"): police at the scene, agent unsaid."""
    for tok in sent:
        if tok.i in event_tokens or not is_police(tok):
            continue
        if tok.dep_ == "nsubj" and _reports_or_inquires(tok.head):
            continue
        if any(c.dep_ == "acl" and _reports_or_inquires(c) for c in tok.children):
            continue  # "detectives investigating the shooting have arrested two men"
        return True
    return False


def _reports_or_inquires(verb: Token) -> bool:
    """The police subject of this verb tells of the harm or looks into it: a source, not a party."""
    lemma = verb.lemma_.lower()
    if lemma in _SPEECH or lemma in _INQUIRY:
        return True
    return lemma in _LOOKING and any(c.dep_ == "prep" and c.lower_ == "for" for c in verb.children)


def read_events(doc: Doc) -> list[Event]:
    """Every harm event in the Doc (needs the parser and the lexicon spans)."""
    quoted = _quoted_ranges(doc.text)
    doc.user_data["forcewatch_police_names"] = police_names(doc)
    doc.user_data[_PERSONS] = person_names(doc)
    events: list[Event] = []
    by_token: dict[int, Event] = {}
    for sent in doc.sents:
        for token in sent:
            kind = trigger_kind(token)
            if kind is None:
                continue
            agent, patient = _roles(token, kind)
            if kind == "hit" and agent is not None and agent.lemma_.lower() in _PROJECTILES:
                # "struck by a bullet fired by an officer": the shooter is the agent
                fired = next((c for c in agent.children if c.dep_ in ("acl", "relcl")), None)
                kind, agent = "firearm", (_pobj(fired, "by") if fired is not None else None)
            if agent is not None and not is_police(agent):
                agent = next((c for c in agent.conjuncts if is_police(c)), agent)  # "by guards and officers"
            if kind == "firearm" and token.lemma_ in ("fire", "discharge"):
                fired = _child(token, "dobj", "nsubjpass")
                if fired is not None and fired.lower_.startswith(("taser", "stun")):
                    kind, patient = "taser", _pobj(token, "at", "on")  # "fired a Taser at a man"
            count, at_least = _count(token) if kind == "firearm" else (None, False)
            ev = Event(
                predicate=token.lemma_.lower(),
                kind=kind,
                start=token.idx,
                end=token.idx + len(token.text),
                sentence=(sent.start_char, sent.end_char),
                token=token.i,
                agent=_participant(agent) if agent is not None else None,
                patient=_participant(patient) if patient is not None else None,
                polarity=_polarity(token),
                attribution=_attribution(token),
                quoted=any(a <= token.idx < b for a, b in quoted),
                count=count,
                count_at_least=at_least,
                fatal=kind == "death" or _fatal_modifier(token),
                settings=_settings(token, patient),
            )
            patient_tokens = set(range(patient.left_edge.i, patient.right_edge.i + 1)) if patient is not None else set()
            ev.police_nearby = agent is None and _police_nearby(sent, patient_tokens)
            with_obj = _pobj(token, "with")
            ev.instrument = with_obj.lemma_.lower() if with_obj is not None else None
            if kind == "firearm" and with_obj is not None and _is_taser(with_obj):
                ev.kind, ev.count, ev.count_at_least = "taser", None, False  # "shot with a stun gun"
            if kind == "hit":
                if token.lemma_ == "run" or (ev.agent is not None and ev.agent.role == "police_vehicle"):
                    ev.kind = "vehicle"  # "deputies ran over a man", "a police car hit him"
                elif ev.instrument in ("baton", "truncheon", "nightstick", "torch", "flashlight", "fist", "stick"):
                    ev.kind = "blunt"
            if kind in INTRANSITIVE and ev.patient is not None and ev.patient.role == "other" and patient is not None:
                if patient.pos_ == "PROPN" and patient.dep_ == "nsubj" and patient.head.i == token.i:
                    ev.patient.role = "civilian"  # a name as the subject of "died"/"collapsed" is a person
            events.append(ev)
            by_token[token.i] = ev
    _share_conjoined_roles(doc, by_token)
    _share_linked_roles(doc, events)
    return events


def police_names(doc: Doc) -> set[str]:
    """Words of the names of officers ("Constable Jane Voss", "Deputy John Doe", "Garda A"): a later
    mention by surname alone is the same officer (a one-step mention chain)."""
    names: set[str] = set()
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "flat") or is_police(tok):
            continue
        chain = name_tokens(tok)
        if any(is_police(t) and t.pos_ == "PROPN" for t in chain if t.i != tok.i):
            names.add(tok.text)
    return names


_PERSONS = "forcewatch_person_names"
_TITLE_WORDS = frozenset(("mr", "mrs", "ms", "miss", "dr", "mx"))


def _said_as_person(token: Token) -> bool:
    """A name said the way only people are: with an age ("39-year-old Jo Voss", "Voss, 39"), a
    person noun in apposition ("Voss, a father of two") or a title ("Mr Voss"). The NER often tags rare names as ORG or GPE; these forms settle it."""
    for c in token.children:
        if c.dep_ == "amod" and (
            c.lower_.endswith("-old") or (c.lower_ == "old" and any(g.lemma_ == "year" for g in c.children))
        ):
            return True
        if c.dep_ == "appos" and c.text.isdigit() and 0 < int(c.text) < 110:
            return True
        if c.dep_ == "appos" and c.pos_ == "NOUN" and is_person(c) and not is_police(c):
            return True  # "Jo Voss, an unarmed 22-year-old man"
        if c.dep_ == "compound" and c.lower_.rstrip(".") in _TITLE_WORDS:
            return True
    if token.dep_ == "nsubj" and token.head.lemma_ == "be":
        return any(
            c.dep_ in ("acomp", "attr") and c.lower_ == "old" and any(g.lemma_ == "year" for g in c.subtree)
            for c in token.head.children
        )  # "Jo Voss was 18 years old"
    return False


def person_names(doc: Doc) -> set[str]:
    """Words of names said as people's somewhere in the article (a one-step mention chain like
    `police_names`): a rare name the NER tagged ORG becomes a person in every later mention."""
    names: set[str] = set()
    police = doc.user_data.get("forcewatch_police_names", set())
    for tok in doc:
        if tok.pos_ != "PROPN" or tok.dep_ in ("compound", "flat") or is_police(tok) or tok.text in police:
            continue
        if _said_as_person(tok):
            names.update(
                t.text for t in name_tokens(tok) if t.pos_ == "PROPN" and t.lower_.rstrip(".") not in _TITLE_WORDS
            )
    return names


def _fatal_modifier(token: Token) -> bool:
    """'fatal shooting', 'fatally shot', 'shot dead'."""
    return any(c.lower_ in ("fatal", "fatally", "dead", "deadly", "lethal") for c in token.children)


def _share_conjoined_roles(doc: Doc, by_token: dict[int, Event]) -> None:
    """'shot and killed a man': conjoined predicates share missing agents and patients."""
    for i, ev in by_token.items():
        tok = doc[i]
        partners = [c.i for c in tok.children if c.dep_ == "conj"] + ([tok.head.i] if tok.dep_ == "conj" else [])
        for j in partners:
            other = by_token.get(j)
            if other is None:
                continue
            if ev.agent is None and other.agent is not None:
                ev.agent = other.agent
            if ev.patient is None and other.patient is not None and other.kind not in INTRANSITIVE:
                ev.patient = other.patient
            if other.fatal and ev.kind == "firearm":
                ev.fatal = True
            if ev.kind in OUTCOME_KINDS and other.kind in FORCE_KINDS:
                ev.means = ev.means or other.kind  # "shot and killed"


def _share_linked_roles(doc: Doc, events: list[Event]) -> None:
    """A harm with no agent takes the police agent of a force event it governs or is governed by
    ("killed when police fired", "died after being tasered by officers", "opened fire, wounding X");
    the force event takes the harmed patient in return."""
    for ev in events:
        for other in events:
            if other is ev or other.sentence != ev.sentence or not other.police_agent or other.polarity == "negated":
                continue
            a, b = doc[ev.token], doc[other.token]
            if not (a.is_ancestor(b) or b.is_ancestor(a) or abs(a.i - b.i) <= 6):
                continue
            if ev.agent is None and ev.kind in ("death", "injury", "collapse", "firearm", "hit"):
                ev.agent = other.agent
            if ev.kind in OUTCOME_KINDS and other.kind in FORCE_KINDS:
                ev.means = ev.means or other.kind
            if other.patient is None and ev.civilian_patient:
                other.patient = ev.patient


@Language.factory(
    "forcewatch_events",
    requires=["token.dep", "token.lemma", "doc.sents", "doc.spans"],
    assigns=["doc._.events", "doc.spans"],
)
def make_events(nlp: Language, name: str) -> Annotator:
    """doc._.events and doc.spans['events'] (one span per predicate, labelled by kind)."""
    return Annotator(SPANS_KEY, read_events)


__all__ = ["Event", "Participant", "read_events", "PERSON_NOUNS"]
