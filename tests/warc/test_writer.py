"""RollingWarcWriter and the record builders, on real Scrapy objects, checked by three independent gates."""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zlib
from pathlib import Path

import surt
from warcio.archiveiterator import ArchiveIterator

from newsarchive.warc import cdxj, records
from newsarchive.warc.archive import WarcArchive
from newsarchive.warc.reader import read_record
from newsarchive.warc.validate import validate_paths
from newsarchive.warc.writer import RollingWarcWriter
from tests.warc.conftest import REPO, gzip_test, warcio_check
from tests.warc.exchanges import BASE, FIRST_DATE, HTML, WARCINFO, exchange, variety, write_exchange, write_sample

NAME = re.compile(r"^UNIT-\d{17}-\d{5}-[A-Za-z0-9.-]+-\d+\.warc\.gz$")


def all_records(path: Path) -> list:
    with open(path, "rb") as fh:
        out = []
        for record in ArchiveIterator(fh):
            out.append((record.rec_type, record.rec_headers, record.http_headers, record.raw_stream.read()))
        return out


def by_uri(path: Path, rec_type: str) -> dict:
    return {headers.get_header("WARC-Target-URI"): (headers, http, body)
            for kind, headers, http, body in all_records(path) if kind == rec_type}


def test_sample_passes_our_gate_warcio_check_and_gzip_t(tmp_path):
    writer, _ = write_sample(tmp_path, prefix="UNIT")
    [path] = writer.files
    assert NAME.match(path.name), path.name
    assert validate_paths([tmp_path]) == []
    assert warcio_check(path).returncode == 0
    assert gzip_test(path).returncode == 0
    assert not list(tmp_path.glob("*.open"))


def test_each_record_is_its_own_gzip_member_and_pointers_resolve(tmp_path):
    writer, pointers = write_sample(tmp_path)
    data = writer.files[0].read_bytes()
    for pointer in pointers:
        member = data[pointer["offset"]:pointer["offset"] + pointer["length"]]
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        raw = decompressor.decompress(member)
        assert decompressor.eof and not decompressor.unused_data  # exactly one whole member
        record = next(ArchiveIterator(io.BytesIO(raw)))
        assert record.rec_headers.get_header("WARC-Record-ID") == pointer["record_id"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == pointer["payload_digest"]
        assert re.fullmatch(r"sha1:[A-Z2-7]{32}", pointer["payload_digest"])
        assert read_record(writer.files[0], pointer["offset"]).rec_headers == record.rec_headers


def test_warcinfo_opens_the_file_and_every_record_names_it(tmp_path):
    writer, _ = write_sample(tmp_path)
    found = all_records(writer.files[0])
    kind, headers, _, body = found[0]
    assert kind == "warcinfo" and headers.protocol == "WARC/1.1"
    assert headers.get_header("WARC-Filename") == writer.files[0].name
    info = dict(line.split(": ", 1) for line in body.decode().splitlines() if line)
    assert info["software"].startswith("newsarchive/")
    assert info["format"] == "WARC File Format 1.1" and "warc-1.1" in info["conformsTo"]
    assert info["hostname"] and info["operator"] == "unit tests" and info["robots"] == "obey"
    assert info["crawl-id"] == "20261129T000000Z" and info["spider"] == "unit"
    assert info["http-header-user-agent"] == "newsarchive-tests"
    warcinfo_id = headers.get_header("WARC-Record-ID")
    assert all(h.get_header("WARC-Warcinfo-ID") == warcinfo_id and h.protocol == "WARC/1.1"
               for _, h, _, _ in found[1:])


def test_http_blocks_restore_what_scrapy_loses(tmp_path):
    writer, _ = write_sample(tmp_path)
    responses = by_uri(writer.files[0], "response")

    # The decoded form (no bytes were recorded): the body is de-chunked and no length is made up.
    headers, http, body = responses[BASE + "/chunked"]
    assert http.get_header("Transfer-Encoding") is None
    assert http.get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
    assert http.get_header("Content-Length") is None and body == HTML

    headers, http, body = responses[BASE + "/zipped"]
    assert http.get_header("Content-Encoding") == "gzip" and body[:2] == b"\x1f\x8b"
    assert records.payload_digest(body) == headers.get_header("WARC-Payload-Digest")

    # A cut body keeps the server's Content-Length; WARC-Truncated says the block is shorter.
    headers, http, body = responses[BASE + "/cut"]
    assert headers.get_header("WARC-Truncated") == "length" and len(body) == 40
    assert http.get_header("Content-Length") == str(len(HTML))

    assert responses[BASE + "/moved"][1].statusline == "301 Moved Permanently"
    assert responses[BASE + "/gone"][1].statusline == "404 Not Found"
    assert responses[BASE + "/plain"][1].protocol == "HTTP/1.1"
    assert responses[BASE + "/h2"][0].get_header("WARC-Protocol") == "h2"
    assert responses[BASE + "/plain"][0].get_header("WARC-IP-Address") == "127.0.0.1"
    assert responses[BASE + "/plain"][0].get_header("Content-Type") == "application/http;msgtype=response"

    requests = by_uri(writer.files[0], "request")
    headers, http, _ = requests[BASE + "/plain"]
    assert http.headers[-1] == ("Host", "127.0.0.1:8765")  # where Twisted's client writes it: last
    assert f"{http.protocol} {http.statusline}" == "GET /plain HTTP/1.1"
    assert http.get_header("User-Agent") == "newsarchive-tests"
    assert headers.get_header("Content-Type") == "application/http;msgtype=request"
    assert headers.get_header("WARC-IP-Address") == "127.0.0.1"


def test_request_line_keeps_path_and_query_but_not_the_fragment(tmp_path):
    request, response = exchange("/a/b?x=1&y=%20z")
    with RollingWarcWriter(tmp_path, warcinfo_fields=WARCINFO) as writer:
        write_exchange(writer, request, response)
    [(_, _, http, _)] = [r for r in all_records(writer.files[0]) if r[0] == "request"]
    assert f"{http.protocol} {http.statusline}" == "GET /a/b?x=1&y=%20z HTTP/1.1"


def test_response_and_request_are_linked_and_adjacent(tmp_path):
    writer, _ = write_sample(tmp_path)
    found = all_records(writer.files[0])
    for index, (kind, headers, _, _) in enumerate(found):
        if kind in ("response", "revisit"):
            next_kind, next_headers, _, _ = found[index + 1]
            assert next_kind == "request"
            assert next_headers.get_header("WARC-Concurrent-To") == headers.get_header("WARC-Record-ID")
            assert next_headers.get_header("WARC-Date") == headers.get_header("WARC-Date")


def test_revisit_and_metadata_records_refer_to_the_original(tmp_path):
    writer, pointers = write_sample(tmp_path)
    original = pointers[0]
    headers, http, body = by_uri(writer.files[0], "revisit")[BASE + "/copy"]
    assert headers.get_header("WARC-Profile") == records.IDENTICAL_PAYLOAD_DIGEST
    assert headers.get_header("WARC-Refers-To") == original["record_id"]
    assert headers.get_header("WARC-Refers-To-Target-URI") == BASE + "/plain"
    assert headers.get_header("WARC-Refers-To-Date") == FIRST_DATE
    assert headers.get_header("WARC-Payload-Digest") == original["payload_digest"]
    assert headers.get_header("WARC-Truncated") == "length"  # the head alone: the payload is elsewhere
    assert body == b"" and http.statusline == "200 OK"
    [(_, headers, _, body)] = [r for r in all_records(writer.files[0]) if r[0] == "metadata"]
    assert headers.get_header("WARC-Refers-To") == original["record_id"] and json.loads(body) == {"title": "x"}
    # No target URI: replay tools that index metadata by URL must never serve it for the page.
    assert headers.get_header("WARC-Target-URI") is None


def test_server_not_modified_revisit_has_no_block_and_its_304_goes_in_a_metadata_record(tmp_path):
    request, response = exchange("/etag", status=304, body=b"", headers={"ETag": '"v1"'})
    head = b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n'
    with RollingWarcWriter(tmp_path, warcinfo_fields=WARCINFO) as writer:
        first = write_exchange(writer, *exchange("/etag"), date=FIRST_DATE)
        revisit = records.revisit_record(response, date=records.warc_date(), profile=records.SERVER_NOT_MODIFIED,
                                         refers_to_uri=BASE + "/etag", refers_to_date=FIRST_DATE,
                                         refers_to=first["record_id"])
        not_modified = records.not_modified_record(head, refers_to=revisit.rec_headers.get_header("WARC-Record-ID"),
                                                   date=revisit.rec_headers.get_header("WARC-Date"))
        writer.write_exchange(revisit, records.request_record(request, response, date=records.warc_date()),
                              (not_modified,))
    assert validate_paths([tmp_path]) == []
    assert warcio_check(writer.files[0]).returncode == 0
    found = all_records(writer.files[0])
    assert [kind for kind, *_ in found] == ["warcinfo", "response", "request", "revisit", "request", "metadata"]
    _, revisit_headers, http, block = found[3]
    assert http is None and block == b"" and revisit_headers.get_header("Content-Length") == "0"
    _, meta_headers, _, body = found[5]
    assert body == head and meta_headers.get_header("Content-Type") == records.RESPONSE_CONTENT_TYPE
    assert meta_headers.get_header("WARC-Refers-To") == revisit_headers.get_header("WARC-Record-ID")
    # Read back through the archive: the original's status, headers and body.
    archive = WarcArchive(tmp_path)
    latest = archive.captures(BASE + "/etag")[-1]
    archived = archive.read(latest)
    assert latest.revisit and archived.status == 200 and archived.body == HTML
    assert archived.status_line == "HTTP/1.1 200 OK"


def test_cdxj_index_is_what_pywb_reads(tmp_path):
    writer, pointers = write_sample(tmp_path)
    index = tmp_path / writer.files[0].name.replace(".warc.gz", ".cdxj")
    lines = index.read_text().splitlines()
    assert lines == sorted(lines, key=lambda line: line.encode())
    entries = [cdxj.parse_line(line) for line in lines]
    indexed = [p for p in pointers if p["payload_digest"]][:-1]  # all but the metadata record
    assert sorted(e.offset for e in entries) == sorted(p["offset"] for p in indexed)
    for line, entry in zip(lines, entries):
        key, timestamp, payload = line.split(" ", 2)
        fields = json.loads(payload)
        assert key == surt.surt(fields["url"]) and re.fullmatch(r"\d{14}", timestamp)
        assert set(fields) <= {"url", "mime", "status", "digest", "length", "offset", "filename"}
        assert fields["filename"] == writer.files[0].name and fields["offset"].isdigit()
        assert not fields["digest"].startswith("sha1:")
    statuses = {e.url.rsplit("/", 1)[1]: (e.status, e.mime) for e in entries}
    assert statuses["moved"][0] == "301" and statuses["gone"] == ("404", "text/plain")
    assert statuses["copy"] == (None, "warc/revisit")


def test_cdxj_lookup_finds_captures_and_reads_them_back(tmp_path):
    writer, pointers = write_sample(tmp_path)
    index = WarcArchive(tmp_path)
    [capture] = index.captures(BASE + "/plain")
    assert (capture.filename, capture.offset, capture.pointer.length) == (
        pointers[0]["filename"], pointers[0]["offset"], pointers[0]["length"])
    archived = index.read(capture)
    assert not archived.revisit and archived.body == HTML and archived.record_id == pointers[0]["record_id"]
    assert index.captures(BASE + "/never-fetched") == []


def test_rollover_gives_several_files_each_whole_and_never_splits_a_pair(tmp_path):
    writer = RollingWarcWriter(tmp_path, prefix="UNIT", max_size=2500, warcinfo_fields=WARCINFO)
    for number in range(12):
        write_exchange(writer, *exchange(f"/page/{number}"))
    writer.close()
    assert len(writer.files) >= 3
    assert [int(p.name.split("-")[2]) for p in writer.files] == list(range(len(writer.files)))
    seen = []
    for path in writer.files:
        assert NAME.match(path.name)
        kinds = [kind for kind, _, _, _ in all_records(path)]
        assert kinds[0] == "warcinfo" and kinds.count("warcinfo") == 1
        assert kinds[1:] == ["response", "request"] * ((len(kinds) - 1) // 2)  # pairs stay together
        assert path.stat().st_size <= 2500 or len(kinds) == 3
        seen += [h.get_header("WARC-Target-URI") for k, h, _, _ in all_records(path) if k == "response"]
    assert seen == [f"{BASE}/page/{n}" for n in range(12)]
    assert validate_paths([tmp_path]) == []


def test_gzip_level_is_honoured(tmp_path):
    sizes = {}
    for level in (1, 9):
        with RollingWarcWriter(tmp_path / str(level), gzip_level=level, warcinfo_fields=WARCINFO) as writer:
            write_exchange(writer, *exchange(body=b"".join(b"line %d of a repetitive page\n" % n for n in range(3000))))
        sizes[level] = writer.files[0].stat().st_size
        assert validate_paths([writer.files[0]]) == []
    assert sizes[9] < sizes[1]


def test_a_failed_write_is_cut_back_and_earlier_records_survive(tmp_path):
    """A real EFBIG from RLIMIT_FSIZE (in a child process) stands in for a full disk."""
    script = f"""
import resource, signal, sys
sys.path.insert(0, {str(REPO)!r})
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
from newsarchive.warc.writer import RollingWarcWriter, WarcWriteError
from tests.warc.exchanges import WARCINFO, exchange, write_exchange
writer = RollingWarcWriter(sys.argv[1], warcinfo_fields=WARCINFO, gzip_level=0)
written = [write_exchange(writer, *exchange("/small/%d" % n)) for n in range(3)]
resource.setrlimit(resource.RLIMIT_FSIZE, (writer._size + 1500, resource.RLIM_INFINITY))
try:
    write_exchange(writer, *exchange("/huge", body=b"x" * 100_000))
    print("no error")
except WarcWriteError as exc:
    print("error", exc.errno)
resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
written.append(write_exchange(writer, *exchange("/after")))
writer.close()
"""
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split()[0] == "error", proc.stdout
    [path] = list(tmp_path.glob("*.warc.gz"))
    assert validate_paths([tmp_path]) == []
    uris = [h.get_header("WARC-Target-URI") for k, h, _, _ in all_records(path) if k == "response"]
    assert uris == [f"{BASE}/small/0", f"{BASE}/small/1", f"{BASE}/small/2", f"{BASE}/after"]


def test_variety_covers_every_kind_once():
    kinds = {(resp.status, resp.protocol) for _, resp in variety()}
    assert (200, "h2") in kinds and (301, "HTTP/1.1") in kinds and (404, "HTTP/1.1") in kinds
