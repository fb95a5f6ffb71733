"""The cost of wire-exact capture: a record-only crawl with the project's download handler (each
exchange's request and response head recorded byte for byte) against Scrapy's own handler (heads
rebuilt from Scrapy's parsed objects), side by side in one run, alternating, each in its own process.

    python -m bench.wire_capture [--pages 2000] [--rounds 3]

Same static site, server and settings as bench.crawl; no extraction, so the fetch and the WARC are
all that is timed. Results go to bench/out/wire_capture.json.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.crawl import OUT, crawl, free_port, static_server, write_site

MODES = ("warc-rebuilt", "warc-wire")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wire_capture", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3, help="runs of each mode, alternating")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-wire-"))
    work.chmod(0o755)  # nginx workers drop root and must read the pages
    try:
        port = free_port()
        urls = write_site(work / "site", args.pages, f"http://127.0.0.1:{port}/")
        results: dict[str, list[dict]] = {mode: [] for mode in MODES}
        with static_server(work / "site", port) as server:
            print(f"server: {server}", flush=True)
            for round_number in range(args.rounds):
                for mode in MODES if round_number % 2 == 0 else reversed(MODES):
                    result = crawl(mode, urls, work)
                    results[mode].append(result)
                    result["cpu_ms_per_page"] = round(1000 * result["cpu_s"] / max(result["pages"], 1), 3)
                    results[mode].append(result)
                    print(f"  {mode:<13} {result['pages']:>6} pages  {result['pages_per_s'] or 0:>7.1f} pages/s  "
                          f"CPU {result['cpu_ms_per_page']:>6.2f} ms/page  peak RSS {result['peak_rss_mb']:>6.1f} MB  "
                          f"heads recorded {result['recorded_heads']}", flush=True)
        median = {mode: statistics.median(r["pages_per_s"] or 0 for r in runs) for mode, runs in results.items()}
        cpu = {mode: statistics.median(r["cpu_ms_per_page"] for r in runs) for mode, runs in results.items()}
        summary = {"server": server, "pages": args.pages, "rounds": args.rounds, "results": results,
                   "median_pages_per_s": median, "median_cpu_ms_per_page": cpu,
                   "wire_over_rebuilt_pages_per_s": round(median["warc-wire"] / median["warc-rebuilt"], 3),
                   "wire_over_rebuilt_cpu_per_page": round(cpu["warc-wire"] / cpu["warc-rebuilt"], 3)}
        print(f"  median pages/s: rebuilt {median['warc-rebuilt']:.1f}, wire {median['warc-wire']:.1f} "
              f"(wire/rebuilt {summary['wire_over_rebuilt_pages_per_s']}); median CPU ms/page: rebuilt "
              f"{cpu['warc-rebuilt']:.2f}, wire {cpu['warc-wire']:.2f} (wire/rebuilt "
              f"{summary['wire_over_rebuilt_cpu_per_page']})")
        OUT.mkdir(exist_ok=True)
        (OUT / "wire_capture.json").write_text(json.dumps(summary, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    status = main()
    print(f"({time.perf_counter() - started:.0f} s)")
    sys.exit(status)
