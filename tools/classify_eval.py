#!/usr/bin/env python3
"""Measure the page classifier (newsarchive.extract.classify): precision and recall of "article".

    .venv/bin/python tools/classify_eval.py [--shared ../shared] [--verbose] [--json]

Page sets, each labelled article / listing / other:
- corpus dev, corpus dev2: the shared evaluation corpora, every page a real article (third-party pages,
  read in place and never copied); dev2 is held back from tuning;
- demo: the bundled demo site (newsarchive.demo), written by another hand: articles, home and section
  pages with their pagination, the about page, the staff area, the 404 page;
- realshaped: the four fixture sites of tests/sites/realshaped.py (WordPress-like, table layout,
  numeric-id portal, div soup): articles, front/section/tag/author/pagination pages, about, contact,
  privacy, terms, login and newsletter pages;
- hard: tests/sites/hardpages.py, pages that look like what they are not (listings with long text,
  company pages with prose, articles with little text or many links), one known miss among them.

Two figures per set: the page alone (`classify_page`), and the crawl's decision for a page whose
URL the generic `news` spider's rules call an article (`decide` with the URL as first guess), which is
what a front-page crawl does. Feeds and news sitemaps, which vouch for their entries, are left out.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from newsarchive.extract.classify import ARTICLE, PAGE_TYPES, classify_page, decide  # noqa: E402


def corpus_pages(corpus: Path):
    for line in (corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        truth = json.loads(line)
        page = corpus / "pages" / f"{truth['id']}.html"
        if page.exists():
            yield truth["id"], truth["url"], page.read_bytes(), None, ARTICLE


def demo_pages():
    from newsarchive.demo.site import ABOUT_PATH, PRIVATE_PATH, DemoSite

    site = DemoSite()
    base = "http://127.0.0.1:8000/"
    labelled = [(path, "listing") for path in site.listing_paths()]
    labelled += [(article.path, ARTICLE) for article in site.articles]
    labelled += [(ABOUT_PATH, "other"), (PRIVATE_PATH, "other"), ("/no/such/page/", "other")]
    for path, kind in labelled:
        resource = site.resolve(path, base)
        if resource.status != 200 and path != "/no/such/page/":
            continue
        yield path, base.rstrip("/") + path, resource.body, _charset(resource.content_type), kind


def realshaped_pages():
    from tests.sites.realshaped import BUILDERS, build_site

    for name in BUILDERS:
        site = build_site(name)
        for path, page in sorted(site.pages.items()):
            if page.kind != "feed":
                yield f"{name}{path}", site.host_url + path, page.body, _charset(page.content_type), page.kind


def hard_pages():
    from tests.sites.hardpages import hard_pages as pages

    for name, url, body, kind in pages():
        yield name, url, body, None, kind


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def generic_url_rules():
    from spiders.news import GenericNewsSpider

    patterns = [re.compile(p) for p in GenericNewsSpider.article_url_patterns]
    return lambda url: any(p.search(url) for p in patterns)


def measure(pages, url_rule) -> dict:
    confusion: Counter = Counter()
    decided: Counter = Counter()
    misses = []
    for name, url, body, charset, truth in pages:
        verdict = classify_page(body, url, encoding=charset)
        confusion[(truth, verdict.kind)] += 1
        exported, _ = decide(verdict, url_says_article=url_rule(url))
        decided[(truth == ARTICLE, exported)] += 1
        if verdict.kind != truth or exported != (truth == ARTICLE):
            misses.append({"page": name, "truth": truth, "verdict": verdict.kind, "exported": exported,
                           "why": verdict.explain()})
    return {"confusion": confusion, "decided": decided, "misses": misses}


def figures(confusion: Counter, decided: Counter) -> dict:
    tp = confusion[(ARTICLE, ARTICLE)]
    fp = sum(v for (truth, got), v in confusion.items() if got == ARTICLE and truth != ARTICLE)
    fn = sum(v for (truth, got), v in confusion.items() if truth == ARTICLE and got != ARTICLE)
    d_tp, d_fp, d_fn = decided[(True, True)], decided[(False, True)], decided[(True, False)]
    return {
        "pages": sum(confusion.values()),
        "articles": tp + fn,
        "page_precision": _ratio(tp, tp + fp), "page_recall": _ratio(tp, tp + fn),
        "crawl_precision": _ratio(d_tp, d_tp + d_fp), "crawl_recall": _ratio(d_tp, d_tp + d_fn),
        "kinds_right": _ratio(sum(confusion[(k, k)] for k in PAGE_TYPES), sum(confusion.values())),
    }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default=str(REPO.parent / "shared"), help="the shared folder (corpus/dev, dev2)")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every page the classifier got wrong")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    url_rule = generic_url_rules()
    sets = {}
    for split in ("dev", "dev2"):
        corpus = Path(args.shared) / "corpus" / split
        if (corpus / "truth.jsonl").exists():
            sets[f"corpus {split}"] = measure(corpus_pages(corpus), url_rule)
    sets["demo"] = measure(demo_pages(), url_rule)
    sets["realshaped"] = measure(realshaped_pages(), url_rule)
    sets["hard"] = measure(hard_pages(), url_rule)
    total_c, total_d = Counter(), Counter()
    for result in sets.values():
        total_c.update(result["confusion"])
        total_d.update(result["decided"])
    report = {name: figures(r["confusion"], r["decided"]) for name, r in sets.items()}
    report["all"] = figures(total_c, total_d)
    if args.json:
        print(json.dumps({"figures": report, "misses": {n: r["misses"] for n, r in sets.items()}}, indent=2))
        return 0
    print(f"{'set':<14}{'pages':>6}{'articles':>9}  {'page P':>7}{'page R':>7}  {'crawl P':>8}{'crawl R':>8}  "
          f"{'kind right':>10}")
    for name, f in report.items():
        cells = [f.get(k) for k in ("page_precision", "page_recall", "crawl_precision", "crawl_recall", "kinds_right")]
        shown = ["   -  " if c is None else f"{c:.3f}" for c in cells]
        print(f"{name:<14}{f['pages']:>6}{f['articles']:>9}  {shown[0]:>7}{shown[1]:>7}  {shown[2]:>8}{shown[3]:>8}  "
              f"{shown[4]:>10}")
    print("\nconfusion (truth -> verdict), all sets:")
    for truth in PAGE_TYPES:
        print(f"  {truth:<8} " + "  ".join(f"{got} {total_c[(truth, got)]:>4}" for got in PAGE_TYPES))
    if args.verbose:
        for name, result in sets.items():
            for miss in result["misses"]:
                print(f"{name}: {miss['page']}: {miss['truth']} -> {miss['verdict']}"
                      f"{' (exported)' if miss['exported'] else ''}: {miss['why']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
