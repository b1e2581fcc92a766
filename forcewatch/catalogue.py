"""The field catalogue in code: each field's label, type, allowed values (with labels) and meaning.

One definition feeds the data dictionary (`docs/fields.md`, written by `python -m forcewatch.catalogue`
and checked by tests/test_fields_doc.py), the labels the web pages and `forcewatch show` print
instead of codes, and the Datasette metadata. `forcewatch.model.FIELDS` stays the list of names.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from forcewatch.model import TIMELINE_EVENTS


@dataclass(frozen=True)
class FieldDef:
    """One field of the incident record."""

    name: str
    label: str
    kind: str  # "code", "codes" (a list of codes), "text", "integer", "number", "boolean", "date", "list"
    description: str
    values: dict[str, str] = field(default_factory=dict)  # code -> label, for "code"/"codes"
    unit: str | None = None
    wapo: str | None = None  # the Washington Post Fatal Force v2 column it fills


YES_NO = {"true": "Yes", "false": "No"}

CATEGORIES = {
    "police_shooting": "Police shooting",
    "road_traffic": "Road traffic incident",
    "custody": "Death or injury in custody",
    "suicide_following_custody": "Apparent suicide following custody",
    "other_contact": "Other police contact",
}

COUNTRIES = {
    "GB": "United Kingdom",
    "US": "United States",
    "IE": "Ireland",
    "CA": "Canada",
    "AU": "Australia",
    "NZ": "New Zealand",
    "IN": "India",
}

TIMELINE_LABELS = {
    "call_received": "Call received",
    "police_arrived": "Police arrived",
    "shots_fired": "Shots fired",
    "first_aid": "First aid",
    "death": "Death",
    "arrest": "Arrest",
    "other": "Other event",
}

QUALIFIERS = {"exact": "at", "around": "around", "before": "before", "after": "after"}

CATALOGUE: tuple[FieldDef, ...] = (
    FieldDef(
        "category",
        "Category",
        "code",
        "The IOPC's five categories of deaths and serious injuries during or following police contact; a US police shooting is a police shooting too.",
        CATEGORIES,
    ),
    FieldDef(
        "outcome",
        "Outcome",
        "code",
        "What happened to the person police had contact with.",
        {"fatal": "Died", "injured": "Injured", "unharmed": "Unharmed"},
    ),
    FieldDef(
        "force_used",
        "Force used",
        "codes",
        "Every kind of force police used; a man shot and Tasered is both.",
        {
            "firearm": "Firearm",
            "taser": "Taser",
            "baton": "Baton",
            "restraint": "Restraint",
            "dog": "Police dog",
            "vehicle": "Police vehicle",
            "chemical": "Incapacitant spray",
            "other": "Other",
        },
    ),
    FieldDef(
        "date",
        "Date",
        "date",
        "The incident's date (YYYY-MM-DD), not the article's: 'Thursday night' is resolved against the publication date.",
        wapo="date",
    ),
    FieldDef(
        "timeline",
        "Timeline",
        "list",
        "Events with a clock time: {event, time HH:MM, qualifier}; each event (timeline.<event>) merges and conflicts on its own. "
        "Events: " + ", ".join(TIMELINE_EVENTS) + "; qualifiers: exact, around, before, after.",
    ),
    FieldDef(
        "country",
        "Country",
        "code",
        "ISO 3166-1 alpha-2 code of the country where it happened (any country may appear; these are the ones named in labels).",
        COUNTRIES,
    ),
    FieldDef(
        "region",
        "Region",
        "text",
        "Region, county or state (London, West Midlands, Texas); a US state is written out.",
        wapo="state",
    ),
    FieldDef("locality", "Town or city", "text", "Town or city where it happened.", wapo="city"),
    FieldDef("neighbourhood", "Neighbourhood", "text", "Area, estate or street."),
    FieldDef(
        "latitude",
        "Latitude",
        "number",
        "From the offline gazetteer (GeoNames); see location_precision.",
        unit="degrees (WGS 84)",
        wapo="latitude",
    ),
    FieldDef(
        "longitude",
        "Longitude",
        "number",
        "From the offline gazetteer (GeoNames); see location_precision.",
        unit="degrees (WGS 84)",
        wapo="longitude",
    ),
    FieldDef(
        "location_precision",
        "Location precision",
        "code",
        "How exact the coordinates are: they mark the centre of the named place, not the scene.",
        {
            "address": "Street address",
            "neighbourhood": "Neighbourhood",
            "locality": "Town or city centre",
            "region": "Region centre",
            "not_available": "Not available",
        },
        wapo="location_precision",
    ),
    FieldDef(
        "subject_name",
        "Name",
        "text",
        "The person's name; empty while unnamed (later reports may name them).",
        wapo="name",
    ),
    FieldDef("subject_age", "Age", "integer", "Age in years.", unit="years", wapo="age"),
    FieldDef(
        "subject_age_approximate",
        "Age approximate",
        "boolean",
        "The age is an estimate ('believed to be aged 40').",
        YES_NO,
    ),
    FieldDef(
        "subject_gender",
        "Gender",
        "code",
        "As reported.",
        {"male": "Male", "female": "Female", "other": "Other"},
        wapo="gender",
    ),
    FieldDef("subject_race", "Race or ethnicity", "text", "Only when an article states it.", wapo="race"),
    FieldDef(
        "subject_armed",
        "Armed with",
        "code",
        "What the person had; 'undetermined' (reports disagree or are unclear) differs from empty (no report says).",
        {
            "gun": "Gun",
            "knife": "Knife or blade",
            "blunt_object": "Blunt object",
            "replica": "Replica weapon",
            "vehicle": "Vehicle",
            "other": "Other weapon",
            "unarmed": "Unarmed",
            "undetermined": "Undetermined",
        },
        wapo="armed_with",
    ),
    FieldDef(
        "subject_weapon_recovered",
        "Weapon recovered",
        "boolean",
        "A weapon was found at the scene, as against only claimed.",
        YES_NO,
    ),
    FieldDef(
        "mental_health_crisis",
        "Mental health crisis",
        "boolean",
        "Reported mental illness or crisis; threats of suicide count.",
        YES_NO,
        wapo="was_mental_illness_related",
    ),
    FieldDef(
        "body_camera",
        "Body camera",
        "boolean",
        "Body-worn video is mentioned as existing.",
        YES_NO,
        wapo="body_camera",
    ),
    FieldDef(
        "fleeing",
        "Fleeing",
        "code",
        "Whether and how the person was fleeing.",
        {"not_fleeing": "Not fleeing", "foot": "On foot", "car": "By car", "other": "Other"},
        wapo="flee_status",
    ),
    FieldDef(
        "threat",
        "Threat",
        "code",
        "What the person did just before police used force, only where the reports support it.",
        {
            "shoot": "Fired a weapon",
            "point": "Pointed a weapon",
            "attack": "Attacked",
            "threat": "Threatened",
            "move": "Moved towards officers",
            "flee": "Fled",
            "accident": "Accident",
            "undetermined": "Undetermined",
        },
        wapo="threat_type",
    ),
    FieldDef(
        "agency",
        "Police force",
        "text",
        "Canonical force name ('the Met' and 'Metropolitan Police' are one); exports add its identifier (UK force code) as agency_id.",
        wapo="agency_ids",
    ),
    FieldDef("shots_fired", "Shots fired", "integer", "Shots fired by police.", unit="shots"),
    FieldDef("first_aid", "First aid given", "boolean", "Police or others gave first aid.", YES_NO),
    FieldDef("others_present", "Others present", "boolean", "Other people were present.", YES_NO),
    FieldDef(
        "oversight_body",
        "Investigated by",
        "code",
        "The body investigating the police.",
        {
            "IOPC": "IOPC",
            "IPCC": "IPCC (before 2018)",
            "PIRC": "PIRC (Scotland)",
            "PONI": "Police Ombudsman (Northern Ireland)",
            "state": "State investigators or attorney general",
            "DOJ": "US Department of Justice",
            "internal": "The force itself",
            "other": "Other independent body",
        },
    ),
    FieldDef(
        "oversight_status",
        "Investigation",
        "code",
        "Where the investigation stands.",
        {"referred": "Referred", "investigating": "Under investigation", "concluded": "Concluded"},
    ),
    FieldDef(
        "quotes",
        "Quotes",
        "list",
        "Direct quotes: {speaker, role, organisation, text}, also when a quote runs over several paragraphs.",
    ),
)

BY_NAME: dict[str, FieldDef] = {d.name: d for d in CATALOGUE}


def definition(name: str) -> FieldDef | None:
    """The definition of a field, `timeline.<event>` included (as the timeline field)."""
    return BY_NAME.get("timeline" if name.startswith("timeline.") else name)


def field_label(name: str) -> str:
    """'Age' for subject_age, 'Shots fired (time)' for timeline.shots_fired."""
    if name.startswith("timeline."):
        event = name.split(".", 1)[1]
        return f"{TIMELINE_LABELS.get(event, event.replace('_', ' ').capitalize())} (time)"
    if name.startswith("case."):
        from forcewatch.extract.stages import STAGE_LABELS

        stage = name.split(".", 1)[1]
        return f"Case: {STAGE_LABELS.get(stage, stage.replace('_', ' '))}"
    if name in ("case_lifecycle", "case_status"):
        return {"case_lifecycle": "Case lifecycle", "case_status": "Case status"}[name]
    d = BY_NAME.get(name)
    return d.label if d else name.replace("_", " ").capitalize()


def value_label(name: str, value: Any) -> str:
    """A value as a person reads it: 'Police shooting', 'United Kingdom', 'Yes', 'around 21:00'."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(value_label(name, v) for v in value)
    if isinstance(value, dict) and "time" in value:
        qualifier = QUALIFIERS.get(value.get("qualifier") or "exact", value.get("qualifier") or "")
        event = value.get("event")
        time = f"{qualifier} {value['time']}".strip()
        return f"{TIMELINE_LABELS.get(event, event)}: {time}" if name == "timeline" and event else time
    if isinstance(value, dict) and "stage" in value:
        from forcewatch.extract.stages import STAGE_LABELS

        when = value.get("date") or (f"as of {value['as_of']}" if value.get("as_of") else "date not given")
        label = STAGE_LABELS.get(str(value["stage"]), str(value["stage"]))
        return f"{label}: {when}" if name in ("case_lifecycle", "case_status") else str(when)
    if name == "case_status":
        from forcewatch.extract.stages import STAGE_LABELS

        return STAGE_LABELS.get(str(value), str(value))
    if isinstance(value, dict) and "text" in value:
        who = ", ".join(str(v) for v in (value.get("role"), value.get("organisation")) if v)
        speaker = value.get("speaker") or "unnamed"
        return f"{speaker}{f' ({who})' if who else ''}: “{value['text']}”"
    d = definition(name)
    if d and d.values and str(value) in d.values:
        return d.values[str(value)]
    return str(value)


def markdown() -> str:
    """docs/fields.md: the data dictionary, from CATALOGUE."""
    lines = [
        "# Fields of an incident record",
        "",
        "Generated from `forcewatch/catalogue.py` by `python -m forcewatch.catalogue > docs/fields.md`;",
        "`tests/test_fields_doc.py` fails when this file and the code disagree.",
        "",
        "Every value carries its evidence (article, character span, quote); a merged field carries every",
        "source's value, the chosen value, its support (independent sources) and a conflict flag. An empty",
        "value means no report says; `undetermined` means the reports disagree or are unclear.",
        "",
        "| field | label | type | allowed values | unit | WaPo v2 column | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for d in CATALOGUE:
        values = (
            ", ".join(f"`{code}` ({label})" for code, label in d.values.items()) if d.kind != "boolean" else "yes, no"
        )
        lines.append(
            f"| `{d.name}` | {d.label} | {d.kind} | {values} | {d.unit or ''} | {d.wapo or ''} | {d.description} |"
        )
    lines += [
        "",
        "## Timeline events",
        "",
        "| event | label |",
        "| --- | --- |",
        *(f"| `{e}` | {TIMELINE_LABELS[e]} |" for e in TIMELINE_EVENTS),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown())


_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def headline(fields: dict[str, Any], incident_id: int | None = None) -> str:
    """A headline from the record: 'Man, 38, shot dead by Bedfordshire Police in Luton, 6 Oct 2025'."""
    name, age = fields.get("subject_name"), fields.get("subject_age")
    who = name or {"male": "Man", "female": "Woman"}.get(fields.get("subject_gender") or "", "Person")
    if age is not None:
        who = f"{who}, {'about ' if fields.get('subject_age_approximate') else ''}{age},"
    agency = fields.get("agency") or "police"
    outcome = fields.get("outcome")
    category = fields.get("category")
    force = fields.get("force_used") or []
    died = outcome == "fatal"
    if category == "police_shooting" or "firearm" in force:
        what = "shot dead by" if died else ("shot and injured by" if outcome == "injured" else "shot at by")
    elif category == "custody":
        what = "died in the custody of" if died else "harmed in the custody of"
    elif category == "suicide_following_custody":
        what = "died after release from the custody of"
    elif category == "road_traffic":
        what = f"{'died' if died else 'injured'} in a road traffic incident involving"
    elif "taser" in force:
        what = f"{'died after being' if died else 'injured after being'} Tasered by"
    else:
        what = f"{'died' if died else 'harmed'} after contact with"
    text = f"{who} {what} {agency}"
    if fields.get("locality"):
        text += f" in {fields['locality']}"
    day = fields.get("date")
    if isinstance(day, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        text += f", {int(day[8:])} {_MONTHS[int(day[5:7]) - 1]} {day[:4]}"
    elif incident_id is not None and not fields.get("locality"):
        text += f" (incident {incident_id})"
    return text
