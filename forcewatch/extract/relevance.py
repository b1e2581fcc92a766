"""Does an article report a death or injury after police contact, and of which kind?

Two passes. `prefilter` is a regex over the raw text that needs both a police word
and a harm word: in a real news stream it rejects almost everything before the
spaCy model runs. `classify` then weighs named cues sentence by sentence and
records the cue that decided, so every rejection has a reason a person can check.

Rules rather than a trained classifier: there is no labelled corpus of such
reports to train on here, and named cues give an auditable reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from forcewatch.model import Relevance

_POLICE = re.compile(
    r"\b(police|officers?|cops?|deput(y|ies)|troopers?|sheriff|constable|IOPC|IPCC|PIRC|"
    r"custody|taser(ed)?|law enforcement|patrol)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(shot|shooting|shoot|died|dies|dead|death|killed|kill|injur(ed|ies|y)|wounded|"
    r"hospital|tasered|fatal(ly)?|collapsed|critical condition|unresponsive|bitten|breathing|unconscious|"
    r"crash(ed)?|collided|collision|overturned|bit|opened fire|fired|gunfire)\b",
    re.IGNORECASE,
)


def prefilter(text: str) -> bool:
    """Cheap first pass: could this text possibly be a report? (no model, no sentences)"""
    return bool(_POLICE.search(text)) and bool(_HARM.search(text))


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: re.Pattern[str]
    weight: float
    category: str | None = None


def _cue(name: str, pattern: str, weight: float, category: str | None = None) -> Cue:
    return Cue(name, re.compile(pattern, re.IGNORECASE), weight, category)


_COP = r"((?:(?:a|an|the|two|three|several|\w+|[A-Z]{2,6})\s+){0,3}(?:police|officers?|cops?|deput(?:y|ies)|troopers?|marksm[ae]n|police officers?|law enforcement|agents?))"
# Where a cue starts with the police noun, the words before it add nothing but backtracking.
_COP_NOUN = r"((?:police|officers?|cops?|deput(?:y|ies)|troopers?|marksm[ae]n|law enforcement|agents?))"
_SUBJECT = r"(man|woman|boy|girl|teen(?:ager)?|person|suspect|driver|motorist|pedestrian|motorcyclist|cyclist|rider|passenger|resident|father|mother|son|daughter|student|\d{1,2}-year-old|him|her)"

POSITIVE = [
    _cue(
        "shot by police",
        rf"\b(shot|gunned down|shot and (killed|wounded|injured))( dead)?\b[^.]{{0,40}}\bby (a |an |the )?{_COP}",
        3,
        "police_shooting",
    ),
    _cue(
        "killed or injured by police",
        rf"\b(killed|injured|hurt|wounded)\b[^.]{{0,40}}\bby (a |an |the )?{_COP}",
        2,
        None,
    ),
    _cue(
        "died in a pursuit crash",
        r"\b(died|killed|dead|injured|hurt)\b[^.]{0,80}\b(crash\w*|collision|collided|overturned)\b[^.]{0,60}\b(pursuit|chase[ds]?|chasing|pursued|fleeing|failed to stop|being followed by)"
        r"|\b(pursuit|chase[ds]?|chasing|pursued)\b[^.]{0,80}\b(fatal |deadly )?(crash\w*|collided|collision|overturned|hit|struck)\b[^.]{0,100}\b(died|killed|dead|injured)"
        r"|\b(pursuit|chase[ds]?|chasing)\b[^.]{0,40}\bended in a (fatal|deadly|serious) (crash|collision)"
        r"|\b(died|killed|dead|injured|hurt)\b[^.]{0,60}\b(chased|pursued|followed) by (the )?(police|officers|troopers|deputies|a police car)\b[^.]{0,60}\b(crash\w*|collided|collision|overturned|hit|struck)",
        3,
        "road_traffic",
    ),
    _cue(
        "police opened fire",
        rf"\b{_COP_NOUN}\b[^.]{{0,40}}\b(fatally shot|shot and killed|shot dead|opened fire|discharged (a|their) (firearm|weapon)s?|fired (\w+ )?(shots|rounds))",
        3,
        "police_shooting",
    ),
    _cue(
        "police shot the subject",
        rf"\b{_COP_NOUN}\s+(fatally\s+)?shot(\s+and\s+(killed|wounded|injured))?\s+(the|a|an|his|her)\s+(\w+\s+)?{_SUBJECT}",
        3,
        "police_shooting",
    ),
    _cue(
        "officers returned fire",
        rf"\b(shot|killed|wounded|struck|hit)\b[^.]{{0,60}}\b(when|after|as)\s+{_COP}\s+(returned fire|opened fire|fired)|\b{_COP_NOUN}\s+returned fire",
        3,
        "police_shooting",
    ),
    _cue(
        "police shooting",
        r"\b(police|officer)[- ]involved shooting|\b(fatal )?police shooting\b|\bshots were fired by (police|officers)",
        2,
        "police_shooting",
    ),
    _cue(
        "died in custody",
        r"\b(died|death|collapsed|found unresponsive|taken ill)\b[^.]{0,60}\b(in|following|after) (police )?(custody|a (police )?cell|detention)|\bdeath in (police )?custody|\bin (his|her|a) cell\b[^.]{0,60}\b(died|unresponsive|dead)",
        3,
        "custody",
    ),
    _cue(
        "died after arrest or restraint",
        r"\b(died|dead|death|collapsed|unresponsive|lost consciousness|stopped breathing|went limp)\b[^.]{0,80}\b(after|following|while|during) ((he|she|they) (was|were) )?(being )?(arrested|detained|restrained|handcuffed|held down|pinned|(his|her|their|an) arrest)|\b(arrested|restrained|detained)\b[^.]{0,60}\b(became unresponsive|stopped breathing|lost consciousness|collapsed)",
        3,
        "custody",
    ),
    _cue(
        "suicide after custody",
        r"\b(apparent suicide|took (his|her|their) own life|killed (himself|herself)|found hanged)\b[^.]{0,150}\b(released|release) from (police )?(custody|detention)|\b(released|release) from (police )?custody\b[^.]{0,150}\b(apparent suicide|took (his|her|their) own life|found dead|found hanged)",
        4,
        "suicide_following_custody",
    ),
    _cue(
        "died after release from custody",
        r"\b(died|found dead|death)\b[^.]{0,60}\b(after|following|since) (being |he was |she was |they were )?released from (police )?(custody|detention|a police station)",
        3,
        "suicide_following_custody",
    ),
    _cue(
        "collapsed during police contact",
        rf"\b(died|collapsed|became unwell|fell ill|stopped breathing)\b[^.]{{0,60}}\b(while|as|when) {_COP} (were|was) (carrying out|conducting|speaking|talking|dealing|attending|detaining|searching)|\bduring a (police )?(welfare check|stop and search|traffic stop)\b[^.]{{0,80}}\b(died|collapsed)",
        3,
        "other_contact",
    ),
    _cue(
        "injured during arrest",
        r"\b(suffered|sustained|left with)\b[^.]{0,60}\b(injur\w*|fracture\w*|broken|bleed\w*)\b[^.]{0,40}\b(during|in the course of) (his|her|their|an|the) (arrest|detention)|\b(injur\w*|hurt|fracture\w*)\b[^.]{0,40}\bduring (his|her|their|an|the) arrest",
        2.5,
        "other_contact",
    ),
    _cue(
        "police used force",
        rf"\b{_COP_NOUN}\b[^.]{{0,40}}\b(used|deployed|fired|discharged|drew)\s+(PAVA|pepper spray|CS spray|incapacitant spray|a baton|batons|a taser|tasers|a stun gun)",
        2,
        "other_contact",
    ),
    _cue(
        "police vehicle collision",
        r"\b(struck|hit|knocked down|run over|collided with|crashed into)\b[^.]{0,30}\b(by )?(a |an |the )?(marked |unmarked )?(police|patrol|squad) (car|vehicle|van|cruiser|motorcycle|suv)|\b(police|patrol|squad) (car|vehicle|van|cruiser)\b[^.]{0,40}\b(struck|hit|collided|crashed|ran over)",
        3,
        "road_traffic",
    ),
    _cue(
        "police pursuit",
        r"\b(police|high-speed|vehicle) (pursuit|chase)\b|\b(fleeing|fled from|being (chased|pursued) by|failed to stop for) (the )?(police|officers|troopers|deputies)",
        2,
        "road_traffic",
    ),
    _cue(
        "tasered",
        rf"\b(tasered|tased|stun[- ]gunned)\b|\b{_COP_NOUN}\b[^.]{{0,40}}\b(used|deployed|discharged|fired) (a |their )?(taser|stun gun|conducted energy)",
        2,
        "other_contact",
    ),
    _cue(
        "police dog",
        r"\b(bitten|mauled|attacked) by (a |the )?police dog|\bpolice dog\b[^.]{0,40}\b(bit|mauled|attacked)",
        3,
        "other_contact",
    ),
    _cue(
        "harmed in police hands",
        rf"\b(tasered|tased|restrained|held down|pinned down|bitten|pepper-sprayed|struck with a baton)\b[^.]{{0,60}}\b(by|after) {_COP}[^.]{{0,80}}\b(hospital|injur\w*|died|dead|collapsed|unresponsive|critical|wound\w*|fractur\w*|stopped breathing)"
        rf"|\b(died|collapsed|stopped breathing|became unresponsive|lost consciousness|injured|hurt)\b[^.]{{0,40}}\b(after|when|while) ((he|she|they) (was|were) |being )(tasered|tased|restrained|held down|pinned|bitten|pepper-sprayed)",
        3,
        "other_contact",
    ),
    _cue(
        "harmed after police acted",
        rf"\b(died|dead|death|collapsed|became unresponsive|stopped breathing|lost consciousness)\b[^.]{{0,60}}\b(after|when|as|moments after)\s+{_COP}\s+(had\s+)?(pepper-sprayed|sprayed|tasered|tased|restrained|tackled|handcuffed|pinned|struck|punched|kicked|placed|held|forced|pushed|chased)\b",
        3,
        "other_contact",
    ),
    _cue(
        "restrained by police",
        rf"\b(restrained|pinned|held down|tackled|punched|struck with a baton|sprayed)\b[^.]{{0,40}}\bby {_COP}",
        2,
        "other_contact",
    ),
    _cue(
        "watchdog investigating a death",
        r"\b(IOPC|IPCC|PIRC|Police Ombudsman|Independent Office for Police Conduct|Independent Police Complaints Commission|Police Investigations and Review Commissioner)\b[^.]{0,120}\b(death|died|shooting|shot|injur|investigat|referr)",
        2,
        None,
    ),
    _cue(
        "referred to watchdog",
        r"\b(referred|referral)\b[^.]{0,40}\b(IOPC|IPCC|PIRC|Police Ombudsman|watchdog)",
        2,
        None,
    ),
    _cue(
        "after police contact",
        r"\b(died|death|injured|collapsed)\b[^.]{0,40}\b(after|following) (police )?contact with (the )?police|\bfollowing police contact\b",
        3,
        "other_contact",
    ),
    _cue(
        "state investigation of officers",
        r"\b(Bureau of Investigation|Texas Rangers|attorney general'?s? office|internal affairs|professional standards)\b[^.]{0,120}\b(shooting|death|died|use of force)",
        1,
        None,
    ),
]

NEGATIVE = [
    _cue(
        "an officer is the victim",
        r"\b(officer|constable|PC|sergeant|deputy|trooper|detective|policeman|policewoman)\b[^.]{0,30}\b(was|were|had been|has been)\s+(fatally\s+)?(shot|stabbed|killed|wounded|injured|run over)|\b(shot|killed|stabbed|wounded)\s+(a|an|the|two|three)\s+(police\s+)?(officers?|constables?|deput(y|ies)|troopers?)\b|\bofficers? (died|was killed) in the line of duty",
        -4,
    ),
    _cue(
        "opinion piece",
        r"^\s*(opinion|comment|analysis|editorial|letters?)\s*[:|-]|\bthe views expressed\b|\bI (think|believe|argue)\b|\bwe (must|need to|should)\b",
        -2,
    ),
    _cue(
        "court case",
        r"\b(pleaded (guilty|not guilty)|was sentenced|jailed for|convicted of|stood trial|jury (found|convicted)|Crown Court|appeared in court|went on trial)\b",
        -2,
    ),
    _cue(
        "police investigating a crime",
        r"\bpolice (are|were) (appealing|hunting|searching for)\b|\bappeal(ing)? for (witnesses|information)\b|\b(stabbed|robbed|burgled|assaulted|attacked) by (a|an|two|three|the) (man|men|woman|gang|group|suspect|attacker)",
        -1,
    ),
    _cue(
        "statistics",
        r"\b(figures|statistics|data|count|report|analysis|study|survey) (show|shows|showed|found|finds|suggest|suggests)\b|\b\d{1,3}(,\d{3})+ (people|deaths|shootings)\b|\b\d+ (people|deaths|shootings) (in|last|this|a) (year|\d{4})\b",
        -3,
    ),
    _cue(
        "obituary",
        r"\b(obituary|died peacefully|has died aged|passed away peacefully|tributes (have been|were) paid to (a |the )?former)\b|\bformer (chief constable|police chief|commissioner|sheriff)\b[^.]{0,60}\b(has died|died|dies)\b",
        -3,
    ),
    _cue("decades ago", r"\bin the (early |mid-|mid |late )?(19|20)\d0s\b", -1),
    _cue(
        "years ago",
        r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|twenty) years (ago|earlier|since)\b|\banniversary\b",
        -1,
    ),
]

THRESHOLD = 3.0


#: A report is about someone: "a man", "a 34-year-old", "the driver", "John Smith, 34".
_SPECIFIC_PERSON = re.compile(
    r"\b(a|an|the)\s+(\d{1,2}-year-old\s+)?(\w+\s+)?(man|woman|boy|girl|teenager|teen|youth|person|suspect|driver|motorist|"
    r"pedestrian|motorcyclist|cyclist|rider|passenger|prisoner|detainee|patient|father|mother|student|resident|victim|gunman)\b"
    r"|\b\d{1,2}-year-old\b|\b[A-Z][a-z]+ [A-Z][a-z]+, (aged )?\d{1,2}\b|\b(named|identified) (him |her )?as\b",
    re.I,
)


def outside_quotes(sentence: str, in_quote: bool = False) -> tuple[str, bool]:
    """The sentence without its quoted words, and whether a quote is still open at its end
    (a quote of several sentences or paragraphs keeps its later sentences quoted)."""
    kept = []
    for ch in sentence:
        if ch == "“":
            in_quote = True
        elif ch == "”":
            in_quote = False
        elif ch == '"':
            in_quote = not in_quote
        elif not in_quote:
            kept.append(ch)
    return "".join(kept), in_quote


def classify(sentences: list[str], title: str | None = None) -> Relevance:
    """Weigh cues per sentence; the article is relevant when the balance reaches THRESHOLD."""
    score = 0.0
    positives: dict[str, float] = {}
    categories: dict[str, float] = {}
    negatives: dict[str, float] = {}
    texts = ([title] if title else []) + sentences
    # One pass over the whole text finds which cues can fire at all; only those are tried
    # sentence by sentence (most articles match two or three of the thirty).
    whole = "\n".join(texts)
    positive = [cue for cue in POSITIVE if cue.pattern.search(whole)]
    negative = [cue for cue in NEGATIVE if cue.pattern.search(whole)]
    in_quote = False
    for sentence in texts:
        unquoted, in_quote = outside_quotes(sentence, in_quote)
        for cue in positive:
            if cue.pattern.search(sentence):
                # What a speaker says counts half: a quote is often general ("people shot by police").
                weight = cue.weight if cue.pattern.search(unquoted) else cue.weight / 2
                before = positives.get(cue.name, 0.0)
                if weight > before:  # a cue counts once (at its strongest), wherever it repeats
                    score += weight - before
                    positives[cue.name] = weight
                    if cue.category:
                        categories[cue.category] = categories.get(cue.category, 0) + weight - before
        for cue in negative:
            if cue.pattern.search(unquoted):
                if cue.name not in negatives:
                    score += cue.weight
                negatives[cue.name] = negatives.get(cue.name, 0) + cue.weight
    if not positives:
        return Relevance(False, None, "no cue of a death or injury after police contact", score)
    if not any(_SPECIFIC_PERSON.search(t) for t in texts):
        return Relevance(False, None, "no particular person is named or described (a general piece)", score)
    category = choose_category(categories)
    best = max(positives, key=lambda name: positives[name])
    if score < THRESHOLD:
        if negatives:
            worst = min(negatives, key=lambda name: negatives[name])
            return Relevance(False, None, f"rejected by cue '{worst}' (outweighs '{best}')", score)
        return Relevance(False, None, f"only weak cues ('{best}')", score)
    return Relevance(True, category, f"cue '{best}'", score)


def choose_category(categories: dict[str, float]) -> str:
    """The IOPC category with most cue weight; suicide after custody beats plain custody."""
    if not categories:
        return "other_contact"
    if "suicide_following_custody" in categories:
        return "suicide_following_custody"
    order = ["police_shooting", "custody", "road_traffic", "other_contact"]
    return max(categories, key=lambda c: (categories[c], -order.index(c)))
