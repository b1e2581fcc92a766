"""forcewatch compare on small invented files in the reference databases' exact column layouts.

The headers are the databases' own (WaPo v2 `fatal-police-shootings-data.csv`, Mapping
Police Violence's CSV, Fatal Encounters' sheet); every row is invented.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from forcewatch.cli import app as cli_app
from forcewatch.publish.compare import compare, crosswalk
from forcewatch.store.db import Store
from forcewatch.web import create_app
from tests.publish_data import report, shooting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WAPO = (
    "id,date,threat_type,flee_status,armed_with,city,county,state,latitude,longitude,location_precision,"
    "name,age,gender,race,race_source,was_mental_illness_related,body_camera,agency_ids"
).split(",")
MPV = (
    "name,age,gender,race,victim_image,date,street_address,city,state,zip,county,agency_responsible,ori,"
    "cause_of_death,circumstances,disposition_official,officer_charged,news_urls,signs_of_mental_illness,"
    "allegedly_armed,wapo_armed,wapo_threat_level,wapo_flee,wapo_body_camera,wapo_id,off_duty_killing,"
    "geography,mpv_id,fe_id,encounter_type,initial_reason,officer_names,officer_races,"
    "officer_known_past_shootings,call_for_service,tract,urban_rural_uspsai,urban_rural_nchs,"
    "hhincome_median_census_tract,latitude,longitude,pop_total_census_tract,pop_white_census_tract,"
    "pop_black_census_tract,pop_native_american_census_tract,pop_asian_census_tract,"
    "pop_pacific_islander_census_tract,pop_other_multiple_census_tract,pop_hispanic_census_tract,"
    "congressional_district_113,congressperson_lastname,congressperson_firstname,congressperson_party,"
    "prosecutor_head,prosecutor_race,prosecutor_gender,prosecutor_party,prosecutor_term,prosecutor_in_court,"
    "prosecutor_special,independent_investigation,prosecutor_url"
).split(",")
FE = [
    "Unique ID",
    "Name",
    "Age",
    "Gender",
    "Race",
    "Race with imputations",
    "Imputation probability",
    "URL of image (PLS NO HOTLINKS)",
    "Date of injury resulting in death (month/day/year)",
    "Location of injury (address)",
    "Location of death (city)",
    "State",
    "Location of death (zip code)",
    "Location of death (county)",
    "Full Address",
    "Latitude",
    "Longitude",
    "Agency or agencies involved",
    "Highest level of force",
    "UID Temporary",
    "Name Temporary",
    "Armed/Unarmed",
    "Alleged weapon",
    "Aggressive physical movement",
    "Fleeing/Not fleeing",
    "Description Temp",
    "URL Temp",
    "Brief description",
    "Dispositions/Exclusions INTERNAL USE, NOT FOR ANALYSIS",
    "Intended use of force (Developing)",
    "Supporting document link",
    "Foreknowledge of mental illness? INTERNAL USE, NOT FOR ANALYSIS",
    "",
    "",
    "Unique ID formula",
    "Unique identifier (redundant)",
]


def write(path: Path, header: list[str], rows: list[dict[str, str]], quote_all: bool = False) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for r in rows:
            assert set(r) <= set(header), set(r) - set(header)
            writer.writerow([r.get(h, "") for h in header])
    return path


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    s = Store(str(tmp_path / "compare.db"))
    voss = shooting("Daniel Voss", 34, "Houston", "Texas", "2024-03-03") + [
        ("fleeing", "foot", "Voss ran from the officers on foot."),
        ("threat", "point", "Police said Voss pointed a handgun at them."),
        ("body_camera", True, "Body-worn camera footage of the shooting exists, the chief said."),
        ("subject_race", "Black", "Voss, who was Black, had lived in the city for ten years."),
    ]
    report(s, 1, "Gulfton Beacon", date(2024, 3, 4), voss, url="https://beacon.example/news/voss-shooting")
    report(
        s, 2, "Linden Ledger", date(2024, 5, 2), shooting("Tom Pellow", 27, "Columbus", "Ohio", "2024-05-01", "knife")
    )
    report(s, 3, "Dayton Post", date(2024, 6, 2), shooting("Lee Ashby", 45, "Dayton", "Ohio", "2024-06-01"))
    custody = [
        ("category", "custody", "Marcus Ashby, 51, died in a cell at the Columbus jail."),
        ("outcome", "fatal", "He was pronounced dead in the cell."),
        ("date", "2024-04-10", "He was found unresponsive on 2024-04-10."),
        ("country", "US", "Columbus is in the United States."),
        ("region", "Ohio", "The death is the third in Ohio jails this year."),
        ("locality", "Columbus", "Columbus officials said an inquiry would follow."),
        ("subject_name", "Marcus Ashby", "The man was named as Marcus Ashby."),
        ("subject_age", 51, "He was 51 years old."),
    ]
    report(s, 4, "Linden Ledger", date(2024, 4, 11), custody, category="custody")
    return s


def wapo_file(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "9001",
            "date": "2024-03-03",
            "threat_type": "point",
            "flee_status": "foot",
            "armed_with": "gun",
            "city": "Houston",
            "county": "Harris",
            "state": "TX",
            "latitude": "29.7",
            "longitude": "-95.4",
            "location_precision": "block",
            "name": "Daniel Voss",
            "age": "34",
            "gender": "male",
            "race": "B",
            "race_source": "public_record",
            "was_mental_illness_related": "False",
            "body_camera": "True",
            "agency_ids": "17",
        },
        {
            "id": "9002",
            "date": "2024-05-02",
            "threat_type": "attack",
            "flee_status": "not",
            "armed_with": "knife",
            "city": "Columbus",
            "county": "Franklin",
            "state": "OH",
            "name": "Thomas Pellow",
            "age": "28",
            "gender": "male",
            "race": "W",
            "race_source": "photo",
            "was_mental_illness_related": "True",
            "body_camera": "False",
            "agency_ids": "23",
        },
        {
            "id": "9003",
            "date": "2024-07-09",
            "threat_type": "shoot",
            "flee_status": "car",
            "armed_with": "gun",
            "city": "Phoenix",
            "county": "Maricopa",
            "state": "AZ",
            "name": "Sam Brackley",
            "age": "30",
            "gender": "male",
            "race": "--",
            "was_mental_illness_related": "False",
            "body_camera": "False",
            "agency_ids": "31",
        },
        {"id": "9004", "date": "soon", "city": "Nowhere", "state": "TX", "name": "Jo Nobody"},
    ]
    return write(tmp_path / "fatal-police-shootings-data.csv", WAPO, rows, quote_all=True)


def test_compare_wapo(store: Store, tmp_path: Path) -> None:
    path = wapo_file(tmp_path)
    result = compare(store, path, "wapo")
    assert result["problems"] == [
        f"{path}:5: FW005 malformed input (date 'soon' is not a date (YYYY-MM-DD or MM/DD/YYYY))"
    ]
    assert (result["rows"], result["incidents"], result["matched"]) == (3, 3, 2)
    assert result["period"] == ["2024-03-03", "2024-07-09"]
    assert sorted((m["incident"], m["row"]) for m in result["matches"]) == [(1, "9001"), (2, "9002")]
    assert [r["id"] for r in result["missing_from_forcewatch"]] == ["9003"]
    assert [o["id"] for o in result["missing_from_reference"]] == [3]  # the custody death is outside WaPo's scope
    assert result["coverage"] == {"rows_in_forcewatch": 0.667, "incidents_in_reference": 0.667}
    assert {k: (v["compared"], v["agree"]) for k, v in result["agreement"].items()} == {
        "armed": (2, 2),
        "flee": (1, 1),  # forcewatch has no fleeing value for incident 2
        "threat": (1, 1),
        "body_camera": (1, 1),
        "age": (2, 1),
        "race": (1, 1),
    }
    [wrong] = result["disagreements"]
    assert (wrong["incident"], wrong["row"], wrong["field"], wrong["forcewatch"], wrong["wapo"]) == (
        2,
        "9002",
        "age",
        27,
        "28",
    )
    assert wrong["quotes"] == [
        {
            "article": wrong["quotes"][0]["article"],
            "outlet": "Linden Ledger",
            "value": 27,
            "quote": "He was 27 years old.",
        }
    ]
    est = result["estimate"]
    assert (est["n_a"], est["n_b"], est["both"], est["seen"]) == (3, 3, 2, 4)
    assert est["total"] == pytest.approx(4.33, abs=0.01)  # (3+1)(3+1)/(2+1) - 1
    assert crosswalk(store, 1) == {"wapo_id": "9001", "mpv_id": None, "fe_id": None}
    assert crosswalk(store, 2)["wapo_id"] == "9002" and crosswalk(store, 3)["wapo_id"] is None


def test_compare_mpv_url_is_decisive_and_state_vetoes(store: Store, tmp_path: Path) -> None:
    rows = [
        {
            "name": "Danny Voss",
            "age": "34",
            "gender": "Male",
            "race": "Black",
            "date": "2024-03-04",
            "city": "Houston",
            "state": "TX",
            "county": "Harris",
            "agency_responsible": "Houston Police Department",
            "cause_of_death": "Gunshot",
            "news_urls": "https://www.beacon.example/news/voss-shooting/ https://other.example/story",
            "allegedly_armed": "Allegedly Armed",
            "wapo_armed": "gun",
            "wapo_threat_level": "attack",
            "wapo_flee": "Foot",
            "wapo_body_camera": "No",
            "wapo_id": "9001",
            "mpv_id": "7001",
        },
        {
            "name": "Marcus Ashby",
            "age": "51",
            "gender": "Male",
            "race": "Black",
            "date": "2024-04-10",
            "city": "Columbus",
            "state": "OH",
            "agency_responsible": "Franklin County Sheriff's Office",
            "cause_of_death": "Physical Restraint",
            "allegedly_armed": "Unarmed/Did Not Have Actual Weapon",
            "mpv_id": "7002",
        },
        {
            "name": "Tom Pellow",
            "age": "27",
            "gender": "Male",
            "race": "White",
            "date": "2024-05-01",
            "city": "Springfield",
            "state": "IL",
            "cause_of_death": "Gunshot",
            "mpv_id": "7003",
        },
    ]
    path = write(tmp_path / "mpv.csv", MPV, rows)
    result = compare(store, path, "mpv")
    assert result["problems"] == []
    by_row = {m["row"]: m for m in result["matches"]}
    assert sorted(by_row) == ["7001", "7002"]
    assert by_row["7001"]["incident"] == 1 and by_row["7001"]["why"] == ["news URL is an ingested article"]
    assert by_row["7002"]["incident"] == 4
    assert [r["id"] for r in result["missing_from_forcewatch"]] == ["7003"]  # same name, another state
    assert [o["id"] for o in result["missing_from_reference"]] == [2]
    assert result["agreement"]["threat"] == {"compared": 1, "agree": 1, "rate": 1.0}  # MPV's attack covers point
    [wrong] = result["disagreements"]
    assert (wrong["field"], wrong["forcewatch"], wrong["mpv"]) == ("body_camera", True, "No")
    assert wrong["quotes"][0]["quote"] == "Body-worn camera footage of the shooting exists, the chief said."
    assert crosswalk(store, 1)["mpv_id"] == "7001" and crosswalk(store, 4)["mpv_id"] == "7002"


def test_compare_fe_and_cli_and_summary(store: Store, tmp_path: Path) -> None:
    rows = [
        {
            "Unique ID": "31001",
            "Name": "Lee Ashby",
            "Age": "45",
            "Gender": "Male",
            "Race": "European-American/White",
            "Date of injury resulting in death (month/day/year)": "06/01/2024",
            "Location of death (city)": "Dayton",
            "State": "OH",
            "Location of death (county)": "Montgomery",
            "Agency or agencies involved": "Dayton Police Department",
            "Highest level of force": "Gunshot",
            "Armed/Unarmed": "Armed",
            "Alleged weapon": "Firearm",
            "Aggressive physical movement": "Brandished weapon",
            "Fleeing/Not fleeing": "Not fleeing",
            "Supporting document link": "https://dayton.example/ashby",
        },
        {
            "Unique ID": "31002",
            "Name": "Kim Marrowby",
            "Date of injury resulting in death (month/day/year)": "13/45/2024",
            "Location of death (city)": "Dayton",
            "State": "OH",
        },
    ]
    path = write(tmp_path / "fatal-encounters.csv", FE, rows)
    db = store.url.removeprefix("sqlite:///")
    out = CliRunner().invoke(cli_app, ["compare", "--fe", str(path), "--db", db])
    assert out.exit_code == 0, out.output
    assert "FW005" in out.output and "13/45/2024" in out.output
    assert (
        "Fatal Encounters: 1 rows (2024-06-01 to 2024-06-01); forcewatch: 1 incidents in that period and scope; 1 matched"
        in out.output
    )
    assert crosswalk(store, 3)["fe_id"] == "31001"
    wapo = CliRunner().invoke(cli_app, ["compare", "--wapo", str(wapo_file(tmp_path)), "--db", db])
    assert (
        "disagree: incident 2 / wapo 9002 age: forcewatch 27, wapo 28 — Linden Ledger: “He was 27 years old.”"
        in wapo.output
    )
    assert "not in forcewatch: wapo 9003 2024-07-09 Sam Brackley, Phoenix AZ" in wapo.output
    assert CliRunner().invoke(cli_app, ["compare", "--db", db]).exit_code == 2
    wrong_layout = CliRunner().invoke(cli_app, ["compare", "--mpv", str(path), "--db", db])
    assert wrong_layout.exit_code == 2 and "not a Mapping Police Violence CSV: no column" in wrong_layout.output
    cov = CliRunner().invoke(cli_app, ["coverage", "--db", db])
    assert cov.exit_code == 0, cov.output
    assert "forcewatch (3) and wapo (3), 2 matched, 2024-03-03 to 2024-07-09: about 4 in all" in cov.output
    client = TestClient(create_app(store, secret="test-secret"))
    page = client.get("/summary")
    assert page.status_code == 200 and 'id="coverage"' in page.text
    assert "Against wapo (2024-03-03 to 2024-07-09): forcewatch 3, wapo 3, 2 matched" in page.text
    api = client.get("/api/coverage").json()
    assert sorted(r["database"] for r in api["references"]) == ["fe", "wapo"]


def test_comparison_pages(store: Store, tmp_path: Path) -> None:
    compare(store, wapo_file(tmp_path), "wapo")
    client = TestClient(create_app(store, secret="test-secret"))
    runs = client.get("/comparisons")
    assert runs.status_code == 200 and 'href="/comparisons/1"' in runs.text
    page = client.get("/comparisons/1")
    assert page.status_code == 200
    assert "<td>age</td><td>2</td><td>1</td><td>50%</td>" in page.text
    assert "<q>He was 27 years old.</q>" in page.text
    assert "9003: 2024-07-09 Sam Brackley, Phoenix AZ" in page.text
    assert 'href="/incidents/3">incident 3</a>' in page.text
    assert client.get("/api/comparisons/1").json()["matched"] == 2
    assert client.get("/comparisons/7").status_code == 404
    assert client.get("/api/incidents/2/crosswalk").json() == {
        "incident": 2,
        "wapo_id": "9002",
        "mpv_id": None,
        "fe_id": None,
    }
    assert client.get("/api/incidents/99/crosswalk").status_code == 404
