"""The reading components alone: the shared lexicon and the harm events with their roles.

Sentences are written for the behaviour under test (fictional people and places)."""

from __future__ import annotations

import pytest

from forcewatch.read.events import Event


@pytest.fixture(scope="module")
def nlp():
    from forcewatch.read.reader import load_reader

    return load_reader()


def events(nlp, text: str) -> list[Event]:
    return nlp(text)._.events


def one(nlp, text: str, kind: str) -> Event:
    found = [e for e in events(nlp, text) if e.kind == kind]
    assert found, f"no {kind} event in {text!r}: {[e.describe() for e in events(nlp, text)]}"
    return found[0]


def test_pipeline_declares_its_components(nlp):
    assert nlp.pipe_names[-3:] == ["forcewatch_lexicon", "forcewatch_events", "forcewatch_actions"]
    assert nlp.pipe_names.index("forcewatch_paragraphs") == nlp.pipe_names.index("parser") - 1
    assert "parser" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    analysis = nlp.analyze_pipes()
    assert "doc._.events" in analysis["summary"]["forcewatch_events"]["assigns"]


def test_lexicon_labels_police_custody_and_oversight(nlp):
    doc = nlp("Two gardaí and a Mountie took the inmate to the police station; the IPCA was told.")
    labels = {(s.text.lower(), s.label_) for s in doc.spans["lexicon"]}
    assert ("gardaí", "POLICE") in labels and ("mountie", "POLICE") in labels
    assert ("inmate", "CUSTODY") in labels and ("police station", "CUSTODY") in labels
    assert ("ipca", "OVERSIGHT") in labels


@pytest.mark.parametrize(
    "text",
    [
        "Officers shot a man outside a shop in Brackley on Monday.",
        "A man was shot by officers outside a shop in Brackley on Monday.",
        "The fatal shooting of a man by police outside a shop in Brackley has been referred.",
    ],
    ids=["active", "passive", "nominal"],
)
def test_events_roles_same_in_active_passive_and_nominal(nlp, text):
    ev = one(nlp, text, "firearm")
    assert ev.police_agent, ev.describe()
    assert ev.civilian_patient, ev.describe()
    assert ev.polarity == "asserted"


def test_events_officer_as_the_victim(nlp):
    ev = one(nlp, "A gunman shot a police officer in Brackley.", "firearm")
    assert ev.officer_patient and not ev.police_agent


@pytest.mark.parametrize(
    ("text", "kind", "patient_role"),
    [
        ("A police dog handler was bitten during a search in Marrowby.", "dog", "police"),
        ("A police worker was injured when the crowd surged.", "injury", "police"),
        ("A police van driver was injured on the motorway.", "injury", "police"),
        # A police compound on a person noun of a relation to the force: still a civilian.
        ("A police informant was shot dead in Brackley.", "firearm", "civilian"),
        ("A police shooting victim died in hospital.", "death", "civilian"),
        ("A dog handler was bitten during a search in Marrowby.", "dog", "civilian"),
    ],
)
def test_staff_of_the_force_are_police(nlp, text, kind, patient_role):
    ev = one(nlp, text, kind)
    assert ev.patient is not None and ev.patient.role == patient_role, ev.describe()


@pytest.mark.parametrize(
    ("text", "kind", "nearby"),
    [
        ("A man was shot dead after armed police were called to the street.", "firearm", True),
        ("A man was injured when officers searched him in the street.", "injury", True),
        # Police who look into the harm are not at its scene, like police who report it.
        (
            "A man was critically injured in a shooting at a Brackley apartment complex, and police are "
            "looking for the gunman.",
            "injury",
            False,
        ),
        ("A woman was injured in a stabbing and detectives are investigating.", "injury", False),
        (
            "Detectives investigating the fatal shooting of a man in Brackley have arrested two people.",
            "firearm",
            False,
        ),
        ("A man was injured in a shooting, police said.", "injury", False),
    ],
)
def test_police_at_the_scene_not_police_who_investigate(nlp, text, kind, nearby):
    assert one(nlp, text, kind).police_nearby is nearby


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a body giving way is a collapse
        ("Douglas Voss suffered a cardiac arrest in a police cell in Brackley.", "collapse"),
        ("Douglas Voss had a heart attack in the back of a police van.", "collapse"),
        ("Douglas Voss suffered a seizure while officers held him down.", "collapse"),
        # the parser reads "was Tasered" as a copula and an adjective
        ("The man was Tasered twice when fleeing officers after making threats in Brackley.", "taser"),
        # the nominal of "used a Taser on a man"
        ("The watchdog investigated the use of a Taser on a Brackley man in April 2015.", "taser"),
    ],
)
def test_the_one_harmed_is_the_patient(nlp, text, kind):
    ev = one(nlp, text, kind)
    assert ev.patient is not None and ev.patient.role == "civilian", ev.describe()


def test_a_cardiac_arrest_is_no_police_arrest(nlp):
    ev = one(nlp, "Douglas Voss suffered a cardiac arrest at his home in Brackley.", "collapse")
    assert "contact" not in ev.settings
    assert not [e for e in events(nlp, "Officers arrested Douglas Voss in Brackley.") if e.kind == "collapse"]


def test_the_noun_a_reduced_clause_describes_is_the_patient(nlp):
    ev = one(
        nlp, "The coroner adjourned the inquest of a woman found dead in a cell at Brackley police station.", "death"
    )
    assert ev.patient is not None and ev.patient.role == "civilian", ev.describe()
    assert "custody" in ev.settings


def test_events_negated_and_hedged(nlp):
    assert one(nlp, "Officers did not fire at the man.", "firearm").polarity == "negated"
    assert one(nlp, "No shots were fired by officers.", "firearm").polarity == "negated"
    assert one(nlp, "It is unclear whether officers might have struck him.", "hit").polarity == "hedged"


def test_events_shot_count_and_fatal(nlp):
    ev = one(nlp, "The officer fired his weapon six times.", "firearm")
    assert ev.count == 6 and ev.police_agent
    assert one(nlp, "Five shots were fired by officers.", "firearm").count == 5
    assert one(nlp, "A man was shot dead by police.", "firearm").fatal


def test_events_custody_setting_governed_by_the_predicate(nlp):
    ev = one(nlp, "A woman died in police custody in Brackley.", "death")
    assert "custody" in ev.settings and ev.civilian_patient
    # The arrest is someone else's: it does not make the death a custody death.
    ev = one(nlp, "A man has been arrested after a woman died in Brackley.", "death")
    assert not ev.settings


def test_events_linked_clauses_share_roles(nlp):
    ev = one(nlp, "A villager was killed when police fired on a crowd.", "death")
    assert ev.police_agent and ev.civilian_patient
    ev = one(nlp, "Officers opened fire, wounding a 19-year-old.", "injury")
    assert ev.police_agent and ev.civilian_patient


def test_events_later_mention_of_an_officer_by_surname(nlp):
    doc = nlp("Constable Ada Pellow was shot by a man in Brackley. Pellow died in hospital.")
    died = [e for e in doc._.events if e.kind == "death"][0]
    assert died.officer_patient


def test_events_attribution_and_quotes(nlp):
    ev = one(nlp, "A spokesman said officers shot the man.", "firearm")
    assert ev.attribution == "A spokesman" and not ev.quoted
    ev = one(nlp, "“Officers shot the man,” a witness said.", "firearm")
    assert ev.quoted


def test_paragraphs_end_sentences_at_line_breaks(nlp):
    doc = nlp("Northern Courier\n\nA man died after officers restrained him in Brackley.")
    assert [s.text.strip() for s in doc.sents][:2] == [
        "Northern Courier",
        "A man died after officers restrained him in Brackley.",
    ]


def actions(nlp, text: str) -> set[tuple[str, object]]:
    return {(a.kind, a.value) for a in nlp(text)._.actions if a.polarity == "asserted"}


def test_actions_threat_weapon_and_flight_of_the_subject(nlp):
    assert {("threat", "point"), ("armed", "gun")} <= actions(
        nlp, "He pointed a gun at the officers before they shot him."
    )
    assert ("armed", "knife") in actions(nlp, "The man, who was armed with a knife, lunged at officers.")
    assert ("flee", "foot") in actions(nlp, "He fled on foot.")
    assert ("flee", "car") in actions(nlp, "The driver sped off when officers tried to stop him.")


def test_actions_officers_weapons_are_not_the_subjects(nlp):
    assert not any(kind == "armed" for kind, _ in actions(nlp, "The officer drew his gun and fired."))


def test_actions_the_one_shot_is_not_the_one_who_fired(nlp):
    assert not actions(nlp, "One person is dead after being shot by a sheriff's deputy in Brackley.")
    assert ("threat", "shoot") in actions(nlp, "The man was shot by officers after he fired at them.")


def test_actions_weapon_found_or_not(nlp):
    assert ("found", True) in actions(nlp, "A knife was recovered at the scene.")
    assert ("found", False) in actions(nlp, "No weapon was found.")


def test_evidence_keeps_the_span_of_the_value_itself(analyser):
    from datetime import date

    from forcewatch.model import Article

    text = "A 34-year-old man was shot dead by police in Leeds on Saturday."
    facts = analyser.analyse_one(Article.from_text(text, published=date(2024, 3, 10)))
    age = next(e for e in facts.evidence if e.field == "subject_age")
    assert (age.start, age.end) == (0, len(text))  # the sentence a reader checks
    assert text[age.value_start : age.value_end] == "34-year-old"  # the value's own words


@pytest.mark.parametrize(
    "text",
    [
        "The policemen allegedly thrashed a labourer in Rampur, who later succumbed to his injuries.",
        "A man was gunned down by police in an encounter in Kanpur on Sunday.",
        "A woman was hospitalised after a deputy slammed her to the ground during an arrest.",
    ],
    ids=["thrashed-succumbed", "gunned-down", "slammed-hospitalised"],
)
def test_everyday_and_south_asian_wording_is_read(analyser, text):
    from forcewatch.model import Article

    assert analyser.analyse_one(Article.from_text(text)).relevance.relevant


def test_compound_person_nouns_are_people(nlp):
    ev = one(nlp, "Police shot dead a knifeman in a car park on Tuesday.", "firearm")
    assert ev.police_agent and ev.civilian_patient


@pytest.mark.parametrize(
    "text",
    [
        "The death of 41-year-old Tobin Quarrell of Marrowby appears to be the first such case.",
        "Officers shot at Tobin Quarrell, an unarmed 30-year-old man, six times in his garden.",
        "Mr. Quarrell stood up. A trooper deployed his Taser, striking Quarrell in the chest.",
    ],
)
def test_a_name_said_as_a_person_is_a_civilian_whatever_the_ner_says(nlp, text):
    """An age, a person noun in apposition or a title make a name a person; a later mention by
    surname alone is the same person. Without these the NER's ORG label left no subject."""
    found = [e for e in events(nlp, text) if e.patient is not None and "Quarrell" in e.patient.text]
    assert found, [e.describe() for e in events(nlp, text)]
    assert all(e.patient.role == "civilian" for e in found)


def test_a_noun_with_a_subject_is_read_as_the_verb_it_is(nlp):
    # The tagger makes "shot" a noun here; a noun takes no subject, so the roles are the verb's.
    ev = one(nlp, "Police officers in Marrowby shot at Tobin Quarrell, an unarmed man, 20 times on Sunday.", "firearm")
    assert ev.agent is not None and ev.agent.role == "police"
    assert ev.patient is not None and "Quarrell" in ev.patient.text


@pytest.mark.parametrize(
    "text",
    [
        "A Marrowby man who was shot with a stun gun by a trooper died later.",
        "Officers shot him with a Taser in Brackley.",
    ],
)
def test_shot_with_a_stun_gun_is_a_taser_not_a_firearm(nlp, text):
    kinds = {e.kind for e in events(nlp, text) if e.predicate == "shoot"}
    assert kinds == {"taser"}


def test_shot_with_a_service_weapon_stays_a_shooting(nlp):
    assert {e.kind for e in events(nlp, "An officer shot Voss with his service weapon.")} == {"firearm"}


def test_the_shooter_of_a_bullet_is_the_agent(nlp):
    ev = one(nlp, "A bystander was struck by a bullet fired by an officer chasing a suspect in Pellow.", "firearm")
    assert ev.police_agent and ev.civilian_patient


def test_a_police_conjunct_is_the_agent(nlp):
    ev = one(nlp, "Voss died after being held down by security guards and police officers in Marrowby.", "restraint")
    assert ev.police_agent


@pytest.mark.parametrize(
    ("text", "kind", "police"),
    [
        ("An officer pushed the grandmother to the ground outside her home in Ashby.", "blunt", True),
        ("Two constables held him down on the floor of the cell.", "restraint", True),
    ],
)
def test_bodily_force_verbs_with_a_person_moved(nlp, text, kind, police):
    ev = one(nlp, text, kind)
    assert ev.police_agent is police and ev.civilian_patient


@pytest.mark.parametrize(
    "text",
    [
        "The family pushed for an inquiry into the force's handling of the case.",
        "Police held a press conference in Brackley on Monday.",
        "Officers held a vigil down by the river for their colleague.",
        "Protesters threw bottles at officers outside the station.",
    ],
)
def test_bodily_verbs_without_a_person_moved_are_no_force(nlp, text):
    assert {e.kind for e in events(nlp, text)} & {"blunt", "restraint"} == set()


@pytest.mark.parametrize(
    "text",
    [
        "The inquest jury concluded police failures contributed to the death of Ada Pellow.",
        "The coroner said restraint by officers caused the death of Jon Voss.",
    ],
)
def test_police_in_the_subject_of_a_verb_of_causing_is_the_agent(nlp, text):
    ev = one(nlp, text, "death")
    assert ev.police_agent and ev.patient is not None and not ev.officer_patient


def test_a_cause_with_no_police_has_no_police_agent(nlp):
    ev = one(nlp, "The coroner said heart disease contributed to the death of Jon Voss.", "death")
    assert not ev.police_agent


def _corpus_texts() -> list[str]:
    from pathlib import Path

    here = Path(__file__).parent / "corpus"
    texts = [p.read_text(encoding="utf-8") for p in sorted((here / "dev").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted((here / "fictional").glob("*.txt"))]
    assert len(texts) > 20
    # The model's rarer attribute rules: contractions, dialect forms, spaces, an expletive "there".
    return texts + ["I ain't gonna say nothin', y'all know it.  There's a man  \n\n who's doin' fine, ol' Ashby."]


def test_indexed_attribute_ruler_gives_the_rulers_annotations():
    """forcewatch_attributes replaces the model's attribute_ruler for speed: every token's POS,
    morphology, lemma and tag must be what the ruler itself gives."""
    import spacy

    from forcewatch.read.attributes import IndexedAttributes
    from forcewatch.read.reader import MODEL

    model = spacy.load(MODEL)
    ruler = model.get_pipe("attribute_ruler")
    indexed = IndexedAttributes(ruler, "indexed")
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        docs = list(model.pipe(_corpus_texts()))
    tokens = 0
    for doc in docs:
        by_ruler, by_index = ruler(doc.copy()), indexed(doc.copy())
        a = [(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in by_ruler]
        b = [(t.pos_, str(t.morph), t.lemma_, t.tag_) for t in by_index]
        assert a == b, [(t.text, x, y) for t, x, y in zip(by_ruler, a, b, strict=True) if x != y][:5]
        tokens += len(doc)
    assert tokens > 10_000
    assert any(t.lemma_ == "go" and t.lower_ == "gon" for d in docs for t in indexed(d.copy()))


def test_lexicon_matches_what_a_span_ruler_of_token_patterns_matches(nlp):
    """forcewatch_lexicon uses PhraseMatchers for speed; its spans are a SpanRuler's over the same terms."""
    from spacy.pipeline import SpanRuler

    from forcewatch.read.lexicon import SPANS_KEY, token_patterns

    ruler = SpanRuler(nlp, name="reference", spans_key=SPANS_KEY, overwrite=True)
    ruler.add_patterns(token_patterns())
    lexicon = nlp.get_pipe("forcewatch_lexicon")
    spans = 0
    with nlp.select_pipes(disable=["forcewatch_lexicon", "forcewatch_events", "forcewatch_actions"]):
        docs = list(nlp.pipe(_corpus_texts()))
    for doc in docs:
        expected = [(s.start, s.end, s.label_) for s in ruler(doc).spans[SPANS_KEY]]
        got = [(s.start, s.end, s.label_) for s in lexicon(doc).spans[SPANS_KEY]]
        assert got == expected
        spans += len(got)
    assert spans > 300
