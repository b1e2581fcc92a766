"""The model's attribute ruler (tag -> POS and morphology, lemma exceptions), indexed.

en_core_web_sm's `attribute_ruler` holds 179 one- and two-token patterns in a spaCy Matcher,
which tests every token against every pattern: on this project's first reading it cost more
than the parser's own attribute work and a third as much as the tagger and parser together.
Nearly all of its patterns name the token's exact tag or lower-case form, so this component
looks each token's candidates up by that key and checks only those (a hand-written index,
because no spaCy matcher indexes token patterns by attribute value); the few two-token
patterns are keyed by their first token. The matches are applied in the ruler's own order with spaCy's own
setter, so the annotations are the same as the ruler's (tests/test_events.py compares them on
every token of a corpus).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import set_token_attrs  # the setter AttributeRuler itself calls

Check = Callable[[Token], bool]
_ATTR = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_", "IS_SPACE": "is_space"}


def _check(attr: str, spec: Any) -> Check:
    """One token-pattern predicate, as the Matcher reads it."""
    name = _ATTR[attr]
    if not isinstance(spec, dict):
        return lambda t: getattr(t, name) == spec
    (op, value), *rest = spec.items()
    if rest:
        raise ValueError(f"unsupported predicate {spec!r}")
    if op == "IN":
        values = frozenset(value)
        return lambda t: getattr(t, name) in values
    if op == "NOT_IN":
        values = frozenset(value)
        return lambda t: getattr(t, name) not in values
    if op == "REGEX":
        pattern = re.compile(value)
        return lambda t: pattern.search(getattr(t, name)) is not None
    raise ValueError(f"unsupported predicate {spec!r}")


def _keys(token_spec: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """The most selective exact key a pattern's first token can be looked up by: its lower-case
    form(s), else its tag(s), dependency or being a space; None when it has none (checked on
    every token)."""
    for attr in ("LOWER", "TAG", "DEP", "IS_SPACE"):
        spec = token_spec.get(attr)
        if isinstance(spec, str | bool):
            return attr, [spec]
        if isinstance(spec, dict) and list(spec) == ["IN"]:
            return attr, list(spec["IN"])
    return None


class IndexedAttributes:
    """An AttributeRuler's patterns, looked up per token by tag or lower-case form."""

    def __init__(self, ruler: AttributeRuler, name: str) -> None:
        self.name = name
        self.attrs, self.indices = ruler.attrs, ruler.indices
        # key attribute -> value -> [(pattern order, pattern length, checks of each token)]
        self.by: dict[str, dict[Any, list[tuple[int, int, list[list[Check]]]]]] = {a: {} for a in _ATTR}
        self.always: list[tuple[int, int, list[list[Check]]]] = []
        for order, pattern in enumerate(ruler.patterns):
            alternatives: list[list[dict[str, Any]]] = pattern["patterns"]  # type: ignore[assignment]
            for alternative in alternatives:
                keyed = _keys(alternative[0])
                checks = [
                    [_check(a, v) for a, v in spec.items() if i or keyed is None or a != keyed[0]]
                    for i, spec in enumerate(alternative)
                ]  # the key is checked by the lookup itself
                entry = (order, len(alternative), checks)
                if keyed is None:
                    self.always.append(entry)
                else:
                    for value in keyed[1]:
                        self.by[keyed[0]].setdefault(value, []).append(entry)

    def __call__(self, doc: Doc) -> Doc:
        matches: list[tuple[int, int, int]] = []  # (pattern order, start, end), as the ruler sorts them
        by_lower, by_tag, by_dep, by_space = (self.by[a] for a in ("LOWER", "TAG", "DEP", "IS_SPACE"))
        always, n = self.always, len(doc)
        for token in doc:
            i = token.i
            for candidates in (
                by_lower.get(token.lower_),
                by_tag.get(token.tag_),
                by_dep.get(token.dep_),
                by_space.get(token.is_space),
                always,
            ):
                if not candidates:
                    continue
                for order, length, checks in candidates:
                    if length == 1:
                        if all(check(token) for check in checks[0]):  # none left: the key was the pattern
                            matches.append((order, i, i + 1))
                    elif i + length <= n and all(
                        check(doc[i + k] if k else token) for k, each in enumerate(checks) for check in each
                    ):
                        matches.append((order, i, i + length))
        for order, start, end in sorted(set(matches)):
            index = self.indices[order]
            set_token_attrs(doc[start + index] if index >= 0 else doc[end + index], self.attrs[order])
        return doc


@Language.factory(
    "forcewatch_attributes", requires=["token.tag", "token.dep"], assigns=["token.pos", "token.morph", "token.lemma"]
)
def make_attributes(nlp: Language, name: str, source: str = "attribute_ruler") -> IndexedAttributes:
    """The indexed copy of the pipeline's attribute ruler `source` (which the caller then removes)."""
    ruler = nlp.get_pipe(source)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{source} is not an AttributeRuler")
    return IndexedAttributes(ruler, name)


def index_attribute_ruler(nlp: Language) -> Language:
    """Put the indexed copy in the model's attribute ruler's place."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    nlp.add_pipe("forcewatch_attributes", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    return nlp
