"""The shape every forcewatch reading component shares: read a Doc, keep the result on it.

A reader function returns items that each have a `token` (index of their head token) and a
`kind`; the component stores the list as an extension attribute and one span per item under
`doc.spans[key]`, labelled by kind, so later components and the article page can find them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spacy.tokens import Doc, Span


class Annotator:
    """Pipeline component: doc._.<attribute> = read(doc), and doc.spans[<attribute>]."""

    def __init__(self, attribute: str, read: Callable[[Doc], Sequence[Any]]) -> None:
        if not Doc.has_extension(attribute):
            Doc.set_extension(attribute, default=None)
        self.attribute = attribute
        self.read = read

    def __call__(self, doc: Doc) -> Doc:
        items = list(self.read(doc))
        setattr(doc._, self.attribute, items)
        doc.spans[self.attribute] = [Span(doc, it.token, it.token + 1, label=it.kind) for it in items]
        return doc
