"""Synthetic news for benchmarks: reports of deaths and injuries after police contact among ordinary news.

    python bench/generate.py 100000 --relevant-share 0.01 -o articles.jsonl

`generate(n, relevant_share, seed)` yields JSONL records (url, title, published,
outlet, text). About `relevant_share` of them report a death or injury after police
contact (shootings, deaths in custody, restraint, Tasers, pursuits, police vehicles,
police dogs; the UK and the US, real places and forces, random people, ages, times
and weekdays, sentences in varied order), told by one to three outlets each, some as
wire copies. The rest is ordinary news: sport, business, weather, politics, council
business, crime reports that quote the police, and court reports. Outlets and people
are invented; URLs use the reserved `.example` domain. The same seed gives the same
corpus, and no two records have the same text.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

# --- places, forces, people --------------------------------------------------------

# (town, force, region, oversight body, neighbourhoods or streets)
UK_PLACES = [
    ("Leeds", "West Yorkshire Police", "West Yorkshire", "IOPC", ["Harehills", "Armley", "Chapeltown", "Beeston"]),
    ("Bradford", "West Yorkshire Police", "West Yorkshire", "IOPC", ["Manningham", "Bowling", "Eccleshill"]),
    (
        "Manchester",
        "Greater Manchester Police",
        "Greater Manchester",
        "IOPC",
        ["Moss Side", "Longsight", "Gorton", "Ancoats"],
    ),
    ("Salford", "Greater Manchester Police", "Greater Manchester", "IOPC", ["Eccles", "Pendleton", "Ordsall"]),
    (
        "Birmingham",
        "West Midlands Police",
        "West Midlands",
        "IOPC",
        ["Handsworth", "Small Heath", "Erdington", "Sparkhill"],
    ),
    ("Wolverhampton", "West Midlands Police", "West Midlands", "IOPC", ["Whitmore Reans", "Bilston", "Wednesfield"]),
    ("Liverpool", "Merseyside Police", "Merseyside", "IOPC", ["Anfield", "Toxteth", "Kensington", "Walton"]),
    ("Bristol", "Avon and Somerset Police", "Bristol", "IOPC", ["St Pauls", "Easton", "Southmead", "Bedminster"]),
    ("Cardiff", "South Wales Police", "Cardiff", "IOPC", ["Splott", "Grangetown", "Ely", "Butetown"]),
    ("Swansea", "South Wales Police", "Swansea", "IOPC", ["Townhill", "Morriston", "Sketty"]),
    ("Sheffield", "South Yorkshire Police", "South Yorkshire", "IOPC", ["Page Hall", "Darnall", "Firth Park"]),
    ("Nottingham", "Nottinghamshire Police", "Nottinghamshire", "IOPC", ["St Ann's", "Sneinton", "Bulwell", "Radford"]),
    ("Leicester", "Leicestershire Police", "Leicestershire", "IOPC", ["Belgrave", "Highfields", "Braunstone"]),
    ("Newcastle", "Northumbria Police", "Tyne and Wear", "IOPC", ["Byker", "Elswick", "Benwell", "Walker"]),
    ("Brighton", "Sussex Police", "East Sussex", "IOPC", ["Whitehawk", "Moulsecoomb", "Kemptown"]),
    ("Southampton", "Hampshire Constabulary", "Hampshire", "IOPC", ["Shirley", "Portswood", "Thornhill"]),
    ("Norwich", "Norfolk Constabulary", "Norfolk", "IOPC", ["Mile Cross", "Lakenham", "Bowthorpe"]),
    ("Plymouth", "Devon and Cornwall Police", "Devon", "IOPC", ["Devonport", "Stonehouse", "Keyham"]),
    ("Oxford", "Thames Valley Police", "Oxfordshire", "IOPC", ["Blackbird Leys", "Cowley", "Jericho"]),
    ("Hull", "Humberside Police", "East Riding of Yorkshire", "IOPC", ["Orchard Park", "Bransholme", "Hessle Road"]),
    ("Derby", "Derbyshire Constabulary", "Derbyshire", "IOPC", ["Normanton", "Sinfin", "Allenton"]),
    ("Croydon", "Metropolitan Police", "London", "IOPC", ["Thornton Heath", "Norbury", "Selhurst"]),
    ("Hackney", "Metropolitan Police", "London", "IOPC", ["Dalston", "Homerton", "Clapton"]),
    ("Lewisham", "Metropolitan Police", "London", "IOPC", ["Catford", "Deptford", "Brockley"]),
    ("Glasgow", "Police Scotland", "Glasgow City", "PIRC", ["Govan", "Easterhouse", "Possilpark", "Partick"]),
    ("Edinburgh", "Police Scotland", "City of Edinburgh", "PIRC", ["Leith", "Wester Hailes", "Niddrie"]),
    ("Dundee", "Police Scotland", "Dundee City", "PIRC", ["Lochee", "Whitfield", "Hilltown"]),
    (
        "Belfast",
        "Police Service of Northern Ireland",
        "County Antrim",
        "Police Ombudsman",
        ["Falls Road", "Shankill", "Ormeau"],
    ),
]

UK_STREETS = [
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Park Avenue",
    "Mill Lane",
    "Queen Street",
    "King's Road",
    "Green Lane",
    "York Road",
    "Albert Street",
    "Manor Way",
    "Canal Street",
    "Chapel Road",
]

# (city, state, state abbreviation, agency, state investigators)
US_PLACES = [
    ("Houston", "Texas", "Texas", "Houston Police Department", "the Texas Rangers"),
    ("San Antonio", "Texas", "Texas", "San Antonio Police Department", "the Texas Rangers"),
    ("Phoenix", "Arizona", "Ariz.", "Phoenix Police Department", "the Arizona Department of Public Safety"),
    ("Columbus", "Ohio", "Ohio", "Columbus Division of Police", "the Ohio Bureau of Criminal Investigation"),
    ("Cleveland", "Ohio", "Ohio", "Cleveland Division of Police", "the Ohio Bureau of Criminal Investigation"),
    ("Chicago", "Illinois", "Ill.", "Chicago Police Department", "the Civilian Office of Police Accountability"),
    ("Atlanta", "Georgia", "Ga.", "Atlanta Police Department", "the Georgia Bureau of Investigation"),
    ("Memphis", "Tennessee", "Tenn.", "Memphis Police Department", "the Tennessee Bureau of Investigation"),
    ("Nashville", "Tennessee", "Tenn.", "Metro Nashville Police Department", "the Tennessee Bureau of Investigation"),
    ("Denver", "Colorado", "Colo.", "Denver Police Department", "the Colorado Bureau of Investigation"),
    ("Albuquerque", "New Mexico", "N.M.", "Albuquerque Police Department", "the New Mexico State Police"),
    ("Tulsa", "Oklahoma", "Okla.", "Tulsa Police Department", "the Oklahoma State Bureau of Investigation"),
    ("Louisville", "Kentucky", "Ky.", "Louisville Metro Police Department", "Kentucky State Police"),
    ("Jacksonville", "Florida", "Fla.", "Jacksonville Sheriff's Office", "the Florida Department of Law Enforcement"),
    ("Tampa", "Florida", "Fla.", "Tampa Police Department", "the Florida Department of Law Enforcement"),
    ("Fresno", "California", "Calif.", "Fresno Police Department", "the California Department of Justice"),
    ("Sacramento", "California", "Calif.", "Sacramento Police Department", "the California Department of Justice"),
    (
        "Las Vegas",
        "Nevada",
        "Nev.",
        "Las Vegas Metropolitan Police Department",
        "the Clark County district attorney's office",
    ),
    ("Baltimore", "Maryland", "Md.", "Baltimore Police Department", "the Maryland attorney general's office"),
    (
        "Milwaukee",
        "Wisconsin",
        "Wis.",
        "Milwaukee Police Department",
        "the Wisconsin Division of Criminal Investigation",
    ),
    ("Kansas City", "Missouri", "Mo.", "Kansas City Police Department", "the Missouri State Highway Patrol"),
    (
        "Seattle",
        "Washington",
        "Wash.",
        "Seattle Police Department",
        "the Washington State Office of Independent Investigations",
    ),
    ("Portland", "Oregon", "Ore.", "Portland Police Bureau", "the Multnomah County district attorney's office"),
    (
        "Minneapolis",
        "Minnesota",
        "Minn.",
        "Minneapolis Police Department",
        "the Minnesota Bureau of Criminal Apprehension",
    ),
    ("Detroit", "Michigan", "Mich.", "Detroit Police Department", "Michigan State Police"),
    (
        "Charlotte",
        "North Carolina",
        "N.C.",
        "Charlotte-Mecklenburg Police Department",
        "the North Carolina State Bureau of Investigation",
    ),
]

US_STREETS = [
    "Main Street",
    "Oak Avenue",
    "Maple Drive",
    "Martin Luther King Jr. Boulevard",
    "Elm Street",
    "Washington Avenue",
    "Pine Street",
    "Lincoln Road",
    "Broadway",
    "Cedar Lane",
    "Jefferson Avenue",
    "Sunset Boulevard",
    "Ridge Road",
]

FIRST_MALE = [
    "James",
    "Michael",
    "David",
    "Daniel",
    "Marcus",
    "Jamal",
    "Carlos",
    "Luis",
    "Tyrone",
    "Kevin",
    "Ryan",
    "Liam",
    "Connor",
    "Mohammed",
    "Ahmed",
    "Kwame",
    "Jordan",
    "Anthony",
    "Christopher",
    "Dwayne",
    "Sean",
    "Patrick",
    "Tomasz",
]
FIRST_FEMALE = [
    "Sarah",
    "Maria",
    "Jessica",
    "Aisha",
    "Keisha",
    "Emma",
    "Chloe",
    "Rebecca",
    "Fatima",
    "Tanya",
    "Laura",
    "Grace",
    "Natasha",
    "Ana",
    "Shanice",
    "Megan",
    "Olivia",
    "Priya",
    "Joanne",
    "Denise",
]
LAST = [
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "Walker",
    "Robinson",
    "Clarke",
    "Okafor",
    "Hussain",
    "Khan",
    "Murphy",
    "O'Neill",
    "Kowalski",
    "Evans",
    "Hughes",
    "Campbell",
    "Reid",
    "Patel",
    "Mensah",
    "Fletcher",
    "Bennett",
    "Hayes",
    "Sullivan",
    "Price",
]

UK_OUTLETS = [
    "Northern Courier",
    "Evening Press",
    "Metro Wire",
    "County Herald",
    "The Chronicle",
    "Daily Observer",
    "Riverside Gazette",
    "City Dispatch",
    "Valley Echo",
    "Coast Standard",
    "Borough Post",
    "Midland Mercury",
]
US_OUTLETS = [
    "Capital Report",
    "Metro Ledger",
    "Lone Star Wire",
    "Valley Tribune",
    "Sun Herald",
    "Daily Beacon",
    "River City Times",
    "Prairie News",
    "Bay Sentinel",
    "Desert Star",
    "Lakeside Journal",
    "Peach State Post",
]
WIRES = {"GB": "Press Wire", "US": "National Wire"}

REPORTS_PER_INCIDENT = [45, 35, 20]  # weights of 1, 2 and 3 outlets telling one incident
MEAN_REPORTS = sum((k + 1) * w for k, w in enumerate(REPORTS_PER_INCIDENT)) / sum(REPORTS_PER_INCIDENT)

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
US_MONTHS = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


@dataclass
class Incident:
    """The facts one to three reports tell, each in its own words."""

    country: str
    category: str
    day: date
    hour: int
    minute: int
    town: str
    region: str
    force: str
    oversight: str
    area: str
    street: str
    age: int
    male: bool
    name: str | None
    shots: int
    weapon: str
    fatal: bool
    extras: dict[str, str] = field(default_factory=dict)


# --- small renderers -------------------------------------------------------------------


def _time(rng: random.Random, inc: Incident) -> str:
    hour12 = inc.hour % 12 or 12
    qualifier = rng.choice(["about", "around", "shortly before", "shortly after", "just after", "at"])
    if inc.country == "GB":
        if rng.random() < 0.25:
            return f"{qualifier} {inc.hour:02d}:{inc.minute:02d}"
        minutes = f".{inc.minute:02d}" if inc.minute else ""
        return f"{qualifier} {hour12}{minutes}{'am' if inc.hour < 12 else 'pm'}"
    minutes = f":{inc.minute:02d}" if inc.minute else ""
    return f"{qualifier} {hour12}{minutes} {'a.m.' if inc.hour < 12 else 'p.m.'}"


def _when(rng: random.Random, inc: Incident) -> str:
    weekday = WEEKDAYS[inc.day.weekday()]
    part = "night" if inc.hour >= 19 or inc.hour < 4 else ("morning" if inc.hour < 12 else "afternoon")
    if inc.country == "GB":
        return rng.choice(
            [
                f"on {weekday} {part}",
                f"on {weekday}",
                f"on {weekday} ({inc.day.day} {MONTHS[inc.day.month - 1]})",
                f"on {inc.day.day} {MONTHS[inc.day.month - 1]}",
            ]
        )
    return rng.choice(
        [
            f"{weekday} {part}",
            f"on {weekday}",
            f"on {US_MONTHS[inc.day.month - 1]} {inc.day.day}",
            f"late {weekday}" if part == "night" else f"early {weekday}",
        ]
    )


def _who(rng: random.Random, inc: Incident, first: bool = True) -> str:
    noun, his = ("man", "his") if inc.male else ("woman", "her")
    if first:
        return rng.choice(
            [
                f"a {inc.age}-year-old {noun}",
                f"a {noun} aged {inc.age}",
                f"a {noun} in {his} {inc.age // 10 * 10}s",
                f"a {noun}",
            ]
        )
    return rng.choice([f"the {noun}", f"the {inc.age}-year-old", "he" if inc.male else "she"])


def _pronoun(inc: Incident) -> tuple[str, str]:
    return ("he", "his") if inc.male else ("she", "her")


def _place(rng: random.Random, inc: Incident) -> str:
    if inc.country == "GB":
        return rng.choice(
            [
                f"in {inc.area}, {inc.town}",
                f"on {inc.street} in {inc.area}",
                f"in the {inc.area} area of {inc.town}",
                f"at a house in {inc.area}",
                f"in {inc.town}",
            ]
        )
    return rng.choice(
        [
            f"in the {inc.street} area of {inc.town}",
            f"on {inc.street} in {inc.town}",
            f"in {inc.town}, {inc.extras['abbr']}",
            f"at an apartment complex in {inc.town}",
            f"near {inc.street} and {inc.extras['cross']}",
        ]
    )


def _name_line(rng: random.Random, inc: Incident) -> str:
    he, his = _pronoun(inc)
    if inc.name is None:
        if inc.country == "GB":
            return rng.choice(
                [
                    f"{he.capitalize()} has not yet been formally identified, but {his} next of kin have been informed.",
                    f"{his.capitalize()} family have been told and are being supported by specially trained officers.",
                ]
            )
        return rng.choice(
            [
                f"The medical examiner's office has not released {his} name.",
                f"{his.capitalize()} name has not been released.",
            ]
        )
    if inc.country == "GB":
        return rng.choice(
            [
                f"{he.capitalize()} has been named locally as {inc.name}, {inc.age}.",
                f"Family members named {'him' if inc.male else 'her'} as {inc.name}.",
            ]
        )
    return rng.choice(
        [
            f"The medical examiner identified {'him' if inc.male else 'her'} as {inc.name}, {inc.age}.",
            f"Relatives identified {'him' if inc.male else 'her'} as {inc.name}.",
        ]
    )


def _statement(rng: random.Random, inc: Incident) -> str:
    rank = (
        rng.choice(["Chief Superintendent", "Assistant Chief Constable", "Superintendent", "Detective Chief Inspector"])
        if inc.country == "GB"
        else rng.choice(
            ["Sheriff's spokesperson", "Sgt."]
            if "Sheriff" in inc.force
            else ["Chief", "Assistant Chief", "Deputy Chief", "Sgt."]
        )
    )
    who = f"{rank} {rng.choice(FIRST_MALE + FIRST_FEMALE)} {rng.choice(LAST)}"
    text = rng.choice(
        [
            "Our thoughts are with the family and everyone affected by this tragic incident.",
            "I understand the concern this will cause in the community and we will cooperate fully with the investigation.",
            "This is a very difficult time for everyone involved, and we ask people not to speculate.",
            "We know people will have questions, and we will be as open as we can while the investigation continues.",
        ]
    )
    return rng.choice([f'"{text[:-1]}," said {who}.', f'{who} said: "{text}"', f'"{text[:-1]}," {who} told reporters.'])


def _oversight(rng: random.Random, inc: Incident) -> str:
    body = inc.oversight
    if inc.country == "GB":
        full = {
            "IOPC": "the Independent Office for Police Conduct (IOPC)",
            "PIRC": "the Police Investigations and Review Commissioner (PIRC)",
            "Police Ombudsman": "the Police Ombudsman",
        }[body]
        return rng.choice(
            [
                f"The force referred the matter to {full}, which has begun an independent investigation.",
                f"{full[0].upper() + full[1:]} said it was investigating the circumstances.",
                f"The {body} confirmed its investigators had been sent to the scene and to the post-incident procedure.",
            ]
        )
    return rng.choice(
        [
            f"{body[0].upper() + body[1:]} is investigating, as is standard in such cases.",
            f"The officers involved have been placed on administrative leave while {body} investigates.",
            f"Body camera footage will be reviewed by {body}, officials said.",
        ]
    )


def _witness(rng: random.Random, inc: Incident) -> str:
    who = (
        rng.choice(["A neighbour", "One resident", "A woman who lives nearby", "A witness", "A shop worker"])
        if inc.country == "GB"
        else rng.choice(
            ["A neighbor", "One resident", "A man who lives nearby", "A witness", "A woman who was walking her dog"]
        )
    )
    seen = rng.choice(
        [
            "heard shouting and then saw several police cars arrive",
            "saw officers running towards the house",
            "heard what sounded like a bang",
            "saw an ambulance and the road was closed for hours",
            "looked out to see the street full of flashing lights",
        ]
    )
    return f"{who}, who did not want to be named, said they {seen}."


def _family(rng: random.Random, inc: Incident) -> str:
    he, his = _pronoun(inc)
    return rng.choice(
        [
            f'{his.capitalize()} sister said: "We want answers. {he.capitalize()} needed help, not this."',
            f'"{he.capitalize()} was a loving {"father" if inc.male else "mother"} and we are devastated," the family said in a statement.',
            f"Relatives gathered at the scene on {WEEKDAYS[(inc.day.weekday() + 1) % 7]} and called for a full inquiry.",
            f"A vigil was planned for {WEEKDAYS[(inc.day.weekday() + 2) % 7]} evening.",
        ]
    )


# --- the incident reports, category by category -----------------------------------------------


def _core(rng: random.Random, inc: Incident) -> list[str]:
    """The sentences only this category tells: a lede and one to three detail sentences."""
    he, his = _pronoun(inc)
    who, when, place, at = _who(rng, inc), _when(rng, inc), _place(rng, inc), _time(rng, inc)
    force = inc.force
    cops = (
        "officers"
        if inc.country == "GB"
        else rng.choice(["officers", "police", "deputies" if "Sheriff" in inc.force else "officers"])
    )
    status = "died at the scene" if inc.fatal else "was taken to hospital with serious injuries"
    c = inc.category
    if c == "shooting":
        shots = NUMBER_WORDS[inc.shots] if inc.shots < len(NUMBER_WORDS) else str(inc.shots)
        lede = rng.choice(
            [
                f"{who.capitalize()} was shot {'dead' if inc.fatal else 'and wounded'} by police {place} {when}.",
                f"Police {'shot and killed' if inc.fatal else 'shot and wounded'} {who} {place} {when}, {force} said.",
                f"{cops.capitalize()} opened fire on {who} {place} {when} after reports that {he} had a {inc.weapon}.",
            ]
        )
        details = [
            f"{cops.capitalize()} were called {at} to reports of a {rng.choice(['disturbance', 'man with a weapon', 'domestic incident', 'person in crisis'])}.",
            f"An officer fired {shots} shots, and {he} {status}." if inc.shots else f"{he.capitalize()} {status}.",
            f"A {inc.weapon} was recovered at the scene, {'police' if inc.country == 'GB' else 'officials'} said.",
            f"Paramedics gave first aid but {he} was pronounced dead {rng.choice(['a short time later', 'at the scene', 'in hospital'])}."
            if inc.fatal
            else f"{his.capitalize()} injuries are not thought to be life-threatening.",
        ]
    elif c == "custody":
        lede = rng.choice(
            [
                f"{who.capitalize()} has died after being found unresponsive in a police cell {place}.",
                f"An investigation has begun after {who} died in police custody {when}.",
                f"{who.capitalize()} collapsed in custody at {inc.town} {rng.choice(['police station', 'custody suite', 'county jail'])} and later died in hospital.",
            ]
        )
        details = [
            f"{he.capitalize()} had been arrested earlier {when} on suspicion of {rng.choice(['shoplifting', 'being drunk and disorderly', 'a public order offence', 'assault', 'possession of drugs'])}.",
            f"Staff found {'him' if inc.male else 'her'} unresponsive during a routine check {at}.",
            f"{he.capitalize()} was taken to hospital, where {he} was pronounced dead.",
        ]
    elif c == "restraint":
        lede = rng.choice(
            [
                f"{who.capitalize()} died after being restrained by {cops} {place} {when}.",
                f"{who.capitalize()} stopped breathing after {he} was held down by {cops} during an arrest {place}.",
                f"A family is demanding answers after {who} died following {his} arrest {place} {when}.",
            ]
        )
        details = [
            f"{cops.capitalize()} had been called {at} to reports of {'a man' if inc.male else 'a woman'} acting erratically in the street.",
            f"{he.capitalize()} was handcuffed and held face down for several minutes, according to a witness.",
            f"{he.capitalize()} became unresponsive and was taken to hospital, where {he} died {rng.choice(['a short time later', 'two days later', 'the following morning'])}.",
        ]
    elif c == "taser":
        lede = rng.choice(
            [
                f"{who.capitalize()} has died after being Tasered by police {place} {when}.",
                f"{cops.capitalize()} used a Taser on {who} who later died {place}.",
                f"{who.capitalize()} was Tasered by {cops} {when} and {'died in hospital' if inc.fatal else 'remains in hospital'}.",
            ]
        )
        details = [
            f"{cops.capitalize()} were responding {at} to a call about {'a man' if inc.male else 'a woman'} with a {inc.weapon}.",
            f"A Taser was discharged, and {he} collapsed shortly afterwards.",
            f"{he.capitalize()} was taken to {inc.town} {rng.choice(['General Hospital', 'Royal Infirmary'] if inc.country == 'GB' else ['General Hospital', 'Medical Center'])}.",
        ]
    elif c == "pursuit":
        vehicle = rng.choice(
            ["car", "stolen car", "motorbike", "van", "pickup truck" if inc.country == "US" else "hatchback"]
        )
        lede = rng.choice(
            [
                f"A driver aged {inc.age} was killed when the {vehicle} {he} was driving crashed during a police pursuit {place} {when}.",
                f"{who.capitalize()} died after a {vehicle} being chased by police collided with a wall {place}.",
                f"A police chase ended in a fatal crash {place} {when}, leaving {who} dead.",
            ]
        )
        details = [
            f"{cops.capitalize()} had tried to stop the {vehicle} {at} on {inc.street}, but it failed to stop.",
            f"The {vehicle} overturned after hitting a {rng.choice(['lamp post', 'parked car', 'tree', 'barrier'])}.",
            f"{he.capitalize()} was pronounced dead at the scene; a passenger was taken to hospital.",
        ]
    elif c == "vehicle":
        lede = rng.choice(
            [
                f"A pedestrian aged {inc.age} died after being struck by a police car {place} {when}.",
                f"{who.capitalize()} was hit by a marked police vehicle responding to an emergency call {place}.",
                f"A police van collided with {who} crossing {inc.street} {when}.",
            ]
        )
        details = [
            f"The patrol car was travelling with its lights on {at}, witnesses said.",
            f"{he.capitalize()} {'died in hospital' if inc.fatal else 'suffered serious injuries'} despite the efforts of paramedics.",
            f"{inc.street} was closed for several hours while collision investigators examined the scene.",
        ]
    else:  # dog
        lede = rng.choice(
            [
                f"{who.capitalize()} was bitten by a police dog during an arrest {place} {when}.",
                f"A police dog bit {who} who was hiding in a garden {place}.",
                f"{who.capitalize()} needed hospital treatment after being attacked by a police dog {when}.",
            ]
        )
        details = [
            f"Officers were searching for a suspect {at} after a report of a {rng.choice(['burglary', 'break-in', 'stolen car'])}.",
            f"{he.capitalize()} was taken to hospital with injuries to {his} {rng.choice(['arm', 'leg', 'face', 'hand'])}.",
            f"The dog handler called for an ambulance, {force} said.",
        ]
    rng.shuffle(details)
    return [lede, *details[: rng.randint(1, len(details))]]


def _title(rng: random.Random, inc: Incident) -> str:
    noun = "man" if inc.male else "woman"
    place = inc.town if inc.country == "GB" else f"{inc.town}, {inc.extras['abbr']}"
    return rng.choice(
        {
            "shooting": [
                f"{noun.capitalize()} shot dead by police in {place}"
                if inc.fatal
                else f"{noun.capitalize()} wounded in police shooting in {place}",
                f"Police shooting in {place}: {inc.age}-year-old {'killed' if inc.fatal else 'injured'}",
                f"Watchdog investigates {place} police shooting",
            ],
            "custody": [
                f"{noun.capitalize()} dies in police custody in {place}",
                f"Death in custody at {place} police station",
                f"Inquiry into {place} cell death",
            ],
            "restraint": [
                f"{noun.capitalize()} dies after police restraint in {place}",
                f"Family demands answers over {place} arrest death",
            ],
            "taser": [
                f"{noun.capitalize()} dies after being Tasered in {place}",
                f"Taser use under investigation after {place} death",
            ],
            "pursuit": [
                f"Driver dies in crash after police chase in {place}",
                f"Fatal crash follows police pursuit in {place}",
            ],
            "vehicle": [
                f"Pedestrian hit by police car in {place}",
                f"Police car crash in {place} leaves {noun} {'dead' if inc.fatal else 'injured'}",
            ],
            "dog": [
                f"{noun.capitalize()} bitten by police dog in {place}",
                f"Police dog bite sends suspect to hospital in {place}",
            ],
        }[inc.category]
    )


def _new_incident(rng: random.Random, day: date) -> Incident:
    country = "GB" if rng.random() < 0.5 else "US"
    male = rng.random() < 0.85
    first = rng.choice(FIRST_MALE if male else FIRST_FEMALE)
    name = f"{first} {rng.choice(LAST)}" if rng.random() < (0.35 if country == "GB" else 0.6) else None
    category = rng.choices(
        ["shooting", "custody", "restraint", "taser", "pursuit", "vehicle", "dog"], [30, 15, 15, 12, 14, 8, 6]
    )[0]
    hour = rng.choice([0, 1, 2, 3, 7, 9, 11, 13, 15, 16, 18, 19, 20, 21, 22, 23])
    common = dict(
        category=category,
        day=day,
        hour=hour,
        minute=rng.choice([0, 0, 10, 15, 20, 30, 30, 40, 45, 50]),
        age=rng.randint(16, 78),
        male=male,
        name=name,
        shots=rng.choice([1, 1, 2, 2, 3, 4, 6]),
        weapon=rng.choice(["knife", "handgun", "kitchen knife", "machete", "baseball bat", "replica gun", "hammer"]),
        fatal=category != "dog" and rng.random() < 0.8,
    )
    if country == "GB":
        town, force, region, oversight, areas = rng.choice(UK_PLACES)
        return Incident(
            country,
            town=town,
            force=force,
            region=region,
            oversight=oversight,
            area=rng.choice(areas),
            street=rng.choice(UK_STREETS),
            **common,
        )
    city, state, abbr, agency, investigators = rng.choice(US_PLACES)
    streets = rng.sample(US_STREETS, 2)
    return Incident(
        country,
        town=city,
        force=agency,
        region=state,
        oversight=investigators,
        area=city,
        street=streets[0],
        extras={"abbr": abbr, "cross": streets[1]},
        **common,
    )


def report(rng: random.Random, inc: Incident, outlet: str) -> tuple[str, str]:
    """(title, text) of one outlet's report: its own lede, details, and order."""
    core = _core(rng, inc)
    others = [_statement(rng, inc), _oversight(rng, inc)]
    others += rng.sample([_witness(rng, inc), _family(rng, inc), _name_line(rng, inc)], rng.randint(1, 3))
    rng.shuffle(others)
    sentences = core + others
    for _ in range(rng.choice([0, 1, 2, 3, 5, 8])):
        sentences.append(rng.choice(BACKGROUND + FILLER["local"]).format(**_fill(rng, inc.town), force=inc.force))
    paragraphs = _paragraphs(rng, sentences)
    if rng.random() < 0.3:
        paragraphs.append(
            f"Anyone with information is asked to contact {inc.force}" + (" on 101." if inc.country == "GB" else ".")
        )
    return _title(rng, inc), "\n\n".join(paragraphs)


BACKGROUND = [
    "{force} has faced questions over its use of force in the past, and campaigners said lessons had not been learned.",
    "Figures published last year showed that {force} recorded {jobs} uses of force in twelve months.",
    "Community leaders in {town} called for calm and urged people to let the investigation take its course.",
    "It is the second such incident in the area since {year}, according to local records.",
    "Campaign groups that monitor deaths after police contact said the case raised serious questions.",
    "A cordon remained in place on {street} for much of the following day while forensic officers worked.",
    "Local councillor {name} said residents were shocked and wanted to know what had happened.",
    "An inquest is expected to be opened and adjourned in the coming weeks.",
]


# --- ordinary news ------------------------------------------------------------------------

TEAMS = [
    "United",
    "City",
    "Rovers",
    "Athletic",
    "Wanderers",
    "Albion",
    "County",
    "Town",
    "Hawks",
    "Rangers",
    "Tigers",
    "Bulldogs",
]
COMPANIES = [
    "Northgate Foods",
    "Harbour Logistics",
    "Brightline Energy",
    "Kestrel Software",
    "Ashdown Homes",
    "Meridian Retail",
    "Pioneer Steel",
    "Oakfield Pharmaceuticals",
    "Summit Telecom",
    "Redbrook Brewing",
    "Atlas Freight",
    "Clearwater Insurance",
]

ORDINARY = {
    "sport": [
        "{town} {team} beat {team2} {win}-{g2} on {weekday}, with {name} scoring twice in the second half.",
        "{name} was named player of the match after {town} {team} came from behind to draw {g1}-{g1} with {team2}.",
        "{town} {team} moved up to {ordinal} in the table after a {win}-{g2} win away at {team2}.",
        "The {team} manager said he was proud of his players after a hard-fought {g2}-{win} defeat to {team2}.",
    ],
    "business": [
        "{company} reported a {pct}% rise in annual profit to {money} million, beating analysts' forecasts.",
        "Shares in {company} fell {pct}% on {weekday} after the firm warned that sales would be lower than expected.",
        "{company} plans to create {jobs} jobs at a new site in {town}, the company announced.",
        "{company} has agreed to buy a smaller rival for {money} million, subject to approval by regulators.",
    ],
    "weather": [
        "Forecasters have issued a yellow warning for heavy rain across {town} on {weekday}, with up to {mm}mm expected.",
        "Temperatures in {town} are expected to reach {temp}C on {weekday}, the warmest day of the year so far.",
        "Strong winds brought down trees and cut power to {jobs} homes around {town} overnight.",
        "Snow is forecast on higher ground near {town} from {weekday}, and drivers are urged to take care.",
    ],
    "politics": [
        "{name}, the MP for {town}, said the government's plans for the region did not go far enough.",
        "Voters in {town} will go to the polls on {weekday} in a by-election triggered by the resignation of the sitting member.",
        "The mayor of {town}, {name}, announced a review of public transport fares after a {pct}% rise in complaints.",
        "Ministers have promised {money} million for new housing in {town} over the next five years.",
    ],
    "council": [
        "{town} council has approved plans for {jobs} new homes on the site of a former factory.",
        "Bin collections in parts of {town} will move to {weekday} from next month, the council said.",
        "Councillors in {town} voted to keep the library open after a campaign by residents led by {name}.",
        "Parking charges in {town} city centre will rise by {pct}% from April, the council confirmed.",
    ],
    "crime": [
        "Police in {town} are appealing for witnesses after a burglary at a shop on {street} on {weekday}.",
        "A {age}-year-old man has been arrested on suspicion of theft after a car was stolen from {street}, police said.",
        '{rank} {name} said: "We are increasing patrols in {town} and I urge anyone with information to contact us."',
        "Police said a {age}-year-old woman was charged with fraud after an investigation lasting several months.",
        "Detectives investigating a series of thefts from vans in {town} have recovered tools worth {money} thousand.",
        "A man was taken to hospital after a fight outside a bar on {street}; police said his injuries were not life-threatening.",
    ],
    "court": [
        "{name}, {age}, of {town}, was jailed for {years} years at {town} Crown Court after admitting robbery.",
        "A jury at {town} found {name} not guilty of causing death by dangerous driving on {weekday}.",
        "{name} was given a suspended sentence and ordered to do {hours} hours of unpaid work for assault.",
        "The judge told {name} that the offences had caused real distress to the victims and their families.",
    ],
}

FILLER = {
    "local": [
        "The {town} area has seen a number of changes in recent years, residents say.",
        "A spokesperson for {town} council said services in the area were running as normal.",
        "Local businesses on {street} said the week had otherwise been quiet.",
        "The story was first reported on {weekday}.",
    ],
    "sport": [
        "The home side had the better of the early exchanges but could not find a way through.",
        "A crowd of {jobs} watched the match in cold conditions.",
        "The result leaves both sides looking nervously over their shoulders with {g2} games left.",
        "{name} limped off with a hamstring injury just before half-time.",
        "The next fixture is away at {team2} on {weekday}.",
    ],
    "business": [
        "The chief executive, {name}, said the company had made a strong start to the year.",
        "Analysts said rising costs for energy and wages remained the biggest risk.",
        "The firm employs about {jobs} people across the country.",
        "Its shares have risen by {pct}% over the past twelve months.",
        "Trade unions said they would seek talks over pay and conditions.",
    ],
    "weather": [
        "The Met Office said conditions would improve by the weekend.",
        "Drivers are advised to check before they travel and allow extra time.",
        "The last time the area saw similar conditions was in {year}.",
        "Farmers said the wet spring had already delayed planting by several weeks.",
    ],
    "politics": [
        "Opposition members said the announcement was too little, too late.",
        "The proposals will be debated in parliament next month.",
        "A spokesperson said the government remained committed to the region.",
        "Turnout at the last election was {pct}%.",
        "{name} has represented the area since {year}.",
    ],
    "council": [
        "Residents can comment on the plans until the end of the month.",
        "The council said the change would save about {money} thousand a year.",
        "Some residents raised concerns about traffic and parking at the meeting.",
        "A final decision is expected in the spring.",
    ],
    "crime": [
        "Anyone with information is asked to call the police, quoting the crime reference number.",
        "Information can also be given anonymously to Crimestoppers.",
        "Officers have been carrying out house-to-house inquiries in the area.",
        "The arrested man has since been released on bail while inquiries continue.",
        "CCTV footage from nearby shops is being examined.",
    ],
    "court": [
        "The court heard that {name} had previous convictions for similar offences.",
        "In mitigation, his lawyer said he had shown genuine remorse.",
        "The case was adjourned for reports until {weekday}.",
        "Prosecutor {name2} told the court the victims had been left frightened.",
        "He was also banned from driving for {years} years.",
    ],
}

ORDINARY_TITLES = {
    "sport": [
        "{town} {team} {g1}-{g2} {team2}: match report",
        "{name} double lifts {town} {team}",
        "Late drama as {team} hold {team2}",
    ],
    "business": [
        "{company} profits rise {pct}%",
        "{company} to create {jobs} jobs in {town}",
        "{company} shares slide on warning",
    ],
    "weather": [
        "Weather warning for {town}",
        "Hottest day of the year for {town}",
        "Storm brings disruption to {town}",
    ],
    "politics": ["{town} MP criticises regional plans", "By-election called in {town}", "Mayor orders review of fares"],
    "council": [
        "Plans for {jobs} homes approved in {town}",
        "Bin collection changes in {town}",
        "{town} library saved",
    ],
    "crime": ["Appeal after {town} burglary", "Arrest after car theft in {town}", "Police step up patrols in {town}"],
    "court": ["{town} man jailed for robbery", "{name} cleared by jury", "Suspended sentence for assault"],
}


def _fill(rng: random.Random, town: str | None = None) -> dict[str, object]:
    uk = rng.random() < 0.5
    first = rng.choice(FIRST_MALE + FIRST_FEMALE)
    return {
        "town": town or rng.choice([p[0] for p in UK_PLACES] + [p[0] for p in US_PLACES]),
        "team": rng.choice(TEAMS),
        "team2": f"{rng.choice([p[0] for p in UK_PLACES])} {rng.choice(TEAMS)}",
        "g1": rng.randint(0, 4),
        "g2": (g2 := rng.randint(0, 3)),
        "win": g2 + rng.randint(1, 3),
        "ordinal": rng.choice(["third", "fifth", "eighth", "top"]),
        "weekday": rng.choice(WEEKDAYS),
        "name": f"{first} {rng.choice(LAST)}",
        "name2": f"{rng.choice(FIRST_FEMALE)} {rng.choice(LAST)}",
        "company": rng.choice(COMPANIES),
        "pct": rng.randint(2, 45),
        "money": rng.randint(2, 900),
        "jobs": rng.randint(20, 4000),
        "mm": rng.randint(20, 90),
        "temp": rng.randint(24, 36),
        "age": rng.randint(17, 70),
        "years": rng.randint(2, 14),
        "hours": rng.choice([80, 120, 150, 200, 250]),
        "street": rng.choice(UK_STREETS if uk else US_STREETS),
        "rank": rng.choice(["Inspector", "Sergeant", "Superintendent", "Detective Inspector"]),
        "year": rng.randint(1990, 2022),
    }


def ordinary(rng: random.Random) -> tuple[str, str]:
    topic = rng.choices(list(ORDINARY), [16, 16, 10, 14, 12, 20, 12])[0]
    values = _fill(rng)
    sentences = [rng.choice(ORDINARY[topic]).format(**values)]
    pool = FILLER[topic] + FILLER["local"] + ORDINARY[topic]
    wanted = rng.choice([1, 2, 3, 5, 8, 12, 16, 24, 36])
    templates = rng.sample(pool, min(wanted, len(pool)))
    templates += [rng.choice(ORDINARY[topic]) for _ in range(wanted - len(templates))]  # long pieces: more of the story
    sentences += [t.format(**_fill(rng, values["town"])) for t in templates]
    return rng.choice(ORDINARY_TITLES[topic]).format(**values), "\n\n".join(_paragraphs(rng, sentences))


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    out, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if rng.random() < 0.55:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


def _record(title: str, text: str, outlet: str, published: date, serial: int) -> dict[str, object]:
    url = f"https://{_slug(outlet)}.example/news/{published:%Y/%m}/{_slug(title)}-{serial}"
    return {"url": url, "title": title, "published": published.isoformat(), "outlet": outlet, "text": text}


def generate(n: int, relevant_share: float = 0.01, seed: int = 0) -> Iterator[dict[str, object]]:
    """`n` JSONL records, about `relevant_share` of them reports of deaths or injuries after police contact."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    seen: set[bytes] = set()
    pending: list[tuple[int, dict[str, object]]] = []  # later reports of an incident, due at an index
    produced = 0
    # An incident is told by 1.75 reports on average: start one often enough that reports make up
    # `relevant_share` of all records (at 1.0, every record is a report).
    start_incident = relevant_share / (MEAN_REPORTS - (MEAN_REPORTS - 1) * relevant_share)
    while produced < n:
        if pending and pending[0][0] <= produced:
            record = pending.pop(0)[1]
        elif rng.random() < start_incident:
            day = start + timedelta(days=rng.randint(0, 6 * 365))
            inc = _new_incident(rng, day)
            outlets = rng.sample(UK_OUTLETS if inc.country == "GB" else US_OUTLETS, 3)
            copies = rng.choices([1, 2, 3], REPORTS_PER_INCIDENT)[0]
            record = None
            for k in range(copies):
                published = day + timedelta(days=rng.choice([0, 1, 1, 2]) if k == 0 else rng.randint(1, 4))
                if k and rng.random() < 0.15:  # a wire copy: the first report, lightly edited
                    title, text = str(record["title"]), str(record["text"]) + "\n\nAdditional reporting by agencies."  # type: ignore[index]
                    outlet = WIRES[inc.country]
                else:
                    title, text = report(rng, inc, outlets[k])
                    outlet = outlets[k]
                made = _record(title, text, outlet, published, produced + k)
                if k == 0:
                    record = made
                else:
                    pending.append((produced + rng.randint(1, 400), made))
            pending.sort(key=lambda p: p[0])
        else:
            title, text = ordinary(rng)
            uk = rng.random() < 0.5
            record = _record(
                title,
                text,
                rng.choice(UK_OUTLETS if uk else US_OUTLETS),
                start + timedelta(days=rng.randint(0, 6 * 365)),
                produced,
            )
        key = hashlib.blake2b(
            re.sub(r"\s+", " ", str(record["text"])).strip().lower().encode(), digest_size=12
        ).digest()
        if key in seen:
            continue
        seen.add(key)
        produced += 1
        yield record


def write_jsonl(path: Path, n: int, relevant_share: float = 0.01, seed: int = 0) -> int:
    """Write `generate(...)` to a JSONL file; returns the number of records."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for record in generate(n, relevant_share, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument(
        "--relevant-share", type=float, default=0.01, help="share of police-contact reports (default 0.01)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="JSONL file to write (default: stdout)")
    args = parser.parse_args(argv)
    if args.output:
        write_jsonl(args.output, args.n, args.relevant_share, args.seed)
    else:
        for record in generate(args.n, args.relevant_share, args.seed):
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
