"""Read archived news pages from WARC files (.warc or .warc.gz), one record at a time.

Crawls are large and mostly not articles, so the file is streamed (memory stays flat),
records that are not successful HTML responses are skipped quietly, and a record that
cannot be read becomes a Problem while the rest of the archive is still read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BUFF_SIZE, DecompressingBufferedReader
from warcio.recordloader import ArcWarcRecord

from forcewatch.errors import IngestError, Problem
from forcewatch.ingest.sources import MAX_BYTES, read_html
from forcewatch.ingest.web import HTML_TYPES, media_type, to_utf8
from forcewatch.model import Article

#: A WARC or HTTP header line longer than this (no newline in sight) ends the archive with FW004.
MAX_HEADER_LINE = 64 * 1024
#: The header lines of one record (WARC and HTTP together) may not add up to more than this.
MAX_RECORD_HEADERS = 1024 * 1024


class HeaderTooLarge(IngestError):
    """A header line or a record's headers over the caps: the archive's framing is not to be trusted."""

    def __init__(self, detail: str) -> None:
        super().__init__("FW004", detail)


class _CappedReader(DecompressingBufferedReader):
    """warcio's reader with bounded header lines.

    warcio reads every header line with readline() and no limit, growing one bytes object
    until a newline comes: a line without one (a few MB of gzip) took gigabytes and minutes.
    Header lines are the only unbounded readline() calls (payloads are read with read()),
    so lines read back to back since the last read() are one record's headers.
    """

    def __init__(self, stream: object, block_size: int) -> None:
        super().__init__(stream, block_size=block_size)
        self._header_bytes = 0

    def readline(self, length: int | None = None) -> bytes:
        cap = MAX_HEADER_LINE if length is None or length > MAX_HEADER_LINE else length
        line = super().readline(cap)
        if len(line) >= MAX_HEADER_LINE and not line.endswith(b"\n"):
            raise HeaderTooLarge(f"a header line runs past {MAX_HEADER_LINE // 1024} KiB without a newline")
        self._header_bytes += len(line)
        if self._header_bytes > MAX_RECORD_HEADERS:
            raise HeaderTooLarge(f"a record's headers run past {MAX_RECORD_HEADERS // 2**20} MiB")
        return line

    def read(self, length: int | None = None) -> bytes:
        self._header_bytes = 0
        return super().read(length)


class CappedArchiveIterator(ArchiveIterator):
    """ArchiveIterator over a _CappedReader (swapped in before the first record is read)."""

    def __init__(self, fileobj: object) -> None:
        super().__init__(fileobj)
        self.reader = _CappedReader(self.fh, block_size=BUFF_SIZE)


def _html_response(record: ArcWarcRecord) -> bool:
    """A 2xx HTTP response whose payload is HTML: the only records that can be articles."""
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    kind = media_type(record.http_headers.get_header("Content-Type") or "")
    return status.startswith("2") and kind in HTML_TYPES


def _where(path: str, record: ArcWarcRecord, records: ArchiveIterator) -> str:
    """`path#record-id` (or `path#offset` for records without an id, as in ARC files)."""
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    if record_id:
        return f"{path}#{record_id}"
    try:
        return f"{path}#{records.get_record_offset()}"
    except Exception:  # the record is damaged; the file name still helps
        return path


def _read_record(path: str, record: ArcWarcRecord, records: ArchiveIterator) -> Article:
    """The payload (de-chunked, decompressed) read up to the size cap, as an Article."""
    payload = record.content_stream().read(MAX_BYTES + 1)
    if len(payload) > MAX_BYTES:
        raise IngestError("FW004", f"record payload over {MAX_BYTES} bytes")
    records.get_record_length()  # drains the record: a short one leaves its limit unmet
    missing = getattr(record.raw_stream, "limit", False)
    if missing:
        raise IngestError("FW005", f"record truncated, {missing} bytes missing")
    target = record.rec_headers.get_header("WARC-Target-URI")
    content_type = record.http_headers.get_header("Content-Type") or ""
    return read_html(_where(path, record, records), to_utf8(payload, content_type), url=target)


def _brief(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _items(path: str, record: ArcWarcRecord, records: ArchiveIterator) -> Iterator[Article | Problem]:
    """What one record gives: an Article, a Problem, or nothing (not an HTML response)."""
    if _html_response(record):
        try:
            yield _read_record(path, record, records)
        except IngestError as exc:
            yield Problem(_where(path, record, records), exc.code, exc.detail)
        except Exception as exc:  # warcio, zlib or trafilatura: this record only
            yield Problem(_where(path, record, records), "FW005", f"unreadable record: {_brief(exc)}")
    else:
        records.get_record_length()  # drains the record, as for HTML ones
        if not record.rec_type or getattr(record.raw_stream, "limit", False):
            yield Problem(_where(path, record, records), "FW005", "damaged or truncated record")


def read_warc(path: str) -> Iterator[Article | Problem]:
    """Every HTML response in the WARC file at `path` as an Article, or a Problem for it."""
    try:
        if os.path.getsize(path) == 0:
            yield Problem(path, "FW001")
            return
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
    except OSError as exc:
        yield Problem(path, "FW007", exc.strerror or str(exc))
        return
    with handle:
        records = CappedArchiveIterator(handle)
        end = 0
        try:
            for record in records:
                if record.format != "warc":  # warcio reads any line of text as an ARC header
                    yield Problem(path, "FW005", f"not a WARC file (an {record.format} record)")
                    return
                yield from _items(path, record, records)
                end = records.get_record_offset() + records.get_record_length()
        except HeaderTooLarge as exc:
            yield Problem(path, exc.code, f"archive unreadable after this point: {exc.detail}")
            return
        except Exception as exc:  # damaged framing: nothing after this point can be trusted
            yield Problem(path, "FW005", f"archive unreadable after this point: {_brief(exc)}")
            return
        # warcio stops quietly at a gzip member cut off inside its headers; leftovers reveal it.
        handle.seek(end)
        if handle.read(4096).strip():
            left = os.path.getsize(path) - end
            yield Problem(path, "FW005", f"last {left} bytes are not a complete record (truncated?)")
