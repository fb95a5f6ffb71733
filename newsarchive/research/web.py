"""The search page of `newsarchive serve`: a small read-only WSGI application over index.sqlite.

Pages: `/` (a search form with the query filters and a list of matches with highlighted snippets),
`/article/<id>` (one record: its fields, its story, its revisions, links to the raw capture and to
its replay in pywb), `/raw/<id>` (the archived HTTP response as plain text) and `/style.css`.

Everything in a record is hostile input: templates are Jinja2 with autoescaping on, snippets are
escaped before their highlight marks become <mark>, only http(s) URLs become links, every response
carries a Content-Security-Policy that allows no script at all, and the raw capture is served as
text/plain in a sandbox, never as HTML of our origin. The index is opened read-only for each request
(`mode=ro`): the page never writes the archive. A Host check keeps other sites' pages from reading it
through DNS rebinding.
"""
from __future__ import annotations

import html
import re
import sqlite3
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from newsarchive.research.query import Filters, QuerySyntaxError, RecordReader, StaleIndex, build_query, search
from newsarchive.research.replay import replay_url
from newsarchive.research.schema import connect, index_path

PAGE_SIZE = 20
SNIPPET_WORDS = 32
# Highlight marks for FTS5's snippet(): control characters, removed from the text beforehand, so a
# page cannot forge a mark; escaping leaves them alone, then they become <mark> and </mark>.
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
MARKS_RE = re.compile("[\x02\x03]")
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
RAW_CSP = "sandbox; default-src 'none'"
SECURITY_HEADERS = [("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                    ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"), ("Cache-Control", "no-store")]
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


class NotFound(Exception):
    pass


@dataclass
class Response:
    status: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def templates():
    from jinja2 import ChainableUndefined, Environment, FunctionLoader, select_autoescape

    folder = resources.files("newsarchive.research").joinpath("templates")
    env = Environment(loader=FunctionLoader(lambda name: folder.joinpath(name).read_text("utf-8")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=ChainableUndefined, trim_blocks=True, lstrip_blocks=True, finalize=printable)
    env.filters["link"] = lambda url: url if isinstance(url, str) and re.match(r"^https?://", url, re.I) else None
    return env


def printable(value):
    """Every value a template prints, without control characters (a page's text may carry any)."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return CONTROL_RE.sub("", value)
    return value


def highlighted(snippet: str | None):
    """A snippet with FTS5's marks as <mark>, everything else escaped."""
    from markupsafe import Markup

    escaped = html.escape(snippet or "", quote=True)
    return Markup(escaped.replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>"))


def snippets(rows: list[tuple[int, dict]], text_query: str | None) -> dict[int, dict[str, object]]:
    """Per index id: title and snippet with the query's matches marked, by FTS5 itself.

    The index's FTS table is contentless (it stores no text, so snippet() cannot work there): the page's
    records go into an in-memory FTS5 table with the same tokenizer, and the same MATCH runs on it.
    """
    result = {}
    for index_id, record in rows:
        text = record.get("text") if isinstance(record.get("text"), str) else ""
        lead = " ".join(text.split()[:SNIPPET_WORDS]) + ("…" if len(text.split()) > SNIPPET_WORDS else "")
        result[index_id] = {"title": highlighted(clean(record.get("title"))), "snippet": highlighted(clean(lead))}
    if not text_query or not rows:
        return result
    memory = sqlite3.connect(":memory:")
    try:
        memory.execute("CREATE VIRTUAL TABLE page USING fts5(title, description, text, "
                       "tokenize = 'unicode61 remove_diacritics 2')")
        memory.executemany("INSERT INTO page (rowid, title, description, text) VALUES (?, ?, ?, ?)",
                           [(index_id, clean(r.get("title")), clean(r.get("description")), clean(r.get("text")))
                            for index_id, r in rows])
        for index_id, title, snippet in memory.execute(
                f"SELECT rowid, highlight(page, 0, ?, ?), snippet(page, -1, ?, ?, '…', {SNIPPET_WORDS}) "
                "FROM page WHERE page MATCH ?", (MARK_OPEN, MARK_CLOSE, MARK_OPEN, MARK_CLOSE, text_query)):
            result[index_id] = {"title": highlighted(title), "snippet": highlighted(snippet)}
    except sqlite3.OperationalError:
        pass  # the index accepted the expression; if this copy does not, the plain leads stand
    finally:
        memory.close()
    return result


def clean(value: object) -> str:
    return MARKS_RE.sub("", value) if isinstance(value, str) else ""


FILTER_FIELDS = ("text", "site", "author", "language", "since", "until", "story")


class SearchApp:
    """The WSGI application; `archive` holds index.sqlite (built by `newsarchive index`)."""

    def __init__(self, archive: Path, *, pywb: str, collection: str, allowed_hosts: set[str] | None = None):
        self.archive = Path(archive)
        self.index = index_path(self.archive)
        self.pywb, self.collection = pywb, collection
        self.allowed_hosts = allowed_hosts  # None: any Host header
        self.env = templates()

    # ------------------------------------------------------------------ WSGI

    def __call__(self, environ, start_response):
        try:
            response = self.respond(environ)
        except NotFound as exc:
            response = self.page("error.html", status="404 Not Found", message=str(exc) or "Not found")
        except StaleIndex as exc:
            response = self.page("error.html", status="409 Conflict", message=str(exc))
        except (sqlite3.DatabaseError, OSError) as exc:
            response = self.page("error.html", status="503 Service Unavailable",
                                 message=f"cannot read the index {self.index}: {exc}")
        headers = [("Content-Type", response.content_type), ("Content-Length", str(len(response.body))),
                   *SECURITY_HEADERS, *response.headers]
        start_response(response.status, headers)
        return [b"" if environ.get("REQUEST_METHOD") == "HEAD" else response.body]

    def respond(self, environ) -> Response:
        if self.allowed_hosts is not None and environ.get("HTTP_HOST", "").lower() not in self.allowed_hosts:
            return Response("400 Bad Request", b"unknown Host\n", "text/plain; charset=utf-8")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return Response("405 Method Not Allowed", b"read-only\n", "text/plain; charset=utf-8",
                            [("Allow", "GET, HEAD")])
        path = environ.get("PATH_INFO") or "/"
        params = {k: v[-1].strip() for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if path == "/":
            return self.search_page(params)
        if path == "/style.css":
            css = resources.files("newsarchive.research").joinpath("templates", "style.css").read_bytes()
            return Response("200 OK", css, "text/css; charset=utf-8")
        match = re.fullmatch(r"/(article|raw)/(\d{1,18})", path)
        if match:
            return (self.article_page if match.group(1) == "article" else self.raw_capture)(int(match.group(2)))
        raise NotFound(f"no page {path}")

    def page(self, template: str, *, status: str = "200 OK", **values) -> Response:
        body = self.env.get_template(template).render(**values)
        return Response(status, body.encode("utf-8"))

    def connect(self) -> sqlite3.Connection:
        if not self.index.exists():
            raise NotFound(f"no index at {self.index}: run `newsarchive index {self.archive}` first")
        return connect(self.index, readonly=True)

    # ------------------------------------------------------------------ pages

    def search_page(self, params: dict[str, str]) -> Response:
        form = {name: params.get(name, "") for name in FILTER_FIELDS}
        page = int(params["page"]) if params.get("page", "").isdigit() and int(params["page"]) > 0 else 1
        filters = Filters(text=form["text"] or None, sites=[form["site"]] if form["site"] else [],
                          authors=[form["author"]] if form["author"] else [],
                          languages=[form["language"]] if form["language"] else [],
                          stories=[form["story"]] if form["story"] else [],
                          since=form["since"] or None, until=form["until"] or None)
        conn = self.connect()
        try:
            choices = {
                "sites": [r[0] for r in conn.execute(
                    "SELECT site FROM articles WHERE is_latest = 1 AND site IS NOT NULL GROUP BY site ORDER BY site")],
                "languages": [r[0] for r in conn.execute(
                    "SELECT language FROM articles WHERE is_latest = 1 AND language IS NOT NULL "
                    "GROUP BY language ORDER BY count(*) DESC, language")],
            }
            try:
                query = build_query(filters)
                total, found = search(conn, query, sort="relevance" if query.has_text else "published",
                                      limit=PAGE_SIZE * page)
                rows = list(found)[PAGE_SIZE * (page - 1):]
            except QuerySyntaxError as exc:
                return self.page("search.html", status="400 Bad Request", form=form, error=str(exc), results=[],
                                 total=0, page=1, pages=[], choices=choices)
        finally:
            conn.close()
        marked = snippets(rows, filters.text)
        results = [{"id": index_id, "record": record, **marked[index_id]} for index_id, record in rows]
        last = max(1, -(-total // PAGE_SIZE))
        pages = [(n, "?" + urlencode({**{k: v for k, v in form.items() if v}, "page": n}))
                 for n in range(max(1, page - 3), min(last, page + 3) + 1)]
        return self.page("search.html", form=form, error=None, results=results, total=total, page=page,
                         pages=pages if last > 1 else [], choices=choices)

    def article_page(self, index_id: int) -> Response:
        conn = self.connect()
        try:
            row = conn.execute("SELECT * FROM articles WHERE id = ?", (index_id,)).fetchone()
            if row is None:
                raise NotFound(f"no article {index_id} in the index")
            with RecordReader(conn) as reader:
                record = reader.record(row["source_id"], row["line_offset"], row["url"])
            revisions = conn.execute(
                "SELECT id, revision, fetched_at, crawl_id, word_count FROM articles WHERE url = ? "
                "ORDER BY fetched_at, revision, id", (row["url"],)).fetchall()
            story = conn.execute(
                "SELECT id, site, title, published FROM articles WHERE story_id = ? AND is_latest = 1 AND url != ? "
                "ORDER BY published_utc IS NULL, published_utc, id LIMIT 50", (row["story_id"], row["url"])).fetchall()
        finally:
            conn.close()
        try:
            replay = replay_url(record["url"], record.get("fetched_at") or "", pywb=self.pywb,
                                collection=self.collection)
        except ValueError:
            replay = None
        paragraphs = [p for p in (record.get("text") or "").split("\n\n") if p.strip()] \
            if isinstance(record.get("text"), str) else []
        return self.page("article.html", id=index_id, row=row, record=record, revisions=revisions, story=story,
                         replay=replay, has_capture=row["warc_path"] is not None and row["warc_offset"] is not None,
                         paragraphs=paragraphs)

    def raw_capture(self, index_id: int) -> Response:
        """The archived response as `show --raw` prints it: status, headers, decoded body, as plain text."""
        from newsarchive.warc.reader import RecordNotFound, read_response

        conn = self.connect()
        try:
            row = conn.execute("SELECT warc_path, warc_offset FROM articles WHERE id = ?", (index_id,)).fetchone()
        finally:
            conn.close()
        if row is None or row["warc_path"] is None or row["warc_offset"] is None:
            raise NotFound(f"article {index_id} has no archived capture")
        try:
            response = read_response(self.archive / row["warc_path"], row["warc_offset"])
            _, text = response.text()
        except (RecordNotFound, OSError, ValueError) as exc:
            raise NotFound(f"cannot read the capture of article {index_id}: {exc}") from None
        head = [response.status_line] + [f"{name}: {value}" for name, value in response.headers]
        body = ("\n".join(head) + "\n\n" + text).encode("utf-8", "replace")
        return Response("200 OK", body, "text/plain; charset=utf-8", [("Content-Security-Policy", RAW_CSP)])


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """The Host headers a loopback server answers (None: any, when bound to a public address on purpose)."""
    if host not in LOOPBACK_NAMES:
        return None
    return {f"{name}:{port}" for name in LOOPBACK_NAMES if name != "::1"}
