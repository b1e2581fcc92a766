"""Does an article report a death or injury after police contact, and of which kind?

Two passes. `prefilter` (forcewatch.extract.prefilter: one scan of the raw text) needs a police or
custody word and a harm word: in a real news stream it drops almost everything before
the parser runs. `decide` then reads the harm events of the parsed article
(forcewatch.read.events) and weighs each one by its roles:

- a harm done by police (agent) to someone who is not an officer (patient): a report;
- a death, collapse or injury of a civilian set in custody, in a pursuit or in police
  contact (the setting word governed by the harm predicate, or the patient an inmate);
- weaker: a police harm with no patient named ("officers opened fire"), a Taser or
  restraint with no agent, a crash in a pursuit;
- nothing from an officer as the victim, a negated event, a harm by someone else.

Hedged and quoted events count less; an event whose patient is a plural or counted
group ("30 people died in custody last year") is a general or statistics piece and
counts less; an oversight body in the article adds support. These are features, not
vetoes: an inquest or a trial that retells the shooting is a report. The reason names
the event that decided, with its roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from forcewatch.extract.numbers import to_int
from forcewatch.extract.prefilter import candidate, prefilter  # the first pass lives there (one scan)
from forcewatch.read.events import Event
from forcewatch.read.lexicon import TERMS, is_police, spans

THRESHOLD = 3.0


@dataclass
class Weighed:
    """One event's weight for relevance and the category it points to."""

    event: Event
    weight: float
    category: str | None
    why: str
    in_title: bool = False


def _category(ev: Event) -> str:
    if ev.kind == "firearm" or ev.means == "firearm":
        return "police_shooting"
    if ev.kind in ("hit", "crash", "vehicle") or (ev.agent is not None and ev.agent.role == "police_vehicle"):
        return "road_traffic"
    if "pursuit" in ev.settings:
        return "road_traffic"
    if "custody" in ev.settings:
        return "custody"
    return "other_contact"


def _general(ev: Event, doc: Doc) -> bool:
    """The patient is a group or a count ("people", "30 deaths"), not a particular person."""
    trigger = doc[ev.token]
    if trigger.tag_ in ("NNS", "NNPS") and trigger.lemma_.lower() in ("death", "shooting", "killing", "fatality"):
        return True  # "deaths in custody", "police shootings": a count of events (not one man's injuries)
    if any(c.dep_ == "det" and c.lower_ in ("every", "each", "any", "all") for c in doc[ev.token].children):
        return True  # "after every death in custody"
    if ev.patient is None:
        return False
    head = doc[ev.patient.token]
    if head.lower_ in ("they", "them", "anyone", "everyone", "those"):
        return True
    if _tally(doc) and head.pos_ != "PROPN" and not any(c.pos_ == "PROPN" for c in head.subtree):
        return True  # "the other person died at the scene" in a piece counting deaths: one of a tally
    if head.lemma_.lower() in ("people", "person", "man", "woman") and head.tag_ in ("NNS", "NNPS"):
        return True
    counts = [to_int(c.text) for c in head.children if c.dep_ == "nummod" and c.like_num]
    return head.tag_ in ("NNS", "NNPS") and any(n is not None and n > 5 for n in counts)  # not "two teenagers"


TALLY_COUNTS = 3  # "11 deaths", "two fatal police shootings", "five people": a statistics piece


def _tally(doc: Doc) -> bool:
    """The article counts deaths rather than telling one: three or more plural death or
    shooting nouns with a number ("11 deaths in custody", "two fatal police shootings")."""
    key = "forcewatch_tally"
    if key not in doc.user_data:
        counted = sum(
            1
            for t in doc
            if t.tag_ in ("NNS", "NNPS")
            and t.lemma_.lower() in ("death", "shooting", "fatality", "killing", "incident", "people", "person")
            and any(c.dep_ == "nummod" and c.like_num for c in t.children)
        )
        doc.user_data[key] = counted >= TALLY_COUNTS
    return bool(doc.user_data[key])


def article_settings(doc: Doc) -> set[str]:
    """Settings the article as a whole is about: a pursuit by police ("police pursuit car",
    "chased by officers"), or custody. They lend weak support to a death told elsewhere."""
    found = set()
    for span in spans(doc, "PURSUIT"):
        if any(is_police(t) for t in span.sent):
            found.add("pursuit")
    for span in spans(doc, "CUSTODY"):
        if span.root.lemma_.lower() in ("custody", "cell", "jail", "detention", "custodial"):
            found.add("custody")
    return found


def weigh(ev: Event, doc: Doc, context: set[str] | None = None, protagonist: bool = False) -> Weighed:
    """How strongly one event says 'a civilian was harmed by or in the hands of police'.

    `protagonist`: the article harms a particular civilian elsewhere, so an event with no
    patient ("the police shooting", "the collision") is most likely about them."""
    if ev.polarity == "negated":
        return Weighed(ev, 0.0, None, "negated")
    if ev.officer_patient:
        return Weighed(ev, 0.0, None, "an officer is the one harmed")
    harmed = ev.civilian_patient or ev.patient is None or ev.patient.role == "other"
    options: list[tuple[float, str, str]] = [(0.0, "", "")]
    police_crash = ev.kind == "crash" and ev.agent is not None and ev.agent.role == "police_vehicle"
    if ev.police_agent and harmed and (ev.kind != "crash" or police_crash):
        weight = 3.0 if ev.civilian_patient else 2.0
        if ev.kind == "hit" and ev.agent is not None and ev.agent.role != "police_vehicle":
            options.append((2.0, "other_contact", "harm by police"))
        else:
            options.append((weight, _category(ev), "harm by police"))
    if ev.kind in ("death", "collapse", "injury", "suicide") and harmed:
        if "custody" in ev.settings:
            options.append((3.0, "custody", "harm in custody"))
        if "pursuit" in ev.settings:
            options.append((3.0, "road_traffic", "harm in a pursuit"))
        if "contact" in ev.settings:
            options.append((3.0 if ev.civilian_patient else 2.5, "other_contact", "harm in police contact"))
    if ev.kind == "crash" and "pursuit" in ev.settings:
        options.append((3.0 if ev.civilian_patient else 2.5, "road_traffic", "crash in a pursuit"))
    if ev.kind in ("taser", "restraint", "dog", "chemical") and ev.civilian_patient and ev.agent is None:
        options.append((3.0, _category(ev), "police force with no agent named"))
    if ev.kind in ("firearm", "death", "injury") and ev.civilian_patient and ev.police_nearby:
        options.append((2.0, _category(ev), "harm with police at the scene"))
    if ev.kind in ("death", "injury", "crash", "hit", "collapse") and harmed and context:
        setting = "pursuit" if "pursuit" in context else "custody"
        options.append(
            (1.5, "road_traffic" if setting == "pursuit" else "custody", f"harm in an article about a police {setting}")
        )
    weight, chosen, why = max(options, key=lambda o: o[0])
    category: str | None = chosen or None
    if ev.patient is None and protagonist and weight and ev.police_agent:
        weight, why = weight + 0.5, why + ", about the article's subject"
    elif weight > 1.5 and ev.patient is None and not ev.police_agent:
        weight, why = 1.5, why + ", no one named as harmed"
    if weight > 1.5 and ev.patient is not None and ev.patient.role == "other":
        weight, why = 1.5, why + ", the one harmed is not a person"
    if weight and ev.kind == "suicide" and category == "custody":
        category = "suicide_following_custody"
    if weight and ev.polarity == "hedged":
        weight, why = weight * 0.5, why + ", hedged"
    if weight and ev.quoted:
        weight, why = weight * 0.8, why + ", quoted"
    if weight and _general(ev, doc):
        weight, why = weight * 0.4, why + ", a group not a person"
    return Weighed(ev, weight, category, why)


def _oversight(doc: Doc) -> bool:
    return bool(spans(doc, "OVERSIGHT"))


def decide(doc: Doc, title: Doc | None = None) -> tuple[float, list[Weighed]]:
    """The article's score and its weighed events, strongest first (title events included)."""
    context = article_settings(doc) | (article_settings(title) if title is not None else set())
    docs = [doc] + ([title] if title is not None else [])
    protagonist = any(
        e.civilian_patient and e.kind in ("death", "injury", "collapse", "firearm") and not _general(e, d)
        for d in docs
        for e in d._.events
    )
    weighed = [weigh(e, doc, context, protagonist) for e in doc._.events]
    if title is not None:
        for e in title._.events:
            w = weigh(e, title, context, protagonist)
            w.in_title = True
            weighed.append(w)
    weighed = sorted((w for w in weighed if w.weight > 0), key=lambda w: -w.weight)
    if not weighed:
        return 0.0, []
    score = weighed[0].weight
    first_sentence = weighed[0].event.sentence
    second = next((w for w in weighed[1:] if w.event.sentence != first_sentence and w.event.civilian_patient), None)
    if second is not None:
        score += 0.5 * second.weight
    if not any(w.event.civilian_patient for w in weighed):
        score -= 1.0  # no one in particular is harmed: a general piece (a feature, not a veto)
    if _oversight(doc) or (title is not None and _oversight(title)):
        score += 1.0
    return score, weighed


#: What an event outside the windows can weigh: the windows hold every sentence with a harm word
#: and a police, custody, pursuit or contact word in it or beside it, and every Taser, restraint,
#: dog or spray word (forcewatch.extract.prefilter.screen_text), so an event elsewhere has no police
#: role and no setting of its own; it weighs only as "harm in an article about a police setting".
OUTSIDE_WEIGHT = 1.5


def reachable(doc: Doc | None, title: Doc | None, *, oversight: bool, setting: bool) -> tuple[float, list[Weighed]]:
    """The highest score `decide` can give the whole article, from a reading of its windows (`doc`)
    and its title: the first reading drops an article only when even this is below THRESHOLD.
    With `doc` None (the windows not read yet) it is the bound from the title alone, which can
    only rise when the windows' events are added.

    The same event reading and weights as `decide`, each left open where the rest of the article
    could change it: the article may hold a custody or pursuit setting (`setting`: a setting word
    anywhere) that lends its events OUTSIDE_WEIGHT, a particular civilian harmed elsewhere (the
    "about the article's subject" bonus), a second civilian event elsewhere, and an oversight body
    (`oversight`: its name anywhere)."""
    docs = [d for d in (doc, title) if d is not None]
    context = set().union(*(article_settings(d) for d in docs))
    if setting and not context:
        context = {"custody"}  # either setting weighs OUTSIDE_WEIGHT; the category does not matter here
    weighed = [weigh(e, doc, context, protagonist=True) for e in doc._.events] if doc is not None else []
    if title is not None:
        for e in title._.events:
            w = weigh(e, title, context, protagonist=True)
            w.in_title = True
            weighed.append(w)
    weighed = sorted((w for w in weighed if w.weight > 0), key=lambda w: -w.weight)
    outside = OUTSIDE_WEIGHT if setting else 0.0
    first = weighed[0].weight if weighed else 0.0
    sentence = weighed[0].event.sentence if weighed else None
    second = max(
        [w.weight for w in weighed[1:] if w.event.sentence != sentence and w.event.civilian_patient] + [outside]
    )
    if first < outside:
        first, second = outside, max(second, outside)
    score = first + 0.5 * second
    if not setting and not any(w.event.civilian_patient for w in weighed):
        score -= 1.0  # no civilian can be harmed elsewhere with any weight: decide's general-piece penalty
    if oversight or any(_oversight(d) for d in docs):
        score += 1.0
    return score, weighed


def choose_category(weighed: list[Weighed]) -> str:
    """The IOPC category with most event weight; a shooting beats a death it caused."""
    totals: dict[str, float] = {}
    for w in weighed:
        if w.category:
            totals[w.category] = totals.get(w.category, 0.0) + w.weight
    if not totals:
        return "other_contact"
    if "suicide_following_custody" in totals:
        return "suicide_following_custody"
    if any((w.event.kind == "firearm" or w.event.means == "firearm") and w.event.police_agent for w in weighed):
        return "police_shooting"  # "shot and killed": the death is the shooting's
    order = ["police_shooting", "custody", "road_traffic", "other_contact"]
    return max(totals, key=lambda c: (totals[c], -order.index(c)))


__all__ = [
    "OUTSIDE_WEIGHT",
    "THRESHOLD",
    "TERMS",
    "Weighed",
    "candidate",
    "choose_category",
    "decide",
    "prefilter",
    "reachable",
    "weigh",
]
