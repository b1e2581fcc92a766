"""Contrast cases (CheckList style, Ribeiro et al. 2020) for the event-centred reader.

Every text here is fictional, written for these tests: people, streets and most
towns are invented. Group 8 uses real, large towns on purpose (the gazetteer must
know them to tell a home town from the scene).

A case gives a short text and the behaviour expected of `Analyser.analyse_one`:

* ``relevant``: True / False, or None when relevance is deliberately not pinned
  (the case only checks that a negated fact is not produced).
* ``category``: the accepted category (a str, or a tuple of accepted ones); None
  means "not checked". Only checked on relevant cases.
* ``has``: field -> expected value; the value must be among the field's evidence
  values. A tuple means "any one of these".
* ``lacks``: field -> values that must NOT be among the evidence values; the
  special value ``ANY`` means the field must produce no evidence at all.
* ``contains``: field -> substring (or tuple of alternative substrings) that must
  occur in at least one evidence value (agency names, which vary in spelling).

Most cases come as minimal pairs: the two texts differ in one thing (who is the
victim, whether police were involved, whether a fact is negated) and the expected
output flips.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ANY = "<any value>"
PUBLISHED = date(2024, 5, 3)


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    relevant: bool | None
    category: str | tuple[str, ...] | None = None
    has: dict = field(default_factory=dict)
    lacks: dict = field(default_factory=dict)
    contains: dict = field(default_factory=dict)
    published: date | None = PUBLISHED


SHOT = "police_shooting"
ROAD = "road_traffic"
CUSTODY = "custody"
CONTACT = "other_contact"
SUICIDE = "suicide_following_custody"
CUSTODY_OR_CONTACT = (CUSTODY, CONTACT)

# --------------------------------------------------------------------------
# 1. Active vs passive vs nominal: the same event told in different voices.
# --------------------------------------------------------------------------
VOICE = [
    Case(
        "active-armed-officers-shot-a-man",
        "Armed officers shot a man in Corvale Road, Hallowmere, on Sunday evening, Kestrelshire Police said. "
        "The 41-year-old died at the scene.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_age": 41, "subject_gender": "male"},
    ),
    Case(
        "passive-man-was-shot-by-officers",
        "A man was shot by officers in Corvale Road, Hallowmere, on Sunday evening and died at the scene, "
        "police said. He was 41.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_gender": "male"},
    ),
    Case(
        "nominal-fatal-shooting-of-a-man-by-police",
        "The fatal shooting of a 27-year-old man by police in Orrinsford on Saturday is being investigated "
        "by the IOPC.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_age": 27, "oversight_body": "IOPC"},
    ),
    Case(
        "police-opened-fire-wounding-a-19-year-old",
        "Police opened fire on a car in Dunmere Street, Farlow, on Thursday night, wounding a 19-year-old "
        "passenger, who was taken to hospital.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm", "subject_age": 19},
        lacks={"outcome": {"fatal"}},
    ),
    Case(
        "india-killed-in-police-firing",
        "A 32-year-old man was killed in police firing in Rampurwa village of Sitaganj district on Monday "
        "after a crowd clashed with officers, the district superintendent of police said.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_age": 32},
    ),
    Case(
        "canada-mounties-shot-and-killed",
        "Mounties shot and killed a man outside a gas station in Birchhollow, Saskatchewan, early Wednesday, "
        "the RCMP said.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_gender": "male"},
        contains={"agency": ("Mounted Police", "RCMP")},
    ),
    Case(
        "us-county-sheriffs-deputy-shot",
        "A Tamberlin County sheriff's deputy shot a 52-year-old man during a traffic stop on Route 9 near "
        "Pell Junction on Friday, the Tamberlin County Sheriff's Office said. The man was taken to hospital "
        "with a wound to his leg.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm", "subject_age": 52},
        lacks={"outcome": {"fatal"}},
        contains={"agency": "Tamberlin County Sheriff"},
    ),
    Case(
        "us-state-troopers-shot-and-killed",
        "Two state troopers shot and killed a man who they said fired at them on Interstate 40 near "
        "Millbrook Flats on Tuesday, New Mexico State Police said.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_armed": "gun"},
        contains={"agency": "New Mexico State Police"},
    ),
    Case(
        "ireland-gardai-shot-a-man",
        "Gardaí shot a man in his 30s in Kilcarrow, Co Westmeath, on Saturday night after he threatened "
        "them with a knife. He was taken to hospital with non-life-threatening injuries.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm", "subject_armed": "knife"},
        lacks={"outcome": {"fatal"}},
        contains={"agency": "Garda"},
    ),
    Case(
        "us-passive-shot-and-killed-by-city-police",
        "A 24-year-old woman was shot and killed by Larkspur police officers at an apartment on Fenwick "
        "Avenue on Monday night.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_age": 24, "subject_gender": "female"},
        lacks={"subject_gender": {"male"}},
    ),
    Case(
        "australia-died-after-being-shot-by-police",
        "A man has died after being shot by police at a house in Wandabri, in Queensland's north, on Sunday morning.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "nz-death-following-a-police-shooting",
        "Police have confirmed the death of a man following a police shooting in Te Horowai on Tuesday afternoon.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
]

# --------------------------------------------------------------------------
# 2. Officer as the victim (not relevant) vs the roles swapped (relevant).
# --------------------------------------------------------------------------
OFFICER_VICTIM = [
    Case(
        "gunman-shot-a-police-officer",
        "A gunman shot a police officer outside a supermarket in Penhallow on Tuesday. The constable is in a "
        "stable condition in hospital.",
        False,
    ),
    Case(
        "swapped-police-officer-shot-a-gunman",
        "A police officer shot a gunman outside a supermarket in Penhallow on Tuesday. The man is in a stable "
        "condition in hospital.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm"},
    ),
    Case(
        "officer-was-stabbed-responding",
        "An officer was stabbed while responding to a disturbance on Marlow Crescent, Eastbridge, on Friday "
        "night. A 30-year-old man has been arrested.",
        False,
    ),
    Case(
        "swapped-man-was-tasered-by-an-officer-responding",
        "A man was tasered by an officer while police were responding to a disturbance on Marlow Crescent, "
        "Eastbridge, on Friday night. The 30-year-old was taken to hospital.",
        True,
        CONTACT,
        has={"force_used": "taser", "subject_age": 30},
        lacks={"force_used": {"firearm"}},
    ),
    Case(
        "constable-injured-when-a-car-hit-him",
        "A constable was injured when a car hit him at a checkpoint near Thornby on Saturday. The driver, "
        "45, was arrested.",
        False,
    ),
    Case(
        "swapped-pedestrian-injured-when-a-police-car-hit-him",
        "A pedestrian was injured when a police car hit him near Thornby on Saturday. The 45-year-old was "
        "taken to hospital.",
        True,
        ROAD,
        has={"outcome": "injured", "force_used": "vehicle", "subject_age": 45},
    ),
    Case(
        "deputy-killed-when-suspect-opened-fire",
        "A sheriff's deputy was killed when a suspect opened fire during a traffic stop in Quill Hollow on Sunday.",
        False,
    ),
    Case(
        "swapped-suspect-killed-when-deputy-opened-fire",
        "A suspect was killed when a sheriff's deputy opened fire during a traffic stop in Quill Hollow on Sunday.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "officers-hurt-by-man-with-hammer-then-custody",
        "Two officers were hurt when a man attacked them with a hammer at a flat in Seacombe Row, Aldwick "
        "Bay. The man, 38, was arrested and taken into custody.",
        False,
    ),
    Case(
        "swapped-man-hurt-when-officers-struck-him-with-batons",
        "A man was hurt when two officers struck him with batons at a flat in Seacombe Row, Aldwick Bay. "
        "The man, 38, was arrested.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "injured", "force_used": "baton", "subject_age": 38},
    ),
    Case(
        "india-head-constable-killed-by-mob",
        "A head constable was killed when a mob attacked a police post in Bhadrapur village on Sunday, officials said.",
        False,
    ),
    Case(
        "swapped-india-villager-killed-when-police-fired",
        "A villager was killed when police fired on a mob at a police post in Bhadrapur village on Sunday, "
        "officials said.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "canada-mountie-shot-by-a-man",
        "A Mountie was shot and wounded by a man at a rural property near Fallow Creek, Alberta, on Thursday.",
        False,
    ),
    Case(
        "swapped-canada-man-shot-by-a-mountie",
        "A man was shot and wounded by a Mountie at a rural property near Fallow Creek, Alberta, on Thursday.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm"},
        lacks={"outcome": {"fatal"}},
    ),
]

# --------------------------------------------------------------------------
# 3. Harm done by someone else; police only present or investigating.
# --------------------------------------------------------------------------
BYSTANDER_POLICE = [
    Case(
        "appeal-for-witnesses-after-stabbing",
        "Police are appealing for witnesses after a man was stabbed in Gorseway Park, Denholm, on Saturday "
        "night. The 22-year-old was taken to hospital with serious injuries.",
        False,
    ),
    Case(
        "contrast-appeal-after-man-tasered-by-officers",
        "Police are appealing for witnesses after a man was tasered by officers in Gorseway Park, Denholm, "
        "on Saturday night. The 22-year-old was taken to hospital with serious injuries.",
        True,
        CONTACT,
        has={"force_used": "taser", "outcome": "injured", "subject_age": 22},
    ),
    Case(
        "shot-dead-by-gunman-police-arrived",
        "A man was shot dead by a gunman outside a pub in Brackley Vale on Friday. Police arrived within "
        "minutes but he died at the scene.",
        False,
    ),
    Case(
        "contrast-shot-dead-by-police-outside-pub",
        "A man was shot dead by police outside a pub in Brackley Vale on Friday. Paramedics arrived within "
        "minutes but he died at the scene.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "crash-police-closed-the-road",
        "A driver died in a crash on the B4410 near Hollin Cross on Monday morning. Police closed the road "
        "for six hours while collision investigators examined the scene.",
        False,
    ),
    Case(
        "contrast-crash-after-police-tried-to-stop-car",
        "A driver died when his car crashed on the B4410 near Hollin Cross on Monday morning, minutes after "
        "police tried to stop it and a pursuit began.",
        True,
        ROAD,
        has={"outcome": "fatal"},
    ),
    Case(
        "murder-investigation-woman-found-dead",
        "Detectives have launched a murder investigation after a woman, 56, was found dead at her home in "
        "Ellery Close, Marshfield Green.",
        False,
    ),
    Case(
        "us-teen-shot-at-party-police-searching",
        "A 17-year-old was shot and killed at a party on Hawthorn Street in Delmont Heights late Saturday. "
        "Police said they are searching for the shooter.",
        False,
    ),
    Case(
        "officers-performed-cpr-on-stabbing-victim",
        "Officers performed CPR on a man who had been stabbed by a stranger in Kinloss Square, but he died "
        "at the scene.",
        False,
    ),
    Case(
        "australia-hit-by-train-report-for-coroner",
        "A man has died after being hit by a train at Yarralong station. Police will prepare a report for the coroner.",
        False,
    ),
    Case(
        "canada-rcmp-investigating-assault",
        "RCMP are investigating after a woman was seriously injured in an assault at a home in Pine Ridge "
        "Landing on Thursday.",
        False,
    ),
    Case(
        "ireland-gardai-appeal-after-hit-and-run",
        "Gardaí are appealing for information after a man in his 20s was seriously injured in a hit-and-run "
        "in Ballyfearn, Co Kildare, last night.",
        False,
    ),
    Case(
        "india-police-recovered-body-from-canal",
        "Police recovered the body of a 28-year-old man from a canal in Khandwala village on Tuesday and "
        "sent it for post-mortem.",
        False,
    ),
]

# --------------------------------------------------------------------------
# 4. Custody and jail wording.
# --------------------------------------------------------------------------
CUSTODY_CASES = [
    Case(
        "died-in-his-cell-at-county-jail",
        "Darnell Okafor, 29, died in his cell at the Whitcombe County Jail on Tuesday, the sheriff's office said.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_age": 29, "subject_name": "Darnell Okafor"},
    ),
    Case(
        "inmate-found-unresponsive",
        "An inmate was found unresponsive in his cell at the Pardee County Detention Center early Sunday and "
        "was pronounced dead at a hospital.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_gender": "male"},
    ),
    Case(
        "contrast-man-found-unresponsive-at-his-flat",
        "A man was found unresponsive at his flat in Pardee early Sunday and was pronounced dead at a hospital.",
        False,
    ),
    Case(
        "detainee-died-at-police-station",
        "A 47-year-old detainee died at Carnbrook police station on Wednesday, hours after he was arrested "
        "on suspicion of drink driving.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_age": 47},
    ),
    Case(
        "died-after-being-restrained-by-officers",
        "A man died after being restrained by officers outside a nightclub on Quay Street, Merriton, in the "
        "early hours of Saturday.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "fatal", "force_used": "restraint"},
        lacks={"force_used": {"firearm"}},
    ),
    Case(
        "collapsed-in-back-of-police-van",
        "A woman collapsed in the back of a police van after her arrest in Linfield and died later in "
        "hospital, the IOPC said.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_gender": "female", "oversight_body": "IOPC"},
    ),
    Case(
        "india-died-in-police-custody-beaten",
        "A 35-year-old labourer died in police custody at Sonpur Kalan police station on Friday; his family "
        "alleged he was beaten by officers.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_age": 35},
    ),
    Case(
        "australia-died-in-watch-house",
        "An Aboriginal man died in custody at the Kallara watch house on Saturday morning, police said.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_gender": "male"},
    ),
    Case(
        "nz-died-in-police-cell-overnight",
        "A man died in a police cell in Ōtaruhe overnight, police said on Thursday.",
        True,
        CUSTODY,
        has={"outcome": "fatal"},
    ),
    Case(
        "prisoner-injured-in-cell",
        "A 62-year-old prisoner was taken to hospital after being found badly injured in his cell at the "
        "Mercer County jail on Monday.",
        True,
        CUSTODY,
        has={"outcome": "injured", "subject_age": 62},
        lacks={"outcome": {"fatal"}},
    ),
    Case(
        "took-own-life-after-release-from-custody",
        "A 19-year-old man took his own life two days after being released from police custody in Harnley, "
        "the IOPC said.",
        True,
        SUICIDE,
        has={"outcome": "fatal", "subject_age": 19, "oversight_body": "IOPC"},
    ),
]

# --------------------------------------------------------------------------
# 5. Pursuits and police vehicles vs ordinary crashes.
# --------------------------------------------------------------------------
PURSUITS = [
    Case(
        "crashed-while-being-pursued-by-police",
        "A 21-year-old man died when the car he was driving crashed while being pursued by police in Ellwood "
        "on Saturday night.",
        True,
        ROAD,
        has={"outcome": "fatal", "subject_age": 21, "fleeing": "car"},
    ),
    Case(
        "contrast-crashed-into-a-tree-no-police",
        "A 21-year-old man died when the car he was driving crashed into a tree in Ellwood on Saturday night.",
        False,
    ),
    Case(
        "pedestrian-struck-by-police-car",
        "A pedestrian was struck by a police car responding to an emergency call on Fenner Road, Kilbride "
        "Cross, and died at the scene.",
        True,
        ROAD,
        has={"outcome": "fatal", "force_used": "vehicle"},
    ),
    Case(
        "contrast-pedestrian-struck-by-a-bus",
        "A pedestrian was struck by a bus on Fenner Road, Kilbride Cross, and died at the scene.",
        False,
    ),
    Case(
        "fleeing-officers-motorcyclist-crashed",
        "Fleeing officers, the motorcyclist crashed into a wall on Mardale Lane and was seriously injured.",
        True,
        ROAD,
        has={"outcome": "injured", "fleeing": ("car", "other")},
        lacks={"fleeing": {"not_fleeing"}},
    ),
    Case(
        "contrast-motorcyclist-crashed-no-other-vehicle",
        "A motorcyclist crashed into a wall on Mardale Lane and was seriously injured; police said no other "
        "vehicle was involved.",
        False,
    ),
    Case(
        "australia-stolen-car-chased-by-patrol-hit-tree",
        "Two teenagers were killed when a stolen car being chased by a police patrol hit a tree in Bremner "
        "Park, Victoria, early on Sunday.",
        True,
        ROAD,
        has={"outcome": "fatal"},
    ),
    Case(
        "cyclist-injured-collision-with-unmarked-police-car",
        "A cyclist was seriously injured after a collision with an unmarked police car in Kingsmoor on Tuesday.",
        True,
        ROAD,
        has={"outcome": "injured", "force_used": "vehicle"},
    ),
    Case(
        "contrast-cyclist-injured-collision-with-van",
        "A cyclist was seriously injured after a collision with a delivery van in Kingsmoor on Tuesday.",
        False,
    ),
    Case(
        "us-suspect-fleeing-deputies-crashed-pickup",
        "A suspect fleeing deputies in a stolen pickup crashed into a utility pole and died, the Marrowby "
        "County Sheriff's Office said.",
        True,
        ROAD,
        has={"outcome": "fatal", "fleeing": "car"},
        contains={"agency": "Marrowby County Sheriff"},
    ),
    Case(
        "canada-vehicle-rammed-by-rcmp-cruiser",
        "A driver died after his vehicle was rammed by an RCMP cruiser on a gravel road outside Haskett "
        "Lake, Manitoba, on Friday.",
        True,
        ROAD,
        has={"outcome": "fatal", "force_used": "vehicle"},
    ),
]

# --------------------------------------------------------------------------
# 6. Negation and hedging: a negated fact must not be produced.
# --------------------------------------------------------------------------
NEGATION = [
    Case(
        "did-not-fire-but-tasered",
        "Officers confronted a man armed with a machete on Arden Street, Lowbridge, but did not fire. He was "
        "tasered and taken to hospital with minor injuries.",
        True,
        CONTACT,
        has={"force_used": "taser", "outcome": "injured", "subject_armed": ("knife", "other")},
        lacks={"force_used": {"firearm"}, "shots_fired": ANY},
    ),
    Case(
        "police-said-no-shots-were-fired-arrested-unharmed",
        "Police said no shots were fired by officers during the stand-off at a house in Cranmere on Sunday; "
        "the man, 44, was arrested unharmed.",
        None,
        lacks={"shots_fired": ANY, "force_used": {"firearm"}, "outcome": {"fatal", "injured"}},
    ),
    Case(
        "not-clear-whether-he-pointed-a-gun",
        "It was not clear whether the man pointed a gun at the officers before they shot him, the IOPC "
        "said. He died at the scene.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
        lacks={"subject_armed": {"gun", "replica"}},
    ),
    Case(
        "contrast-he-pointed-a-gun",
        "The man pointed a gun at the officers before they shot him, the IOPC said. He died at the scene.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_armed": "gun"},
        lacks={"subject_armed": {"unarmed"}},
    ),
    Case(
        "officers-fired-two-shots",
        "A 30-year-old man was shot by police in Tallis Park on Friday. Officers fired two shots and he was "
        "taken to hospital.",
        True,
        SHOT,
        has={"shots_fired": 2, "force_used": "firearm", "outcome": "injured"},
    ),
    Case(
        "contrast-drew-weapons-but-did-not-fire",
        "Officers drew their weapons but did not fire, and the 30-year-old man was arrested unharmed in "
        "Tallis Park on Friday.",
        None,
        lacks={"shots_fired": ANY, "force_used": {"firearm"}, "outcome": {"fatal", "injured"}},
    ),
    Case(
        "police-denied-a-taser-was-used",
        "Police denied that a Taser was used on the woman, who was arrested in Greyfield on Monday and later "
        "released without charge.",
        None,
        lacks={"force_used": {"taser"}, "outcome": {"fatal", "injured"}},
    ),
    Case(
        "man-was-not-armed-when-shot-by-deputy",
        "The man was not armed when he was shot and killed by a deputy outside his home in Bracken Ford, the "
        "sheriff's office said.",
        True,
        SHOT,
        has={"subject_armed": "unarmed", "outcome": "fatal"},
        lacks={"subject_armed": {"gun", "knife", "replica"}},
    ),
    Case(
        "no-officers-were-injured",
        "A man was shot dead by police in Carrow Vale on Wednesday after he fired at officers. No officers "
        "were injured.",
        True,
        SHOT,
        has={"outcome": "fatal", "subject_armed": "gun"},
        lacks={"outcome": {"injured", "unharmed"}},
    ),
    Case(
        "gun-not-discharged-died-after-struggle",
        "Police said the officer's gun was not discharged and that the man died of a medical episode after a "
        "struggle with officers in Wexcombe.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "fatal"},
        lacks={"shots_fired": ANY, "force_used": {"firearm"}},
    ),
    Case(
        "india-police-denied-opening-fire",
        "Police denied opening fire on the protesters in Kesarganj, and officials said the two men died in a stampede.",
        None,
        lacks={"shots_fired": ANY, "force_used": {"firearm"}},
    ),
]

# --------------------------------------------------------------------------
# 7. Reported specific events vs quoted generalities and statistics.
# --------------------------------------------------------------------------
GENERALITIES = [
    Case(
        "campaigner-quote-people-killed-every-year",
        "'People are killed by police every year and nothing changes,' said campaigner Rhona Fairley as the "
        "council debated its new policing plan for Westmarch on Tuesday.",
        False,
    ),
    Case(
        "contrast-campaigners-after-named-man-shot-dead",
        "Campaigners gathered outside the council in Westmarch on Tuesday, a week after Callum Brierley, 26, "
        "was shot dead by police on Tanner Street.",
        True,
        SHOT,
        has={"outcome": "fatal", "subject_age": 26, "subject_name": "Callum Brierley"},
        lacks={"subject_name": {"Rhona Fairley"}},
    ),
    Case(
        "statistics-30-died-in-custody-last-year",
        "Figures published on Thursday show 30 people died in police custody in England and Wales last "
        "year, the highest number for a decade.",
        False,
    ),
    Case(
        "contrast-figures-come-after-named-custody-death",
        "The figures, published on Thursday, come a week after Ade Lawal, 34, died in police custody at "
        "Hobbs Lane police station.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_age": 34, "subject_name": "Ade Lawal"},
        lacks={"subject_age": {30}},
    ),
    Case(
        "report-shootings-rose-12-per-cent",
        "A report by the Larchfield Institute found that police shootings in the state rose by 12 per cent "
        "between 2019 and 2023.",
        False,
    ),
    Case(
        "policy-tasers-for-all-frontline-officers",
        "The force will issue Tasers to all front-line officers from April, the chief constable of "
        "Kestrelshire announced, saying they reduce injuries to officers and the public.",
        False,
    ),
    Case(
        "sheriff-on-training-shoot-only-when-threat",
        "Officers are trained to shoot only when there is an immediate threat to life, the sheriff told the "
        "county board on Monday.",
        False,
    ),
    Case(
        "tv-drama-review-fictional-shooting",
        "The new drama follows a detective haunted by the fatal police shooting of a teenager in a fictional "
        "northern town.",
        False,
    ),
    Case(
        "australia-statistics-since-royal-commission",
        "More than 500 Aboriginal and Torres Strait Islander people have died in custody since the 1991 "
        "royal commission, according to the Australian Institute of Criminology.",
        False,
    ),
    Case(
        "us-statistics-police-killed-1100-people",
        "Police killed 1,100 people in the United States last year, according to a database compiled by a "
        "nonprofit group.",
        False,
    ),
    Case(
        "contrast-us-police-killed-named-man",
        "Police killed Marcus Delane, 31, outside his home on Pryor Avenue in Eastvale Township on Saturday, "
        "his family said.",
        True,
        has={"outcome": "fatal", "subject_age": 31, "subject_name": "Marcus Delane"},
    ),
]

# --------------------------------------------------------------------------
# 8. The subject vs relatives and officers; home town vs scene (real towns).
# --------------------------------------------------------------------------
WHO_AND_WHERE = [
    Case(
        "uncle-age-is-not-subject-age",
        "A 23-year-old man was shot dead by police in Leeds on Sunday night. The man's uncle, Derek Haines, "
        "45, said the family wanted answers.",
        True,
        SHOT,
        has={"subject_age": 23, "subject_gender": "male"},
        lacks={"subject_age": {45}, "subject_name": {"Derek Haines"}},
    ),
    Case(
        "mothers-age-and-gender-are-not-subjects",
        "A 28-year-old man was shot and wounded by police in Manchester on Friday. His 61-year-old mother "
        "said he had been unwell for months.",
        True,
        SHOT,
        has={"subject_age": 28, "subject_gender": "male", "outcome": "injured"},
        lacks={"subject_age": {61}, "subject_gender": {"female"}},
    ),
    Case(
        "of-leeds-shot-in-bradford",
        "Kieran Ashdown, of Leeds, was shot by police in Bradford on Saturday and died in hospital.",
        True,
        SHOT,
        has={"locality": "Bradford", "subject_name": "Kieran Ashdown", "outcome": "fatal"},
        lacks={"locality": {"Leeds"}},
    ),
    Case(
        "of-atlanta-shot-in-houston",
        "Dion Marchetti, 30, of Atlanta, was shot and killed by police officers in Houston on Saturday while "
        "visiting relatives.",
        True,
        SHOT,
        has={"locality": "Houston", "subject_age": 30},
        lacks={"locality": {"Atlanta"}},
    ),
    Case(
        "woman-from-glasgow-died-in-custody-in-edinburgh",
        "A woman from Glasgow died in police custody in Edinburgh on Monday, Police Scotland said.",
        True,
        CUSTODY,
        has={"locality": "Edinburgh", "subject_gender": "female"},
        lacks={"locality": {"Glasgow"}},
    ),
    Case(
        "officers-age-and-gender-are-not-subjects",
        "A 19-year-old man was shot by police in Birmingham on Tuesday. The officer, a 52-year-old woman "
        "with 20 years' service, has been suspended.",
        True,
        SHOT,
        has={"subject_age": 19, "subject_gender": "male"},
        lacks={"subject_age": {52}, "subject_gender": {"female"}},
    ),
    Case(
        "sisters-name-is-not-subjects",
        "Ryan Pell, 24, died after being restrained by officers in Liverpool. His sister, Chloe Pell, said "
        "he had done nothing wrong.",
        True,
        CUSTODY_OR_CONTACT,
        has={"subject_name": "Ryan Pell", "subject_age": 24, "locality": "Liverpool"},
        lacks={"subject_name": {"Chloe Pell"}},
    ),
    Case(
        "fathers-age-and-unhurt-are-not-subjects",
        "A 16-year-old boy was seriously injured when he was hit by a police car in Sheffield. His father, "
        "40, who was with him, was unhurt.",
        True,
        ROAD,
        has={"subject_age": 16, "outcome": "injured", "locality": "Sheffield"},
        lacks={"subject_age": {40}, "outcome": {"unharmed"}},
    ),
    Case(
        "canada-from-calgary-shot-in-edmonton",
        "A man from Calgary was shot dead by police in Edmonton on Tuesday, Alberta's police watchdog said.",
        True,
        SHOT,
        has={"locality": "Edmonton"},
        lacks={"locality": {"Calgary"}},
    ),
    Case(
        "ireland-cork-man-shot-in-limerick",
        "A Cork man in his 40s was shot and injured by gardaí in Limerick city on Friday night.",
        True,
        SHOT,
        has={"locality": "Limerick", "outcome": "injured"},
        lacks={"locality": {"Cork"}},
    ),
]

# --------------------------------------------------------------------------
# 9. Later stages (inquest, trial, anniversary, settlement) are still reports.
# --------------------------------------------------------------------------
LATER_STAGES = [
    Case(
        "inquest-into-man-shot-by-police-in-2019",
        "An inquest into the death of Owen Garrick, who was shot dead by police in Harwick in 2019, opened at "
        "Marlby Coroner's Court on Monday.",
        True,
        SHOT,
        has={"subject_name": "Owen Garrick", "outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "contrast-inquest-into-house-fire-death",
        "An inquest into the death of Owen Garrick, who died in a house fire in Harwick in 2019, opened at "
        "Marlby Coroner's Court on Monday.",
        False,
    ),
    Case(
        "trial-of-constable-over-custody-death",
        "A police constable went on trial at Fenwick Crown Court on Tuesday charged with the manslaughter of "
        "Lamar Oduya, 38, who died in custody at Pellham police station in 2021.",
        True,
        CUSTODY,
        has={"subject_name": "Lamar Oduya", "subject_age": 38, "outcome": "fatal"},
    ),
    Case(
        "contrast-trial-of-civilian-over-stabbing",
        "A man went on trial at Fenwick Crown Court on Tuesday charged with the murder of Lamar Oduya, 38, "
        "who was stabbed outside a pub in Pellham in 2021.",
        False,
    ),
    Case(
        "family-marks-anniversary-of-deputy-shooting",
        "The family of Shauna Whitlow marked the fifth anniversary of her death on Saturday. She was shot by "
        "a sheriff's deputy at her home in Corley Springs in 2019.",
        True,
        SHOT,
        has={"subject_name": "Shauna Whitlow", "subject_gender": "female", "outcome": "fatal"},
    ),
    Case(
        "unlawful-killing-verdict-after-restraint",
        "A jury returned a verdict of unlawful killing at the inquest into the death of Patrick Mulvane, 51, "
        "who died after being restrained by officers in Dunmore in 2020.",
        True,
        CUSTODY_OR_CONTACT,
        has={"subject_name": "Patrick Mulvane", "subject_age": 51, "force_used": "restraint"},
    ),
    Case(
        "officer-acquitted-two-years-after-traffic-stop-shooting",
        "The officer who shot dead 17-year-old Jaylen Cross during a traffic stop in Ridgefield two years ago "
        "was acquitted of murder on Wednesday.",
        True,
        SHOT,
        has={"subject_age": 17, "outcome": "fatal", "subject_name": "Jaylen Cross"},
    ),
    Case(
        "garda-cleared-of-baton-assault",
        "A garda was cleared at the Central Criminal Court on Thursday of assault causing harm to a man he "
        "struck with a baton in Ballymorran in 2022.",
        True,
        CONTACT,
        has={"force_used": "baton", "outcome": "injured"},
    ),
    Case(
        "mother-campaigning-eight-years-after-chase-crash",
        "Eight years after Aran Teague died when his car crashed during a police chase in Wexley, his mother "
        "is still campaigning for a public inquiry.",
        True,
        ROAD,
        has={"subject_name": "Aran Teague", "outcome": "fatal"},
    ),
    Case(
        "iopc-concluded-investigation-referred-to-cps",
        "The IOPC has concluded its investigation into the fatal police shooting of Dmitri Sokol in "
        "Haverleigh in March last year and referred a firearms officer to the CPS.",
        True,
        SHOT,
        has={"subject_name": "Dmitri Sokol", "outcome": "fatal", "oversight_body": "IOPC"},
    ),
    Case(
        "india-policemen-sentenced-for-custodial-death",
        "A court in Bhairavnagar on Monday sentenced two policemen to life imprisonment for the custodial "
        "death of a 30-year-old daily-wage labourer in 2016.",
        True,
        CUSTODY,
        has={"subject_age": 30, "outcome": "fatal"},
    ),
    Case(
        "us-city-settlement-for-2018-shooting",
        "The city of Marston Falls agreed on Thursday to pay $4 million to the family of Terrell Bishop, who "
        "was shot and killed by a police officer in 2018.",
        True,
        SHOT,
        has={"subject_name": "Terrell Bishop", "outcome": "fatal"},
    ),
]

# --------------------------------------------------------------------------
# 10. Oversight bodies and forces outside the UK.
# --------------------------------------------------------------------------
OVERSIGHT = [
    Case(
        "ontario-siu-investigating-shooting",
        "Ontario's Special Investigations Unit is investigating after a 36-year-old man was shot and killed "
        "by police officers in Oakhaven, Ont., on Sunday.",
        True,
        SHOT,
        has={"oversight_body": "other", "outcome": "fatal", "subject_age": 36},
        lacks={"oversight_body": {"IOPC", "state", "internal"}},
    ),
    Case(
        "bc-iio-called-in-after-arrest-death",
        "The Independent Investigations Office of B.C. has been called in after a man died following an "
        "arrest by Mounties in Cedar Flats on Friday.",
        True,
        CUSTODY_OR_CONTACT,
        has={"oversight_body": "other", "outcome": "fatal"},
        lacks={"oversight_body": {"IOPC", "state"}},
    ),
    Case(
        "alberta-asirt-investigating-rcmp-shooting",
        "The Alberta Serious Incident Response Team (ASIRT) is investigating after a man was shot by RCMP "
        "officers near Ptarmigan Lake on Tuesday.",
        True,
        SHOT,
        has={"oversight_body": "other", "force_used": "firearm"},
        lacks={"oversight_body": {"state"}},
    ),
    Case(
        "quebec-bei-investigating-death",
        "Quebec's police watchdog, the Bureau des enquêtes indépendantes (BEI), is investigating the death "
        "of a man who was shot by Sûreté du Québec officers in Saint-Alphège-des-Monts on Saturday.",
        True,
        SHOT,
        has={"oversight_body": "other", "outcome": "fatal"},
        lacks={"oversight_body": {"state", "DOJ"}},
    ),
    Case(
        "nz-ipca-investigating-police-dog-bite",
        "The Independent Police Conduct Authority is investigating after a man was bitten by a police dog "
        "during an arrest in Waimaru on Sunday night.",
        True,
        CONTACT,
        has={"oversight_body": "other", "force_used": "dog", "outcome": "injured"},
    ),
    Case(
        "ireland-gsoc-collision-with-garda-car",
        "GSOC has begun an investigation after a man died following a collision with a Garda car in "
        "Drumcarrig, Co Leitrim, on Sunday.",
        True,
        ROAD,
        has={"oversight_body": "other", "outcome": "fatal", "force_used": "vehicle"},
    ),
    Case(
        "ireland-garda-ombudsman-arrest-injury",
        "The Garda Ombudsman is examining the circumstances in which a man was injured during his arrest by "
        "gardaí in Rathmaddock on Tuesday.",
        True,
        CUSTODY_OR_CONTACT,
        has={"oversight_body": "other", "outcome": "injured"},
        lacks={"oversight_body": {"PONI"}},
        contains={"agency": "Garda"},
    ),
    Case(
        "us-state-attorney-general-investigating",
        "The state attorney general's office will investigate the fatal shooting of a 40-year-old man by "
        "Pinehurst Falls police officers on Saturday.",
        True,
        SHOT,
        has={"oversight_body": "state", "outcome": "fatal", "subject_age": 40},
        lacks={"oversight_body": {"DOJ", "internal"}},
    ),
    Case(
        "india-human-rights-commission-custodial-death",
        "The state human rights commission has sought a report on the custodial death of a 26-year-old man "
        "at Ramgarhi police station.",
        True,
        CUSTODY,
        has={"outcome": "fatal", "subject_age": 26},
    ),
    Case(
        "australia-lecc-oversees-critical-incident",
        "The Law Enforcement Conduct Commission is overseeing a critical incident investigation after a man "
        "was shot dead by police in Kurrawong, NSW, on Wednesday.",
        True,
        SHOT,
        has={"oversight_body": "other", "outcome": "fatal"},
        lacks={"oversight_body": {"state", "IOPC"}},
    ),
    Case(
        "northern-ireland-police-ombudsman-baton-round",
        "The Police Ombudsman is investigating after a man was injured when PSNI officers fired a baton "
        "round during a disturbance in Drumlough.",
        True,
        has={"oversight_body": "PONI", "outcome": "injured"},
        lacks={"oversight_body": {"other"}},
    ),
]

# --------------------------------------------------------------------------
# 11. Everyday one-sentence ledes.
# --------------------------------------------------------------------------
LEDES = [
    Case(
        "cops-killed-a-man-outside-a-bar",
        "Cops killed a man outside a bar on Friday.",
        True,
        has={"outcome": "fatal", "subject_gender": "male"},
    ),
    Case(
        "woman-died-after-police-tasered-her",
        "A woman died after police tasered her in Quarrington on Monday.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "fatal", "force_used": "taser", "subject_gender": "female"},
        lacks={"force_used": {"firearm"}},
    ),
    Case(
        "teen-hurt-when-deputies-k9-bit-him",
        "A teen was hurt when deputies' K9 bit him during a search in Alder Glen.",
        True,
        CONTACT,
        has={"outcome": "injured", "force_used": "dog"},
        lacks={"outcome": {"fatal"}},
    ),
    Case(
        "grandmother-pepper-sprayed-and-handcuffed",
        "Police pepper-sprayed and handcuffed a 70-year-old grandmother in Heddon Wick, leaving her with a "
        "broken wrist.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "injured", "force_used": "chemical", "subject_age": 70, "subject_gender": "female"},
    ),
    Case(
        "fighting-for-life-after-shot-by-police",
        "A man is fighting for his life after being shot by police in Wexbury.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm"},
        lacks={"outcome": {"fatal"}},
    ),
    Case(
        "officers-fatally-shot-man-in-parking-lot",
        "Officers fatally shot a man in a Corbin Heights parking lot Tuesday.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm"},
    ),
    Case(
        "boy-fractured-skull-officer-baton",
        "A 15-year-old boy was left with a fractured skull after an officer hit him with a baton.",
        True,
        CONTACT,
        has={"outcome": "injured", "force_used": "baton", "subject_age": 15},
    ),
    Case(
        "australia-police-shot-dead-knife-wielding-man",
        "Police shot dead a knife-wielding man in Kerrigan Street, Dunfield, New South Wales.",
        True,
        SHOT,
        has={"outcome": "fatal", "force_used": "firearm", "subject_armed": "knife"},
    ),
    Case(
        "tackled-and-pinned-by-two-officers-died",
        "A man died after he was tackled and pinned to the ground by two officers outside a shop in Tolworth Hythe.",
        True,
        CUSTODY_OR_CONTACT,
        has={"outcome": "fatal", "force_used": "restraint"},
    ),
    Case(
        "deputies-ran-over-fleeing-man",
        "Deputies ran over a fleeing man with their patrol car in Sallow Creek, killing him.",
        True,
        (ROAD, CONTACT),
        has={"outcome": "fatal", "force_used": "vehicle", "fleeing": "foot"},
    ),
    Case(
        "ireland-gardai-fired-at-car-driver-wounded",
        "Gardaí fired shots at a car that failed to stop at a checkpoint in Moyvalley Cross, wounding the driver.",
        True,
        SHOT,
        has={"outcome": "injured", "force_used": "firearm"},
        contains={"agency": "Garda"},
    ),
]

GROUPS = {
    "g01_voice": VOICE,
    "g02_officer_victim": OFFICER_VICTIM,
    "g03_police_only_present": BYSTANDER_POLICE,
    "g04_custody": CUSTODY_CASES,
    "g05_pursuits_vehicles": PURSUITS,
    "g06_negation_hedging": NEGATION,
    "g07_generalities": GENERALITIES,
    "g08_who_and_where": WHO_AND_WHERE,
    "g09_later_stages": LATER_STAGES,
    "g10_oversight_abroad": OVERSIGHT,
    "g11_ledes": LEDES,
}


#: Cases the reader does not pass yet, each with what is missing. They run as strict xfails:
#: a case that starts passing fails the suite until it is taken off this list.
KNOWN_GAPS: dict[str, str] = {
    "police-opened-fire-wounding-a-19-year-old": "the wound is linked to the police agent but not to 'opened fire' (category)",
    "us-state-troopers-shot-and-killed": "'fired at them' gives the threat, not a gun as subject_armed",
    "inmate-found-unresponsive": "no gender from a possessive pronoun ('his cell') on a genderless patient",
    "crashed-while-being-pursued-by-police": "fleeing mode from a pursuit of a driver is not read",
    "not-clear-whether-he-pointed-a-gun": "a hedge over 'pointed a gun' is not carried to subject_armed",
    "no-officers-were-injured": "'he fired at officers' does not give a gun as subject_armed",
    "gun-not-discharged-died-after-struggle": "a death 'of a medical episode after a struggle' is not tied to the officers",
    "tv-drama-review-fictional-shooting": "no notion of fiction: a review retelling a drama's shooting reads as a report",
    "ireland-cork-man-shot-in-limerick": "the gazetteer has no Irish Limerick",
    "officer-acquitted-two-years-after-traffic-stop-shooting": "'shot dead 17-year-old X' misreads 'dead' as part of the patient",
    "garda-cleared-of-baton-assault": "'a man he struck with a baton' in a court report: the first reading misses it",
    "grandmother-pepper-sprayed-and-handcuffed": "a relative noun as patient gives no subject age",
    "deputies-ran-over-fleeing-man": "'a fleeing man' as a modifier is not read as flight on foot",
}
