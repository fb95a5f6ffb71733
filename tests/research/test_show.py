"""`newsarchive show`: find by URL, id or record id; --raw reads the WARC by offset; --replay-url."""
from __future__ import annotations

import base64
import hashlib
import json

from tests.research.conftest import latest

QUASAR = "https://gadgetwire.test/2026/11/quasar-phone"
ROUTER = "https://www.bytebulletin.test/news/router-recall"


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def record_for(archive, url: str, revision=None) -> dict:
    return next(r for r in archive.records
                if r["url"] == url and (r["revision"] or {}).get("number") == revision)


def test_show_by_url_gives_the_latest_capture_and_its_warc_pointer(archive, cli):
    code, out, _ = cli("show", QUASAR, "--archive", str(archive.root))
    record = record_for(archive, QUASAR, 1)
    assert code == 0
    assert "Quasar phone folds twice, ships in December" in out
    assert "(2 captures of this URL)" in out
    assert f"offset    {record['warc']['offset']}   length {record['warc']['length']}" in out
    assert str(archive.root / "gadgetwire" / "20261115T080000Z" / "warc" / record["warc"]["filename"]) in out


def test_show_json_by_url_revision_and_by_record_id(archive, cli):
    first = record_for(archive, QUASAR, None)
    code, out, _ = cli("show", QUASAR, "--revision", "0", "--json", "--archive", str(archive.root))
    assert json.loads(out) == first
    code, out, _ = cli("show", first["warc"]["record_id"], "--json", "--archive", str(archive.root))
    assert json.loads(out) == first
    bare_uuid = first["warc"]["record_id"].removeprefix("<urn:uuid:").removesuffix(">")
    code, out, _ = cli("show", bare_uuid, "--json", "--archive", str(archive.root))
    assert json.loads(out) == first


def test_show_by_index_id_from_query(archive, cli):
    code, out, _ = cli("query", "--archive", str(archive.root), "--text", "lander", "--fields", "id",
                       "--format", "jsonl")
    index_id = json.loads(out)["id"]
    code, out, _ = cli("show", str(index_id), "--json", "--archive", str(archive.root))
    assert json.loads(out)["url"] == "https://orbitdaily.test/lunar-lander-delay"


def test_raw_payload_digest_matches_the_record_for_every_article(archive, cli_bytes):
    cli_bytes("index", str(archive.root))
    for record in archive.records:
        code, out, err = cli_bytes("show", record["warc"]["record_id"], "--raw", "--payload",
                                   "--archive", str(archive.root))
        assert code == 0, err
        assert sha1_b32(out) == record["warc"]["payload_digest"]


def test_raw_undoes_gzip_and_prints_headers(archive, cli_bytes):
    record = record_for(archive, QUASAR, None)  # the first capture was served gzip-encoded
    code, out, err = cli_bytes("show", QUASAR, "--revision", "0", "--raw", "--archive", str(archive.root))
    assert code == 0
    head, _, body = out.partition(b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n")
    assert head.startswith(b"HTTP/1.1 200 OK")
    assert b"Content-Encoding: gzip" in head
    assert body == archive.bodies[record["warc"]["record_id"]]
    assert "body decoded as utf-8" in err


def test_raw_applies_the_charset(archive, cli_bytes):
    record = record_for(archive, ROUTER)
    code, out, err = cli_bytes("show", ROUTER, "--raw", "--archive", str(archive.root))
    assert code == 0
    assert archive.bodies[record["warc"]["record_id"]].count("Curaçao".encode("latin-1")) == 1
    assert out.count("Curaçao".encode("utf-8")) == 1  # decoded from Latin-1, printed as UTF-8
    assert "cp1252" in err or "latin" in err or "iso-8859-1" in err


def test_raw_reports_a_pointer_that_does_not_match(archive, cli_bytes):
    path = archive.jsonl("bytebulletin", "20261110T120000Z")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    lines[0]["warc"]["payload_digest"] = "sha1:" + "A" * 32
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, out, err = cli_bytes("show", lines[0]["url"], "--raw", "--archive", str(archive.root))
    assert code == 1 and "does not match the record's sha1:AAAA" in err
    lines[1]["warc"]["offset"] = 3  # the middle of a gzip member
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    code, out, err = cli_bytes("show", lines[1]["url"], "--raw", "--archive", str(archive.root))
    assert code == 3 and "offset 3" in err and "Traceback" not in err


def test_replay_url(archive, cli):
    code, out, _ = cli("show", QUASAR, "--replay-url", "--archive", str(archive.root))
    assert out.strip() == f"http://127.0.0.1:8080/newsarchive/20261115080100/{QUASAR}"  # newsarchive replay's default
    code, out, _ = cli("show", QUASAR, "--replay-url", "--pywb", "http://127.0.0.1:9999/", "--collection", "gw",
                       "--revision", "0", "--archive", str(archive.root))
    assert out.strip() == f"http://127.0.0.1:9999/gw/20261101080100/{QUASAR}"


def test_unknown_article_exits_1_and_bad_options_exit_2(archive, cli):
    code, _, err = cli("show", "https://nowhere.test/", "--archive", str(archive.root))
    assert code == 1 and "no article" in err
    code, _, err = cli("show", QUASAR, "--payload", "--archive", str(archive.root))
    assert code == 2 and "--payload goes with --raw" in err


def test_every_latest_record_is_reachable_by_url(archive, cli):
    for record in latest(archive.records):
        code, out, _ = cli("show", record["url"], "--json", "--archive", str(archive.root))
        assert json.loads(out) == record
