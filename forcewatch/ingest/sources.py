"""Turn paths (files, folders, globs) into Articles, one reader per file kind.

A bad input never stops the batch: readers raise IngestError, and read_sources
yields a Problem naming the file in its place.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from forcewatch.errors import IngestError, Notice, Problem
from forcewatch.ingest import htmlprep
from forcewatch.ingest.text import check_language, decode_report, repair_mojibake
from forcewatch.model import Article

#: Larger inputs are refused with FW004 rather than read into memory.
MAX_BYTES = 20 * 1024 * 1024

READABLE_SUFFIXES = {".txt", ".text", ".html", ".htm", ".jsonl", ".ndjson", ".warc", ".gz"}

if TYPE_CHECKING:
    from trafilatura.settings import Document

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*(.*)$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^(outlet|url|byline|note|source)\s*:\s*(.*)$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*By ([A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3})\s*$", re.MULTILINE)


def expand_paths(paths: Iterable[str]) -> Iterator[str | Problem]:
    """Files named, files under folders (sorted, recursive), and glob matches."""
    for raw in paths:
        if raw.startswith(("http://", "https://")):
            yield raw
            continue
        matches = sorted(glob.glob(raw, recursive=True)) if glob.has_magic(raw) else [raw]
        if not matches:
            yield Problem(raw, "FW007", "no file matches this pattern")
        for match in matches:
            path = Path(match)
            if path.is_dir():
                yield from folder_files(match)
            elif path.exists():
                yield match
            elif path.is_symlink():
                yield Problem(match, "FW007", _bad_link(match))
            else:
                yield Problem(match, "FW007")


def _bad_link(path: str) -> str:
    """Why a symlink leads nowhere: a loop, or a missing target."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop (it points back to itself)"
    return f"broken symlink to {os.readlink(path)!r}"


def folder_files(folder: str) -> Iterator[str | Problem]:
    """Readable files under a folder, sorted, following symlinks; loops and unreadable folders are named.

    os.walk rather than Path.rglob: rglob skips unreadable folders and symlink loops in
    silence, and os.walk's onerror and the (device, inode) of each folder let us name them.
    """
    files: list[str] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(str(exc.filename or folder), "FW007", f"folder unreadable: {exc.strerror or exc}"))

    seen: dict[tuple[int, int], str] = {}
    for here, dirs, names in os.walk(folder, onerror=unreadable, followlinks=True):
        dirs.sort()
        st = os.stat(here)
        first = seen.setdefault((st.st_dev, st.st_ino), here)
        if first != here:
            problems.append(Problem(here, "FW007", f"symlink loop: the same folder as {first}, not read twice"))
            dirs.clear()
            continue
        for name in names:
            child = os.path.join(here, name)
            readable = Path(name).suffix.lower() in READABLE_SUFFIXES
            if os.path.islink(child) and not os.path.exists(child):
                why = _bad_link(child)
                if readable or why.startswith("symlink loop"):  # a loop may have been meant as a folder
                    problems.append(Problem(child, "FW007", why))
            elif readable and os.path.isfile(child):
                files.append(child)
    yield from sorted(files, key=lambda f: Path(f).parts)  # the order Path.rglob gave before
    yield from sorted(problems, key=lambda p: p.source)


def parse_published(value: object) -> date | None:
    """Publication date from a metadata value (ISO date or timestamp); None if unknown."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if not isinstance(value, datetime) else value.date()
    text = str(value).strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    import dateparser  # only for unusual formats: slow to import

    parsed = dateparser.parse(text, settings={"STRICT_PARSING": True})
    return parsed.date() if parsed else None


_DATELINE = re.compile(
    r"^\s*(?:(?:last\s+)?(?:updated|published|posted|first published)\s*(?:on|at)?\s*:?\s*)?(?P<when>[^\n]{6,60}\b(?:19|20)\d\d\b[^\n]{0,20})$",
    re.IGNORECASE | re.MULTILINE,
)
_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)


def find_dateline(body: str) -> date | None:
    """A publication date printed near the top of a pasted page ("Updated 14:32 GMT, 3 May 2024").

    A line may hold several ("Updated ... | Published ..."): the first publication wins.
    """
    import dateparser  # made for exactly this: many formats and time zones on one short line

    candidates: list[tuple[int, str]] = []
    for line in body[:1500].split("\n")[:20]:
        if len(line) > 160:
            continue
        for part in re.split(r"\s+[|•·]\s+", line):
            m = _DATELINE.match(part.strip())
            if m and _MONTH.search(m.group("when")) and len(m.group("when").split()) <= 10:
                first = 0 if re.match(r"\s*(first\s+)?published", part, re.I) else 1
                candidates.append((first, m.group("when")))
    for _, when in sorted(candidates, key=lambda c: c[0]):
        parsed = dateparser.parse(when, languages=["en"], settings={"PREFER_DATES_FROM": "past"})
        if parsed:
            return parsed.date()
    return None


def find_byline(body: str) -> str | None:
    match = _BYLINE.search(body[:2000])
    return match.group(1) if match else None


HEADLINE_WORDS = 20  # headlines run 5-15 words; a longer header line is a sentence of the report


def _decode(path: str, data: bytes, notes: list[Problem] | None) -> str:
    text, repaired = decode_report(data)
    if repaired and notes is not None:
        notes.append(Notice(path, "FW012", repaired))
    return text


def read_text(path: str, data: bytes, notes: list[Problem] | None = None) -> Article:
    """A .txt report: optional `date YYYY-MM-DD headline` line, optional `key: value` lines.

    A repair of the text (stray bytes, mojibake) is added to `notes` as a Notice."""
    text = _decode(path, data, notes)
    lines = text.lstrip("\ufeff \t\n").split("\n")  # a header may follow blank lines or a stray space
    meta: dict[str, object] = {}
    index = 0
    if lines and (m := _DATE_LINE.match(lines[0].strip())):
        meta["published"] = parse_published(m.group(1))
        meta["title"] = m.group(2).strip() or None
        index = 1
    while index < len(lines) and (h := _HEADER_LINE.match(lines[index])):
        key = h.group(1).lower()
        if key in ("outlet", "url", "byline"):
            meta[key] = h.group(2).strip()
        index += 1
    body = "\n".join(lines[index:]).strip()
    title = meta.get("title")
    if isinstance(title, str) and len(title.split()) > HEADLINE_WORDS:
        # The header line carries the lede, not a headline: it is the report's first paragraph.
        body, meta["title"] = f"{title}\n\n{body}".strip(), None
    if not body:
        raise IngestError("FW006", "only a header line")
    check_language(body)
    meta.setdefault("byline", find_byline(body))
    if meta.get("published") is None:
        meta["published"] = find_dateline(body)
    return Article.from_text(body, path=path, **meta)


def _main_text(html: str, url: str | None) -> Document | None:
    """trafilatura's main text and metadata, or None if it finds no text."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():
        return None
    return doc


def read_html(path: str, data: bytes, url: str | None = None, notes: list[Problem] | None = None) -> Article:
    """An HTML page: main text and metadata through trafilatura (repairs of the text go to `notes`).

    Hostile pages are made readable first (ingest/htmlprep.py): link lists are dropped from
    pages with thousands of links, and a page nested past the parser's depth is flattened.
    """
    html = _decode(path, data, notes)
    links = htmlprep.count_links(html)
    if links > htmlprep.MAX_LINKS:
        html, dropped = htmlprep.drop_link_lists(html)
        if dropped and notes is not None:
            notes.append(Notice(path, "FW012", f"{dropped:,} of its {links:,} links were in link lists, left out"))
    doc = _main_text(html, url)
    if doc is None:
        depth = htmlprep.nesting_depth(html)
        if depth <= htmlprep.MAX_DEPTH:
            raise IngestError("FW006", "trafilatura found no main text in the HTML")
        doc = _main_text(htmlprep.flatten(html), url)
        if doc is None:
            raise IngestError(
                "FW006",
                f"the HTML is nested {depth:,} levels deep (the parser stops at {htmlprep.MAX_DEPTH + 1}),"
                " and no main text was found even with its <div>/<span> wrappers removed",
            )
        if notes is not None:
            notes.append(
                Notice(path, "FW012", f"HTML nested {depth:,} levels deep: read with its <div>/<span> wrappers removed")
            )
    body = (doc.text or "").strip()
    check_language(body, ignore=htmlprep.link_words(html) if links else None)
    return Article.from_text(
        body,
        title=doc.title,
        url=url or doc.url,
        outlet=doc.sitename,
        byline=doc.author,
        published=parse_published(doc.date),
        path=path,
    )


def article_from_record(record: dict, where: str) -> Article:
    """One JSON object (url, title, published, outlet, text) as an Article."""
    text = record.get("text") or record.get("body") or ""
    if not isinstance(text, str) or not text.strip():
        raise IngestError("FW006", "record has no 'text'")
    text = text.strip()
    check_language(text)
    return Article.from_text(
        text,
        title=record.get("title"),
        url=record.get("url"),
        outlet=record.get("outlet"),
        byline=record.get("byline") or find_byline(text),
        published=parse_published(record.get("published")),
        path=where,
    )


def read_jsonl(path: str) -> Iterator[Article | Problem]:
    """Stream a JSONL file line by line, so memory stays flat whatever its size."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                line, repaired = decode_report(raw)
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise IngestError("FW005", "line is not a JSON object")
                if isinstance(record.get("text"), str):
                    record["text"], fixed = repair_mojibake(record["text"])  # escaped \u mojibake, too
                    repaired = "; ".join(r for r in (repaired, fixed) if r) or None
                yield article_from_record(record, where)
                if repaired:
                    yield Notice(where, "FW012", repaired)
            except json.JSONDecodeError as exc:
                yield Problem(where, "FW005", f"invalid JSON: {exc.msg}")
            except IngestError as exc:
                yield Problem(where, exc.code, exc.detail)


def _read_bytes(path: str) -> bytes:
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise IngestError("FW004", f"{size / 2**20:.1f} MiB, the limit is {MAX_BYTES / 2**20:g} MiB")
    if size == 0:
        raise IngestError("FW001")
    return Path(path).read_bytes()


def read_path(path: str) -> Iterator[Article | Problem]:
    """Read one file (or URL) of any supported kind."""
    try:
        if path.startswith(("http://", "https://")):
            from forcewatch.ingest.web import fetch_article

            yield fetch_article(path)
            return
        lower = path.lower()
        if lower.endswith((".jsonl", ".ndjson")):
            if os.path.getsize(path) == 0:
                raise IngestError("FW001")
            yield from read_jsonl(path)
        elif lower.endswith((".warc", ".warc.gz")):
            from forcewatch.ingest.warc import read_warc

            yield from read_warc(path)
        elif lower.endswith((".html", ".htm")):
            notes: list[Problem] = []
            yield read_html(path, _read_bytes(path), notes=notes)
            yield from notes
        else:
            notes = []
            yield read_text(path, _read_bytes(path), notes)
            yield from notes
    except IngestError as exc:
        yield Problem(path, exc.code, exc.detail)
    except OSError as exc:
        yield Problem(path, "FW007", exc.strerror or str(exc))


def read_sources(paths: Iterable[str]) -> Iterator[Article | Problem]:
    """Every Article (or Problem) from the given paths, folders, globs and URLs."""
    for item in expand_paths(paths):
        if isinstance(item, Problem):
            yield item
        else:
            yield from read_path(item)
