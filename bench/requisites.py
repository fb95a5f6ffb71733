"""What page requisites cost a crawl: the demo site crawled with REQUISITES_ENABLED on and off, side by side.

The demo site (N articles, each naming a stylesheet with a web font and a background image, a logo, a
favicon and four sizes of its lead image, two of them from a "CDN" host) is served by the demo server on
127.0.0.1 and crawled by `newsarchive crawl demo`, alternately with requisites on and off, ROUNDS times
each, in fresh processes. Reported: wall time, articles/s, requests, WARC bytes, and the on/off ratios;
also the time `newsarchive package` takes for the crawl with requisites.

    python -m bench.requisites [--articles 200] [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
REPO = Path(__file__).parent.parent


def crawl(url: str, archive: Path, crawl_id: str, enabled: bool) -> dict:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "newsarchive", "crawl", "demo", "--url", url, "--archive", str(archive),
         "--crawl-id", crawl_id, "--no-progress", "--json", "--set", f"REQUISITES_ENABLED={str(enabled).lower()}",
         "--set", "INCREMENTAL_ENABLED=false"],
        capture_output=True, text=True, cwd=REPO)
    wall = time.monotonic() - started
    if proc.returncode != 0:
        raise RuntimeError(f"crawl failed:\n{proc.stderr[-3000:]}")
    report = json.loads(proc.stdout)
    return {"wall_s": wall, "articles": report["counts"]["articles"], "requests": report["counts"]["requests"],
            "warc_bytes": report["counts"]["warc_bytes"], "requisites": report["requisites"]["archived"],
            "crawl_dir": str(archive / "demo" / crawl_id)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.requisites")
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    from newsarchive.demo.server import DemoServer
    from newsarchive.demo.site import DemoSite

    results: dict[str, list[dict]] = {"on": [], "off": []}
    with tempfile.TemporaryDirectory(prefix="bench-requisites-") as work, \
            DemoServer(site=DemoSite(n_articles=args.articles)) as server:
        server.prerender()
        for n in range(args.rounds):
            for mode in ("off", "on") if n % 2 == 0 else ("on", "off"):
                results[mode].append(crawl(server.url, Path(work) / f"{mode}{n}", f"20261201T00000{n}Z",
                                           mode == "on"))
        started = time.monotonic()
        wacz = Path(work) / "demo.wacz"
        subprocess.run([sys.executable, "-m", "newsarchive", "package", results["on"][0]["crawl_dir"], "--out",
                        str(wacz)], check=True, capture_output=True, cwd=REPO)
        package_s = time.monotonic() - started
        wacz_bytes = wacz.stat().st_size

    def median(mode: str, key: str) -> float:
        return statistics.median(r[key] for r in results[mode])

    summary = {
        "articles": args.articles, "rounds": args.rounds,
        **{f"{mode}_{key}": median(mode, key) for mode in ("on", "off")
           for key in ("wall_s", "requests", "warc_bytes", "requisites", "articles")},
        "package_s": round(package_s, 2), "wacz_bytes": wacz_bytes,
    }
    summary["wall_ratio_on_off"] = round(summary["on_wall_s"] / summary["off_wall_s"], 2)
    summary["warc_ratio_on_off"] = round(summary["on_warc_bytes"] / summary["off_warc_bytes"], 2)
    print(f"demo site, {args.articles} articles, median of {args.rounds} rounds each, run alternately:")
    print("| requisites | wall s | articles/s | requests | requisites archived | WARC bytes |")
    print("|---|---|---|---|---|---|")
    for mode in ("off", "on"):
        print(f"| {mode} | {summary[f'{mode}_wall_s']:.1f} | {summary[f'{mode}_articles'] / summary[f'{mode}_wall_s']:.1f} "
              f"| {summary[f'{mode}_requests']:.0f} | {summary[f'{mode}_requisites']:.0f} | {summary[f'{mode}_warc_bytes']:.0f} |")
    print(f"on/off: wall {summary['wall_ratio_on_off']}, WARC bytes {summary['warc_ratio_on_off']}; "
          f"`newsarchive package` of the crawl with requisites: {summary['package_s']} s, {wacz_bytes} bytes")
    OUT.mkdir(exist_ok=True)
    (OUT / "requisites.json").write_text(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
