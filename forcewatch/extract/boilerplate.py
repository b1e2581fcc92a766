"""Find paragraphs that are not the report: helplines, comment rules, credits, links.

They are masked out before extraction, so a helpline's phone number or a caption
never becomes a fact. Rules, not a model: these blocks are formulaic across outlets.
"""

from __future__ import annotations

import re

_BOILERPLATE = re.compile(
    r"""(
      \b(samaritans|helpline|116\ 123|988|suicide\ (and\ crisis\ )?lifeline|mind\.org|crisis\ text\ line)\b
    | \bif\ you(\'re|\ are)?\ (are\ )?(struggling|affected|having\ thoughts)
    | \bcall\ for\ free\b
    | ^\s*(comments?|read\ the\ rules|our\ rules)\b
    | \b(report\ any\ comments|ability\ to\ comment|comment\ on\ our\ stories)\b
    | ^\s*(read\ more|related|see\ also|more\ on\ this\ story|sign\ up|subscribe|follow\ us|share\ this|advertisement)\b
    | ^\s*(more|also\ read|read\ also|watch|listen|related\ stories?|top\ stories|recommended)\s*:
    | \b(picture|photo|image|credit|photograph)\s*:\s*\S+
    | ^\s*note:\s
    | ^\s*(by\ [A-Z][\w.'-]+(\ [A-Z][\w.'-]+){0,3})\s*$
    | ^\s*\d{1,2}\ \w+\ \d{4},?\ \d{1,2}:\d{2}\s*$
    | ^\s*(copyright|©)
    )""",
    re.IGNORECASE | re.VERBOSE,
)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line-block; a newline ends a paragraph."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs to ignore: formulaic non-report blocks, and captions repeating the next line."""
    spans = paragraphs(text)
    out = []
    for i, (start, end) in enumerate(spans):
        para = text[start:end]
        if _BOILERPLATE.search(para):
            out.append((start, end))
            continue
        if i + 1 < len(spans):
            following = text[spans[i + 1][0] : spans[i + 1][1]]
            # A caption is a short line that the next paragraph repeats or extends.
            if len(para) < 200 and following.strip().startswith(para.strip()) and following.strip() != para.strip():
                out.append((start, end))
    return out


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out spans with spaces, keeping every other character's offset."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
