"""Sitemap reading at hostile sizes: peak memory and time for one gzip sitemap of 800,000 URLs.

    python -m bench.listings [--urls N]

Each reading runs in its own child process, side by side in one run; its memory is the child's peak RSS
while reading (VmHWM, reset after the imports) less its RSS before reading:
- (a) whole tree: gunzip the body, parse it with lxml in one piece, then read every entry (how
      sitemaps were read before crawl/discover.py streamed them);
- (b) streaming, capped: crawl/discover.parse_xml_listing with SITEMAP_MAX_URLS (50,000), as a crawl reads it;
- (c) streaming, no cap: the same reader taking every entry.
Writes bench/out/listings.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out" / "listings.json"
MODES = {"whole_tree": "(a) whole tree (lxml, one piece)", "streaming_capped": "(b) streaming, SITEMAP_MAX_URLS",
         "streaming_all": "(c) streaming, every entry"}


def write_sitemap(path: Path, urls: int) -> None:
    entries = "".join(f"<url><loc>https://news.example/a/{n}</loc><lastmod>2026-11-{1 + n % 28:02d}</lastmod></url>"
                      for n in range(urls))
    body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    path.write_bytes(gzip.compress(body.encode(), compresslevel=9))


def status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the high-water mark) of this process, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Start the high-water mark afresh (Linux >= 4.0), so imports' passing peaks are not counted."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def read(mode: str, path: Path) -> dict:
    """Run in the child: read the sitemap one way; entries kept, seconds, peak RSS and RSS above the imports."""
    from lxml import etree

    from newsarchive import settings
    from newsarchive.base.dates import parse_date
    from newsarchive.crawl.discover import Entry, parse_xml_listing

    body = path.read_bytes()
    reset_peak()
    before = status_mb("VmRSS")
    started = time.perf_counter()
    if mode == "whole_tree":
        root = etree.fromstring(gzip.decompress(body), parser=etree.XMLParser(recover=True, resolve_entities=False,
                                                                               huge_tree=True))
        entries = [Entry(url.findtext("{*}loc"), parse_date(url.findtext("{*}lastmod"))) for url in root]
    else:
        cap = settings.SITEMAP_MAX_URLS if mode == "streaming_capped" else None
        entries = parse_xml_listing(body, "https://news.example/sitemap.xml.gz", max_entries=cap,
                                    max_size=settings.DOWNLOAD_MAXSIZE).entries
    seconds = time.perf_counter() - started
    peak = status_mb("VmHWM")
    return {"entries": len(entries), "seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1),
            "reading_mb": round(peak - before, 1)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.listings")
    parser.add_argument("--urls", type=int, default=800_000)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(read(args.child[0], Path(args.child[1]))))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sitemap.xml.gz"
        write_sitemap(path, args.urls)
        size = path.stat().st_size
        results = {}
        for mode in MODES:
            proc = subprocess.run([sys.executable, "-m", "bench.listings", "--child", mode, str(path)],
                                  capture_output=True, text=True, check=True)
            results[mode] = json.loads(proc.stdout)
    print(f"one gzip sitemap: {args.urls:,} URLs, {size / 1e6:.1f} MB gzipped")
    print(f"{'reading':<40} {'entries':>9} {'seconds':>8} {'peak RSS':>10} {'of which reading':>17}")
    for mode, label in MODES.items():
        r = results[mode]
        print(f"{label:<40} {r['entries']:>9,} {r['seconds']:>8.2f} {r['peak_rss_mb']:>7.1f} MB "
              f"{r['reading_mb']:>14.1f} MB")
    whole, capped, every = results["whole_tree"], results["streaming_capped"], results["streaming_all"]
    print(f"memory for reading (b)/(a) = {capped['reading_mb'] / whole['reading_mb']:.3f}, "
          f"(c)/(a) = {every['reading_mb'] / whole['reading_mb']:.3f}; "
          f"time (b)/(a) = {capped['seconds'] / max(whole['seconds'], 0.01):.2f}, "
          f"(c)/(a) = {every['seconds'] / max(whole['seconds'], 0.01):.2f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"urls": args.urls, "gzip_bytes": size, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
