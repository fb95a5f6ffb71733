"""The page classifier's cost: time against page size (it must grow linearly), and against extraction.

Every page the generic spider fetches is classified (newsarchive.extract.classify), so its cost is paid
on listings and policy pages too, and hostile pages must not make it blow up. Measured in one run:

1. pages of N paragraphs, N teaser cards and N standalone links in one container, N doubling: the time
   per 1,000 elements should stay flat (a word count asked once per paragraph of a big container made
   it quadratic: 3.7 s for 500 paragraphs before `_Measure` cached them);
2. the demo site's article pages (~70 KB): classify_page against extract_article on the same pages.

    python -m bench.classify [--repeat 3]
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

UNITS = {
    "paragraphs": "<p>The council met on Tuesday to agree the budget for the footbridge, with <a href='/x'>a link"
                  "</a> in the sentence.</p>",
    "cards": "<div class=card><h3><a href='/s'>A headline of some length here</a></h3><p>A summary of twenty "
             "words or so about the story in the card, as listings show them.</p></div>",
    "links": "<a href='/l'>a standalone link of many words</a><br>",
}


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    from newsarchive.demo.site import DemoSite
    from newsarchive.extract import extract_article
    from newsarchive.extract.classify import classify_page

    parser = argparse.ArgumentParser(prog="python -m bench.classify", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (the best one counts)")
    args = parser.parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores, shared: read ratios, not absolute times)")

    print("\n1. growth: ms per 1,000 elements in one container (flat = linear)")
    print(f"{'elements':>9}" + "".join(f"{name:>13}" for name in UNITS))
    for n in (500, 1000, 2000, 4000):
        cells = []
        for unit in UNITS.values():
            body = ("<html><body><div id=c>" + unit * n + "</div></body></html>").encode()
            seconds = best_of(args.repeat, lambda body=body: classify_page(body, "https://bench.test/a"))
            cells.append(f"{seconds * 1000 / n * 1000:>13.0f}")
        print(f"{n:>9}" + "".join(cells))

    site = DemoSite(n_articles=40, filler_kb=70)
    base = "http://127.0.0.1:8000/"
    pages = [(site.resolve(a.path, base).body, base.rstrip("/") + a.path) for a in site.articles]
    classify = best_of(args.repeat, lambda: [classify_page(b, u) for b, u in pages])
    extract = best_of(args.repeat, lambda: [extract_article(b, u) for b, u in pages])
    kb = sum(len(b) for b, _ in pages) / len(pages) / 1024
    print(f"\n2. {len(pages)} demo article pages of {kb:.0f} KB on average, side by side:")
    print(f"   classify_page   {classify / len(pages) * 1000:6.1f} ms/page")
    print(f"   extract_article {extract / len(pages) * 1000:6.1f} ms/page")
    print(f"   ratio           {classify / extract:6.2f} (classification's share of an article page's cost)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
