"""Oversight bodies and police forces outside the UK and US (issue 9, point 6).

Every sentence here is fictional, written for the behaviour under test: the places,
people and incidents are invented.
"""

from __future__ import annotations

import pytest

from forcewatch.extract.agencies import agency_country, article_country, extract_agency
from forcewatch.extract.oversight import body_countries, extract_oversight


def values(evidence, field):
    return {e.value for e in evidence if e.field == field}


# --------------------------------------------------------------------------
# Oversight bodies: all of these are "other".
# --------------------------------------------------------------------------
OTHER_BODIES = [
    ("siu", "Ontario's Special Investigations Unit is looking into the death of a man in Brackenford."),
    ("siu-acronym", "The SIU said a 31-year-old man was hurt during an arrest in Lindale Heights."),
    ("iio", "The Independent Investigations Office of B.C. said a woman was injured in a police cell."),
    ("iio-acronym", "The IIO said a man fell from a balcony as officers arrived in Corran Bay."),
    ("asirt", "The Alberta Serious Incident Response Team is looking into the crash near Millbrook Flats."),
    ("asirt-acronym", "ASIRT said the man was taken to hospital after the arrest in Dunmore Ridge."),
    ("bei", "The Bureau des enquêtes indépendantes said a man died after an arrest in Saint-Élzéar-des-Pins."),
    ("bei-acronym", "Quebec's police watchdog, the BEI, said the man was shot in the leg."),
    ("iiu", "Manitoba's Independent Investigation Unit said the man was bitten by a police dog."),
    ("iiu-acronym", "The IIU has assigned three investigators to the death in Carrow Lake."),
    ("sirt-ns", "Nova Scotia's Serious Incident Response Team said a man was hurt in a cell in Port Medway."),
    ("sirt-acronym", "The SiRT director said the woman was injured while in custody."),
    ("sirt-caps", "SIRT said the teenager was struck by a cruiser in Glen Aldous."),
    ("ipca", "The Independent Police Conduct Authority said a man was injured during an arrest in Tawhiri."),
    ("ipca-acronym", "The IPCA said the man had been tasered twice in Kererū Bay."),
    ("gsoc", "GSOC said a man was injured when he was arrested in Ballinvarra."),
    ("garda-ombudsman", "The Garda Ombudsman has been told of the death of a man in Kilcrannagh."),
    ("gsoc-long", "The Garda Síochána Ombudsman Commission said a woman died after a fall in a cell."),
    ("fiosru", "Fiosrú said a man was injured in a crash involving a patrol car in Ardmullan."),
    ("lecc", "The Law Enforcement Conduct Commission will oversee the inquiry into the Wirrabee shooting."),
    ("lecc-acronym", "The LECC said a man died after being restrained in Coolabah Springs."),
    ("ibac", "IBAC said a man was injured during an arrest in Warrenvale."),
    ("ibac-long", "The Independent Broad-based Anti-corruption Commission said it would review the arrest."),
    ("ccc-qld", "The Crime and Corruption Commission said a man died in a watch house in Yarrabin."),
    ("ccc-wa", "The Corruption and Crime Commission is reviewing the police shooting in Karinyup Creek."),
    ("nhrc", "The NHRC has issued a notice over the custodial death of a man in Rampur Kalan."),
    ("state-hrc", "The state human rights commission has sought a report on the death in police custody."),
    ("magisterial", "A magisterial inquiry has been ordered into the police firing in Sonepur Khurd."),
    ("cid", "The case was handed over to the CID after the man died at Bhimgarh police station."),
    ("cb-cid", "A CB-CID probe was ordered into the death of a man in custody at Kottaivilai."),
]


@pytest.mark.parametrize(("case", "text"), OTHER_BODIES, ids=[c for c, _ in OTHER_BODIES])
def test_bodies_abroad_are_other(doc_for, case, text):
    assert values(extract_oversight(doc_for(text)), "oversight_body") == {"other"}, case


def test_bodies_abroad_hint_their_country(doc_for):
    text = {
        "CA": "The SIU said a man died in Brackenford.",
        "NZ": "The IPCA said a man died in Tawhiri.",
        "IE": "GSOC said a man died in Ballinvarra.",
        "AU": "The LECC said a man died in Coolabah Springs.",
        "IN": "The NHRC has issued a notice over the death of a man in police custody.",
        "GB": "The IOPC said a man died in Ashcombe.",
    }
    for country, sentence in text.items():
        assert {c for c, _ in body_countries(doc_for(sentence))} == {country}, sentence


STATUSES = [
    ("The SIU has invoked its mandate after a man was hurt in Brackenford.", "investigating"),
    ("The IIO was called in after a woman died in a cell in Corran Bay.", "investigating"),
    ("ASIRT has been directed to investigate the arrest in Dunmore Ridge.", "investigating"),
    ("The IPCA found that the officer was justified in firing at the man in Tawhiri.", "concluded"),
    ("The IPCA found the dog handler had not followed policy.", "concluded"),
    ("GSOC has begun an investigation after a man was hurt in Ballinvarra.", "investigating"),
    ("The Garda Ombudsman is examining the circumstances of the arrest.", "investigating"),
    ("Police said the IIO had been notified.", "referred"),
    ("The matter has been referred to the LECC.", "referred"),
    ("The SIU director found no reasonable grounds to believe the officer committed an offence.", "concluded"),
    ("Fiosrú has opened an investigation into the crash in Ardmullan.", "investigating"),
]


@pytest.mark.parametrize(("text", "status"), STATUSES)
def test_status_for_bodies_abroad(doc_for, text, status):
    assert status in values(extract_oversight(doc_for(text)), "oversight_status")


def test_state_attorney_general_and_state_doj(doc_for):
    ov = extract_oversight(
        doc_for("The state attorney general's office is investigating the shooting by Marlow Creek officers.")
    )
    assert values(ov, "oversight_body") == {"state"}
    assert values(ov, "oversight_status") == {"investigating"}
    ov = extract_oversight(doc_for("The California Department of Justice is investigating the death in Pell Valley."))
    assert values(ov, "oversight_body") == {"state"}
    ov = extract_oversight(doc_for("The Justice Department has opened a civil rights investigation into the force."))
    assert values(ov, "oversight_body") == {"DOJ"}


def test_coroner_and_inquest_are_not_oversight_bodies(doc_for):
    for text in (
        "A coroner's inquest heard the man had been restrained by officers for six minutes.",
        "The coroner ruled that the death in the cell was accidental.",
        "A state coroner's inquest found the officers could not have known he was unwell.",
    ):
        assert values(extract_oversight(doc_for(text)), "oversight_body") == set(), text


def test_prosecutor_only_when_reviewing_the_officers(doc_for):
    review = "The district attorney declined to charge the two deputies who shot Mr Tallis."
    assert values(extract_oversight(doc_for(review)), "oversight_body") == {"other"}
    review = "The county attorney's office will not file criminal charges against the Brandt Lake police officer."
    assert values(extract_oversight(doc_for(review)), "oversight_body") == {"other"}
    suspect = "The district attorney charged him with assaulting an officer and resisting arrest."
    assert values(extract_oversight(doc_for(suspect)), "oversight_body") == set()
    unrelated = "The district attorney said the trial of the burglary suspect would begin in May."
    assert values(extract_oversight(doc_for(unrelated)), "oversight_body") == set()


def test_police_ombudsman_is_poni_in_northern_ireland_and_other_in_ireland(doc_for):
    north = "The Police Ombudsman is investigating after PSNI officers fired a baton round in Drumcorran."
    assert values(extract_oversight(doc_for(north)), "oversight_body") == {"PONI"}
    south = (
        "A man was hurt during his arrest by gardaí in Ballinvarra.\n"
        "The Office of the Police Ombudsman said it had opened an investigation."
    )
    assert values(extract_oversight(doc_for(south)), "oversight_body") == {"other"}


def test_lake_garda_and_the_garda_ombudsman_are_not_the_force(doc_for):
    lake = doc_for("Two hikers were hurt in a rockfall near Lake Garda in Italy.")
    assert values(extract_agency(lake), "agency") == set()
    ombudsman = doc_for("The Garda Síochána Ombudsman Commission said it had received a complaint.")
    assert values(extract_agency(ombudsman), "agency") == set()
    assert values(extract_oversight(ombudsman), "oversight_body") == {"other"}


# --------------------------------------------------------------------------
# Agencies: canonical names and their countries.
# --------------------------------------------------------------------------
FORCES = [
    ("A man was arrested by gardaí in Ballinvarra on Sunday.", "Garda Síochána", "IE"),
    ("A Garda spokesman said the man was taken to hospital.", "Garda Síochána", "IE"),
    ("An Garda Síochána said the man was injured.", "Garda Síochána", "IE"),
    ("Two men were held by RCMP officers near Millbrook Flats.", "Royal Canadian Mounted Police", "CA"),
    ("Mounties shot a man near Dunmore Ridge on Tuesday.", "Royal Canadian Mounted Police", "CA"),
    ("The Royal Canadian Mounted Police said the man was armed.", "Royal Canadian Mounted Police", "CA"),
    ("Toronto police said a man was shot in the leg.", "Toronto Police Service", "CA"),
    ("The Ottawa Police Service said the woman was tasered.", "Ottawa Police Service", "CA"),
    ("Vancouver police said the man died in hospital.", "Vancouver Police Department", "CA"),
    ("Calgary police shot a man on Tuesday night.", "Calgary Police Service", "CA"),
    ("The Edmonton Police Service said an officer fired once.", "Edmonton Police Service", "CA"),
    ("Winnipeg police said the man was restrained.", "Winnipeg Police Service", "CA"),
    ("Montreal police said the man was hit by a cruiser.", "Service de police de la Ville de Montréal", "CA"),
    ("The SPVM said the man was shot by an officer.", "Service de police de la Ville de Montréal", "CA"),
    ("OPP officers stopped the car on Highway 17.", "Ontario Provincial Police", "CA"),
    ("The Ontario Provincial Police said the driver died.", "Ontario Provincial Police", "CA"),
    ("Sûreté du Québec officers shot a man in Saint-Élzéar-des-Pins.", "Sûreté du Québec", "CA"),
    ("New Zealand Police said the man was bitten by a dog.", "New Zealand Police", "NZ"),
    ("NSW Police said the man was tasered in Wirrabee.", "NSW Police Force", "AU"),
    ("Victoria Police said a man died in Warrenvale.", "Victoria Police", "AU"),
    ("The Queensland Police Service said the man died in a watch house.", "Queensland Police Service", "AU"),
    ("WA Police said the man was shot near Karinyup Creek.", "Western Australia Police Force", "AU"),
    ("The Western Australia Police said the woman was injured.", "Western Australia Police Force", "AU"),
    ("South Australia Police said the man was hit by a patrol car.", "South Australia Police", "AU"),
    ("Tasmania Police said a man was arrested in Lorinna Vale.", "Tasmania Police", "AU"),
    ("Northern Territory Police said the man died in custody.", "Northern Territory Police", "AU"),
    ("The Australian Federal Police said officers detained a man.", "Australian Federal Police", "AU"),
    ("The PSNI said a man was hurt during an arrest.", "Police Service of Northern Ireland", "GB"),
    ("The Police Service of Northern Ireland said the man was injured.", "Police Service of Northern Ireland", "GB"),
    ("Uttar Pradesh Police said the man died at the station.", "Uttar Pradesh Police", "IN"),
    ("Delhi Police said the man was beaten by a constable.", "Delhi Police", "IN"),
    ("Mumbai Police said the man died in the lock-up.", "Mumbai Police", "IN"),
    ("Tamil Nadu police said two constables had been suspended.", "Tamil Nadu Police", "IN"),
    ("The Karnataka Police said the man was shot in the leg.", "Karnataka Police", "IN"),
    ("The Jammu and Kashmir Police said the boy was hit by a pellet.", "Jammu and Kashmir Police", "IN"),
]


@pytest.mark.parametrize(("text", "name", "country"), FORCES, ids=[n for _, n, _ in FORCES])
def test_forces_abroad_canonical_name_and_country(doc_for, text, name, country):
    got = values(extract_agency(doc_for(text)), "agency")
    assert got == {name}, text
    assert agency_country(name) == country


def test_agency_is_not_relevance(doc_for):
    """A Garda recruitment drive is no incident, but the force is still named."""
    doc = doc_for("An Garda Síochána has begun a recruitment drive for 800 trainees this autumn.")
    assert values(extract_agency(doc), "agency") == {"Garda Síochána"}


def test_the_guards_only_in_an_irish_report(doc_for):
    irish = doc_for("A man was hurt in Ballinvarra, Co Clare. The guards said he had been drinking.")
    assert values(extract_agency(irish), "agency") == {"Garda Síochána"}
    jail = doc_for("The guards said the inmate attacked them in the county jail in Texas.")
    assert values(extract_agency(jail), "agency") == set()


def test_bare_police_is_new_zealand_police_only_in_a_new_zealand_report(doc_for):
    nz = doc_for("The IPCA said police had tasered a man in Tawhiri, New Zealand.")
    assert article_country(nz) == "NZ"
    assert values(extract_agency(nz), "agency") == {"New Zealand Police"}
    elsewhere = doc_for("Police said they had tasered a man in Ashcombe.")
    assert values(extract_agency(elsewhere), "agency") == set()
    # The caller may know the country already.
    assert values(extract_agency(elsewhere, country="NZ"), "agency") == {"New Zealand Police"}


def test_bare_police_in_one_australian_or_indian_state(doc_for):
    wa = doc_for("A woman died in a cell in Karinyup Creek, Western Australia, after police arrested her.")
    assert values(extract_agency(wa), "agency") == {"Western Australia Police Force"}
    up = doc_for("A man died in custody in Rampur Kalan, Uttar Pradesh, after police beat him, his family said.")
    assert values(extract_agency(up), "agency") == {"Uttar Pradesh Police"}
    two = doc_for("Police in Queensland and New South Wales are looking for the driver.")
    assert values(extract_agency(two), "agency") == set()


def test_ambiguous_short_names_need_their_country(doc_for):
    wire = doc_for("Officers detained two men in Brackenford, AFP reported.")
    assert values(extract_agency(wire), "agency") == set()
    afp = doc_for("AFP officers detained a man at the airport in Sydney, Australia.")
    assert values(extract_agency(afp), "agency") == {"Australian Federal Police"}
    # Victoria, British Columbia, has its own police department: not Victoria Police.
    bc = doc_for("A man was shot in Victoria, B.C., and Victoria police said the officer was unhurt.")
    assert "Victoria Police" not in values(extract_agency(bc), "agency")


def test_canadian_forces_named_in_full(doc_for):
    doc = doc_for("A woman was shot in Fernhollow, N.B., and the Fernhollow Police Force said the officer was unhurt.")
    assert values(extract_agency(doc), "agency") == {"Fernhollow Police Force"}
