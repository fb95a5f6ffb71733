"""WACZ 1.1.1: crawls packaged as one file that ReplayWeb.page, pywb and Browsertrix open (`newsarchive package`).

    archive/<the crawls' WARC files>        stored as they are (ZIP "store": no second compression)
    indexes/index.cdx.gz                    the crawls' CDXJ lines, merged, sorted, gzipped, stored
    pages/pages.jsonl                       one page per article record: id, url, ts, title, text
    datapackage.json                        every file above with its sha256 and size (Frictionless)
    datapackage-digest.json                 the sha256 of datapackage.json

Pages come from articles.jsonl, not from guessing: every article is a page, with the title and
the extracted text (the `text` field ReplayWeb.page's full-text search reads), at the timestamp of
the capture its record points to. The CDXJ lines are the crawl's own (warc/cdxj.py), whose
`filename` is the WARC file's name, which is also its name under archive/.

The crawl reports stay out: Frictionless (which `wacz validate` runs) reads any JSON resource with an
`errors` key as one of its own validation reports and rejects it. crawl.json stays beside the crawl.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from newsarchive.base import layout
from newsarchive.export.record import read_records
from newsarchive.warc import cdxj
from newsarchive.warc.writer import cdxj_path_for

WACZ_VERSION = "1.1.1"
PAGES_PATH = "pages/pages.jsonl"
INDEX_PATH = "indexes/index.cdx.gz"
CHUNK = 1024 * 1024


class PackageError(ValueError):
    """The crawls cannot be packaged as asked (two WARC files of one name, nothing to package)."""


@dataclass
class CrawlFolder:
    """One crawl's outputs: its WARC files (finished ones), its CDXJ indexes, its records and report."""

    path: Path
    warcs: list[Path] = field(default_factory=list)
    open_warcs: list[Path] = field(default_factory=list)

    @property
    def articles(self) -> Path:
        return self.path / layout.ARTICLES_FILE


def find_crawls(paths: Iterable[Path]) -> list[CrawlFolder]:
    """Crawl folders at or below each path (a crawl, a spider's folder, or a whole archive)."""
    found: dict[Path, CrawlFolder] = {}
    for root in paths:
        root = Path(root)
        if not root.exists():
            raise FileNotFoundError(f"{root} does not exist")
        candidates = [root] if (root / layout.WARC_SUBDIR).is_dir() else []
        candidates += sorted(p.parent for p in root.rglob(layout.WARC_SUBDIR) if p.is_dir() and p.parent != root)
        for crawl_dir in candidates:
            crawl_dir = crawl_dir.resolve()
            if crawl_dir in found:
                continue
            warc_dir = crawl_dir / layout.WARC_SUBDIR
            folder = CrawlFolder(crawl_dir, sorted(warc_dir.glob("*.warc.gz")), sorted(warc_dir.glob("*.warc.gz.open")))
            if folder.warcs:
                found[crawl_dir] = folder
    return list(found.values())


def page_entries(records: Iterable[dict]) -> list[dict]:
    """pages.jsonl lines for article records: one per record, in the order given."""
    pages = []
    for record in records:
        url, ts = record.get("url"), record.get("fetched_at")
        if not url or not ts:
            continue
        record_id = ((record.get("warc") or {}).get("record_id") or "").strip("<>").removeprefix("urn:uuid:")
        page = {"id": record_id or hashlib.sha1(f"{ts} {url}".encode()).hexdigest()[:24], "url": url, "ts": ts,
                "title": record.get("title") or url}
        if record.get("text"):
            page["text"] = record["text"]
        pages.append(page)
    return pages


def index_lines(warcs: list[Path]) -> list[bytes]:
    """The CDXJ lines of every WARC, from the index beside it (or read from the WARC when it has none)."""
    lines: list[bytes] = []
    for warc in warcs:
        index = cdxj_path_for(warc)
        entries = cdxj.read_entries(index) if index.is_file() else cdxj.index_warc(warc)
        lines += [cdxj.format_line(entry).encode("utf-8") for entry in entries]
    lines.sort()  # pywb and wabac.js binary-search the index
    return lines


@dataclass
class PackageSummary:
    path: Path
    warcs: int
    pages: int
    index_lines: int
    bytes: int
    skipped_open: list[Path]


class _Writer:
    """Adds files to the ZIP and remembers each one's sha256 and size for datapackage.json."""

    def __init__(self, zf: zipfile.ZipFile, created: datetime):
        self.zf = zf
        self.date_time = created.timetuple()[:6]
        self.resources: list[dict] = []

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add_bytes(self, name: str, data: bytes, *, compress: bool, listed: bool = True) -> None:
        self.zf.writestr(self._info(name, compress), data)
        if listed:
            self._list(name, hashlib.sha256(data).hexdigest(), len(data))

    def add_file(self, name: str, source: Path) -> None:
        """A WARC, stored as it is; hashed while it is copied, so it is read once."""
        digest, size = hashlib.sha256(), 0
        with open(source, "rb") as src, self.zf.open(self._info(name, False), "w", force_zip64=True) as dst:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                dst.write(chunk)
                size += len(chunk)
        self._list(name, digest.hexdigest(), size)

    def _list(self, name: str, sha256: str, size: int) -> None:
        self.resources.append({"name": os.path.basename(name).lower(), "path": name, "hash": f"sha256:{sha256}",
                               "bytes": size})


def write_wacz(crawls: list[CrawlFolder], out: Path, *, title: str | None = None, description: str | None = None,
               software: str = "newsarchive") -> PackageSummary:
    """Package `crawls` into `out` (written beside it, then moved into place: never half a file)."""
    warcs = [warc for crawl in crawls for warc in crawl.warcs]
    if not warcs:
        raise PackageError("no finished WARC files to package")
    names: dict[str, Path] = {}
    for warc in warcs:
        if warc.name in names:
            raise PackageError(f"two WARC files named {warc.name}: {names[warc.name]} and {warc}")
        names[warc.name] = warc
    records = [record for crawl in crawls for record in read_records(crawl.articles)]
    pages = page_entries(records)
    lines = index_lines(warcs)
    created = datetime.now(timezone.utc).replace(microsecond=0)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    try:
        with zipfile.ZipFile(tmp, "w", allowZip64=True) as zf:
            writer = _Writer(zf, created)
            for warc in warcs:
                writer.add_file(f"archive/{warc.name}", warc)
            writer.add_bytes(INDEX_PATH, gzip.compress(b"".join(lines), compresslevel=6, mtime=0), compress=False)
            header = {"format": "json-pages-1.0", "id": "pages", "title": "Articles", "hasText": True}
            pages_jsonl = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in [header, *pages])
            writer.add_bytes(PAGES_PATH, pages_jsonl.encode("utf-8"), compress=True)
            package = {
                "profile": "data-package",
                "wacz_version": WACZ_VERSION,
                "title": title or _default_title(crawls),
                "description": description or _default_description(crawls, len(pages)),
                "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "software": software,
                "resources": writer.resources,
            }
            newest = max(pages, key=lambda page: page["ts"], default=None)
            if newest is not None:
                package["mainPageUrl"], package["mainPageDate"] = newest["url"], newest["ts"]
            package_bytes = json.dumps(package, indent=2, ensure_ascii=False).encode("utf-8")
            writer.add_bytes("datapackage.json", package_bytes, compress=True, listed=False)
            digest = {"path": "datapackage.json", "hash": "sha256:" + hashlib.sha256(package_bytes).hexdigest()}
            writer.add_bytes("datapackage-digest.json", json.dumps(digest, indent=2).encode("utf-8"), compress=True,
                             listed=False)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return PackageSummary(out, len(warcs), len(pages), len(lines), out.stat().st_size,
                          [p for crawl in crawls for p in crawl.open_warcs])


def _default_title(crawls: list[CrawlFolder]) -> str:
    names = sorted({f"{c.path.parent.name}/{c.path.name}" for c in crawls})
    return "newsarchive crawl " + names[0] if len(names) == 1 else f"newsarchive crawls ({len(names)})"


def _default_description(crawls: list[CrawlFolder], pages: int) -> str:
    listed = ", ".join(sorted(f"{c.path.parent.name} {c.path.name}" for c in crawls)[:20])
    return (f"{pages} news articles archived by newsarchive, with their page requisites, from the crawls: {listed}. "
            "Each page is an article as extracted at crawl time; its text is searchable.")


def read_pages(wacz: Path) -> list[dict]:
    """The page lines of a WACZ (header left out): for tests and `newsarchive replay`."""
    with zipfile.ZipFile(wacz) as zf, zf.open(PAGES_PATH) as fh:
        lines = [json.loads(line) for line in io.TextIOWrapper(fh, encoding="utf-8") if line.strip()]
    return [line for line in lines if "format" not in line]
