"""The reading loop of `ingest`: new articles in bounded chunks, so memory is flat in input size.

Reading is lazy (files, JSONL lines and WARC records are streamed), so what `ingest` holds
at once is one chunk: at most CHUNK_ARTICLES articles and about CHUNK_BYTES of their text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from forcewatch.errors import Notice, Problem
from forcewatch.model import Article

#: Articles analysed together (spaCy batches within a chunk); also the unit of progress.
CHUNK_ARTICLES = 256
#: Body text per chunk: a chunk closes early when its articles' bodies add up to this.
CHUNK_BYTES = 16 * 2**20


@dataclass
class ReadCounts:
    """What the reading loop met besides new articles."""

    already: int = 0
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def fresh_chunks(
    items: Iterable[Article | Problem],
    is_stored: Callable[[str], bool],
    counts: ReadCounts,
    notify: Callable[[str, str], None],
    max_articles: int | None = None,
    max_bytes: int | None = None,
) -> Iterator[list[Article]]:
    """Articles not stored yet, in chunks of at most `max_articles` and about `max_bytes` of body.

    Problems and notices go to `counts` (and `notify`) as they are met; stored articles are
    counted. Each chunk is handed over before the next input is read.
    """
    max_articles = max_articles or CHUNK_ARTICLES  # read at call time, so a caller (or test) may lower them
    max_bytes = max_bytes or CHUNK_BYTES
    chunk: list[Article] = []
    size = 0
    for item in items:
        if isinstance(item, Notice):
            counts.notices.append(item)
            notify(item.source, f"note {item}")
            continue
        if isinstance(item, Problem):
            counts.problems.append(item)
            notify(item.source, f"error {item}")
            continue
        if is_stored(item.id):
            counts.already += 1
            notify(item.path or item.id, "already stored")
            continue
        chunk.append(item)
        size += len(item.body)
        if len(chunk) >= max_articles or size >= max_bytes:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk
