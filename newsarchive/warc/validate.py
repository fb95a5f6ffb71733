"""The validation gate (docs/architecture.md, "WARC conventions"): gzip integrity, warcio digests, a strict
lint, and references.

`warcio check` verifies digests but passes a truncated file; `gzip -t` sees truncation but not WARC
rules. This checks both and the project's conventions, record by record, and reports each problem as
`path:offset: message`. Then the references between records and files (`check_references`): every
revisit's target and every metadata record's subject is in the archive, and every `articles.jsonl`
pointer leads to the response it names. The archive searched is the files named plus, for a file in
the archive layout (<spider>/<crawl-id>/warc/), every crawl of the same spider: a revisit may repeat
a capture of an earlier crawl.
"""
from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader

from warcio.timeutils import iso_date_to_datetime

from newsarchive.base import layout
from newsarchive.warc import cdxj
from newsarchive.warc.archive import WarcArchive
from newsarchive.warc.members import scan_members
from newsarchive.warc.pointer import WarcPointer
from newsarchive.warc.reader import RecordNotFound, find_warc_files, read_record
from newsarchive.warc.records import IDENTICAL_PAYLOAD_DIGEST, SERVER_NOT_MODIFIED, TRUNCATED_REASONS, WARC_VERSION
from newsarchive.warc.repair import crawl_dir_of, record_ids
from newsarchive.warc.writer import OPEN_SUFFIX, cdxj_path_for

SHA1_BASE32 = re.compile(r"^sha1:[A-Z2-7]{32}$")
_READ_SIZE = 1 << 20


@dataclass(frozen=True)
class Problem:
    """One rule broken at one place. `offset` is the record's byte offset, None for the whole file."""

    path: str
    offset: int | None
    message: str
    rule: str

    def __str__(self) -> str:
        where = self.path if self.offset is None else f"{self.path}:{self.offset}"
        return f"{where}: {self.message}"


@dataclass
class _Seen:
    """What later checks (pairs, CDXJ, references) need to know about a record."""

    offset: int
    length: int
    rec_type: str
    record_id: str | None
    target_uri: str | None
    payload_digest: str | None
    concurrent_to: str | None
    date: str | None = None
    refers_to: str | None = None
    refers_to_uri: str | None = None
    refers_to_date: str | None = None


@dataclass
class FileResult:
    path: Path
    records: int = 0
    problems: list[Problem] = field(default_factory=list)
    record_ids: set[str] = field(default_factory=set, repr=False)
    references: list[_Seen] = field(default_factory=list, repr=False)  # its revisit and metadata records


def validate_paths(paths: Iterable[Path | str], *, require_cdxj: bool = True) -> list[Problem]:
    """Every problem in the WARC files under `paths`, and in their references (an empty list means they
    pass the gate)."""
    paths = list(paths)
    results = validate_files(find_warc_files(paths), require_cdxj=require_cdxj)
    return [problem for result in results for problem in result.problems] + check_references(results, paths)


def validate_files(files: Iterable[Path], *, require_cdxj: bool = True) -> list[FileResult]:
    return [validate_file(path, require_cdxj=require_cdxj) for path in files]


def validate_file(path: Path | str, *, require_cdxj: bool = True) -> FileResult:
    """Check one WARC file (gzipped or not) and, when there is one, the CDXJ index beside it."""
    path = Path(path)
    result = FileResult(path)
    name = str(path)

    def problem(offset: int | None, rule: str, message: str) -> None:
        result.problems.append(Problem(name, offset, message, rule))

    if path.name.endswith(OPEN_SUFFIX):
        problem(None, "open-file", "still has its .open suffix: a crawl is writing it, or crashed "
                                   "(the next crawl of this spider and crawl id repairs it)")
    limit = path.stat().st_size
    member_offsets: set[int] | None = None
    if ".gz" in path.suffixes:
        scan = scan_members(path)
        member_offsets = {offset for offset, _ in scan.members}
        if scan.error:
            problem(scan.error_offset, "gzip", scan.error)
            limit = scan.good_size
    seen = _lint_records(path, limit, member_offsets, problem)
    result.records = len(seen)
    result.record_ids = {record.record_id for record in seen if record.record_id}
    result.references = [record for record in seen if record.rec_type in ("revisit", "metadata")]
    _check_pairs(seen, problem)
    _check_cdxj(path, seen, require_cdxj, problem)
    return result


def _lint_records(path: Path, limit: int, member_offsets: set[int] | None, problem) -> list[_Seen]:
    seen: list[_Seen] = []
    warcinfo_id = warcinfo_date = None
    with open(path, "rb") as raw:
        records = ArchiveIterator(LimitReader(raw, limit), check_digests=True)
        try:
            for record in records:
                stored = _drain(record.raw_stream)  # first: asking for the offset would skip the payload
                records.read_to_end(record)
                offset, length = records.get_record_offset(), records.get_record_length()
                headers = record.rec_headers
                rec_type = record.rec_type
                date = headers.get_header("WARC-Date")
                if not seen:
                    if rec_type == "warcinfo":
                        warcinfo_id, warcinfo_date = headers.get_header("WARC-Record-ID"), date
                    else:
                        problem(offset, "warcinfo-first", f"first record is {rec_type!r}, not 'warcinfo'")
                elif warcinfo_date and date and _before(date, warcinfo_date):
                    problem(offset, "warcinfo-first", f"WARC-Date {date} is before the file's warcinfo record "
                                                      f"({warcinfo_date})")
                if member_offsets is not None and offset not in member_offsets:
                    problem(offset, "gzip-member", "record does not start its own gzip member")
                for message, rule in _lint_record(record, stored, warcinfo_id, is_first=not seen):
                    problem(offset, rule, message)
                for failure in record.digest_checker.problems if record.digest_checker.passed is False else ():
                    problem(offset, "digest", failure)
                seen.append(_Seen(offset, length, rec_type, headers.get_header("WARC-Record-ID"),
                                  headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Payload-Digest"),
                                  headers.get_header("WARC-Concurrent-To"), date,
                                  headers.get_header("WARC-Refers-To"), headers.get_header("WARC-Refers-To-Target-URI"),
                                  headers.get_header("WARC-Refers-To-Date")))
        except (ArchiveLoadFailed, ValueError, EOFError, OSError, zlib.error) as exc:
            at = seen[-1].offset + seen[-1].length if seen else 0
            message = " ".join(str(exc).split()) or type(exc).__name__
            if "non-chunked gzip" in message:  # warcio's words for several records in one member
                problem(at, "gzip-member", "several records share one gzip member (each must be its own)")
            else:
                problem(at, "parse", f"unreadable WARC data: {message[:300]}")
    if not seen:
        problem(None, "empty", "no WARC record could be read")
    return seen


def _before(date: str, other: str) -> bool:
    try:
        return iso_date_to_datetime(date) < iso_date_to_datetime(other)
    except ValueError:
        return False  # an unreadable date is the lint's to report, not this rule's


def _drain(stream) -> int:
    """Read a record's payload to its end (digests are checked as it is read); returns its length."""
    total = 0
    while chunk := stream.read(_READ_SIZE):
        total += len(chunk)
    return total


def _lint_record(record, stored: int, warcinfo_id: str | None, *, is_first: bool) -> list[tuple[str, str]]:
    """(message, rule) for each convention one record breaks."""
    found: list[tuple[str, str]] = []
    headers, rec_type = record.rec_headers, record.rec_type
    if headers.protocol != WARC_VERSION:
        found.append((f"record is {headers.protocol}, not {WARC_VERSION}", "warc-version"))
    if rec_type != "warcinfo":
        own_info = headers.get_header("WARC-Warcinfo-ID")
        if not own_info:
            found.append(("no WARC-Warcinfo-ID", "warcinfo-id"))
        elif warcinfo_id and own_info != warcinfo_id:
            found.append((f"WARC-Warcinfo-ID {own_info} is not this file's warcinfo record ({warcinfo_id})",
                          "warcinfo-id"))
    elif not is_first:
        found.append(("a second warcinfo record inside the file", "warcinfo-first"))
    block = headers.get_header("WARC-Block-Digest")
    if not block:
        found.append(("no WARC-Block-Digest", "digest-format"))
    elif not SHA1_BASE32.match(block):
        found.append((f"WARC-Block-Digest {block!r} is not sha1:BASE32", "digest-format"))
    payload = headers.get_header("WARC-Payload-Digest")
    if payload and not SHA1_BASE32.match(payload):
        found.append((f"WARC-Payload-Digest {payload!r} is not sha1:BASE32", "digest-format"))
    truncated = headers.get_header("WARC-Truncated")
    if truncated and truncated not in TRUNCATED_REASONS:
        found.append((f"WARC-Truncated {truncated!r} is not one of {', '.join(TRUNCATED_REASONS)}", "truncated"))
    if rec_type in ("response", "request", "revisit"):
        found.extend(_lint_http(record, stored))
    if rec_type == "response" and not payload:
        found.append(("response has no WARC-Payload-Digest", "digest-format"))
    if rec_type in ("response", "request") and not headers.get_header("WARC-IP-Address"):
        found.append((f"{rec_type} has no WARC-IP-Address", "ip-address"))
    if rec_type == "revisit":
        found.extend(_lint_revisit(headers, record.http_headers))
    elif rec_type == "metadata":
        if not (headers.get_header("WARC-Refers-To") or headers.get_header("WARC-Concurrent-To")):
            found.append(("metadata record names no record it is about (WARC-Refers-To)", "metadata"))
    return found


def _lint_http(record, stored: int) -> list[tuple[str, str]]:
    found = []
    headers, rec_type, http = record.rec_headers, record.rec_type, record.http_headers
    msgtype = "request" if rec_type == "request" else "response"
    content_type = re.sub(r"\s+", "", (headers.get_header("Content-Type") or "")).lower()
    if content_type != f"application/http;msgtype={msgtype}":
        found.append((f"Content-Type is {headers.get_header('Content-Type')!r}, "
                      f"not 'application/http;msgtype={msgtype}'", "content-type"))
    if not headers.get_header("WARC-Target-URI"):
        found.append((f"{rec_type} has no WARC-Target-URI", "target-uri"))
    if http is None or not (http.statusline or http.protocol):
        if rec_type != "revisit":  # a revisit may hold no block at all (_lint_revisit)
            found.append((f"{rec_type} holds no HTTP message", "http"))
        return found
    names = [name.lower() for name, _ in http.headers]
    transfer = ",".join(value for name, value in http.headers if name.lower() == "transfer-encoding")
    if "chunked" in transfer.lower():
        found.append(("stored HTTP headers say Transfer-Encoding: chunked, but WARC bodies are stored de-chunked "
                      "(keep it as X-Archive-Orig-Transfer-Encoding)", "chunked"))
    lengths = [value.strip() for name, value in http.headers if name.lower() == "content-length"]
    if len(set(lengths)) > 1:
        found.append((f"conflicting HTTP Content-Length headers {lengths}", "content-length"))
    elif (lengths and rec_type != "revisit" and lengths[0] != str(stored)
          and not headers.get_header("WARC-Truncated")):
        found.append((f"HTTP Content-Length {lengths[0]} does not match the {stored} body bytes stored",
                      "content-length"))
    if rec_type == "request" and "host" not in names:
        found.append(("request has no Host header", "host"))
    return found


def _lint_revisit(headers, http) -> list[tuple[str, str]]:
    found = []
    profile = headers.get_header("WARC-Profile")
    has_head = http is not None and bool(http.statusline or http.protocol)
    if profile == SERVER_NOT_MODIFIED and has_head:
        found.append(("server-not-modified revisit holds an HTTP head: replay tools serve it (a 304 with no body) "
                      "instead of the capture it refers to; keep it in a metadata record", "revisit"))
    if has_head and headers.get_header("WARC-Truncated") != "length":
        found.append(("revisit holds an HTTP head without its payload but no WARC-Truncated: length", "revisit"))
    if not profile:
        found.append(("revisit has no WARC-Profile", "revisit"))
    for name in ("WARC-Refers-To-Target-URI", "WARC-Refers-To-Date"):
        if not headers.get_header(name):
            found.append((f"revisit has no {name}", "revisit"))
    if profile and profile.endswith("/revisit/identical-payload-digest"):
        if not headers.get_header("WARC-Payload-Digest"):
            found.append(("identical-payload-digest revisit has no WARC-Payload-Digest", "revisit"))
        if profile != IDENTICAL_PAYLOAD_DIGEST and headers.protocol == WARC_VERSION:
            found.append((f"WARC/1.1 revisit uses the profile URI {profile}", "revisit"))
    return found


def _check_pairs(seen: list[_Seen], problem) -> None:
    for index, record in enumerate(seen):
        if record.rec_type != "response":
            continue
        following = seen[index + 1] if index + 1 < len(seen) else None
        if following is None or following.rec_type != "request":
            problem(record.offset, "pair", "response is not followed by its request record")
        elif following.concurrent_to != record.record_id:
            problem(following.offset, "pair", f"request after response {record.record_id} has WARC-Concurrent-To "
                                              f"{following.concurrent_to}")


def _check_cdxj(path: Path, seen: list[_Seen], require: bool, problem) -> None:
    index = cdxj_path_for(path)
    if not index.exists():
        if require:
            problem(None, "cdxj", f"no CDXJ index beside it ({index.name})")
        return
    final_name = path.name.removesuffix(OPEN_SUFFIX)
    by_offset = {record.offset: record for record in seen}
    indexed: set[int] = set()
    with open(index, "rb") as fh:
        raw_lines = fh.read().splitlines()
    if not path.name.endswith(OPEN_SUFFIX) and raw_lines != sorted(raw_lines):
        problem(None, "cdxj", f"{index.name} is not sorted (pywb binary-searches its indexes)")
    with open(index, encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip() or line.startswith("!"):
                continue
            where = f"{index.name} line {number}"
            try:
                entry = cdxj.parse_line(line)
            except cdxj.CdxjSyntaxError as exc:
                problem(None, "cdxj", f"{where}: {exc}")
                continue
            record = by_offset.get(entry.offset)
            if entry.filename != final_name:
                problem(entry.offset, "cdxj", f"{where}: filename {entry.filename!r} is not {final_name!r}")
            if record is None:
                problem(entry.offset, "cdxj", f"{where}: no record starts at offset {entry.offset}")
                continue
            indexed.add(entry.offset)
            if entry.length != record.length:
                problem(entry.offset, "cdxj", f"{where}: length {entry.length} but the record is {record.length} bytes")
            if entry.url != record.target_uri:
                problem(entry.offset, "cdxj", f"{where}: url {entry.url!r} but the record is {record.target_uri!r}")
            if entry.urlkey != cdxj.urlkey(entry.url):
                problem(entry.offset, "cdxj", f"{where}: key {entry.urlkey!r} is not the SURT of its url")
            if entry.payload_digest != record.payload_digest:
                problem(entry.offset, "cdxj", f"{where}: digest {entry.digest} but the record has "
                                              f"{record.payload_digest}")
    for record in seen:
        if record.rec_type in cdxj.INDEXED_TYPES and record.offset not in indexed:
            problem(record.offset, "cdxj", f"{record.rec_type} record has no line in {index.name}")


# ---------------------------------------------------------------------------------------- references


def search_paths(files: Iterable[Path]) -> list[Path]:
    """The files a reference may lead to: `files`, plus every crawl's WARC folder of each file's spider."""
    found: set[Path] = set(files)
    for path in files:
        crawl_dir = crawl_dir_of(path)
        if crawl_dir is not None:
            found.update(crawl_dir.parent.glob(f"*/{layout.WARC_SUBDIR}"))
    return sorted(found)


def articles_files(results: list[FileResult], paths: Iterable[Path | str]) -> list[Path]:
    """The articles.jsonl files to check: under every folder named, and of every crawl a WARC belongs to."""
    found: set[Path] = set()
    for entry in map(Path, paths):
        if entry.is_dir():
            found.update(entry.rglob(layout.ARTICLES_FILE))
        elif entry.name == layout.ARTICLES_FILE and entry.is_file():
            found.add(entry)
    for result in results:
        crawl_dir = crawl_dir_of(result.path)
        if crawl_dir is not None and (crawl_dir / layout.ARTICLES_FILE).is_file():
            found.add(crawl_dir / layout.ARTICLES_FILE)
    return sorted(found)


def check_references(results: list[FileResult], paths: Iterable[Path | str] = ()) -> list[Problem]:
    """Dangling references: revisits whose target, metadata records whose subject, and articles.jsonl lines
    whose pointer the archive does not hold (see the module docstring for where it looks)."""
    paths = list(paths)
    problems: list[Problem] = []
    archive = WarcArchive(search_paths([result.path for result in results]) or [])
    known_ids = set().union(*(result.record_ids for result in results))
    other_ids: set[str] | None = None  # record ids of the other files searched, read only when needed
    for result in results:
        for record in result.references:
            if record.rec_type == "revisit" and record.refers_to_uri:
                target = archive.referred_to(record.refers_to_uri, record.refers_to_date, record.refers_to,
                                             record.payload_digest)
                if target is None:
                    problems.append(Problem(str(result.path), record.offset, (
                        f"revisit refers to {record.refers_to or 'a capture'} of {record.refers_to_uri} at "
                        f"{record.refers_to_date}, which the archive does not hold"), "reference"))
            elif record.rec_type == "metadata" and record.refers_to and record.refers_to not in known_ids:
                if other_ids is None:
                    validated = {r.path for r in results}
                    other_ids = set().union(*(_ids_of(path) for path in archive.files if path not in validated))
                if record.refers_to not in other_ids:
                    problems.append(Problem(str(result.path), record.offset,
                                            f"metadata record refers to {record.refers_to}, which the archive "
                                            "does not hold", "reference"))
    for articles in articles_files(results, paths):
        problems.extend(check_article_pointers(articles))
    return problems


def _ids_of(path: Path) -> set[str]:
    try:
        return record_ids(path)
    except (ArchiveLoadFailed, ValueError, EOFError, OSError, zlib.error):
        return set()  # an unreadable file is reported when it is validated itself


def _locate(warc_dir: Path, filename: str) -> Path:
    """A pointer's file: in the crawl's own warc/ folder, else in another crawl of the spider (a crawl
    replayed from the archive points at the captures it replayed)."""
    own = warc_dir / filename
    if own.exists() or own.with_name(own.name + OPEN_SUFFIX).exists():
        return own
    elsewhere = sorted(warc_dir.parent.parent.glob(f"*/{layout.WARC_SUBDIR}/{filename}"))
    return elsewhere[0] if elsewhere else own


def check_article_pointers(articles: Path) -> list[Problem]:
    """Each line of an articles.jsonl must point (`warc`) at a response of its URL with its payload digest,
    in its crawl's warc/ folder; a pointer at a revisit must lead on to such a response."""
    problems = []
    warc_dir = articles.parent / layout.WARC_SUBDIR
    archive = None
    with open(articles, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue

            def problem(message: str) -> None:
                problems.append(Problem(f"{articles} line {number}", None, message, "pointer"))

            try:
                record = json.loads(line)
            except ValueError:
                problem("not a JSON record")
                continue
            pointer = WarcPointer.from_dict(record.get("warc") if isinstance(record, dict) else None)
            if pointer is None:
                problem("no WARC pointer (`warc`): the record leads back to no bytes")
                continue
            url = record.get("url")
            try:
                found = read_record(_locate(warc_dir, pointer.filename), pointer.offset)
            except RecordNotFound as exc:
                problem(f"pointer to {pointer.filename} at {pointer.offset} leads nowhere: {exc}")
                continue
            headers = found.rec_headers
            if headers.get_header("WARC-Record-ID") != pointer.record_id:
                problem(f"pointer names {pointer.record_id}, but {headers.get_header('WARC-Record-ID')} is at "
                        f"offset {pointer.offset} of {pointer.filename}")
            elif headers.get_header("WARC-Target-URI") != url:
                problem(f"pointer leads to a record of {headers.get_header('WARC-Target-URI')}, not of {url}")
            elif found.rec_type not in ("response", "revisit"):
                problem(f"pointer leads to a {found.rec_type!r} record, not a response")
            elif pointer.payload_digest and headers.get_header("WARC-Payload-Digest") != pointer.payload_digest:
                problem(f"pointer's payload digest {pointer.payload_digest} is not the record's "
                        f"{headers.get_header('WARC-Payload-Digest')}")
            elif found.rec_type == "revisit":
                archive = archive or WarcArchive(search_paths(find_warc_files([warc_dir])))
                if archive.referred_to(headers.get_header("WARC-Refers-To-Target-URI"),
                                       headers.get_header("WARC-Refers-To-Date"), headers.get_header("WARC-Refers-To"),
                                       headers.get_header("WARC-Payload-Digest")) is None:
                    problem("pointer leads to a revisit whose target the archive does not hold")
    return problems
