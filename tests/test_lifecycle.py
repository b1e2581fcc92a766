"""The case lifecycle read from one sentence at a time (fictional people and places)."""

from __future__ import annotations

from datetime import date

import pytest

from forcewatch.extract.lifecycle import extract_lifecycle
from forcewatch.extract.stages import case_status, lifecycle_list


def stages(doc_for, text: str) -> dict[str, dict]:
    return {ev.field.removeprefix("case."): ev.value for ev in extract_lifecycle(doc_for(text, date(2025, 6, 12)))}


@pytest.mark.parametrize(
    "text, stage",
    [
        ("The IOPC has begun an independent investigation into the death of Jo Voss.", "investigation_opened"),
        ("The two Marrowby officers have been placed on paid administrative leave.", "officer_suspended"),
        ("A Northshire Police constable was charged with manslaughter on 3 March 2025.", "officer_charged"),
        ("Prosecutors said the two deputies will not be charged over the death of Tobin Quarrell.", "no_charges"),
        ("The former deputy was convicted of manslaughter by a jury on Tuesday.", "verdict"),
        ("An inquest into Ms Voss's death was opened and adjourned at Northshire Coroner's Court.", "inquest_opened"),
        ("An inquest jury has concluded that Tobin Quarrell was lawfully killed.", "inquest_conclusion"),
        # "found dead" belongs to the woman, not to the inquest
        (
            "The coroner adjourned the inquest of a woman found dead in a cell at Brackley police station.",
            "inquest_opened",
        ),
        ("The city agreed to a $2 million settlement of the family's lawsuit.", "settlement"),
        ("The officer faces a gross misconduct hearing next month.", "misconduct_hearing"),
    ],
)
def test_each_stage_is_read(doc_for, text, stage):
    assert stage in stages(doc_for, text), stages(doc_for, text)


@pytest.mark.parametrize(
    "text",
    [
        "Man, 24, charged over Marrowby pub shooting.",  # a civilian charged: another case
        "We want the officers who did this suspended while the IOPC looks at the video.",  # a demand
        "The IOPC will decide whether an investigation is needed.",  # not yet
        "The handler called the dog off as soon as it became clear a man had been bitten.",
    ],
)
def test_what_is_not_a_stage_reached(doc_for, text):
    assert stages(doc_for, text) == {}


def test_stage_dates_and_status(doc_for):
    found = stages(doc_for, "A Northshire Police constable was charged with manslaughter on 3 March 2025.")
    assert found["officer_charged"] == {"stage": "officer_charged", "date": "2025-03-03", "as_of": None}
    found = stages(doc_for, "The IOPC has begun an independent investigation.")
    assert found["investigation_opened"]["as_of"] == "2025-06-12" and found["investigation_opened"]["date"] is None
    entries = lifecycle_list(
        {
            "case.verdict": {"stage": "verdict", "date": "2026-01-10", "as_of": None},
            "case.investigation_opened": {"stage": "investigation_opened", "date": None, "as_of": "2025-03-01"},
            "subject_name": "Jo Voss",
        }
    )
    assert [e["stage"] for e in entries] == ["investigation_opened", "verdict"]
    assert case_status(entries) == "verdict" and case_status([]) is None


def test_no_officer_suspended_is_no_suspension(doc_for):
    assert "officer_suspended" not in stages(doc_for, "The IOPC said that no officer had been suspended.")
