"""The validation gate catches each rule broken on purpose, and the CLI reports it as documented."""
from __future__ import annotations

import io
import json
import shutil
import zlib
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder

from newsarchive.warc import cdxj, records
from newsarchive.warc.members import scan_members
from newsarchive.warc.records import SERVER_NOT_MODIFIED, RecordSerializer
from newsarchive.warc.validate import validate_file, validate_paths
from newsarchive.warc.writer import RollingWarcWriter, cdxj_path_for, gzip_member
from tests.conftest import run_cli
from tests.warc.conftest import gzip_test, warcio_check
from tests.warc.exchanges import BASE, FIRST_DATE, WARCINFO, exchange, write_sample


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    writer, _ = write_sample(tmp_path_factory.mktemp("pristine"))
    return writer.files[0]


@pytest.fixture
def warc(pristine, tmp_path) -> Path:
    """A private copy of a valid WARC and its CDXJ, to break."""
    for source in (pristine, cdxj_path_for(pristine)):
        shutil.copy(source, tmp_path / source.name)
    return tmp_path / pristine.name


def members(path: Path) -> list[bytes]:
    data = path.read_bytes()
    return [data[offset:offset + length] for offset, length in scan_members(path).members]


def raw_records(path: Path) -> list[bytes]:
    return [zlib.decompress(member, zlib.MAX_WBITS | 16) for member in members(path)]


def index_of(path: Path, rec_type: str, uri_end: str = "") -> int:
    for number, raw in enumerate(raw_records(path)):
        record = next(ArchiveIterator(io.BytesIO(raw)))
        if record.rec_type == rec_type and (record.rec_headers.get_header("WARC-Target-URI") or "").endswith(uri_end):
            return number
    raise LookupError(rec_type)


def rebuild(path: Path, raws: list[bytes], *, reindex: bool = True) -> None:
    """Write `raws` back as one gzip member each; refresh the CDXJ so only the intended rule breaks."""
    path.write_bytes(b"".join(gzip_member(raw, 6) for raw in raws))
    if reindex:
        cdxj.write_index(cdxj_path_for(path), cdxj.index_warc(path, path.name.removesuffix(".open")))


def edit_record(path: Path, number: int, edit) -> None:
    """Apply `edit(rec_headers, http_headers)` to one record and re-serialize it with fresh, correct digests."""
    raws = raw_records(path)
    record = next(ArchiveIterator(io.BytesIO(raws[number])))
    payload = record.raw_stream.read()
    edit(record.rec_headers, record.http_headers)
    for name in ("WARC-Block-Digest", "Content-Length"):
        record.rec_headers.remove_header(name)
    if record.rec_type != "revisit":
        record.rec_headers.remove_header("WARC-Payload-Digest")
    rebuilt = RecordBuilder(warc_version=record.rec_headers.protocol).create_warc_record(
        record.rec_headers.get_header("WARC-Target-URI"), record.rec_type, payload=io.BytesIO(payload),
        length=len(payload), warc_headers=record.rec_headers, http_headers=record.http_headers,
        warc_content_type=record.rec_headers.get_header("Content-Type"))
    raws[number] = RecordSerializer().to_bytes(rebuilt)
    rebuild(path, raws)


def rules(path: Path, **options) -> set[str]:
    return {problem.rule for problem in validate_file(path, **options).problems}


def test_pristine_file_passes(warc):
    assert validate_file(warc).problems == []


def test_truncated_gzip_member_is_caught_where_warcio_check_is_not(warc):
    last_offset, _ = scan_members(warc).members[-1]
    data = warc.read_bytes()
    warc.write_bytes(data[:last_offset + 20])
    problems = validate_file(warc).problems
    assert any(p.rule == "gzip" and p.offset == last_offset and "truncated" in p.message for p in problems)
    assert gzip_test(warc).returncode != 0


def test_corrupt_crc(warc):
    data = bytearray(warc.read_bytes())
    _, length = scan_members(warc).members[0]
    data[length - 6] ^= 0xFF  # inside the first member's CRC-32
    warc.write_bytes(bytes(data))
    problems = validate_file(warc).problems
    assert problems[0].rule == "gzip" and problems[0].offset == 0 and "corrupt" in problems[0].message


def test_garbage_after_the_last_member(warc):
    with open(warc, "ab") as fh:
        fh.write(b"this is not gzip")
    problems = validate_file(warc).problems
    assert [p.rule for p in problems] == ["gzip"] and problems[0].offset == scan_members(warc).good_size


def test_wrong_payload_digest(warc):
    raws = raw_records(warc)
    number = index_of(warc, "response", "/plain")
    raws[number] = raws[number].replace(b"Writers keep every byte", b"Writers lose every byte")
    rebuild(warc, raws)
    problems = [p for p in validate_file(warc).problems if p.rule == "digest"]
    assert any("payload digest failed" in p.message for p in problems)
    assert warcio_check(warc).returncode == 1  # the gate agrees with warcio here


def test_response_without_its_request(warc):
    raws = raw_records(warc)
    number = index_of(warc, "response", "/plain")
    del raws[number + 1]
    rebuild(warc, raws)
    assert rules(warc) == {"pair"}


def test_request_not_concurrent_to_its_response(warc):
    number = index_of(warc, "response", "/plain") + 1
    edit_record(warc, number, lambda h, _: h.replace_header("WARC-Concurrent-To", "<urn:uuid:00000000-0000-0000-0000-000000000000>"))
    assert rules(warc) == {"pair"}


def test_chunked_transfer_encoding_in_stored_headers(warc):
    edit_record(warc, index_of(warc, "response", "/chunked"),
                lambda _, http: http.add_header("Transfer-Encoding", "chunked"))
    assert rules(warc) == {"chunked"}


def test_content_length_not_matching_the_stored_body(warc):
    edit_record(warc, index_of(warc, "response", "/plain"),
                lambda _, http: http.replace_header("Content-Length", "99999"))
    assert rules(warc) == {"content-length"}


def test_request_without_host(warc):
    edit_record(warc, index_of(warc, "request", "/plain"), lambda _, http: http.remove_header("Host"))
    assert rules(warc) == {"host"}


def test_response_without_ip_address(warc):
    edit_record(warc, index_of(warc, "response", "/plain"), lambda h, _: h.remove_header("WARC-IP-Address"))
    assert rules(warc) == {"ip-address"}


def test_missing_and_foreign_warcinfo_id(warc):
    edit_record(warc, index_of(warc, "response", "/plain"), lambda h, _: h.remove_header("WARC-Warcinfo-ID"))
    assert rules(warc) == {"warcinfo-id"}
    edit_record(warc, index_of(warc, "response", "/plain"),
                lambda h, _: h.add_header("WARC-Warcinfo-ID", "<urn:uuid:00000000-0000-0000-0000-000000000001>"))
    assert rules(warc) == {"warcinfo-id"}


def test_warcinfo_not_first(warc):
    rebuild(warc, raw_records(warc)[1:])
    assert "warcinfo-first" in rules(warc)


def test_warc_1_0_record(warc):
    raws = raw_records(warc)
    number = index_of(warc, "metadata")
    raws[number] = raws[number].replace(b"WARC/1.1", b"WARC/1.0", 1)
    rebuild(warc, raws)
    assert rules(warc) == {"warc-version"}


def test_wrong_content_type(warc):
    edit_record(warc, index_of(warc, "request", "/plain"),
                lambda h, _: h.replace_header("Content-Type", "application/http;msgtype=response"))
    assert rules(warc) == {"content-type"}


def test_digest_that_is_not_sha1_base32(warc):
    edit_record(warc, index_of(warc, "revisit"), lambda h, _: h.replace_header("WARC-Payload-Digest", "md5:abc"))
    assert "digest-format" in rules(warc)


def test_revisit_without_refers_to_fields(warc):
    edit_record(warc, index_of(warc, "revisit"), lambda h, _: h.remove_header("WARC-Refers-To-Date"))
    assert rules(warc) == {"revisit"}


def test_metadata_that_refers_to_nothing(warc):
    edit_record(warc, index_of(warc, "metadata"), lambda h, _: h.remove_header("WARC-Refers-To"))
    assert rules(warc) == {"metadata"}


def test_bad_truncation_reason(warc):
    edit_record(warc, index_of(warc, "response", "/cut"), lambda h, _: h.replace_header("WARC-Truncated", "bored"))
    assert rules(warc) == {"truncated"}


def test_two_records_in_one_gzip_member(warc):
    raws = raw_records(warc)
    data = b"".join(gzip_member(raw, 6) for raw in raws[:-2]) + gzip_member(raws[-2] + raws[-1], 6)
    warc.write_bytes(data)
    assert "gzip-member" in rules(warc)


def test_open_file_is_reported(warc):
    opened = warc.with_name(warc.name + ".open")
    warc.rename(opened)
    assert rules(opened) == {"open-file"}


def test_cdxj_problems(warc):
    index = cdxj_path_for(warc)
    lines = index.read_text().splitlines(keepends=True)
    index.write_text("".join(lines[1:]))
    assert rules(warc) == {"cdxj"}  # a response without its line
    index.write_text("".join(lines).replace('"offset": "', '"offset": "1', 1))
    assert rules(warc) == {"cdxj"}  # a line pointing nowhere
    index.write_text("".join(reversed(lines)))
    assert [p.message for p in validate_file(warc).problems if "sorted" in p.message]
    index.unlink()
    assert rules(warc) == {"cdxj"}
    assert validate_file(warc, require_cdxj=False).problems == []


def test_validate_paths_searches_folders_recursively(warc, tmp_path):
    nested = tmp_path / "deep" / "er"
    nested.mkdir(parents=True)
    shutil.copy(warc, nested / warc.name)
    (nested / "notes.txt").write_text("not a WARC")
    problems = validate_paths([tmp_path])
    assert [p.rule for p in problems] == ["cdxj"] and problems[0].path.endswith(f"er/{warc.name}")


def test_cli_reports_one_line_per_problem_and_exits_1(warc):
    edit_record(warc, index_of(warc, "request", "/plain"), lambda _, http: http.remove_header("Host"))
    proc = run_cli("validate", str(warc.parent))
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    offset = next(p.offset for p in validate_file(warc).problems)
    assert lines[0] == f"{warc}:{offset}: request has no Host header"
    assert lines[-1] == "validated 1 WARC file, 20 records: 1 problem"


def test_cli_exit_codes_for_clean_missing_and_help(pristine, tmp_path):
    proc = run_cli("validate", str(pristine))
    assert proc.returncode == 0 and proc.stdout.strip() == "validated 1 WARC file, 20 records: ok"
    assert run_cli("validate", str(tmp_path / "nope")).returncode == 3
    assert run_cli("validate", str(tmp_path)).returncode == 1  # no WARC at all is not a pass
    help_text = run_cli("validate", "--help").stdout
    for word in ("gzip", "WARC-Concurrent-To", "Transfer-Encoding", "cdxj", "exit status"):
        assert word in help_text


def test_server_not_modified_revisit_holding_an_http_head(warc):
    edit_record(warc, index_of(warc, "revisit"), lambda h, _: h.replace_header("WARC-Profile", SERVER_NOT_MODIFIED))
    assert rules(warc) == {"revisit"}  # pywb would replay that head (a bodiless 304), not the original


def test_head_only_revisit_without_truncated_length(warc):
    edit_record(warc, index_of(warc, "revisit"), lambda h, _: h.remove_header("WARC-Truncated"))
    assert rules(warc) == {"revisit"}


def test_request_without_ip_address(warc):
    edit_record(warc, index_of(warc, "request", "/plain"), lambda h, _: h.remove_header("WARC-IP-Address"))
    assert rules(warc) == {"ip-address"}


def test_record_dated_before_its_warcinfo(warc):
    edit_record(warc, index_of(warc, "response", "/gone"),
                lambda h, _: h.replace_header("WARC-Date", "2001-01-01T00:00:00Z"))
    assert rules(warc) == {"warcinfo-first"}


def test_dangling_revisit_fails_validation(warc):
    edit_record(warc, index_of(warc, "revisit"),
                lambda h, _: h.replace_header("WARC-Refers-To-Date", "2001-01-01T00:00:00Z"))
    assert rules(warc) == set()  # every record is well formed on its own ...
    problems = validate_paths([warc])
    assert [p.rule for p in problems] == ["reference"]  # ... but the capture it repeats is nowhere
    proc = run_cli("validate", str(warc))
    assert proc.returncode == 1 and "which the archive does not hold" in proc.stdout


def test_revisit_whose_record_id_names_another_capture(warc):
    edit_record(warc, index_of(warc, "revisit"),
                lambda h, _: h.replace_header("WARC-Refers-To", "<urn:uuid:00000000-0000-0000-0000-000000000002>"))
    assert [p.rule for p in validate_paths([warc])] == ["reference"]


def test_metadata_about_a_record_the_archive_lacks(warc):
    edit_record(warc, index_of(warc, "metadata"),
                lambda h, _: h.replace_header("WARC-Refers-To", "<urn:uuid:00000000-0000-0000-0000-000000000003>"))
    assert rules(warc) == set() and [p.rule for p in validate_paths([warc])] == ["reference"]


def test_revisit_target_is_found_in_an_earlier_crawl_of_the_spider(tmp_path):
    first_dir = tmp_path / "unit" / "20261128T000000Z" / "warc"
    writer, pointers = write_sample(first_dir)
    request, response = exchange("/copy-later")
    with RollingWarcWriter(tmp_path / "unit" / "20261129T000000Z" / "warc", warcinfo_fields=WARCINFO) as later:
        revisit = records.revisit_record(response, date=records.warc_date(), payload_digest=pointers[0]["payload_digest"],
                                         refers_to_uri=BASE + "/plain", refers_to_date=FIRST_DATE,
                                         refers_to=pointers[0]["record_id"])
        later.write_exchange(revisit, records.request_record(request, response, date=records.warc_date()))
    assert validate_paths([later.files[0]]) == []  # the earlier crawl's files are searched too
    writer.files[0].unlink()
    assert [p.rule for p in validate_paths([later.files[0]])] == ["reference"]


def article_line(url: str, pointer: dict) -> str:
    return json.dumps({"url": url, "title": "x", "warc": pointer}) + "\n"


def test_articles_jsonl_pointers_must_lead_to_their_response(tmp_path):
    crawl_dir = tmp_path / "unit" / "20261129T000000Z"
    writer, pointers = write_sample(crawl_dir / "warc")
    plain, gone = pointers[0], pointers[5]
    articles = crawl_dir / "articles.jsonl"
    articles.write_text(article_line(BASE + "/plain", plain))
    assert validate_paths([tmp_path]) == [] and run_cli("validate", str(tmp_path)).returncode == 0
    broken = [
        article_line(BASE + "/plain", {**plain, "offset": plain["offset"] + 1}),  # lands mid-member
        article_line(BASE + "/plain", {**plain, "offset": gone["offset"]}),  # another record
        article_line(BASE + "/elsewhere", plain),  # another URL's record
        article_line(BASE + "/plain", {**plain, "payload_digest": gone["payload_digest"]}),  # other bytes
        article_line(BASE + "/plain", {**plain, "filename": "NEWSARCHIVE-lost.warc.gz"}),  # a file that is gone
        json.dumps({"url": BASE + "/plain", "warc": None}) + "\n",  # leads back to nothing
    ]
    for line in broken:
        articles.write_text(article_line(BASE + "/plain", plain) + line)
        problems = validate_paths([tmp_path])
        assert [p.rule for p in problems] == ["pointer"], line
        assert problems[0].path.endswith("articles.jsonl line 2")
    proc = run_cli("validate", str(tmp_path))
    assert proc.returncode == 1 and "articles.jsonl line 2" in proc.stdout
    # Validating one WARC of the crawl checks its crawl's articles.jsonl too.
    assert [p.rule for p in validate_paths([writer.files[0]])] == ["pointer"]
