"""`newsarchive serve`: the search page's WSGI application, called in-process, and the command's edges."""
from __future__ import annotations

import hashlib
import urllib.error
import urllib.request
from io import BytesIO
from pathlib import Path

import pytest

from newsarchive.research.web import SearchApp, allowed_hosts
from tests.research.serve_fixtures import HOSTILE_TITLE, HOSTILE_URL, Server, hostile_archive


@pytest.fixture
def served(tmp_path, cli):
    archive = hostile_archive(tmp_path / "archive")
    code, _, err = cli("index", str(archive))
    assert code == 0, err
    return archive, SearchApp(archive, pywb="http://localhost:8080", collection="demo",
                              allowed_hosts=allowed_hosts("127.0.0.1", 8765))


def get(app, path: str, query: str = "", method: str = "GET", host: str = "127.0.0.1:8765"):
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "HTTP_HOST": host,
               "wsgi.input": BytesIO(b"")}
    body = b"".join(app(environ, start_response)).decode("utf-8")
    return int(seen["status"][:3]), seen["headers"], body


def snapshot(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_search_finds_by_text_with_the_match_marked_and_filters_narrow(served):
    _, app = served
    status, headers, body = get(app, "/", "text=telemetry")
    assert status == 200 and "1 match" in body
    assert "streams <mark>telemetry</mark>" in body
    assert "script-src" not in headers["Content-Security-Policy"] and "default-src 'none'" in headers[
        "Content-Security-Policy"]
    _, _, everything = get(app, "/")
    _, _, narrowed = get(app, "/", "site=gadgetwire.test&since=2026-11-02")
    assert "8 matches" in everything and "2 matches" in narrowed
    _, _, by_author = get(app, "/", "author=jose+alvarez")
    assert "1 match" in by_author and "A solid state battery for laptops" in by_author


def test_everything_from_pages_is_escaped(served):
    _, app = served
    status, _, body = get(app, "/", "text=zanzibar")
    assert status == 200 and "1 match" in body
    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert "&lt;script&gt;document.title=" in body
    article_id = body.split('href="/article/')[1].split('"')[0]
    status, _, page = get(app, f"/article/{article_id}")
    assert status == 200
    assert "<script>" not in page and "<img" not in page and "<i>" not in page and "\x02" not in page
    assert "&lt;i&gt;Mallory&lt;/i&gt; Moriarty" in page and "Evil Corp" in page
    assert 'href="javascript:' not in page  # a hostile canonical URL is text, never a link
    assert f'href="{HOSTILE_URL}"' in page


def test_bad_query_syntax_is_a_message_not_a_crash(served):
    _, app = served
    status, _, body = get(app, "/", "text=%22unterminated")
    assert status == 400 and 'id="error"' in body
    status, _, body = get(app, "/", "since=yesterday")
    assert status == 400 and "YYYY-MM-DD" in body


def test_article_view_shows_fields_revisions_raw_and_replay(served):
    archive, app = served
    status, _, body = get(app, "/", "text=quasar")
    newest = body.split('href="/article/')[1].split('"')[0]
    status, _, page = get(app, f"/article/{newest}")
    assert status == 200
    assert "Jane Doe" in page and "© 2026 Gadget Wire Media, Inc." in page
    assert page.count("revision ") >= 2  # both captures of the URL are listed
    assert "http://localhost:8080/demo/20261115080100/https://gadgetwire.test/2026/11/quasar-phone" in page
    status, headers, raw = get(app, f"/raw/{newest}")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert "sandbox" in headers["Content-Security-Policy"]  # the raw capture's own policy comes last
    assert raw.startswith("HTTP/1.1 200 OK") and "Quasar phone folds twice" in raw
    assert get(app, "/article/999999")[0] == 404 and get(app, "/raw/999999")[0] == 404
    assert get(app, "/nowhere")[0] == 404


def test_read_only_and_loopback_only(served):
    archive, app = served
    before = snapshot(archive)
    assert get(app, "/", method="POST")[0] == 405
    assert get(app, "/", host="attacker.example:8765")[0] == 400  # DNS rebinding
    for query in ("", "text=quasar", "language=en", "story=x"):
        assert get(app, "/", query)[0] == 200
    get(app, "/article/1")
    get(app, "/raw/1")
    assert snapshot(archive) == before


def test_serve_command_listens_on_loopback_and_stops_cleanly(served, tmp_path, cli):
    archive, _ = served
    server = Server(archive)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(server.url + "?text=lander", timeout=30) as response:
            assert response.status == 200 and b"1 match" in response.read()
    finally:
        server.stop()
    code, _, err = cli("serve", str(tmp_path / "nowhere"))
    assert code == 3 and "no archive" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("serve", str(empty))
    assert code == 3 and "newsarchive index" in err
    code, _, err = cli("serve", str(archive), "--port", "70000")
    assert code == 2
