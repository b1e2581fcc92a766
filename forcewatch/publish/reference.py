"""Reading the reference databases' CSV files into one row type, in forcewatch's vocabulary.

Three layouts, matched by column name (their order may change between downloads):
the Washington Post Fatal Force v2 CSV (`v2/fatal-police-shootings-data.csv`), Mapping
Police Violence's CSV and Fatal Encounters' sheet exported as CSV. Each coded value is
kept as the database wrote it (`shown`) with the forcewatch values it agrees with
(`accepts`), since the vocabularies are coarser or finer than forcewatch's (MPV's threat
level "attack" covers WaPo's shoot, point and attack). A row that cannot be read gets one
Problem naming the file, the line and the problem; the rest of the file goes on.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import us

from forcewatch.errors import Problem

DATABASES = {"wapo": "Washington Post Fatal Force", "mpv": "Mapping Police Violence", "fe": "Fatal Encounters"}

#: The columns each layout must have (a file without them is not that database's).
REQUIRED = {
    "wapo": (
        "id",
        "date",
        "name",
        "city",
        "state",
        "armed_with",
        "flee_status",
        "threat_type",
        "body_camera",
        "age",
        "race",
    ),
    "mpv": ("name", "date", "city", "state", "agency_responsible", "news_urls", "mpv_id"),
    "fe": (
        "Unique ID",
        "Name",
        "Date of injury resulting in death (month/day/year)",
        "Location of death (city)",
        "State",
    ),
}


@dataclass(frozen=True)
class Coded:
    """A reference value as written, and the forcewatch values that agree with it."""

    shown: str
    accepts: frozenset[object]


@dataclass
class RefRow:
    database: str
    id: str
    line: int
    date: date
    name: str | None = None
    age: int | None = None
    city: str | None = None
    county: str | None = None
    state: str | None = None  # two-letter postal code
    agency: str | None = None
    urls: list[str] = field(default_factory=list)
    coded: dict[str, Coded] = field(default_factory=dict)  # forcewatch field -> their value
    crosswalk: dict[str, str] = field(default_factory=dict)  # ids they give for the other databases


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return None if value in ("", "--", "NA", "N/A", "null", "None", "Unknown", "unknown") else value


def _date(value: str) -> date:
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date {value!r} is not a date (YYYY-MM-DD or MM/DD/YYYY)")


def _age(value: str | None) -> int | None:
    value = _clean(value)
    if value is None:
        return None
    match = re.fullmatch(r"(\d{1,3})(?:\.0)?", value)
    if not match:
        raise ValueError(f"age {value!r} is not a number")
    return int(match.group(1))


def _state(value: str | None) -> str | None:
    value = _clean(value)
    if value is None:
        return None
    found = us.states.lookup(value)
    return found.abbr if found else value.upper()


def state_code(region: str | None) -> str | None:
    """forcewatch's region ('Texas') as a postal code ('TX'); None if it is not a US state."""
    if not region:
        return None
    found = us.states.lookup(region.strip())
    return found.abbr if found else None


_URL = re.compile(r"https?://[^\s,;|\"'<>]+")


def urls_in(text: str | None) -> list[str]:
    return [u.rstrip(").") for u in _URL.findall(text or "")]


def url_key(url: str) -> str:
    """A URL compared loosely: no scheme, no www., no query or fragment, no trailing slash, lower case."""
    url = re.sub(r"^https?://(www\.)?", "", url.strip().lower())
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    return url.rstrip("/")


# --- coded values -----------------------------------------------------------------

ARMED = ("gun", "knife", "blunt_object", "replica", "vehicle", "other", "unarmed", "undetermined")
#: Words of free-text weapon descriptions (MPV wapo_armed, FE Alleged weapon) -> forcewatch's armed value.
_WEAPON_WORDS = [
    (r"\b(no weapon|unarmed|did not have)\b", "unarmed"),
    (r"\b(toy|replica|fake|bb gun|pellet|airsoft)\b", "replica"),
    (r"\b(gun|firearm|pistol|rifle|shotgun|handgun|revolver)\b", "gun"),
    (r"\b(knife|knives|blade|machete|sword|box cutter|scissors|cutting)\b", "knife"),
    (r"\b(vehicle|car|truck|suv)\b", "vehicle"),
    (r"\b(blunt|bat|hammer|pipe|rock|brick|club|stick|crowbar)\b", "blunt_object"),
    (r"\b(undetermined|unclear|uncertain|unknown)\b", "undetermined"),
]


def armed_values(text: str | None) -> set[str]:
    """forcewatch armed values in a weapon description ('gun;knife', 'Knife', 'toy weapon')."""
    low = (text or "").lower()
    if not low.strip():
        return set()
    found = {part.strip() for part in re.split(r"[;,]", low) if part.strip() in ARMED}
    if found:
        return found
    for pattern, value in _WEAPON_WORDS:
        if re.search(pattern, low):
            return {value}
    return {"other"}


_RACE_WORDS = [
    (r"\b(black|african)", "B"),
    (r"\b(white|caucasian|european)", "W"),
    (r"\b(hispanic|latino|latina|latinx)", "H"),
    (r"\b(asian|pacific)", "A"),
    (r"\b(native|indigenous|alaskan|american indian)", "N"),
]


def race_codes(text: str | None) -> frozenset[str]:
    """WaPo's race letters (W, B, A, N, H, O) in a race text; empty when unknown or unspecified."""
    value = (text or "").strip()
    if not value or re.search(r"unknown|unspecified|undetermined|^--$", value, re.I):
        return frozenset()
    letters = {p.strip().upper() for p in value.split(";")}
    if letters <= {"W", "B", "A", "N", "H", "O"}:
        return frozenset(letters)
    found = {code for pattern, code in _RACE_WORDS if re.search(pattern, value, re.I)}
    return frozenset(found or {"O"})


def _bool(value: str | None) -> bool | None:
    low = (value or "").strip().lower()
    if low in ("true", "yes", "1", "y"):
        return True
    if low in ("false", "no", "0", "n"):
        return False
    return None


#: MPV's threat level is WaPo's v1 coding: "attack" covers shoot, point and attack.
_MPV_THREAT = {
    "attack": {"shoot", "point", "attack"},
    "other": {"threat", "move", "flee", "accident"},
    "undetermined": {"undetermined"},
}
#: Fatal Encounters' "Aggressive physical movement".
_FE_THREAT = {
    "used weapon": {"shoot", "attack"},
    "brandished weapon": {"point", "threat"},
    "sudden threatening movement": {"move"},
    "attack": {"attack"},
    "uncertain": {"undetermined"},
}
_FLEE = {
    "not": {"not_fleeing"},
    "not fleeing": {"not_fleeing"},
    "foot": {"foot"},
    "car": {"car"},
    "other": {"other"},
    "fleeing": {"foot", "car", "other"},  # FE says fleeing, not how
}


def _coded(row: RefRow, name: str, shown: str | None, accepts: Iterable[object]) -> None:
    values = frozenset(accepts)
    if shown is not None and values:
        row.coded[name] = Coded(shown, values)


def _flee(value: str | None) -> set[object]:
    low = (value or "").strip().lower()
    parts = [p.strip() for p in re.split(r"[,;]", low) if p.strip()]
    out: set[object] = set()
    for p in parts:
        out |= _FLEE.get(p, set())
    return out


# --- the three layouts ----------------------------------------------------------------


def _wapo(r: dict[str, str], line: int) -> RefRow:
    row = RefRow("wapo", r["id"].strip(), line, _date(r["date"]), _clean(r.get("name")), _age(r.get("age")))
    row.city, row.county, row.state = _clean(r.get("city")), _clean(r.get("county")), _state(r.get("state"))
    armed = _clean(r.get("armed_with"))
    _coded(row, "subject_armed", armed, armed_values(armed))
    flee = _clean(r.get("flee_status"))
    _coded(row, "fleeing", flee, _flee(flee))
    threat = _clean(r.get("threat_type"))
    _coded(row, "threat", threat, {threat} if threat else set())
    camera = _bool(r.get("body_camera"))
    _coded(row, "body_camera", r.get("body_camera"), {camera} if camera is not None else set())
    _coded(row, "subject_age", str(row.age) if row.age is not None else None, {row.age})
    race = race_codes(r.get("race"))
    _coded(row, "subject_race", _clean(r.get("race")), {race} if race else set())
    return row


def _mpv(r: dict[str, str], line: int) -> RefRow:
    ident = _clean(r.get("mpv_id")) or f"line-{line}"
    row = RefRow("mpv", ident, line, _date(r["date"]), _clean(r.get("name")), _age(r.get("age")))
    row.city, row.county, row.state = _clean(r.get("city")), _clean(r.get("county")), _state(r.get("state"))
    row.agency = _clean(r.get("agency_responsible"))
    row.urls = urls_in(r.get("news_urls"))
    weapon = _clean(r.get("wapo_armed"))
    alleged = _clean(r.get("allegedly_armed"))
    if weapon:
        _coded(row, "subject_armed", weapon, armed_values(weapon))
    elif alleged and alleged.lower() != "allegedly armed":  # armed, but with what is not said
        _coded(row, "subject_armed", alleged, armed_values(alleged))
    flee = _clean(r.get("wapo_flee"))
    _coded(row, "fleeing", flee, _flee(flee))
    threat = _clean(r.get("wapo_threat_level"))
    _coded(row, "threat", threat, _MPV_THREAT.get((threat or "").lower(), {(threat or "").lower()}))
    camera = _bool(r.get("wapo_body_camera"))
    _coded(row, "body_camera", r.get("wapo_body_camera"), {camera} if camera is not None else set())
    _coded(row, "subject_age", str(row.age) if row.age is not None else None, {row.age})
    race = race_codes(r.get("race"))
    _coded(row, "subject_race", _clean(r.get("race")), {race} if race else set())
    for other in ("wapo_id", "fe_id"):
        if _clean(r.get(other)):
            row.crosswalk[other] = str(_clean(r.get(other))).removesuffix(".0")
    return row


def _fe(r: dict[str, str], line: int) -> RefRow:
    row = RefRow(
        "fe",
        r["Unique ID"].strip(),
        line,
        _date(r["Date of injury resulting in death (month/day/year)"]),
        _clean(r.get("Name")),
        _age(r.get("Age")),
    )
    row.city = _clean(r.get("Location of death (city)"))
    row.county = _clean(r.get("Location of death (county)"))
    row.state = _state(r.get("State"))
    row.agency = _clean(r.get("Agency or agencies involved"))
    row.urls = urls_in(r.get("Supporting document link"))
    weapon, armed = _clean(r.get("Alleged weapon")), _clean(r.get("Armed/Unarmed"))
    if armed and armed.lower() == "unarmed":
        _coded(row, "subject_armed", armed, {"unarmed"})
    elif weapon:
        _coded(row, "subject_armed", weapon, armed_values(weapon))
    flee = _clean(r.get("Fleeing/Not fleeing"))
    _coded(row, "fleeing", flee, _flee(flee))
    threat = _clean(r.get("Aggressive physical movement"))
    _coded(row, "threat", threat, _FE_THREAT.get((threat or "").lower(), set()))
    _coded(row, "subject_age", str(row.age) if row.age is not None else None, {row.age})
    race = race_codes(r.get("Race"))
    _coded(row, "subject_race", _clean(r.get("Race")), {race} if race else set())
    return row


_READERS = {"wapo": _wapo, "mpv": _mpv, "fe": _fe}


def read_reference(path: Path, database: str) -> Iterator[RefRow | Problem]:
    """Every row of a reference CSV as a RefRow, or a Problem for a row (or a file) that cannot be read."""
    if database not in _READERS:
        raise ValueError(f"unknown database {database!r}: use wapo, mpv or fe")
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except OSError as exc:
        yield Problem(str(path), "FW007", str(exc))
        return
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        reader.fieldnames = header
        missing = [c for c in REQUIRED[database] if c not in header]
        if missing:
            yield Problem(str(path), "FW005", f"not a {DATABASES[database]} CSV: no column {', '.join(missing)}")
            return
        read = _READERS[database]
        try:
            for r in reader:
                line = reader.line_num
                try:
                    yield read({k: v for k, v in r.items() if k is not None}, line)
                except (ValueError, KeyError, AttributeError) as exc:
                    yield Problem(f"{path}:{line}", "FW005", str(exc))
        except (csv.Error, UnicodeDecodeError) as exc:
            yield Problem(f"{path}:{reader.line_num}", "FW005", str(exc))
