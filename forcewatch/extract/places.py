"""Where it happened: country, region, locality, neighbourhood and coordinates.

Capitalised phrases are looked up in the offline gazetteer; the country is voted
by every cue (agency, oversight body, states, places); the locality is the place
named where the event is told ("shot at a house in X"), the most specific when a
city and a district within it are both named ("south London" and "Peckham").
A neighbourhood is a named area, estate or street after "in/on/at" that the
gazetteer does not know as a town.

The parse tells the scene from a home: a place in a prepositional phrase ("in",
"at", "near", "outside", "on") governed by a harm predicate of `doc._.events`
(directly, through the nouns of the phrase, "by police in Bradford", or the
verb a nominal event is the subject of, "the shooting happened near X") is the
scene and weighs most; a place that modifies a person ("John Smith, of Leeds",
"a man from Atlanta", "a Glasgow woman", "the Leeds-born father", "who lived in
Ashford") is a home and weighs least: it still names the country, or the town
when nothing else does, but never beats a scene.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import defaultdict

from spacy.tokens import Token

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.gazetteer import COUNTRY_NAMES, Gazetteer, Place
from forcewatch.model import Evidence
from forcewatch.read.lexicon import is_person, is_police

#: Australian states and territories by abbreviation and name: no installed gazetteer has them as regions.
_AU_STATES = {
    "WA": "Western Australia",
    "NSW": "New South Wales",
    "QLD": "Queensland",
    "NT": "Northern Territory",
    "ACT": "Australian Capital Territory",
    "Western Australia": "Western Australia",
    "New South Wales": "New South Wales",
    "Queensland": "Queensland",
    "Northern Territory": "Northern Territory",
    "South Australia": "South Australia",
    "Tasmania": "Tasmania",
}
#: Canadian provinces and territories (full names; the gazetteer has towns that share some of them).
_CA_PROVINCES = frozenset(
    (
        "Ontario",
        "Quebec",
        "British Columbia",
        "Alberta",
        "Manitoba",
        "Saskatchewan",
        "Nova Scotia",
        "New Brunswick",
        "Newfoundland and Labrador",
        "Prince Edward Island",
        "Yukon",
        "Northwest Territories",
        "Nunavut",
    )
)
_PHRASE = re.compile(r"\b([A-Z][a-zA-Z'’-]+\.?(?:[ \t]+(?:upon|on|in|under|le|de|-)?[ \t]*[A-Z][a-zA-Z'’-]+\.?){0,3})")
_PREP = re.compile(
    r"\b(in|at|near|outside|on|from|of|to|around)\s+(the\s+)?((north|south|east|west|central|north-east|north-west|south-east|south-west|northern|southern|eastern|western)\s+)?$",
    re.I,
)
_EVENT = re.compile(
    r"\b(shot|shooting|died|dead|death|killed|injured|wounded|tasered|restrained|arrested|crash|collided|struck|"
    r"happened|took place|incident|scene|house|home|address|property|street|road|flat|custody|pursuit)\b",
    re.I,
)
_STREET = re.compile(
    r"\b(Road|Rd|Street|St|Avenue|Ave|Lane|Drive|Green|Park|Estate|Close|Way|Square|Hill|Place|Court|Crescent|"
    r"Gardens|Terrace|Row|Walk|Grove|Boulevard|Blvd|Highway|Parkway|Heights|Village|Common|Vale|Mews|Rise|"
    r"Parade|Broadway|Circle|Plaza|Quay|Wharf|Fields?|Moor|Heath|Wood|Bridge|Cross|Gate)$"
)


_DIRECTION = re.compile(r" (?:North|South|East|West|NE|NW|SE|SW|N|S|E|W)(?:\.(?= [a-z]))?\b(?![\w'’])")


def looks_like_street(name: str) -> bool:
    """'Elmstead Road', 'Elm St': a name ending in a street word is a place, not a person."""
    return bool(_STREET.search(name.strip().rstrip(".")))


_INSTITUTION = re.compile(
    r"\b(Police|Constabulary|Sheriff|Patrol|Department|Office|Commission|Service|Court|Council|University|Hospital|"
    r"School|College|Church|Bureau|Agency|Trust|Ombudsman|Commissioner)\b"
)
_PLACE_PREP = re.compile(r"\b(in|at|near|outside)\s+$", re.I)
_TOWN_PREP = re.compile(r"\b(in|at|near|outside|from)\s+$")  # lower-case: a sentence opening "In ..." is no place
_PLACE_LEAD = re.compile(r"(\b(a|an|the|in|at|near|from|outside)|,\s*of)\s+$", re.I)  # ", of": "John Smith, of Leeds"
_AREA_AFTER = re.compile(r"\s+(area|neighbou?rhood|district|section|estate|community)\b")
#: "Peterborough city centre", "Leeds city centre": the town is the locality, its centre the area.
_CENTRE_AFTER = re.compile(r" (?:town|city) centre\b", re.I)
_AREA = re.compile(
    r"\b(?:in|at|near|from) the ((?:[A-Z][\w'’-]+ ){0,2}[A-Z][\w'’-]+) (?:area|neighbou?rhood|district|section|estate|housing estate|community)\b"
)
_NOT_PLACES = {
    *calendar.day_name,
    *calendar.month_name[1:],
    "The",
    "Police",
    "Officers",
    "Officer",
    "He",
    "She",
    "They",
    "It",
    "A",
    "An",
    "Mr",
    "Mrs",
    "Ms",
    "IOPC",
    "First",
    "Our",
    "We",
    "But",
    "And",
    "This",
    "That",
    "While",
    "When",
    "After",
    "Before",
    "During",
    "Assistant",
    "Commissioner",
    "Chief",
    "Inspector",
    "Sergeant",
    "Detective",
    "Constable",
    "Both",
    "No",
    "One",
    "Two",
    "Armed",
    "Independent",
    "Office",
    "Conduct",
    "Court",
    "Crown",
    "State",
    "County",
    "Christmas",
    "God",
    "Black",
    "White",
    "Asian",
    "Hispanic",
    "Latino",
}
_GB_NATIONS = {"england", "scotland", "wales", "northern ireland"}


def _blocked_spans(
    doc: ArticleDoc, skip: list[tuple[int, int]], gazetteer: Gazetteer, roles: PlaceRoles
) -> list[tuple[int, int]]:
    # The model sometimes calls a town used as a modifier a person ("a Glasgow police station"):
    # a "person" right after an article or a preposition of place is not blocked.
    people = [
        (e.start_char, e.end_char)
        for e in doc.ents
        if e.label_ in ("PERSON", "NORP")
        and (len(e) > 1 or not _PLACE_LEAD.search(doc.text[max(0, e.start_char - 8) : e.start_char]))
        and not _town_read_as_person(doc, e.start_char, e.end_char, gazetteer, roles)
    ]  # a two-word person ("family of Jo Ashby") is a name, never a town
    return people + skip


def _town_read_as_person(doc: ArticleDoc, start: int, end: int, gazetteer: Gazetteer, roles: PlaceRoles) -> bool:
    """A "person" of several words that is a notable town's whole name where the parse puts the
    scene or a home ("shot in Milton Keynes", "a man, 24, from Palm Springs"): the small model's
    misreading, not a name. Named in passing ("said outside the home in ..."), it stays a name."""
    if not _TOWN_PREP.search(doc.text[max(0, start - 8) : start]) or roles.role(start, end) is None:
        return False
    return names_a_town(doc.text[start:end], gazetteer)


def names_a_town(name: str, gazetteer: Gazetteer) -> bool:
    """A name of several words that is a notable town's whole name ("Milton Keynes", "Palm Springs")."""
    return " " in name and any(p.population >= NOTABLE and p.kind == "locality" for p in gazetteer.lookup(name))


#: Towns this large are named often enough to trust without the model's GPE label.
NOTABLE = 15000


_INSTITUTION_IN = re.compile(r"^.*\b(?:Hospital|School|College|University|Church|Court|Station)[ \t]+(?:in|on)[ \t]+")


def _phrases(doc: ArticleDoc) -> list[tuple[int, str]]:
    """Capitalised phrases that may name places, each with its start. An institution's name is
    none ("Leeds Crown Court"), but the town after it is: "Central Hospital in Marrowby"."""
    out = []
    for m in doc.finditer(_PHRASE):
        phrase = m.group(1)
        if not _INSTITUTION.search(phrase):
            out.append((m.start(1), phrase))
        elif (tail := _INSTITUTION_IN.match(phrase)) and not _INSTITUTION.search(phrase[tail.end() :]):
            out.append((m.start(1) + tail.end(), phrase[tail.end() :]))
    return out


def plausible_place(
    doc: ArticleDoc, start: int, end: int, place: Place, hinted: frozenset[str] = frozenset(), role: str | None = None
) -> bool:
    """A gazetteer hit counts when the model calls it a place, or it is a notable town not
    inside an organisation's name ("Department of Justice" is no town called Justice), or a
    small town after a preposition of place in the country the force or oversight body names
    ("in a vehicle in <town>" with the New Zealand Police, whatever the model calls the town)."""
    # A small town in the country the force or oversight body names, where a town stands: after a
    # preposition of place, or where the parse makes it the scene or a home ("a Hokitika man").
    after_place_prep = place.country in hinted and (
        bool(_PLACE_PREP.search(doc.text[max(0, start - 8) : start])) or role is not None
    )
    for ent in doc.ents:
        if ent.end_char <= start or ent.start_char >= end:
            continue
        if ent.label_ in ("GPE", "LOC", "FAC"):
            return ent.start_char >= start - 1 and ent.end_char <= end + 1  # the whole entity, not a piece
        if (
            ent.label_ == "PERSON"
            and len(ent) == 1
            and _PLACE_LEAD.search(doc.text[max(0, ent.start_char - 8) : ent.start_char])
        ):
            continue  # "a Glasgow police station": the model's one-word person is a place here
        if ent.label_ in ("ORG", "PERSON", "WORK_OF_ART", "EVENT", "PRODUCT"):
            whole = ent.start_char >= start - 1 and ent.end_char <= end + 1  # not "Poole Hospital"
            if (
                whole
                and role is not None
                and place.population >= NOTABLE
                and _TOWN_PREP.search(doc.text[max(0, start - 8) : start])
            ):
                return True  # the parse puts a notable town where the model saw none: "died in Poole"
            return len(ent) == 1 and after_place_prep  # one word the model misreads, where a town stands
    return place.population >= NOTABLE or after_place_prep


#: Weights of a place by its role: the scene of a harm event, or a person's home.
SCENE = 5.0
SCENE_HOSPITAL = 2.5  # "died in hospital in Leeds": where they died, often not where it happened
HOME = 1.75  # above a place named in passing, below any place in the telling of the event

_SCENE_PREPS = {"in", "at", "near", "outside", "on", "inside", "into", "onto", "off", "along", "behind", "across"}
_HOME_PREPS = {"of", "from"}
#: Verbs of where someone lives or comes from: "who lived in Ashford", "born in Leeds", "is from Atlanta".
_HOME_VERBS = {"live", "reside", "grow", "raise", "bear", "hail", "come", "originate", "settle", "move"}
_HOSPITALS = {"hospital", "infirmary", "clinic"}
_NOMINAL_HOPS = ("compound", "amod", "nmod", "npadvmod", "poss", "appos", "conj", "nummod")


class PlaceRoles:
    """The role of each place mention in the parse: 'scene', 'hospital', 'home' or None."""

    def __init__(self, doc: ArticleDoc):
        self.doc = doc
        spacy_doc = doc.doc
        events = spacy_doc._.events if spacy_doc.has_extension("events") else None
        self.heads: set[int] = set()
        self.patients: set[int] = set()  # the harmed, whatever the model calls them ("Marcus Tillbrook" as ORG)
        for ev in events or []:
            self.heads.add(ev.token)
            patient = ev.patient
            if patient is not None and (
                patient.role in ("civilian", "relative")
                or (patient.role == "other" and spacy_doc[patient.token].pos_ == "PROPN")
            ):
                self.patients.add(patient.token)
            tok = spacy_doc[ev.token]
            # "the shooting happened in X", "was found dead at X": the clause of a nominal or
            # adjectival predicate is where the event is told.
            if tok.pos_ in ("NOUN", "PROPN", "ADJ") and tok.dep_ in ("nsubj", "nsubjpass", "oprd", "acomp", "dobj"):
                self.heads.add(tok.head.i)
        self._cache: dict[tuple[int, int], str | None] = {}

    def role(self, start: int, end: int) -> str | None:
        key = (start, end)
        if key not in self._cache:
            span = self.doc.doc.char_span(start, end, alignment_mode="expand")
            self._cache[key] = self._role(span.root) if span is not None and len(span) else None
        return self._cache[key]

    def _role(self, tok: Token) -> str | None:
        # Up the noun phrase the place sits in: "a Glasgow woman", "Sheffield city centre",
        # "Houston, Texas", "the Leeds-born father".
        t = tok
        for _ in range(6):
            if t.dep_ not in _NOMINAL_HOPS or t.head is t:
                break
            head = t.head
            if head.lower_ == "born" or head.lemma_ == "bear":
                return "home"
            if self._person(head):
                return "home"
            t = head
        if t.dep_ != "pobj" or t.head.dep_ not in ("prep", "agent"):
            return None
        prep = t.head
        gov = prep.head
        word = prep.lower_
        if word in _HOME_PREPS:
            if self._person(gov) or (gov.dep_ == "appos" and self._person(gov.head)):
                return "home"  # "Kieran Ashdown, of Leeds", "a man from Atlanta", "a man, 30, from Leeds"
            if word == "of" and gov.pos_ == "PROPN" and prep.i > 0 and prep.nbor(-1).text == ",":
                return "home"  # "Name, of Town," whatever the model calls the name
            if gov.pos_ in ("VERB", "AUX") and gov.lemma_ in _HOME_VERBS | {"be"}:
                return "home"  # "who is from Leeds", "originally came from Atlanta"
            return None
        if word not in _SCENE_PREPS:
            return None
        if gov.pos_ in ("VERB", "AUX") and gov.lemma_ in _HOME_VERBS:
            return "home"  # "who lived in Ashford"
        # "died in hospital in Wakefield": a sibling phrase names the hospital.
        hospital = any(
            c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lemma_.lower() in _HOSPITALS for g in c.children)
            for c in gov.children
            if c is not prep
        )
        a = gov
        for _ in range(8):
            if a.lemma_.lower() in _HOSPITALS:
                hospital = True
            if a.i in self.heads:
                return "hospital" if hospital else "scene"
            if a.pos_ in ("VERB", "AUX") or a.head is a:
                return None  # a clause of its own ("police in Leeds said"), not a harm
            a = a.head
        return None

    def _person(self, tok: Token) -> bool:
        """A person (not an officer) a place can be the home of."""
        if tok.ent_type_ in ("GPE", "LOC", "FAC") or is_police(tok) or tok.pos_ == "VERB":
            return False
        return tok.i in self.patients or is_person(tok)


def _role_score(role: str | None, score: float) -> float:
    if role == "scene":
        return SCENE
    if role == "hospital":
        return max(score, SCENE_HOSPITAL)
    if role == "home":
        return HOME
    return score


def extract_places(
    doc: ArticleDoc, gazetteer: Gazetteer, country_hints: list[tuple[str, float]], skip: list[tuple[int, int]]
) -> list[Evidence]:
    """Country, region, locality, neighbourhood and coordinates, each with its evidence."""
    roles = PlaceRoles(doc)
    blocked = _blocked_spans(doc, skip, gazetteer, roles)
    homes: set[int] = set()  # starts of the places that are someone's home
    votes: dict[str, float] = defaultdict(float)
    for country, weight in country_hints:
        votes[country] += weight
    hinted = frozenset(country for country, weight in country_hints if weight > 0)
    localities: list[tuple[int, int, str, float]] = []  # (start, end, name, score)
    regions: list[tuple[int, int, str, str]] = []  # (start, end, region, country)
    countries: list[tuple[int, int, str]] = []
    streets: list[tuple[int, int, str, float]] = []
    for phrase_start, phrase in _phrases(doc):
        phrase_end = phrase_start + len(phrase)
        if any(s <= phrase_start < e or s < phrase_end <= e for s, e in blocked):
            continue
        sent = doc.sentence_at(phrase_start)
        if not sent.text:
            continue
        in_event = bool(_EVENT.search(sent.text))
        prep = bool(_PREP.search(doc.text[max(0, phrase_start - 30) : phrase_start]))
        score = (2.0 if in_event else 0.5) + (1.0 if prep else 0.0)
        for name, offset in _subphrases(phrase):
            start = phrase_start + offset
            end = start + len(name)
            if name in _NOT_PLACES:
                continue
            if name.isupper() and len(name) <= 3 and name not in _AU_STATES:
                continue  # "WA", "SA", "NT" are abbreviations, never the town of that name (Wa, Ghana)
            if name in _AU_STATES and (name.isupper() or len(name) > 3):
                regions.append((start, end, _AU_STATES[name], "AU"))
                votes["AU"] += 2.0
                break
            if name in _CA_PROVINCES:  # "New Brunswick" is a province before it is a town in New Jersey
                regions.append((start, end, name, "CA"))
                votes["CA"] += 2.0
                break
            if doc.text[end : end + 1] == " " and _INSTITUTION.match(doc.text[end + 1 : end + 14]):
                continue  # "Kent Police", "Leeds University": the first words of a name, not a place
            key = name.lower()
            role = roles.role(start, end)
            if key in COUNTRY_NAMES:
                countries.append((start, end, COUNTRY_NAMES[key]))
                votes[COUNTRY_NAMES[key]] += 0.5 if role == "home" else 1.0
                if key not in _GB_NATIONS:
                    break
            if len(name) <= 4 and doc.text[end : end + 1] == "." and gazetteer.us_state(name + "."):
                name, end = name + ".", end + 1  # AP-style state abbreviation: "Ga.", "Calif." (not "York.")
            state = gazetteer.us_state(name) if len(name) > 2 else None
            if state:
                regions.append((start, end, state, "US"))
                votes["US"] += 2.0
                if role == "home":
                    homes.add(start)
                break
            gb_region = gazetteer.gb_region(name)
            places = gazetteer.lookup(name)
            if gb_region and not (places and places[0].country == "GB" and name.lower() != "london"):
                regions.append((start, end, gb_region, "GB"))
                votes["GB"] += 1.5
                if name.lower() != "london":
                    break
            entity = _entity_exactly(doc, phrase_start, phrase_start + len(phrase.rstrip(".")))
            if _AREA_AFTER.match(doc.text[end : end + 20]):
                break  # "the Linden neighborhood": an area of a city, not a town of its own
            hinted_place = next((p for p in places if p.country in hinted), None)
            if places and (
                plausible_place(doc, start, end, places[0], role=role)
                or (hinted_place is not None and plausible_place(doc, start, end, hinted_place, hinted, role))
            ):
                localities.append((start, end, name, _role_score(role, score)))
                if prep and (centre := _CENTRE_AFTER.match(doc.text[end : end + 14])):
                    area_end = end + len(centre.group(0))
                    streets.append((start, area_end, doc.text[start:area_end], _role_score(role, score)))
                if role == "home":
                    homes.add(start)
                for country in dict.fromkeys(p.country for p in places[:3]):  # ordered: same result in every process
                    votes[country] += (0.5 if len(places) > 1 else 1.0) * (0.5 if role == "home" else 1.0)
                break
            if prep and len(name.split()) >= 2 and (_STREET.search(name) or entity):
                # A named street or area, or a place the model knows but the gazetteer does not
                # ("Moss Side"): a neighbourhood, and its parts are not towns of their own.
                if _STREET.search(name) and (d := _DIRECTION.match(doc.text[end : end + 8])):
                    name, end = name + d.group(0), end + len(d.group(0))  # "Elm Road SE", "Finch Avenue East"
                streets.append((start, end, name, _role_score(role, score)))
                break
            if entity and len(name.split()) >= 2:
                break
    out: list[Evidence] = []
    if not votes:
        return out
    country = max(votes, key=lambda c: votes[c])
    best: tuple[float, int, Place, int, int] | None = None
    # A home's state ("Dion Marchetti, of Atlanta, Ga.") does not say where the scene is.
    state_names = {r for s, _, r, c in regions if c == "US" and s not in homes}
    if not state_names and all(s in homes for s, _, _, _ in localities):
        state_names = {r for _, _, r, c in regions if c == "US"}
    localities += _dateline(doc, gazetteer)
    # Names shared by many towns ("Linden") take the state or nation of the article's other,
    # better-known places ("Columbus"): vote with each name's most populous reading.
    area_votes: dict[str, float] = defaultdict(float)
    for _, _, name, score in localities:
        options = [p for p in gazetteer.lookup(name) if p.country == country]
        if options:
            weight = 1.5 if score >= SCENE else 1.0
            area_votes[options[0].admin1] += weight * math.log10(max(options[0].population, 10))
    main_area = max(area_votes, key=lambda a: area_votes[a]) if area_votes else None
    for start, _end, name, score in localities:
        options = [p for p in gazetteer.lookup(name) if p.country == country]
        if state_names:
            options = [p for p in options if p.admin1 in state_names] or options
        elif main_area:
            in_area = [p for p in options if p.admin1 == main_area]
            if not in_area:
                score -= 2.0  # a namesake far from the article's other places is probably not it
            options = in_area or options
        if not options:
            continue
        place = options[0]
        # Most evidence first; among equals the smaller (more specific) place.
        candidate = (score, -place.population, place, start, start + len(name))
        if best is None:
            best = candidate
        else:
            same_area = best[2].admin2 == place.admin2 and best[2].admin1 == place.admin1
            # A home never takes the place of the scene, even as the smaller place; the scene
            # always takes the place of a home.
            home, best_home = start in homes, best[3] in homes
            if best_home and not home and score > best[0]:
                best = candidate
            elif (
                same_area
                and place.population < best[2].population
                and score >= 1.5
                and (score >= SCENE or best[0] < SCENE)  # a suburb named in passing is no district of the scene
                and (not home or best_home or score >= best[0])
            ):
                best = (max(score, best[0]), -place.population, place, start, start + len(name))
            elif not same_area and score > best[0]:
                best = candidate
            elif same_area and place.name == best[2].name:
                best = (best[0] + score * 0.5, *best[1:])  # type: ignore[assignment]
    country_span = None
    if best:
        _, _, place, start, end = best
        out.append(doc.evidence("locality", place.name, start, end, "places.gazetteer", 0.8))
        out.append(doc.evidence("region", place.region, start, end, "places.gazetteer", 0.7))
        out.append(doc.evidence("latitude", round(place.latitude, 5), start, end, "places.gazetteer", 0.7))
        out.append(doc.evidence("longitude", round(place.longitude, 5), start, end, "places.gazetteer", 0.7))
        out.append(doc.evidence("location_precision", "locality", start, end, "places.gazetteer", 0.7))
        country_span = (start, end)
        locality_region = place.region
    else:
        locality_region = None
    for start, end, region, region_country in regions:
        if region_country == country and (locality_region is None or region == locality_region):
            out.append(doc.evidence("region", region, start, end, "places.region", 0.85))
            country_span = country_span or (start, end)
    for start, end, code in countries:
        if code == country:
            out.append(doc.evidence("country", code, start, end, "places.country", 0.9))
    if country_span:
        out.append(doc.evidence("country", country, *country_span, "places.gazetteer", 0.8))
    for m in doc.finditer(_AREA):
        streets.append((m.start(1), m.end(1), m.group(1), 2.5))
    streets.sort(key=lambda s: -s[3])
    for start, end, name, _ in streets[:2]:
        out.append(doc.evidence("neighbourhood", name, start, end, "places.neighbourhood", 0.6))
    return out


_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Z.'’ -]{2,30}?),\s+(?P<state>[A-Z][a-zA-Z.]+(?: [A-Z][a-z]+)?)\s*[-—–(]", re.M
)


_BARE_DATELINE = re.compile(r"^\s*(?P<city>[A-Z][A-Z.'’ ]{2,30}?)\s+[-—–]\s+[A-Z]", re.M)


def _dateline(doc: ArticleDoc, gazetteer: Gazetteer) -> list[tuple[int, int, str, float]]:
    """US wire datelines ("JACKSON, Miss. -"): the city the story is filed from, usually the scene."""
    m = _DATELINE.search(doc.text[:400])
    if not m or not gazetteer.us_state(m.group("state")):
        # AP names no state for its big "dateline cities" ("PHOENIX -"): trust only large ones.
        bare = _BARE_DATELINE.search(doc.text[:400])
        if bare:
            city = bare.group("city").strip().title()
            options = gazetteer.lookup(city)
            if options and options[0].population >= 250000:
                return [(bare.start("city"), bare.start("city") + len(city), city, 4.0)]
        return []
    city = m.group("city").strip().title()
    state = gazetteer.us_state(m.group("state"))
    if any(p.admin1 == state for p in gazetteer.lookup(city)):
        return [(m.start("city"), m.start("city") + len(city), city, 4.0)]
    return []


def _entity_exactly(doc: ArticleDoc, start: int, end: int) -> bool:
    """Is this exact span a place entity (GPE, LOC, FAC) of the model?"""
    if "place_entities" not in doc.memo:
        doc.memo["place_entities"] = {(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")}
    return (start, end) in doc.memo["place_entities"]


def county_of_own_council(agencies: list[Evidence], places: list[Evidence]) -> list[Evidence]:
    """A town that is its own council ("Peterborough" in the gazetteer's admin2) names no county; a
    force named for one county ("Cambridgeshire Constabulary") does. A city that is a county itself
    (Bristol, Cardiff) keeps its name: its force is named for more than it."""
    from forcewatch.extract.agencies import canonical_uk

    region = next((e for e in places if e.field == "region"), None)
    town = next((e.value for e in places if e.field == "locality"), None)
    if region is None or region.value != town or region.extractor != "places.gazetteer":
        return places
    for ev in agencies:
        force = canonical_uk(ev.value)
        if force and force.region and force.name in (f"{force.region} Police", f"{force.region} Constabulary"):
            county = Evidence("region", force.region, ev.start, ev.end, ev.quote, 0.6, "places.county", ev.article_id)
            return [county if e is region else e for e in places]
    return places


_BEFORE_DETACHMENT = re.compile(r"((?:[A-Z][a-z]+[ -]){1,3})$")


def _detachment_town(doc: ArticleDoc, gazetteer: Gazetteer, ev: Evidence) -> Place | None:
    """The Canadian town an RCMP detachment is named for, written just before it ("Kamloops RCMP")."""
    if ev.value != "Royal Canadian Mounted Police" or ev.value_start is None:
        return None
    m = _BEFORE_DETACHMENT.search(doc.text[max(0, ev.value_start - 40) : ev.value_start])
    if m is None:
        return None
    words = m.group(1).split()
    for i in range(len(words)):  # the longest run of words before the force that names a town
        places = [p for p in gazetteer.lookup(" ".join(words[i:])) if p.country == "CA"]
        if places:
            return places[0]
    return None


_US_COUNTY_AGENCY = re.compile(r"^(.+? County) (Sheriff's Office|Sheriff's Department|Police Department|Police)$")


def places_from_agency(
    doc: ArticleDoc, gazetteer: Gazetteer, agencies: list[Evidence], found: list[Evidence]
) -> list[Evidence]:
    """When the text names no town, the acting force says where: a city police department its
    city, a county sheriff its state (when the county's name says which), a UK force its region.
    Weaker evidence, so it never overrides a named place."""
    have = {e.field for e in found}
    out: list[Evidence] = []
    from forcewatch.extract.agencies import canonical_uk

    for ev in agencies:
        town = _detachment_town(doc, gazetteer, ev) if "locality" not in have else None
        if town is not None:  # "Prince George RCMP": the detachment is named for the town it polices
            for name, value in (
                ("locality", town.name),
                ("region", town.region),
                ("country", town.country),
                ("latitude", round(town.latitude, 5)),
                ("longitude", round(town.longitude, 5)),
                ("location_precision", "locality"),
            ):
                if name not in have:
                    out.append(Evidence(name, value, ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id))
            return out
        city = re.match(r"^(.+?) (Police Department|Division of Police)$", ev.value)
        if city and "locality" not in have:
            options = [p for p in gazetteer.lookup(city.group(1)) if p.country == "US"]
            states = {e.value for e in found if e.field == "region"}
            options = [p for p in options if p.admin1 in states] or options
            if options:
                p = options[0]
                for name, value in (
                    ("locality", p.name),
                    ("region", p.region),
                    ("country", "US"),
                    ("latitude", round(p.latitude, 5)),
                    ("longitude", round(p.longitude, 5)),
                    ("location_precision", "locality"),
                ):
                    if name not in have:
                        out.append(
                            Evidence(name, value, ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id)
                        )
                return out
        county = _US_COUNTY_AGENCY.match(ev.value)
        if county and "region" not in have:
            state = gazetteer.county_state(county.group(1))
            if state:
                out.append(Evidence("region", state, ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id))
                if "country" not in have:
                    out.append(
                        Evidence("country", "US", ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id)
                    )
                return out
        force = canonical_uk(ev.value)
        if force and force.region and "region" not in have and "locality" not in have:
            out.append(
                Evidence("region", force.region, ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id)
            )
            if "country" not in have:
                out.append(Evidence("country", "GB", ev.start, ev.end, ev.quote, 0.5, "places.agency", ev.article_id))
            return out
    if "country" not in have:
        from forcewatch.extract.agencies import agency_country

        # A national force alone ("three RCMP officers", "the Garda") still says the country.
        for ev in agencies:
            country = agency_country(str(ev.value))
            if country:
                out.append(
                    Evidence("country", country, ev.start, ev.end, ev.quote, 0.4, "places.agency", ev.article_id)
                )
                break
    return out


def _subphrases(phrase: str) -> list[tuple[str, int]]:
    """The phrase, then shorter runs of its words (longest first, left first)."""
    words = list(re.finditer(r"\S+", phrase))
    out = []
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            start, end = words[i].start(), words[i + size - 1].end()
            out.append((phrase[start:end].rstrip(".,'’"), start))
    return out
