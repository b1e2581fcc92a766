"""Who investigates the police (IOPC, IPCC, PIRC, PONI, state, DOJ, internal) and how far along."""

from __future__ import annotations

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.rules import apply_rules, rule
from forcewatch.model import Evidence

BODY_RULES = [
    rule("oversight_body", "IOPC", r"\b(IOPC|Independent Office for Police Conduct)\b", 0.9),
    rule("oversight_body", "IPCC", r"\b(IPCC|Independent Police Complaints Commission)\b", 0.9),
    rule("oversight_body", "PIRC", r"\b(PIRC|Police Investigations and Review Commissioner)\b", 0.9),
    rule("oversight_body", "PONI", r"\b(Police Ombudsman|PONI)\b", 0.9),
    rule(
        "oversight_body",
        "state",
        r"\b(attorney general'?s?|State Bureau of Investigation|Bureau of Investigation|Texas Rangers|state police (are|is|will) investigat\w*|Department of Law Enforcement|Bureau of Criminal Apprehension|state investigators)\b",
        0.75,
        forbids=r"\b(Federal Bureau|FBI)\b",
    ),
    rule(
        "oversight_body",
        "DOJ",
        r"\b(Department of Justice|Justice Department|DOJ|FBI|Federal Bureau of Investigation|civil rights investigation)\b",
        0.7,
        requires=r"\b(investigat\w*|probe|review|inquiry)\b",
    ),
    rule(
        "oversight_body",
        "internal",
        r"\b(internal affairs|professional standards (department|unit|bureau)|internal (investigation|review)|use-of-force review)\b",
        0.6,
    ),
]
BODY_RULES.append(
    rule(
        "oversight_body",
        "other",
        r"\b(district attorney|DA'?s office|county attorney|prosecutor'?s office|state'?s attorney|Crown Prosecution Service|coroner|inquest)\b",
        0.5,
        requires=r"\b(review|investigat\w*|decision|charges?|charg(e|ing)|concluded|declined|ruled|verdict|found)\b",
    )
)

STATUS_RULES = [
    rule(
        "oversight_status",
        "referred",
        r"\b(referred|referral|self-referred|will be referred|has been referred|mandatory referral)\b",
        0.7,
        requires=r"\b(IOPC|IPCC|PIRC|Ombudsman|watchdog|attorney|bureau|investigat\w*)\b",
    ),
    rule(
        "oversight_status",
        "investigating",
        r"\b(investigating|is investigating|are investigating|(leading|handling|taken over|conducting|in charge of) the investigation|launched an? (investigation|probe|inquiry)|opened an? (investigation|probe|inquiry)|will investigate|would investigate|independent investigation|investigation (is|was) (under ?way|ongoing|continuing)|probe|investigators)\b",
        0.8,
        requires=r"\b(IOPC|IPCC|PIRC|Ombudsman|watchdog|attorney|bureau|Rangers|internal affairs|professional standards|independent|DOJ|Justice|state)\b",
    ),
    rule(
        "oversight_status",
        "concluded",
        r"\b(concluded that (the )?(officers?|deput(y|ies)|troopers?|shooting|use of force)|acted in (lawful )?self-defen[cs]e|lawful killing|unlawful killing|justified|concluded (its|their|the) investigation|investigation (has )?(concluded|found|cleared)|completed (its|their|the) investigation|found no (wrongdoing|misconduct|case to answer)|no further action|cleared of (wrongdoing|misconduct)|decided not to (charge|prosecute)|declined to (charge|prosecute))\b",
        0.85,
    ),
]


def extract_oversight(doc: ArticleDoc) -> list[Evidence]:
    return apply_rules(doc, BODY_RULES, "oversight.body") + apply_rules(doc, STATUS_RULES, "oversight.status")
