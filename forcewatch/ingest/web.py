"""Fetch news pages over HTTP politely and defensively, then read them like HTML files.

Polite: a clear User-Agent, robots.txt obeyed, back-off on 429/5xx. Defensive: every
wait is bounded (connect, read, overall deadline), bodies are streamed and capped, and
every failure becomes an IngestError with a catalogued code instead of a traceback.
"""

from __future__ import annotations

import codecs
import email.utils
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from forcewatch.errors import IngestError
from forcewatch.ingest.sources import MAX_BYTES, read_html
from forcewatch.model import Article

USER_AGENT = "forcewatch/0.1 (+https://example.invalid/forcewatch; news research)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
#: RFC 9309 asks crawlers to parse at least 500 KiB of robots.txt; more is not read.
_ROBOTS_MAX_BYTES = 512 * 1024


@dataclass
class FetchResult:
    """A finished response: final URL after redirects, status (2xx or 304), full body."""

    url: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def media_type(content_type: str) -> str:
    """`text/html; charset=utf-8` -> `text/html`."""
    return content_type.split(";", 1)[0].strip().lower()


def to_utf8(data: bytes, content_type: str) -> bytes:
    """Re-encode a body to UTF-8 using the declared charset when the bytes are not UTF-8.

    Valid UTF-8 is kept as is (servers often mislabel it as latin-1); otherwise the
    declared charset beats the statistical guess read_html would fall back to.
    """
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            try:
                return data.decode(codecs.lookup(value.strip().strip("\"'")).name).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                return data
    return data


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


#: When the fetch under way must be done (time.monotonic()); None outside a fetch.
_DEADLINE: ContextVar[float | None] = ContextVar("forcewatch_fetch_deadline", default=None)


def _bounded(timeout: float | None) -> float | None:
    """The socket timeout for one wait: never past the fetch's deadline."""
    deadline = _DEADLINE.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the fetch's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write ends by the deadline.

    httpx's timeouts are per socket operation, so a server sending one header byte a
    second never trips them; httpx has no total timeout. Bounding each operation by the
    time left is the one place a wall-clock deadline holds for headers and body alike.
    """

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _bounded(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.SyncBackend):
    """httpcore's socket backend handing out _DeadlineStreams."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(super().connect_tcp(host, port, _bounded(timeout), local_address, socket_options))


def _deadline_transport() -> httpx.HTTPTransport:
    """httpx's transport over _DeadlineBackend (httpx takes no network backend, so its pool is swapped)."""
    transport = httpx.HTTPTransport()
    pool = transport._pool
    transport._pool = httpcore.ConnectionPool(ssl_context=pool._ssl_context, network_backend=_DeadlineBackend())
    return transport


@contextmanager
def _until(deadline: float) -> Iterator[None]:
    token = _DEADLINE.set(deadline)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


class Fetcher:
    """One polite HTTP client: reuse it for many URLs so connections and robots.txt are shared."""

    def __init__(
        self,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 15.0,
        deadline: float = 60.0,
        max_tries: int = 3,
        backoff: float = 1.0,
        max_retry_after: float = 30.0,
        max_redirects: int = 5,
        max_bytes: int = MAX_BYTES,
        robots_ttl: float = 3600.0,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.deadline = deadline
        self.max_tries = max_tries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.robots_ttl = robots_ttl
        self.user_agent = user_agent
        self._sleep = sleep
        self._robots: dict[str, tuple[float, RobotFileParser, str]] = {}
        self._client = httpx.Client(
            headers={"User-Agent": user_agent},
            follow_redirects=False,  # followed by hand so each hop is checked against robots.txt
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            transport=_deadline_transport(),
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        types: frozenset[str] | None = HTML_TYPES,
    ) -> FetchResult:
        """GET `url`; returns a 2xx or 304 result, raises IngestError (FW004/5/9) otherwise.

        `types` lists the accepted media types (None accepts any), checked before the
        body is downloaded.
        """
        result = self._get(url, headers or {}, types, self.max_bytes, robots=True)
        if result.status >= 400:
            reason = httpx.codes.get_reason_phrase(result.status)
            raise IngestError("FW009", f"HTTP {result.status} {reason} for {result.url}")
        return result

    def allowed(self, url: str, deadline: float | None = None) -> tuple[bool, str]:
        """Whether robots.txt lets us fetch `url`, and the reason if not (cached per host)."""
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        cached = self._robots.get(host)
        if cached is None or time.monotonic() - cached[0] > self.robots_ttl:
            cached = (time.monotonic(), *self._load_robots(host, deadline))
            self._robots[host] = cached
        _, parser, why = cached
        if parser.can_fetch(self.user_agent, url):
            return True, ""
        return False, why or f"robots.txt disallows {url}"

    def _load_robots(self, host: str, deadline: float | None) -> tuple[RobotFileParser, str]:
        """RFC 9309: a 4xx robots.txt allows everything; an unreachable one allows nothing."""
        parser = RobotFileParser(f"{host}/robots.txt")
        try:
            accept = {"Accept": "text/plain,*/*;q=0.5"}
            result = self._get(f"{host}/robots.txt", accept, None, _ROBOTS_MAX_BYTES, robots=False, deadline=deadline)
        except IngestError as exc:
            if exc.code == "FW004":  # too long: parse what a crawler must, i.e. nothing more
                parser.allow_all = True  # type: ignore[attr-defined]  # set by RobotFileParser.read
                return parser, ""
            parser.disallow_all = True  # type: ignore[attr-defined]  # set by RobotFileParser.read
            return parser, f"robots.txt at {host} is unreachable, so nothing is fetched ({exc.detail})"
        if result.status >= 400:
            parser.allow_all = True  # type: ignore[attr-defined]  # set by RobotFileParser.read
        else:
            parser.parse(result.content.decode("utf-8", errors="replace").splitlines())
        return parser, ""

    def _get(
        self,
        url: str,
        headers: Mapping[str, str],
        types: frozenset[str] | None,
        max_bytes: int,
        *,
        robots: bool,
        deadline: float | None = None,
    ) -> FetchResult:
        """Follow redirects by hand, checking the scheme and robots.txt at every hop."""
        deadline = deadline if deadline is not None else time.monotonic() + self.deadline
        with _until(deadline):
            return self._get_by(url, headers, types, max_bytes, robots, deadline)

    def _get_by(
        self,
        url: str,
        headers: Mapping[str, str],
        types: frozenset[str] | None,
        max_bytes: int,
        robots: bool,
        deadline: float,
    ) -> FetchResult:
        current = url
        for _ in range(self.max_redirects + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise IngestError("FW009", f"unsupported URL scheme in {current!r}")
            if robots:
                ok, why = self.allowed(current, deadline)
                if not ok:
                    raise IngestError("FW009", why)
            response = self._send(current, headers, deadline)
            try:
                if response.has_redirect_location:
                    current = urljoin(current, response.headers["location"])
                    continue
                return self._finish(response, types, max_bytes, deadline)
            finally:
                response.close()
        raise IngestError("FW009", f"more than {self.max_redirects} redirects from {url}")

    def _timeout(self, deadline: float) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise IngestError("FW009", f"gave up: the {self.deadline:g} s deadline passed")
        read = min(self.read_timeout, left)
        return httpx.Timeout(read, connect=min(self.connect_timeout, left))

    def _send(self, url: str, headers: Mapping[str, str], deadline: float) -> httpx.Response:
        """Send one GET, retrying connect errors, 429 and 5xx with exponential back-off."""
        accept = {"Accept": _HTML_ACCEPT, **headers}
        for attempt in range(1, self.max_tries + 1):
            request = self._client.build_request("GET", url, headers=accept, timeout=self._timeout(deadline))
            wait: float | None = None
            try:
                response = self._client.send(request, stream=True)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failure = f"could not connect to {request.url.host}: {exc or type(exc).__name__}"
            except httpx.TimeoutException as exc:
                if time.monotonic() >= deadline - 0.01:
                    raise IngestError(
                        "FW009", f"gave up on {url}: the {self.deadline:g} s deadline passed before its headers ended"
                    ) from None
                raise IngestError("FW009", f"timed out waiting for {url} ({exc})") from None
            except httpx.RemoteProtocolError as exc:
                raise IngestError("FW009", f"server closed the connection: {exc}") from None
            except httpx.HTTPError as exc:
                raise IngestError("FW009", f"{type(exc).__name__}: {exc}") from None
            else:
                if response.status_code != 429 and response.status_code < 500:
                    return response
                failure = f"HTTP {response.status_code} from {url}"
                wait = _retry_after(response.headers.get("retry-after"))
                response.close()
            if attempt == self.max_tries:
                raise IngestError("FW009", f"{failure} (after {attempt} tries)")
            delay = min(wait if wait is not None else self.backoff * 2 ** (attempt - 1), self.max_retry_after)
            if time.monotonic() + delay > deadline:
                raise IngestError("FW009", f"{failure}; a retry would pass the deadline")
            self._sleep(delay)
        raise AssertionError("unreachable")

    def _finish(
        self,
        response: httpx.Response,
        types: frozenset[str] | None,
        max_bytes: int,
        deadline: float,
    ) -> FetchResult:
        """Check status, type and declared length from the headers, before any body is read."""
        url = str(response.url)
        status = response.status_code
        if status == 304 or status >= 400:
            return FetchResult(url, status, response.headers, b"")
        if 300 <= status < 400:
            raise IngestError("FW009", f"HTTP {status} without a Location header from {url}")
        kind = media_type(response.headers.get("content-type", ""))
        if types is not None and kind and kind not in types:
            raise IngestError("FW005", f"{url} is {kind}, expected one of {', '.join(sorted(types))}")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise IngestError("FW004", f"{url} declares {int(declared)} bytes, the limit is {max_bytes}")
        data = self._read_body(response, max_bytes, deadline)
        if types is not None and not kind and b"<html" not in data[:2048].lower():
            raise IngestError("FW005", f"{url} has no content type and does not look like HTML")
        return FetchResult(url, status, response.headers, data)

    def _read_body(self, response: httpx.Response, max_bytes: int, deadline: float) -> bytes:
        """Stream the (decompressed) body, stopping at the size cap or the deadline."""
        url = str(response.url)
        body = bytearray()
        try:
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > max_bytes:
                    raise IngestError("FW004", f"{url} sent more than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise IngestError("FW009", f"{url} still downloading at the {self.deadline:g} s deadline")
        except httpx.RemoteProtocolError as exc:
            raise IngestError("FW009", f"response truncated after {len(body)} bytes: {exc}") from None
        except httpx.TimeoutException:
            if time.monotonic() >= deadline - 0.01:
                raise IngestError("FW009", f"{url} still downloading at the {self.deadline:g} s deadline") from None
            raise IngestError("FW009", f"timed out reading the body of {url}") from None
        except httpx.HTTPError as exc:
            raise IngestError("FW009", f"could not read the body of {url}: {exc}") from None
        return bytes(body)


_shared: Fetcher | None = None


def default_fetcher() -> Fetcher:
    """One Fetcher per process, so URLs read one by one still share robots.txt and connections."""
    global _shared
    if _shared is None:
        _shared = Fetcher()
    return _shared


def fetch_article(url: str, client: Fetcher | None = None) -> Article:
    """Download one news page and read it as HTML: path is the URL given, url the final one."""
    result = (client or default_fetcher()).get(url)
    return read_html(url, to_utf8(result.content, result.content_type), url=result.url)
