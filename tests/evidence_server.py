"""A loopback server shaped like the evidence providers' APIs, serving pages too.

It answers as each provider documents its API (field names, nesting, auth headers):

* SearXNG  ``GET  /searxng/search?q=…&format=json``
* Brave    ``GET  /brave/res/v1/web/search`` (``X-Subscription-Token``)
* Tavily   ``POST /tavily/search`` (``Authorization: Bearer``)
* Serper   ``POST /serper/search`` (``X-API-KEY``)
* MediaWiki ``GET /wiki/w/api.php`` (``list=search`` and ``prop=extracts``, formatversion 2)
* Fact Check Tools ``GET /factcheck/v1alpha1/claims:search`` (``key=``)

Searches rank the corpus (``benchmarks/data/evidence_corpus.jsonl``, our own text) by
idf-weighted word overlap, like a small search engine. Pages: ``/pages/SLUG`` (HTML
with navigation, cookie banner and footer around the article), and the awkward ones:
``/files/report.pdf``, ``/missing`` (404), ``/slow`` (answers after ``slow_s``),
``/huge`` (20 MB, no Content-Length), ``/binary``, ``/loop`` (redirects to itself),
``/to-private`` (redirects to 10.0.0.1), ``/private/…`` (disallowed by robots.txt) and
``/to-disallowed`` (redirects there),
``/rate-limited/search`` (SearXNG-shaped, one 429 with Retry-After first).
``failing=True`` makes every provider endpoint answer 503. Requests are recorded.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

CORPUS = Path(__file__).resolve().parent.parent / "benchmarks" / "data" / "evidence_corpus.jsonl"
KEY = "test-key-0123456789"
STOPWORDS = set(
    "a an the of in on at to for and or is was were be been has have had that this with by as "
    "from its it his her their he she they said says say about after before since into than".split()
)

FACT_CHECKS = [
    {
        "text": "Brics was founded in 2009 by Brazil, Russia, India and China.",
        "claimant": "social media posts",
        "claimDate": "2024-10-20T00:00:00Z",
        "claimReview": [
            {
                "publisher": {"name": "Example Fact Check", "site": "factcheck.example"},
                "url": "PAGES/pages/what-is-brics",
                "title": "Yes, Brics began with four members in 2009",
                "reviewDate": "2024-10-21T00:00:00Z",
                "textualRating": "True",
                "languageCode": "en",
            }
        ],
    },
    {
        "text": "Russia's parliament voted to ratify a defence pact with North Korea.",
        "claimant": "viral post",
        "claimDate": "2024-10-24T00:00:00Z",
        "claimReview": [
            {
                "publisher": {"name": "Example Fact Check", "site": "factcheck.example"},
                "url": "PAGES/pages/duma-ratifies-north-korea-treaty",
                "title": "Claim about a Duma vote",
                "reviewDate": "2024-10-24T00:00:00Z",
                "textualRating": "False",
                "languageCode": "en",
            }
        ],
    },
]


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def words(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS]


def page_html(page: dict[str, Any], padding_kb: int = 0) -> str:
    """A news page: the article inside navigation, a cookie banner, related links and a footer.

    ``padding_kb`` adds that much script and navigation markup, as real news pages carry
    (typically 100-500 kB of HTML around a few kB of text)."""
    padding = ""
    if padding_kb:
        script = "var track=" + json.dumps({"k": "v" * 900}) + ";\n"
        links = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(40))
        block = f"<script>{script * 8}</script><ul class='mega-menu'>{links}</ul>\n"
        padding = block * max(1, padding_kb * 1024 // len(block))
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in page["body"])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(page["title"])} | World Desk</title>
<meta property="article:published_time" content="{page["published"]}T08:00:00+00:00">
<meta name="description" content="{escape(page["body"][0][:150])}"></head>
<body>
{padding}
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav>
<main><article>
<h1>{escape(page["title"])}</h1>
<p class="byline">By World Desk staff · <time datetime="{page["published"]}">{page["published"]}</time></p>
{paragraphs}
</article>
<aside><h2>Most read</h2><ul><li><a href="/x">Ten recipes for autumn</a></li>
<li><a href="/y">Markets close higher on Friday</a></li></ul></aside></main>
<footer><p>© 2024 World Desk. All rights reserved. Terms · Privacy · Contact us</p>
<p>Sign up for our newsletter to get the day's top stories in your inbox.</p></footer>
</body></html>"""


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text pypdf can extract (hand-built: no PDF writer is a dependency)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


PDF_TEXT = "The Brics summit of 2024 was held in Kazan from 22 to 24 October."


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class EvidenceServer:
    corpus: list[dict[str, Any]] = field(default_factory=load_corpus)
    failing: bool = False
    slow_s: float = 5.0
    page_delay_s: float = 0.0
    page_padding_kb: int = 0
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._df = Counter(
            w for p in self.corpus for w in set(words(p["title"] + " " + " ".join(p["body"])))
        )
        self._rate_limited_once = False
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> EvidenceServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    # ------------------------------------------------------------ search

    def rank(self, query: str, limit: int) -> list[dict[str, Any]]:
        terms = set(words(query))
        n = len(self.corpus)
        scored = []
        for page in self.corpus:
            title = set(words(page["title"]))
            body = set(words(" ".join(page["body"])))
            score = sum(
                math.log(1 + n / self._df[t]) * (2 if t in title else 1)
                for t in terms
                if t in body | title
            )
            if score > 0:
                scored.append((score, page))
        scored.sort(key=lambda item: -item[0])
        return [p for _, p in scored[:limit]]

    def page_url(self, page: dict[str, Any]) -> str:
        return f"{self.url}/pages/{page['slug']}"

    def searxng(self, q: str, limit: int = 10) -> dict[str, Any]:
        results = [
            {"url": self.page_url(p), "title": p["title"], "content": p["body"][0][:200],
             "engine": "replay", "engines": ["replay"], "score": 1.0, "category": "general",
             "publishedDate": f"{p['published']}T08:00:00"}
            for p in self.rank(q, limit)
        ]  # fmt: skip
        return {"query": q, "number_of_results": len(results), "results": results,
                "answers": [], "corrections": [], "infoboxes": [], "suggestions": [],
                "unresponsive_engines": []}  # fmt: skip

    # ------------------------------------------------------------ HTTP

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                self._route("GET", None)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                self._route("POST", json.loads(raw or b"{}"))

            def _route(self, method: str, body: Any) -> None:
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                server.requests.append(
                    Recorded(
                        method,
                        parts.path,
                        query,
                        {k.lower(): v for k, v in self.headers.items()},
                        body,
                    )
                )
                try:
                    server._answer(self, method, parts.path, query, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def send(
                self,
                status: int,
                data: bytes,
                content_type: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def json(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
                self.send(status, json.dumps(data).encode(), "application/json", headers)

        return Handler

    def _answer(self, h: Any, method: str, path: str, q: dict[str, list[str]], body: Any) -> None:
        one = {k: v[0] for k, v in q.items()}
        provider = path.split("/")[1] if path.count("/") > 1 else ""
        if self.failing and provider in {
            "searxng",
            "brave",
            "tavily",
            "serper",
            "wiki",
            "factcheck",
        }:
            h.json(503, {"error": "service unavailable"})
            return
        if path == "/searxng/search":
            if one.get("format") != "json":
                h.send(403, b"Forbidden", "text/html")  # SearXNG without the json format enabled
                return
            h.json(200, self.searxng(one.get("q", "")))
        elif path == "/rate-limited/search":
            if not self._rate_limited_once:
                self._rate_limited_once = True
                h.json(429, {"error": "too many requests"}, {"Retry-After": "1"})
                return
            h.json(200, self.searxng(one.get("q", "")))
        elif path == "/brave/res/v1/web/search":
            if h.headers.get("X-Subscription-Token") != KEY:
                h.json(
                    401,
                    {
                        "type": "ErrorResponse",
                        "error": {"code": "SUBSCRIPTION_TOKEN_INVALID", "status": 401},
                    },
                )
                return
            count = int(one.get("count", 20))
            results = [
                {"type": "search_result", "title": p["title"], "url": self.page_url(p),
                 "description": p["body"][0][:200], "page_age": f"{p['published']}T08:00:00",
                 "age": p["published"], "language": "en", "family_friendly": True}
                for p in self.rank(one.get("q", ""), count)
            ]  # fmt: skip
            h.json(200, {"type": "search", "query": {"original": one.get("q", "")},
                         "web": {"type": "search", "results": results, "family_friendly": True}})  # fmt: skip
        elif path == "/tavily/search" and method == "POST":
            if h.headers.get("Authorization") != f"Bearer {KEY}":
                h.json(401, {"detail": {"error": "Unauthorized: missing or invalid API key."}})
                return
            results = [
                {"title": p["title"], "url": self.page_url(p), "content": p["body"][0][:200],
                 "score": 0.9, "raw_content": None, "published_date": p["published"]}
                for p in self.rank(body.get("query", ""), int(body.get("max_results", 5)))
            ]  # fmt: skip
            h.json(200, {"query": body.get("query"), "follow_up_questions": None, "answer": None,
                         "images": [], "results": results, "response_time": 0.42})  # fmt: skip
        elif path == "/serper/search" and method == "POST":
            if h.headers.get("X-API-KEY") != KEY:
                h.json(403, {"message": "Unauthorized.", "statusCode": 403})
                return
            organic = [
                {"title": p["title"], "link": self.page_url(p), "snippet": p["body"][0][:200],
                 "date": p["published"], "position": n}
                for n, p in enumerate(self.rank(body.get("q", ""), int(body.get("num", 10))), start=1)
            ]  # fmt: skip
            h.json(200, {"searchParameters": {"q": body.get("q"), "type": "search", "num": body.get("num")},
                         "organic": organic})  # fmt: skip
        elif path == "/wiki/w/api.php":
            self._wiki(h, one)
        elif path == "/factcheck/v1alpha1/claims:search":
            if one.get("key") != KEY:
                h.json(
                    403,
                    {
                        "error": {
                            "code": 403,
                            "message": "API key not valid.",
                            "status": "PERMISSION_DENIED",
                        }
                    },
                )
                return
            terms = set(words(one.get("query", "")))
            claims = [c for c in FACT_CHECKS if len(terms & set(words(c["text"]))) >= 4]
            data = json.loads(json.dumps(claims).replace("PAGES", self.url))
            h.json(200, {"claims": data} if data else {})
        else:
            self._page(h, path)

    def _wiki(self, h: Any, one: dict[str, str]) -> None:
        if one.get("action") != "query" or one.get("format") != "json":
            h.json(200, {"error": {"code": "badvalue", "info": "Unrecognized value"}})
            return
        if one.get("list") == "search":
            hits = self.rank(one.get("srsearch", ""), int(one.get("srlimit", 10)))
            search = [
                {"ns": 0, "title": p["title"], "pageid": 1000 + self.corpus.index(p), "size": 4000,
                 "wordcount": 600, "snippet": f'<span class="searchmatch">{escape(p["title"])}</span>',
                 "timestamp": "2024-11-30T10:00:00Z"}
                for p in hits
            ]  # fmt: skip
            h.json(
                200,
                {
                    "batchcomplete": True,
                    "query": {"searchinfo": {"totalhits": len(search)}, "search": search},
                },
            )
        elif one.get("prop") == "extracts":
            ids = [int(i) for i in one.get("pageids", "").split("|") if i]
            pages = [
                {"pageid": i, "ns": 0, "title": self.corpus[i - 1000]["title"],
                 "extract": "\n".join(self.corpus[i - 1000]["body"])}
                for i in ids if 0 <= i - 1000 < len(self.corpus)
            ]  # fmt: skip
            h.json(200, {"batchcomplete": True, "query": {"pages": pages}})
        else:
            h.json(200, {"batchcomplete": True})

    def _page(self, h: Any, path: str) -> None:
        if path == "/robots.txt":
            h.send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path.startswith("/pages/"):
            slug = path.removeprefix("/pages/")
            page = next((p for p in self.corpus if p["slug"] == slug), None)
            if page is None:
                h.send(404, b"<h1>Not found</h1>", "text/html")
                return
            if self.page_delay_s:
                time.sleep(self.page_delay_s)
            h.send(200, page_html(page, self.page_padding_kb).encode(), "text/html; charset=utf-8")
        elif path == "/files/report.pdf":
            h.send(200, minimal_pdf(PDF_TEXT), "application/pdf")
        elif path == "/slow":
            time.sleep(self.slow_s)
            h.send(200, b"<p>late</p>", "text/html")
        elif path == "/huge":
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.send_header("Connection", "close")
            h.end_headers()
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            for _ in range(20_000_000 // len(chunk)):
                h.wfile.write(chunk)
        elif path == "/binary":
            h.send(200, bytes(range(256)) * 16, "application/octet-stream")
        elif path == "/loop":
            h.send(302, b"", "text/html", {"Location": "/loop"})
        elif path == "/to-private":
            h.send(302, b"", "text/html", {"Location": "http://10.0.0.1/secret"})
        elif path == "/to-disallowed":
            h.send(302, b"", "text/html", {"Location": "/private/page"})
        elif path.startswith("/private/"):
            h.send(200, b"<p>secret</p>", "text/html")
        else:
            h.send(404, b"<h1>Not found</h1>", "text/html")
