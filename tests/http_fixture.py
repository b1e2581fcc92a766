"""A real HTTP server on 127.0.0.1 with the awkward cases the web readers must survive.

Each test gets a fresh server (port 0, own counters) from `serve()`, so no test depends
on another.
All pages are fictional.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARTICLE_TITLE = "Man dies after restraint by officers in Kestrel Lane"
ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{ARTICLE_TITLE} | The Eastmoor Gazette</title>
<meta property="og:title" content="{ARTICLE_TITLE}">
<meta property="og:site_name" content="The Eastmoor Gazette">
<meta name="author" content="Priya Natarajan">
<meta property="article:published_time" content="2024-03-14T09:30:00Z">
</head>
<body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article>
<h1>{ARTICLE_TITLE}</h1>
<p class="byline">By Priya Natarajan</p>
<p>A 41-year-old man has died in hospital after he was restrained by police officers
in Kestrel Lane, Eastmoor, on Tuesday evening, the county force said.</p>
<p>Officers were called to a flat at about 7.40pm after neighbours reported a man in
distress. He became unwell while being held on the ground and was taken by ambulance
to Eastmoor General Hospital, where he was pronounced dead shortly after midnight.</p>
<p>The Independent Office for Police Conduct said it had been informed and that an
investigation into the use of force would begin this week. His family has been told.</p>
<p>"Our thoughts are with his family and friends at this very difficult time," a
spokesperson for the force said in a statement on Wednesday morning.</p>
</article>
<footer>Copyright 2024 The Eastmoor Gazette. This page is fictional.</footer>
</body>
</html>
"""


def page(title: str, sentence: str) -> str:
    """A second, short fictional article page."""
    body = " ".join([sentence] * 4)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{body}</p><p>The force said that an inquiry would be held in the new year.</p>"
        "</article></body></html>"
    )


RSS_ITEMS = [
    ("story-1", "/news/article.html", "Man dies after restraint", "Thu, 14 Mar 2024 09:30:00 GMT"),
    ("story-2", "/news/second.html", "Inquest opens", "Fri, 15 Mar 2024 12:00:00 GMT"),
]
EXTRA_RSS_ITEM = ("story-3", "/news/third.html", "Family calls for answers", "Sat, 16 Mar 2024 08:15:00 GMT")


def rss(items: list[tuple[str, str, str, str]]) -> str:
    entries = "".join(
        f'<item><title>{title}</title><link>{link}</link><guid isPermaLink="false">{guid}</guid>'
        f"<pubDate>{date}</pubDate></item>"
        for guid, link, title, date in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Eastmoor Gazette: News</title><link>/news</link>"
        f"<description>Local news</description>{entries}</channel></rss>"
    )


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Harbourside Courier</title><id>urn:example:courier</id>
<updated>2024-03-15T10:00:00Z</updated>
<entry><title>Vigil held for man who died in custody</title>
<id>urn:example:courier:101</id><link href="/news/second.html"/>
<updated>2024-03-15T10:00:00Z</updated><published>2024-03-15T09:00:00Z</published></entry>
</feed>
"""

ROBOTS = "User-agent: *\nDisallow: /private/\n"


class Site:
    """Server state a test can read (hits, user agents) or change (feed items)."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.statuses: list[tuple[str, int]] = []
        self.rss_items = list(RSS_ITEMS)
        self.robots: str | None = ROBOTS  # None: 404; "503": unreachable
        self.base = ""
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path


class Handler(BaseHTTPRequestHandler):
    site: Site  # set on a per-server subclass

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send(
        self, status: int, body: str | bytes = b"", ctype: str = "text/html; charset=utf-8", **headers: str
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.site.statuses.append((self.path, status))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(data)

    def conditional(self, body: str, ctype: str, modified: str) -> None:
        """Serve a feed with ETag / Last-Modified, answering 304 when the client has it."""
        etag = '"' + hashlib.sha256(body.encode()).hexdigest()[:12] + '"'
        if self.headers.get("If-None-Match") == etag or (
            self.headers.get("If-None-Match") is None and self.headers.get("If-Modified-Since") == modified
        ):
            self.site.statuses.append((self.path, 304))
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send(200, body, ctype, ETag=etag, Last_Modified=modified)

    def do_GET(self) -> None:  # noqa: C901 - one branch per scenario reads best here
        site = self.site
        with site.lock:
            site.hits[self.path] += 1
            count = site.hits[self.path]
        site.user_agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path == "/robots.txt":
            if site.robots is None:
                self.send(404, "<html><body>Not found</body></html>")
            elif site.robots == "503":
                self.send(503, "<html><body>Maintenance</body></html>")
            else:
                self.send(200, site.robots, "text/plain")
        elif path in ("/news/article.html", "/private/secret.html"):
            self.send(200, ARTICLE_HTML)
        elif path == "/news/second.html":
            self.send(
                200, page("Inquest opens into death", "The coroner heard that the man was restrained by two officers.")
            )
        elif path == "/news/third.html":
            self.send(
                200,
                page("Family calls for answers", "His sister said the family wanted to know what happened that night."),
            )
        elif path == "/news/latin1.html":
            html = page(
                "Café owner dies after arrest", "The café owner was arrested outside his shop on the high street."
            )
            self.send(200, html.encode("latin-1"), "text/html; charset=iso-8859-1")
        elif path.startswith("/redirect/"):
            step = int(path.rsplit("/", 1)[1])
            target = "/news/article.html" if step >= 3 else f"/redirect/{step + 1}"
            self.send(301 if step % 2 else 302, "", Location=target)
        elif path.startswith("/loop/"):
            self.send(302, "", Location=f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-private":
            self.send(302, "", Location="/private/secret.html")
        elif path == "/missing":
            self.send(404, "<html><body>Not found</body></html>")
        elif path == "/flaky":
            if count == 1:
                self.send(500, "<html><body>Oops</body></html>")
            else:
                self.send(200, ARTICLE_HTML)
        elif path == "/busy":
            if count == 1:
                self.send(429, "slow down", "text/plain", Retry_After="120")
            else:
                self.send(200, ARTICLE_HTML)
        elif path == "/down":
            self.send(503, "<html><body>Maintenance</body></html>")
        elif path == "/slow":
            time.sleep(1.5)
            self.send(200, ARTICLE_HTML)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<p>more text</p>\n")
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", "50000")
            self.end_headers()
            self.wfile.write(ARTICLE_HTML.encode()[:300])
            self.wfile.flush()
            self.close_connection = True
        elif path == "/report.pdf":
            self.send(200, b"%PDF-1.4\n%fictional\n", "application/pdf")
        elif path == "/big-declared":
            self.send(200, "<html>" + "x" * 5000 + "</html>")
        elif path == "/big-undeclared":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(50):
                self.wfile.write(b"<p>" + b"y" * 200 + b"</p>")
        elif path == "/feeds/news.rss":
            self.conditional(rss(site.rss_items), "application/rss+xml", "Sat, 16 Mar 2024 10:00:00 GMT")
        elif path == "/feeds/courier.atom":
            self.conditional(ATOM, "application/atom+xml", "Fri, 15 Mar 2024 10:00:00 GMT")
        elif path == "/feeds/plain.rss":  # no validators: only `seen` prevents repeats
            self.send(200, rss(site.rss_items), "application/rss+xml")
        elif path == "/feeds/broken.xml":
            self.send(200, "<?xml version='1.0'?><rss><channel><title>Oops</title><item><title>x", "application/xml")
        else:
            self.send(404, "<html><body>Not found</body></html>")


class QuietServer(ThreadingHTTPServer):
    """Clients that time out on purpose hang up mid-reply; that is expected, not news."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def serve() -> Iterator[Site]:
    """A fresh server for one test: `site.url("/path")` addresses it."""
    state = Site()
    handler = type("SiteHandler", (Handler,), {"site": state})
    server = QuietServer(("127.0.0.1", 0), handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
