"""The spaCy pipeline, loaded once per process (see forcewatch.read.reader for what it holds)."""

from __future__ import annotations

from spacy.language import Language

from forcewatch.read.reader import MODEL, load_reader

__all__ = ["MODEL", "load_nlp"]


def load_nlp() -> Language:
    return load_reader()
