"""The one shared lexicon: who the police are, what custody is, who oversees them.

Every other module asks this one. Terms are matched on the token's lemma or its
lower-cased form by spaCy's PhraseMatcher (component `forcewatch_lexicon`), which
writes labelled spans to `doc.spans["lexicon"]`; later components read those spans
instead of re-typing the words. Single words are listed as lemmas; multi-word terms
are matched word by word. Words here are the vocabulary of reporting in English
across the UK, Ireland, North America, Australia, New Zealand and South Asia, not the
phrasing of any one article.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token

SPANS_KEY = "lexicon"

#: label -> terms. A term of one word matches the lemma or the lower-cased text.
TERMS: dict[str, tuple[str, ...]] = {
    # People who act for the police. "agent" alone is too broad (estate agents), so only with a qualifier.
    "POLICE": (
        "police",
        "policeman",
        "policemen",
        "policewoman",
        "policewomen",
        "officer",
        "cop",
        "copper",
        "constable",
        "pc",
        "sergeant",
        "sgt",
        "detective",
        "inspector",
        "deputy",
        "trooper",
        "sheriff",
        "marshal",
        "garda",
        "gardaí",
        "gardai",
        "mountie",
        "rcmp",
        "psni",
        "swat",
        "marksman",
        "marksmen",
        "constabulary",
        "gendarme",
        "patrolman",
        "patrolmen",
        "lawman",
        "law enforcement",
        "armed police",
        "firearms officer",
        "federal agent",
        "border patrol",
        "state police",
        "highway patrol",
        "police service",
        "police force",
        "police department",
        "tactical team",
        "armed response",
        "response unit",
        "support unit",
    ),
    # Where a person is held: a death there is a custody death whoever caused it.
    "CUSTODY": (
        "custody",
        "custodial",
        "cell",
        "jail",
        "gaol",
        "prison",
        "detention",
        "detainee",
        "inmate",
        "prisoner",
        "lock-up",
        "lockup",
        "booking",
        "police station",
        "holding cell",
        "watch house",
        "watchhouse",
        "custody suite",
        "police van",
        "police vehicle",
        "patrol car",
        "squad car",
        "correctional",
        "remand",
    ),
    # A chase: a crash during one is a road traffic death after police contact.
    "PURSUIT": ("pursuit", "pursue", "chase", "chasing", "fail to stop", "failed to stop", "flee", "fled", "fleeing"),
    # Contact short of custody: an arrest, a stop, a restraint.
    "CONTACT": (
        "arrest",
        "detain",
        "restrain",
        "restraint",
        "handcuff",
        "handcuffs",
        "traffic stop",
        "welfare check",
        "stop and search",
        "tackle",
        "subdue",
        "apprehend",
        "police contact",
        "contact with police",
        "taser",
        "tase",
        "stun gun",
        "baton",
        "pepper spray",
        "pava",
        "cs spray",
        "police dog",
        "k9",
        "k-9",
    ),
    # Bodies that investigate the police, UK and beyond.
    "OVERSIGHT": (
        "iopc",
        "ipcc",
        "pirc",
        "poni",
        "police ombudsman",
        "independent office for police conduct",
        "independent police complaints commission",
        "police investigations and review commissioner",
        "siu",
        "special investigations unit",
        "iio",
        "independent investigations office",
        "asirt",
        "bei",
        "bureau des enquêtes indépendantes",
        "iiu",
        "serious incident response team",
        "sirt",
        "ipca",
        "independent police conduct authority",
        "gsoc",
        "garda ombudsman",
        "garda síochána ombudsman commission",
        "fiosrú",
        "attorney general",
        "bureau of investigation",
        "texas rangers",
        "internal affairs",
        "professional standards",
        "civilian review",
        "human rights commission",
        "judicial inquiry",
        "magisterial inquiry",
        "cid",
        "watchdog",
    ),
    # Later stages of a case.
    "STAGE": (
        "inquest",
        "coroner",
        "trial",
        "verdict",
        "jury",
        "acquit",
        "convict",
        "charge",
        "prosecute",
        "misconduct",
        "hearing",
        "settlement",
        "lawsuit",
        "sue",
        "anniversary",
        "vigil",
        "inquiry",
        "sentence",
        "plead",
        "indict",
        "exonerate",
        "finding",
        "ruling",
        "review",
    ),
    # Relatives and bystanders: their ages and names are not the subject's.
    "RELATIVE": (
        "mother",
        "father",
        "mum",
        "mom",
        "dad",
        "brother",
        "sister",
        "son",
        "daughter",
        "wife",
        "husband",
        "partner",
        "girlfriend",
        "boyfriend",
        "uncle",
        "aunt",
        "cousin",
        "nephew",
        "niece",
        "grandmother",
        "grandfather",
        "grandson",
        "granddaughter",
        "family",
        "relative",
        "friend",
        "neighbour",
        "neighbor",
        "fiancée",
        "fiancé",
        "fiance",
        "fiancee",
        "stepfather",
        "stepmother",
        "widow",
        "sibling",
    ),
    # What a subject may be armed with.
    "WEAPON": (
        "gun",
        "firearm",
        "pistol",
        "handgun",
        "rifle",
        "shotgun",
        "revolver",
        "knife",
        "blade",
        "machete",
        "sword",
        "hammer",
        "bat",
        "crowbar",
        "axe",
        "replica",
        "air rifle",
        "air pistol",
        "bb gun",
        "imitation firearm",
        "screwdriver",
        "scissors",
        "weapon",
    ),
}

#: Contact words that only count with the police in their phrase ("a struggle with officers").
CONTACT_NEEDS_POLICE = frozenset(
    "struggle scuffle altercation tussle grapple confrontation encounter stand-off standoff".split()
)

#: Nouns for a person who can be harmed: the civilian side of an event.
PERSON_NOUNS = frozenset(
    (
        "man men woman women boy girl child teen teenager youth person people suspect driver motorist "
        "pedestrian motorcyclist cyclist rider passenger resident victim student father mother son daughter "
        "individual male female adult gunman inmate prisoner detainee patient protester protestor worker "
        "shopper homeowner tenant civilian citizen baby toddler infant juvenile minor local dad mum mom "
        "grandfather grandmother husband wife brother sister occupant bystander customer someone "
        "deceased mr mrs ms miss"
    ).split()
)

#: Vehicles: "a police car hit him" makes the car (with its police compound) the agent.
VEHICLE_NOUNS = frozenset("car vehicle van cruiser suv truck motorcycle motorbike bus lorry squad".split())


class Lexicon:
    """The shared lexicon's spans (doc.spans['lexicon'], overlapping allowed): a term where a
    token's lemma is a one-word term or the tokens' lower-case words are a term's.

    Built from spaCy's PhraseMatcher (a hash lookup per token) on LEMMA and on LOWER rather than a
    SpanRuler: the SpanRuler's token patterns with `IN` sets test each token against each set in
    Python and cost a quarter of the first reading; the spans are the same (sorted, deduplicated,
    as the SpanRuler writes them: tests/test_events.py checks against a SpanRuler). A term the
    tokenizer splits otherwise than at its spaces ("stand-off") stays a token pattern of its words."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.tokens = Matcher(nlp.vocab)
        for label, terms in TERMS.items():
            singles = sorted({t for t in terms if " " not in t})
            self.lemma.add(label, [Doc(nlp.vocab, words=[t], lemmas=[t]) for t in singles])
            phrases: list[Doc] = []
            others: list[Doc] = []
            for term in sorted(set(terms)):
                doc = nlp.make_doc(term)
                (phrases if [t.text for t in doc] == term.split() else others).append(doc)
            self.lower.add(label, phrases)
            if others:
                self.tokens.add(label, [[{"LOWER": w} for w in d.text.split()] for d in others])

    def __call__(self, doc: Doc) -> Doc:
        found = {*self.lemma(doc), *self.lower(doc), *self.tokens(doc)}
        doc.spans[SPANS_KEY] = sorted({Span(doc, start, end, label=m) for m, start, end in found if start != end})
        return doc


def token_patterns() -> list[dict[str, Any]]:
    """The lexicon as SpanRuler token patterns: what `Lexicon` must match exactly (tests)."""
    patterns: list[dict[str, Any]] = []
    for label, terms in TERMS.items():
        singles = sorted({t for t in terms if " " not in t})
        patterns.append({"label": label, "pattern": [{"LEMMA": {"IN": singles}}]})
        patterns.append({"label": label, "pattern": [{"LOWER": {"IN": singles}}]})
        for term in terms:
            if " " in term:
                patterns.append({"label": label, "pattern": [{"LOWER": w} for w in term.split()]})
    return patterns


@Language.factory(
    "forcewatch_lexicon",
    requires=["token.lemma"],
    assigns=["doc.spans"],
)
def make_lexicon(nlp: Language, name: str) -> Lexicon:
    return Lexicon(nlp, name)


@Language.component("forcewatch_paragraphs", assigns=["token.is_sent_start"])
def paragraphs(doc: Doc) -> Doc:
    """A blank line ends a sentence (bylines, captions and headlines never run into the text);
    runs before the parser, which keeps boundaries already set."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if prev.is_space and "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
    return doc


def labels_of(token: Token) -> set[str]:
    """The lexicon labels of the spans covering this token."""
    doc = token.doc
    index: dict[int, set[str]] | None = doc.user_data.get("forcewatch_lexicon_index")
    if index is None:
        index = {}
        for span in doc.spans.get(SPANS_KEY, []):
            for i in range(span.start, span.end):
                index.setdefault(i, set()).add(span.label_)
        doc.user_data["forcewatch_lexicon_index"] = index
    return index.get(token.i, set())


def spans(doc: Doc, label: str) -> list[Span]:
    return [s for s in doc.spans.get(SPANS_KEY, []) if s.label_ == label]


def is_police(token: Token) -> bool:
    """A police noun, or a police organisation entity ("Bedfordshire Police", "the RCMP")."""
    if "POLICE" in labels_of(token) and token.pos_ in ("NOUN", "PROPN", "PRON", "X", "ADJ"):
        return True
    return token.ent_type_ == "ORG" and any("POLICE" in labels_of(t) for t in token.doc[token.i : token.i + 1])


def entities_read(doc: Doc) -> bool:
    """Did the NER run on this Doc? The first reading skips it (it was 40% of that reading's
    time); a proper noun it cannot type then counts as a possible person in an event's roles, and a
    number or a day as a possible date, so the bound that reading gives
    (forcewatch.extract.relevance.reachable) stays a bound."""
    known = doc.user_data.get("forcewatch_entities_read")
    if known is None:
        known = doc.user_data["forcewatch_entities_read"] = doc.has_annotation("ENT_IOB")
    return bool(known)


def is_person(token: Token) -> bool:
    """A person who can be harmed: a person noun, a PERSON entity, or a personal pronoun."""
    return (
        token.lemma_.lower() in PERSON_NOUNS
        or token.lower_ in PERSON_NOUNS
        or token.ent_type_ == "PERSON"
        or token.lower_ in ("he", "she", "him", "her", "they", "them")
        or (token.like_num and token.dep_ in ("nsubj", "nsubjpass", "dobj"))
        or token.lower_.endswith("-old")
        or (token.pos_ == "NOUN" and token.lower_.endswith(("man", "men", "woman", "women")) and len(token.text) > 5)
        or (token.lower_ == "old" and any(c.lemma_ == "year" for c in token.children))  # "a 19-year-old"
    )
