"""Who investigates the police (IOPC, IPCC, PIRC, PONI, state, DOJ, internal, other) and how far along.

"other" is an independent body outside the UK and US (Canada's SIU, IIO, ASIRT, BEI,
IIU and SIRT; New Zealand's IPCA; Ireland's GSOC and Fiosrú; Australia's LECC, IBAC
and CCC; India's human rights commissions, magisterial inquiries and CID probes) or a
prosecutor reviewing the officers' use of force. A coroner or an inquest is a later
stage of the case, not a body investigating the police.
"""

from __future__ import annotations

import re

import us

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.rules import apply_rules, rule
from forcewatch.model import Evidence

#: Officers, their force or their use of force, as what a prosecutor reviews.
_OFFICERS = r"\b(officers?|deput(y|ies)|troopers?|police|policeman|constables?|use of force|(police )?shooting|force)\b"
_REVIEWS = (
    r"\b(review\w*|investigat\w*|decision|declined|decided not|cleared|justified|ruled|no (criminal )?charges|"
    r"not (be )?charg\w*|not (file|bring|pursue|seek|lay) (any )?(criminal )?charges|charges against|"
    r"charg\w* (against )?(the |two |three )?(officers?|deput(y|ies)|troopers?|policem[ae]n|constables?))\b"
)

#: Independent bodies outside the UK and US: (pattern, ISO country, sentence must also match).
#: Acronyms match in exact case only ("SIU", never "siu"); long forms in any case.
ABROAD = [
    # Canada
    (r"(?-i:\bSIU\b)", "CA", None),
    (
        r"\bSpecial Investigations Unit\b",
        "CA",
        r"\b(SIU|Ontario|watchdog|civilian|director|mandate|province)\b",
    ),
    (r"(?-i:\bIIO\b)|\bIndependent Investigations Office\b", "CA", None),
    (r"(?-i:\bASIRT\b)|\bAlberta Serious Incident Response Team\b", "CA", None),
    (
        r"(?-i:\bBEI\b)|\bBureau des enqu[êe]tes ind[ée]pendantes\b|\bIndependent Investigations Bureau\b",
        "CA",
        None,
    ),
    (r"(?-i:\bIIU\b)|\bIndependent Investigation Unit\b", "CA", None),
    (r"(?-i:\bSIRT\b|\bSiRT\b)|(?<!Alberta )\bSerious Incident Response Team\b", "CA", None),
    # New Zealand
    (r"(?-i:\bIPCA\b)|\bIndependent Police Conduct Authority\b", "NZ", None),
    # Ireland (Fiosrú, the Office of the Police Ombudsman, succeeded GSOC in 2025)
    (
        r"(?-i:\bGSOC\b)|\bGarda (S[ií]och[aá]na )?Ombudsman( Commission)?\b|\bFiosr[úu]\b",
        "IE",
        None,
    ),
    # Australia
    (r"(?-i:\bLECC\b)|\bLaw Enforcement Conduct Commission\b", "AU", None),
    (r"(?-i:\bIBAC\b)|\bIndependent Broad-based Anti-corruption Commission\b", "AU", None),
    (r"\bCrime and Corruption Commission\b|\bCorruption and Crime Commission\b", "AU", None),
    (r"(?-i:\bCCC\b)", "AU", r"\b(police|officers?|investigat\w*|oversight|oversee\w*|misconduct|review\w*)\b"),
    # India
    (
        r"(?-i:\bNHRC\b|\bSHRC\b)|\b(National|State) Human Rights Commission\b",
        "IN",
        r"\b(investigat\w*|probe|inquiry|enquiry|notice|cogni[sz]ance|report|ordered|sought|custod\w*|police)\b",
    ),
    (r"\bmagisterial (inquiry|enquiry|probe|investigation)\b", "IN", None),
    (
        r"(?-i:\bCB-CID\b|\bCID (probe|inquiry|enquiry|investigation)\b)|\bCrime Branch[- ]CID\b|"
        r"\b(handed over|transferred|entrusted|referred) to the (?-i:CID)\b",
        "IN",
        None,
    ),
]

#: UK bodies, for the country they hint.
_GB = [
    r"(?-i:\bIOPC\b|\bIPCC\b|\bPIRC\b|\bPONI\b)",
    r"\bIndependent Office for Police Conduct\b|\bIndependent Police Complaints Commission\b",
    r"\bPolice Investigations and Review Commissioner\b|\bPolice Ombudsman for Northern Ireland\b",
]

#: A state's own Department of Justice ("the California Department of Justice") is a state body.
_STATE_DOJ = (
    r"\b(" + "|".join(s.name for s in us.states.STATES) + r"|state) (Department of Justice|Justice Department)\b"
)

BODY_RULES = [
    rule("oversight_body", "state", _STATE_DOJ, 0.75, requires=r"\b(investigat\w*|probe|review|inquiry)\b"),
    rule("oversight_body", "IOPC", r"\b(IOPC|Independent Office for Police Conduct)\b", 0.9),
    rule("oversight_body", "IPCC", r"\b(IPCC|Independent Police Complaints Commission)\b", 0.9),
    rule("oversight_body", "PIRC", r"\b(PIRC|Police Investigations and Review Commissioner)\b", 0.9),
    rule(
        "oversight_body",
        "PONI",
        r"\b(PONI|Police Ombudsman for Northern Ireland|Northern Ireland Police Ombudsman)\b",
        0.9,
    ),
    rule(
        "oversight_body",
        "state",
        r"\b(attorney general'?s?|State Bureau of Investigation|Bureau of Investigation|Texas Rangers|state police (are|is|will) investigat\w*|Department of Law Enforcement|Bureau of Criminal Apprehension|state investigators)\b",
        0.75,
        forbids=r"\b(Federal Bureau|FBI|SIU|Special Investigations Unit|IIO|Crown counsel|Attorney[- ]General'?s? (of|for) (Ireland|Canada|Australia|England|New South Wales|India)|Advocate General)\b",
    ),
    rule(
        "oversight_body",
        "DOJ",
        r"\b(Department of Justice|Justice Department|DOJ|FBI|Federal Bureau of Investigation|civil rights investigation)\b",
        0.7,
        requires=r"\b(investigat\w*|probe|review|inquiry)\b",
        forbids=rf"\b(not|n't) (fall|come) (under|within)\b|{_STATE_DOJ}",
    ),
    rule(
        "oversight_body",
        "internal",
        r"\b(internal affairs|professional standards (department|unit|bureau)|internal (investigation|review)|use-of-force review)\b",
        0.6,
    ),
]
BODY_RULES += [rule("oversight_body", "other", pattern, 0.85, requires=needs) for pattern, _, needs in ABROAD]
# A prosecutor counts only when reviewing the officers' use of force, not when charging the man they arrested.
BODY_RULES.append(
    rule(
        "oversight_body",
        "other",
        r"\b(district attorney|DA'?s office|county attorney|prosecutor'?s office|state'?s attorney|Crown Prosecution Service|Crown counsel|(BC|B\.C\.) Prosecution Service|Director of Public Prosecutions)\b",
        0.5,
        requires=rf"(?s)^(?=.*{_OFFICERS})(?=.*{_REVIEWS})",
        forbids=r"\bcharg\w* (him|her|the (man|woman|suspect|driver|teenager|boy|girl)) with\b",
    )
)

#: "The Police Ombudsman" with no "for Northern Ireland": Northern Ireland's, unless the
#: article is about the gardaí (Fiosrú is the Office of the Police Ombudsman in Ireland).
_BARE_OMBUDSMAN = rule(
    "oversight_body",
    "PONI",
    r"\bPolice Ombudsman\b(?! for Northern Ireland)",
    0.9,
    forbids=r"\bNorthern Ireland Police Ombudsman\b",
)
_IRISH = re.compile(r"\b(Garda|gardaí|gardai|Fiosrú|Fiosru|GSOC|An Garda)\b", re.I)
_NORTHERN_IRISH = re.compile(r"\b(PSNI|Northern Ireland|Belfast|PONI|RUC|Police Service of Northern Ireland)\b", re.I)

_BODY_NAMES = (
    r"IOPC|IPCC|PIRC|Ombudsman|watchdog|attorney|bureau|Rangers|internal affairs|professional standards|independent|"
    r"DOJ|Justice|state|SIU|Special Investigations Unit|IIO|Investigations Office|ASIRT|BEI|IIU|SIRT|SiRT|"
    r"Response Team|IPCA|Conduct Authority|GSOC|Fiosr[úu]|LECC|Conduct Commission|IBAC|CCC|Corruption|NHRC|SHRC|"
    r"Human Rights Commission|magisterial|CID|Crown counsel"
)

STATUS_RULES = [
    rule(
        "oversight_status",
        "referred",
        r"\b(referred|referral|self-referred|will be referred|has been referred|mandatory referral|(has|have|was|were|had) (been )?notified|notified the)\b",
        0.7,
        requires=rf"\b({_BODY_NAMES}|investigat\w*)\b",
    ),
    rule(
        "oversight_status",
        "investigating",
        r"\b(investigating|is investigating|are investigating|examining the (circumstances|incident|death|shooting|matter)|(leading|handling|taken over|conducting|in charge of) the investigation|"
        r"(launched|opened|begun|began|started|commenced|initiated) an? (investigation|probe|inquiry)|will investigate|would investigate|"
        r"independent investigation|investigation (is|was) (under ?way|ongoing|continuing)|probe|investigators|invoked its mandate|"
        r"(was|were|has been|have been|had been) called in|called in to investigate|(was|were|has been|have been|had been) (directed|asked|tasked|ordered) to investigate|"
        r"directed to investigate|(is|are) overseeing|sought a report|ordered an? (investigation|probe|inquiry)|took suo motu)\b",
        0.8,
        requires=rf"\b({_BODY_NAMES})\b",
    ),
    rule(
        "oversight_status",
        "concluded",
        r"\b(concluded that (the )?(officers?|deput(y|ies)|troopers?|shooting|use of force)|acted in (lawful )?self-defen[cs]e|lawful killing|unlawful killing|justified|concluded (its|their|the) investigation|investigation (has )?(concluded|found|cleared)|completed (its|their|the) investigation|found no (wrongdoing|misconduct|case to answer)|no further action|cleared of (wrongdoing|misconduct)|decided not to (charge|prosecute)|declined to (charge|prosecute)|no reasonable grounds|reasonable grounds to (believe|lay charges)|exonerated)\b",
        0.85,
        forbids=r"\b(whether|if)\b[^.]{0,60}\bjustified\b",
    ),
    # "The IPCA found ...", "the SIU director has concluded ...": a finding by the body itself.
    rule(
        "oversight_status",
        "concluded",
        rf"\b({_BODY_NAMES})('s)?( (director|report|investigation|review|chief|chair))? (has |have |had )?(found|concluded|ruled|determined|cleared)\b",
        0.8,
        forbids=r"\b(found (dead|guilty|injured|unresponsive|a (gun|knife|weapon)))\b",
    ),
]

_ABROAD_COUNTRY = [(re.compile(p, re.I), country, re.compile(n, re.I) if n else None) for p, country, n in ABROAD]
_GB_RE = [re.compile(p, re.I) for p in _GB]


def body_countries(doc: ArticleDoc) -> list[tuple[str, int]]:
    """The country of each oversight body named in the article, with its offset:
    SIU -> CA, IPCA -> NZ, GSOC -> IE, LECC -> AU, IOPC -> GB. A hint for places and forces."""
    if "body_countries" in doc.memo:
        return list(doc.memo["body_countries"])
    out: list[tuple[str, int]] = []
    for pattern, country, needs in _ABROAD_COUNTRY:
        for m in doc.finditer(pattern):
            if needs is None or needs.search(doc.sentence_at(m.start()).text):
                out.append((country, m.start()))
    for pattern in _GB_RE:
        out.extend(("GB", m.start()) for m in doc.finditer(pattern))
    doc.memo["body_countries"] = out
    return list(out)


def oversight_hints(doc: ArticleDoc, weight: float = 3.0) -> list[tuple[str, float]]:
    """Country hints from the bodies named, in the form the place resolver takes."""
    return [(country, weight) for country in dict.fromkeys(c for c, _ in body_countries(doc))]


def _bare_ombudsman(doc: ArticleDoc) -> list[Evidence]:
    found = apply_rules(doc, [_BARE_OMBUDSMAN], "oversight.body")
    if found and _IRISH.search(doc.text) and not _NORTHERN_IRISH.search(doc.text):
        for ev in found:
            ev.value = "other"
    return found


def extract_oversight(doc: ArticleDoc) -> list[Evidence]:
    return (
        apply_rules(doc, BODY_RULES, "oversight.body")
        + _bare_ombudsman(doc)
        + apply_rules(doc, STATUS_RULES, "oversight.status")
    )
