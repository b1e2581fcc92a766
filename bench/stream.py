"""A realistic news stream for the benchmarks: few reports, many crime stories that are not.

    python bench/stream.py 10000 -o stream.jsonl            # 1% reports, ~20% hard negatives
    python bench/stream.py 500 --reports-only -o reports.jsonl

What a feed of English news looks like to forcewatch's first pass (the mix is printed by
`--describe` and stated in the README):

* **reports** (`--report-share`, default 1%): deaths and injuries after police contact,
  from bench/generate.py's report writer (shootings, custody, restraint, Tasers, pursuits,
  police vehicles, dogs; one to three outlets per incident, some wire copies);
* **hard negatives** (`--hard-share`, default 20%): crime, court, traffic and emergency
  stories that mention police *and* harm words, so the regex prefilter cannot drop them:
  shootings and stabbings by others, fatal crashes with witness appeals, officers hurt
  while arresting someone, murder trials, bodies found in a missing-person search, house
  fires, police statements about a death that is not suspicious;
* **ordinary news** (the rest): sport, business, weather, politics, council business,
  health and culture; some mention police (patrols, parking) or harm words (a player's
  injury, a hospital's waiting lists) but rarely both in one sentence.

Every article is 100 to 5,000 words (log-normal, median about 500: a story's own
sentences, then the paper's background and local paragraphs), in one of five house
styles: a UK regional website (one-sentence paragraphs, "Read more:" links, a newsletter
plug), a US wire (AP dateline, long paragraphs), a tabloid (capitals in the headline,
short paragraphs, picture credits), a broadsheet (long paragraphs, a byline) and a local
paper (an appeal footer, "Got a story?"). People, streets and towns of the negatives are
invented; URLs use the reserved `.example` domain. Each record carries `kind`
(report / hard / ordinary) so that benchmarks can score what was kept. The same seed
gives the same stream.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generate as gen  # noqa: E402  (bench/generate.py: the report writer and ordinary news)

TOWNS = [
    "Marrowby",
    "Brackley Vale",
    "Northshire",
    "Pellow Cross",
    "Ashby Fen",
    "Kestonbury",
    "Halverton",
    "Dunmere",
    "Corlett",
    "Wickmoor",
    "Fallowfield Down",
    "Tressingham",
]
STREETS = [
    "Voss Road",
    "Ashby Lane",
    "Pellow Street",
    "Marrow Way",
    "Quarry Hill",
    "Linden Avenue",
    "Furnace Road",
    "Orchard Close",
    "Tanner Street",
    "Bridle Path",
]
FIRST = ["Jordan", "Casey", "Morgan", "Riley", "Taylor", "Jamie", "Alex", "Sam", "Robin", "Avery", "Quinn", "Drew"]
LAST = ["Voss", "Ashby", "Pellow", "Marsh", "Dunmore", "Keating", "Brackley", "Hollis", "Tarrant", "Wexley", "Orme"]
RANKS = ["Detective Inspector", "Detective Sergeant", "Chief Inspector", "Superintendent", "Sgt.", "Lt.", "Capt."]
FORCES = [
    "Northshire Police",
    "Marrowby Constabulary",
    "Halverton County Sheriff's Office",
    "Dunmere Police Department",
]
WEAPONS = ["a knife", "a firearm", "a machete", "a bottle", "a baseball bat", "a shotgun"]
VEHICLES = ["a van", "a lorry", "a car", "a pickup truck", "a motorbike", "a bus", "an SUV"]
VICTIMS = ["a cyclist", "a pedestrian", "a motorcyclist", "a woman in her 70s", "a teenager", "a man in his 40s"]

# --- hard negatives: police and harm words, but no harm by or in the hands of police ------------

HARD: dict[str, tuple[list[str], list[str], list[str]]] = {  # kind: (titles, ledes, details)
    "stabbing": (
        ["Murder inquiry after {town} stabbing", "Teenager stabbed in {town} fight"],
        [
            "A {age}-year-old man has died after being stabbed in {town} on {weekday} night, police said.",
            "A teenager was taken to hospital with stab wounds after a fight near {street}, police said.",
        ],
        [
            "Officers were called to {street} at about {hour}.{minute:02d}pm and found the victim with serious injuries.",
            "Paramedics treated him at the scene but he was pronounced dead a short time later.",
            "A {age2}-year-old man has been arrested on suspicion of murder and remains in police custody.",
            '{rank} {name3} said: "This was a targeted attack and there is no wider risk to the public."',
            "A post-mortem examination found that he died from a single stab wound to the chest.",
            "A neighbour said she heard screaming and then saw the victim collapse on the pavement.",
            "Detectives have been carrying out house-to-house inquiries and examining CCTV.",
        ],
    ),
    "shooting": (
        ["Man shot dead outside {town} pub", "Neighbor shot in fence dispute, deputies say"],
        [
            "A man was shot dead outside a pub on {street} in {town}, and police have launched a murder investigation.",
            "Deputies said a man shot his neighbor during an argument over a fence in {town} on {weekday}.",
            "A man was critically injured in a shooting at a {town} apartment complex, and police are looking for the gunman.",
            "Detectives investigating the fatal shooting of a man in {town} have arrested two people.",
        ],
        [
            "Witnesses described hearing shots fired before seeing a car speed away.",
            '"We are determined to find whoever did this," {rank} {name3} said.',
            "The victim was taken to hospital, where he died from a gunshot wound.",
            "The suspect, who was armed with {weapon}, was detained at the scene by members of the public.",
            "The victim's family paid tribute to him as a devoted father who would do anything for anyone.",
            "Forensic officers remained at the scene on {weekday} and a cordon was in place.",
        ],
    ),
    "crash": (
        ["Appeal after cyclist seriously hurt on {street}", "Driver killed in crash near {town}"],
        [
            "Police are appealing for witnesses after {victim} was seriously injured in a collision with {vehicle} on {street}.",
            "The driver of {vehicle} died at the scene after a crash on the {road} near {town}, police said.",
            "A {age}-year-old motorcyclist was killed in a crash with {vehicle} on {street}; police want to hear from witnesses.",
            "A pensioner was knocked down and killed by a hit-and-run driver in {town}, police said.",
        ],
        [
            "The road was closed for several hours while collision investigators examined the scene.",
            "Police want to speak to anyone with dashcam footage of the area between {hour} and {hour2}pm.",
            "The cyclist was flown to hospital with injuries described as life-changing.",
            "A {age2}-year-old man was arrested on suspicion of causing death by dangerous driving.",
            "Officers said the family of the man who died had been informed.",
        ],
    ),
    "officers_hurt": (
        ["Officers injured during arrest in {town}", "Police dog handler bitten in search"],
        [
            "Two police officers were injured while arresting a man in {town} on {weekday}; both were treated in hospital.",
            "A police officer suffered a broken wrist after being assaulted during a disturbance in {town} town centre.",
            "A police dog handler was bitten while searching for a burglar in {town}, the force said.",
        ],
        [
            "The officers were taken to hospital as a precaution and have since been discharged.",
            "A spokesperson for {force} said officers had been assaulted three times that week.",
            "A {age2}-year-old man was charged with assaulting an emergency worker.",
            '"Our officers go to work to keep people safe and should not be attacked," {rank} {name3} said.',
        ],
    ),
    "trial": (
        ["{name} jailed for life for murder", "Jury hears of attack on {name2}"],
        [
            "{name}, {age}, was jailed for life at {town} Crown Court for the murder of {name2}, who was stabbed at her home.",
            "A jury heard how {name} punched and kicked {name2} before leaving him for dead; police found him unconscious.",
        ],
        [
            "The court heard that {name} had attacked the victim with {weapon} after an argument.",
            "Sentencing him, the judge said the killing was brutal and senseless.",
            "Police arrested {name} at a relative's house two days after the attack.",
            "The victim's sister said in a statement that the family would never recover.",
            "The trial continues.",
        ],
    ),
    "fire": (
        ["Woman dies in {town} house fire", "Worker hurt in warehouse blaze"],
        [
            "A woman died in a house fire on {street} in {town} early on {weekday}, police and firefighters said.",
            "Firefighters and police were called to a blaze at a warehouse in {town}, where a worker was badly hurt.",
        ],
        [
            "The fire service said the cause of the blaze was not yet known but was not thought to be deliberate.",
            "Neighbours said they saw smoke pouring from the upstairs windows.",
            "Police closed {street} while crews damped down the building.",
            "An inquest will be opened in due course, the coroner's office said.",
        ],
    ),
    "found_dead": (
        [
            "Body found in search for missing {town} man",
            "Death not suspicious, police say",
            "Man charged after woman found dead",
        ],
        [
            "Police searching for a missing {age}-year-old have found a body in woodland near {town}.",
            "Police said the death of a man found at a property on {street} is not being treated as suspicious.",
            "A man has been charged with murder after a woman was found dead at a flat in {town}, police said.",
        ],
        [
            "Police said the man had been reported missing by his family on {weekday}.",
            "Officers said they were not looking for anyone else in connection with the death.",
            "A file will be prepared for the coroner.",
            "The woman was taken to hospital in a critical condition, where she later died.",
            "Her family have been informed and are being supported by specialist officers.",
        ],
    ),
}

# --- ordinary news that brushes against the prefilter's words -----------------------------------

ORDINARY_EXTRA = {
    "health": [
        "Waiting lists at {town} General Hospital have fallen for the third month in a row, figures show.",
        "A new hospital wing in {town} will open in the spring, with beds for {jobs} patients.",
        "Doctors in {town} said flu cases had doubled in a fortnight and urged people to get vaccinated.",
        "The trust said staff shortages meant some operations had been postponed.",
    ],
    "culture": [
        "A new exhibition at the {town} museum tells the story of the town's mills.",
        "The {town} festival returns this weekend with {jobs} performers and a parade.",
        "Tickets for the winter production at the {town} theatre went on sale on {weekday}.",
        "Organisers said the police had helped plan road closures for the parade.",
    ],
}
STYLES = ("uk_web", "us_wire", "tabloid", "broadsheet", "local")
BOILERPLATE = {
    "uk_web": ["Read more: {title2}", "Sign up to our free newsletter for the latest news from {town}."],
    "us_wire": ["Copyright {year} The National Wire. All rights reserved."],
    "tabloid": ["Picture: {name3}/Agency", "READ MORE: {title2}"],
    "broadsheet": ["This article was amended on {weekday} to correct a spelling."],
    "local": ["Got a story? Email the newsdesk.", "Comments on this story have been closed."],
}


def _fill(rng: random.Random) -> dict[str, object]:
    return {
        "town": rng.choice(TOWNS),
        "street": rng.choice(STREETS),
        "road": rng.choice(["A34", "B1040", "Route 9", "ring road", "bypass"]),
        "weekday": rng.choice(gen.WEEKDAYS),
        "age": rng.randint(16, 88),
        "age2": rng.randint(16, 60),
        "hour": rng.randint(1, 11),
        "hour2": rng.randint(1, 11),
        "minute": rng.choice([0, 5, 10, 15, 20, 30, 40, 45, 50]),
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "name2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "name3": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "rank": rng.choice(RANKS),
        "force": rng.choice(FORCES),
        "weapon": rng.choice(WEAPONS),
        "vehicle": rng.choice(VEHICLES),
        "victim": rng.choice(VICTIMS),
        "jobs": rng.randint(20, 4000),
        "year": rng.randint(2018, 2025),
        "title2": rng.choice(["Plans for new homes approved", "Weekend weather warning", "Road closures this week"]),
    }


def target_words(rng: random.Random) -> int:
    """100 to 5,000 words, log-normal around a median of about 500 (news wire length figures)."""
    return max(100, min(5000, int(math.exp(rng.gauss(math.log(500), 0.85)))))


def _padding(rng: random.Random, town: str) -> str:
    """One paragraph of a paper's background and local copy (no police or harm word)."""
    pool = gen.FILLER["local"] + gen.FILLER["council"] + gen.FILLER["business"] + gen.FILLER["weather"]
    values = gen._fill(rng, town)
    return " ".join(rng.choice(pool).format(**values) for _ in range(rng.randint(1, 4)))


def _words(paragraphs: list[str]) -> int:
    return sum(p.count(" ") + 1 for p in paragraphs)


def _grow(rng: random.Random, paragraphs: list[str], wanted: int, town: str, more: list[str]) -> list[str]:
    """Lengthen a story to `wanted` words: more of its own sentences first, then background."""
    extra = list(more)
    rng.shuffle(extra)
    while _words(paragraphs) < wanted:
        if extra and rng.random() < 0.6:
            paragraphs.append(extra.pop())
        else:
            paragraphs.append(_padding(rng, town))
    return paragraphs


def styled(
    rng: random.Random, style: str, title: str, paragraphs: list[str], values: dict[str, object]
) -> tuple[str, str]:
    """(title, text) laid out in one house style; the sentences themselves are not changed."""
    paragraphs = list(paragraphs)
    if style == "us_wire":
        dateline = f"{str(values['town']).upper()} (AP) — "
        merged = [" ".join(paragraphs[i : i + 3]) for i in range(0, len(paragraphs), 3)]
        paragraphs = [dateline + merged[0], *merged[1:]]
    elif style == "tabloid":
        title = title.upper() if rng.random() < 0.5 else title
        paragraphs = [s for p in paragraphs for s in p.split(". ") if s]
        paragraphs = [p if p.endswith((".", '"', "?", "!")) else p + "." for p in paragraphs]
    elif style == "broadsheet":
        paragraphs = [f"By {values['name3']}"] + [" ".join(paragraphs[i : i + 4]) for i in range(0, len(paragraphs), 4)]
    for line in BOILERPLATE[style]:
        at = rng.randint(1, max(1, len(paragraphs)))
        paragraphs.insert(at, line.format(**values))
    if style == "local":
        paragraphs.append(f"Anyone with information can contact {values['force']} or Crimestoppers anonymously.")
    return title, "\n\n".join(paragraphs)


def hard_negative(rng: random.Random) -> tuple[str, list[str], str, list[str]]:
    """(title, paragraphs, town, further sentences of the same story to lengthen it)."""
    titles, ledes, details = HARD[rng.choice(list(HARD))]
    values = _fill(rng)
    told = [d.format(**values) for d in rng.sample(details, rng.randint(2, len(details)))]
    paragraphs = gen._paragraphs(rng, [rng.choice(ledes).format(**values), *told])
    more = [d.format(**values) for d in details if d.format(**values) not in told]
    return rng.choice(titles).format(**values), paragraphs, str(values["town"]), more


def ordinary_news(rng: random.Random) -> tuple[str, list[str], str]:
    if rng.random() < 0.15:
        topic = rng.choice(list(ORDINARY_EXTRA))
        values = gen._fill(rng, rng.choice(TOWNS))
        sentences = [t.format(**values) for t in rng.sample(ORDINARY_EXTRA[topic], 3)]
        return f"{str(values['town'])} {topic} news", gen._paragraphs(rng, sentences), str(values["town"])
    title, text = gen.ordinary(rng)
    return title, text.split("\n\n"), rng.choice(TOWNS)


def stream(
    n: int, report_share: float = 0.01, hard_share: float = 0.20, seed: int = 0, reports_only: bool = False
) -> Iterator[dict[str, object]]:
    """`n` records: reports, hard negatives and ordinary news in the given shares, shuffled."""
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    seen: set[str] = set()
    produced = 0
    pending: list[dict[str, object]] = []  # later outlets' reports of an incident
    while produced < n:
        roll = 0.0 if reports_only else rng.random()
        style = rng.choice(STYLES)
        values = _fill(rng)
        day = start + timedelta(days=rng.randint(0, 6 * 365))
        if roll < report_share:  # a later outlet's report of a pending incident first, else a new incident
            if pending:
                record = pending.pop(0)
            else:
                inc = gen._new_incident(rng, day)
                outlets = rng.sample(gen.UK_OUTLETS if inc.country == "GB" else gen.US_OUTLETS, 3)
                made = []
                for k in range(rng.choices([1, 2, 3], gen.REPORTS_PER_INCIDENT)[0]):
                    title, text = gen.report(rng, inc, outlets[k])
                    paragraphs = _grow(rng, text.split("\n\n"), target_words(rng), inc.town, [])
                    title, text = styled(rng, rng.choice(STYLES), title, paragraphs, {**values, "town": inc.town})
                    made.append(_record("report", title, text, outlets[k], day + timedelta(days=k), produced + k))
                record, pending = made[0], pending + made[1:]
        elif roll < report_share + hard_share:
            title, paragraphs, town, more = hard_negative(rng)
            paragraphs = _grow(rng, paragraphs, target_words(rng), town, more)
            title, text = styled(rng, style, title, paragraphs, {**values, "town": town})
            record = _record("hard", title, text, rng.choice(gen.UK_OUTLETS + gen.US_OUTLETS), day, produced)
        else:
            title, paragraphs, town = ordinary_news(rng)
            paragraphs = _grow(rng, paragraphs, target_words(rng), town, [])
            title, text = styled(rng, style, title, paragraphs, {**values, "town": town})
            record = _record("ordinary", title, text, rng.choice(gen.UK_OUTLETS + gen.US_OUTLETS), day, produced)
        key = " ".join(str(record["text"]).split()).lower()
        if key in seen:
            continue
        seen.add(key)
        produced += 1
        yield record


def _record(kind: str, title: str, text: str, outlet: str, published: date, serial: int) -> dict[str, object]:
    return {"kind": kind, **gen._record(title, text, outlet, published, serial)}


def describe(records: list[dict[str, object]]) -> str:
    kinds = Counter(str(r["kind"]) for r in records)
    words = sorted(str(r["text"]).count(" ") + 1 for r in records)
    n = len(records)
    shares = ", ".join(f"{k} {kinds[k] / n:.1%}" for k in ("report", "hard", "ordinary"))
    return (
        f"{n:,} articles: {shares}; words min {words[0]}, median {words[n // 2]}, "
        f"mean {sum(words) / n:.0f}, max {words[-1]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--report-share", type=float, default=0.01)
    parser.add_argument("--hard-share", type=float, default=0.20)
    parser.add_argument("--reports-only", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--describe", action="store_true", help="print the mix and lengths instead of records")
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    records = stream(args.n, args.report_share, args.hard_share, args.seed, args.reports_only)
    if args.describe:
        print(describe(list(records)))
        return 0
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
