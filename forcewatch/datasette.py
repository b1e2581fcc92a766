"""Datasette metadata for a forcewatch SQLite file: titles, descriptions, column meanings and units.

`python -m forcewatch.datasette forcewatch > metadata.json`, then
`datasette forcewatch.db -m metadata.json` (the name is the file's stem: example for example.db).
Column meanings of the incidents table come from forcewatch.catalogue, so they match docs/fields.md.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from forcewatch.catalogue import BY_NAME

_INCIDENT_COLUMNS = {
    "id": "Incident number (its page is /incidents/ID in `forcewatch serve`).",
    "created_at": "When forcewatch first made this incident (UTC).",
    "updated_at": "When a report or a person last changed it (UTC).",
    "merged_into": "Set when a merge retired this incident: the incident that took its articles.",
    "subject": "Name, age and gender of the person, as one line.",
    "armed": BY_NAME["subject_armed"].description,
    "sources": "Articles reporting it (a syndicated copy counts too; support per field counts independent sources).",
    "conflicts": "How many fields its sources disagree on (see incident_fields.conflict).",
    "reviewed": "1 when a person has reviewed at least one of its fields.",
}


def _incident_column(name: str) -> str:
    if name in _INCIDENT_COLUMNS:
        return _INCIDENT_COLUMNS[name]
    d = BY_NAME[name]
    codes = f" Values: {', '.join(d.values)}." if d.values and d.kind != "boolean" else ""
    return d.description + codes


def metadata(database: str = "forcewatch") -> dict[str, Any]:
    """The metadata.json Datasette reads, for a database named `database`."""
    incident_columns = (
        "id date country region locality category agency subject armed latitude longitude sources conflicts"
        " reviewed merged_into created_at updated_at"
    ).split()
    return {
        "title": "forcewatch: deaths and injuries after police contact",
        "description": "Incidents read from news reports; every value is linked to the article text that supports it.",
        "license": "Data: as the source articles allow; forcewatch code: MIT",
        "source": "forcewatch",
        "databases": {
            database: {
                "description": "One forcewatch database (see docs/fields.md for every field).",
                "tables": {
                    "incidents": {
                        "title": "Incidents",
                        "description": "One summary row per incident; the full record is in incident_fields. "
                        "Rows with merged_into set were merged into another incident.",
                        "sort_desc": "date",
                        "columns": {c: _incident_column(c) for c in incident_columns},
                        "units": {"latitude": "degree", "longitude": "degree"},
                    },
                    "incident_fields": {
                        "title": "Incident fields",
                        "description": "Every merged field of every incident: chosen value, the rule that chose it, "
                        "support and what each source says.",
                        "columns": {
                            "incident_id": "The incident (incidents.id).",
                            "field": "Field name (docs/fields.md); timeline events are timeline.<event>.",
                            "value": "The chosen value, as JSON.",
                            "rule": "Why this value: most independent sources, most specific, most recent report, or reviewed.",
                            "support": "Independent sources saying this value (a syndicated copy counts once).",
                            "conflict": "1 when sources disagree on this field.",
                            "conflict_values": "The disagreeing values, as JSON.",
                            "sources": "Each source's value and its evidence ids, as JSON.",
                            "reviewed": "1 when a person set or confirmed this value.",
                        },
                    },
                    "articles": {
                        "title": "Articles",
                        "description": "Every article read, with its relevance decision and the reason for it.",
                        "columns": {
                            "id": "Hash of the normalised text: the same article read twice is one row.",
                            "path": "The file or URL as given to ingest.",
                            "published": "Publication date.",
                            "relevant": "1 when it reports a death or injury after police contact.",
                            "category": "Its category when relevant.",
                            "reason": "The event and roles that decided relevance.",
                            "incident_id": "The incident it reports.",
                            "copy_of": "The article this is a syndicated copy of.",
                        },
                    },
                    "evidence": {
                        "title": "Evidence",
                        "description": "One row per extracted value, with the sentence that supports it.",
                        "columns": {
                            "article_id": "The article (articles.id).",
                            "field": "Field name (docs/fields.md).",
                            "value": "The extracted value, as JSON.",
                            "start": "Start of the supporting sentence in the article body.",
                            "end": "End of the supporting sentence in the article body.",
                            "quote": "The supporting sentence: exactly body[start:end].",
                            "value_start": "Start of the value's own words in the body.",
                            "value_end": "End of the value's own words in the body.",
                            "confidence": "The extractor's confidence, 0 to 1.",
                        },
                        "units": {"start": "character", "end": "character"},
                    },
                    "history": {
                        "title": "History",
                        "description": "Every change: automatic updates from new reports, reviews, merges and splits.",
                        "columns": {
                            "kind": "auto, review, confirm, merge or split.",
                            "actor": "Who: forcewatch, the CLI or an editor's name.",
                            "reason": "Why (required for a review).",
                            "article_id": "The article whose reading caused an automatic change.",
                        },
                    },
                    "users": {"hidden": True},
                    "feeds": {"hidden": True},
                    "link_overrides": {"hidden": True},
                    "batch_partitions": {"hidden": True},
                    "alembic_version": {"hidden": True},
                },
            }
        },
        "custom_units": ["character = [character]"],
    }


if __name__ == "__main__":
    json.dump(metadata(sys.argv[1] if len(sys.argv) > 1 else "forcewatch"), sys.stdout, indent=2)
    sys.stdout.write("\n")
