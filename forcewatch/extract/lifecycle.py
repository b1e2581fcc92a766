"""The later stages of a case: investigation, suspension, charge, trial, verdict, inquest,
finding, settlement, each dated and tied to the sentence that reports it.

Read from the parse, not from phrase lists: a sentence is a candidate when the shared lexicon
marks a stage word (inquest, charge, verdict, settlement ...) or an oversight body in it; the
stage is then decided by the lemmas of the sentence's predicates and their negation ("will
not be charged" is a decision not to charge, not a charge). The date is the one the sentence
states, else the report's own date ("as of" the report). Each stage is one field,
`case.<stage>`, so reports of the same stage merge and count their sources like any field.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from forcewatch.extract.document import ArticleDoc
from forcewatch.extract.stages import STAGE_LABELS, STAGES, case_status, lifecycle_list
from forcewatch.extract.when import DATE_PATTERNS, resolve
from forcewatch.model import Evidence
from forcewatch.read.lexicon import is_police, labels_of

_OPEN = frozenset("open launch begin start announce refer commence".split())
_CONCLUDE = frozenset("conclude find return rule record determine decide deliver reach".split())
_VERDICT = frozenset("convict acquit sentence plead".split())
_DROP = frozenset("drop dismiss withdraw discontinue".split())


@dataclass
class Stage:
    stage: str
    token: Token  # the predicate or noun that tells it


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" or c.lower_ in ("no", "never") for c in [*token.children, *token.head.children])


_WISH = frozenset("want call demand urge ask hope wish plan seek".split())


def _negated_subject(token: Token) -> bool:
    """'no officer has been suspended', 'officers were not suspended'."""
    return _negated(token) or any(
        c.dep_.startswith("nsubj") and any(g.lower_ in ("no", "none", "neither") for g in c.children)
        for c in token.children
    )


def _future(token: Token) -> bool:
    """'will decide', 'could be charged', 'whether to charge', 'we want them suspended': not yet a
    stage reached."""
    if any(a.lemma_.lower() in _WISH for a in token.ancestors):
        return True
    return any(
        c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "may", "might", "to") for c in token.children
    ) or any(c.lower_ == "whether" for c in token.children)


def _lemmas(sent: Span) -> set[str]:
    return {t.lemma_.lower() for t in sent}


def stage_of(sent: Span) -> Stage | None:
    """The stage a sentence reports, if any (the first rule that fits, most decisive first)."""
    lemmas = _lemmas(sent)
    for t in sent:
        lemma = t.lemma_.lower()
        if lemma == "charge" and t.pos_ in ("VERB", "NOUN"):
            if _negated(t) or lemmas & _DROP:
                return Stage("no_charges", t)
            charged = [c for c in t.children if c.dep_ in ("nsubjpass", "dobj")]
            if t.dep_ in ("acl", "relcl"):
                charged.append(t.head)  # "an officer charged with manslaughter"
            if t.pos_ == "VERB" and any(is_police(c) for c in charged) and not _future(t):
                return Stage("officer_charged", t)  # a civilian charged is another case
        if lemma in _VERDICT or (lemma == "guilty" and t.pos_ == "ADJ"):
            return Stage("verdict", t)
        if lemma == "verdict":
            return Stage(
                "inquest_conclusion" if "inquest" in lemmas or "jury" in lemmas and "coroner" in lemmas else "verdict",
                t,
            )
        if lemma == "inquest":
            # A verb of concluding outside the inquest's own phrase: "the inquest of a woman found
            # dead" is no finding, "the inquest found" is.
            own = {x.i for x in t.subtree}
            outside = {x.lemma_.lower() for x in sent if x.i not in own}
            if outside & _CONCLUDE or "conclusion" in lemmas or "narrative" in lemmas:
                return Stage("inquest_conclusion", t)
            if lemmas & _OPEN or "adjourn" in lemmas:
                return Stage("inquest_opened", t)
        if lemma == "trial" and (lemmas & _OPEN or "jury" in lemmas):
            return Stage("trial", t)
        if lemma in ("suspend", "leave") and (lemma == "suspend" or "administrative" in lemmas or "paid" in lemmas):
            if any(is_police(x) for x in sent) and not _future(t) and not _negated_subject(t):
                return Stage("officer_suspended", t)
        if lemma == "misconduct" and lemmas & {"hearing", "hear", "panel", "tribunal"}:
            return Stage("misconduct_hearing", t)
        if lemma in ("settlement", "settle") and (
            "lawsuit" in lemmas or "family" in lemmas or "$" in sent.text or "£" in sent.text
        ):
            return Stage("settlement", t)
    oversight = [
        s for s in sent.doc.spans.get("lexicon", []) if s.label_ == "OVERSIGHT" and sent.start <= s.start < sent.end
    ]
    if oversight:
        for t in sent:
            lemma = t.lemma_.lower()
            if lemma in ("investigation", "investigate", "probe") and (
                lemmas & _OPEN or t.tag_ in ("VBG", "VBZ", "VBP")
            ):
                return Stage("investigation_opened", t)
            if (
                lemma in _CONCLUDE | {"justify", "exonerate"}
                and t.pos_ == "VERB"
                and not _future(t)
                and ("STAGE" in labels_of(t) or "report" in lemmas or "investigation" in lemmas)
            ):
                return Stage("finding", t)
    return None


def _stated_date(doc: ArticleDoc, sent: Span, us_order: bool) -> tuple[str | None, int, int]:
    """The date the sentence states (ISO), with its span; None when it states none."""
    for pattern in DATE_PATTERNS:
        m = pattern.search(sent.text)
        if m:
            found = resolve(m, doc.published, us_order)
            if found is not None:
                return found.isoformat(), sent.start_char + m.start(), sent.start_char + m.end()
    return None, sent.start_char, sent.end_char


def extract_lifecycle(doc: ArticleDoc, us_order: bool = False) -> list[Evidence]:
    """One `case.<stage>` evidence per stage the article reports (its first mention)."""
    seen: set[str] = set()
    out: list[Evidence] = []
    for sent in doc.doc.sents:
        if sent.end_char > len(doc.text):
            break
        found = stage_of(sent)
        if found is None or found.stage in seen:
            continue
        seen.add(found.stage)
        when, v_start, v_end = _stated_date(doc, sent, us_order)
        value = {
            "stage": found.stage,
            "date": when,
            "as_of": None if when else (doc.published.isoformat() if doc.published else None),
        }
        ev = doc.evidence(f"case.{found.stage}", value, sent.start_char, sent.end_char, "lifecycle", 0.7)
        ev.value_start, ev.value_end = (
            (v_start, v_end) if when else (found.token.idx, found.token.idx + len(found.token.text))
        )
        out.append(ev)
    return out


__all__ = ["STAGES", "STAGE_LABELS", "case_status", "extract_lifecycle", "lifecycle_list", "stage_of"]
