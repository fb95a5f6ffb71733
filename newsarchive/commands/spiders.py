"""`newsarchive spiders`: the site spiders and where each one discovers articles."""
from __future__ import annotations

import json
import sys


def first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else ""


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "spiders",
        help="list spiders and their discovery sources",
        description="List every spider with its domains, feeds, sitemaps and start pages. Exit 0.",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def describe(spider_cls) -> dict:
    return {
        "name": spider_cls.name,
        "domains": list(getattr(spider_cls, "allowed_domains", []) or []),
        "feeds": list(getattr(spider_cls, "feed_urls", ()) or ()),
        "sitemaps": list(getattr(spider_cls, "sitemap_urls", ()) or ()),
        "start_pages": list(getattr(spider_cls, "start_urls", ()) or ()),
        "robots_sitemaps": bool(getattr(spider_cls, "sitemaps_from_robots", False)),
        "doc": first_line(spider_cls.__doc__ or sys.modules[spider_cls.__module__].__doc__),
    }


def run(args) -> int:
    from scrapy.spiderloader import SpiderLoader

    from newsarchive.crawl.runner import project_settings

    loader = SpiderLoader.from_settings(project_settings())
    rows = [describe(loader.load(name)) for name in sorted(loader.list())]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        sources = [f"feed {u}" for u in row["feeds"]] + [f"sitemap {u}" for u in row["sitemaps"]]
        if row["robots_sitemaps"]:
            sources.append("robots.txt sitemaps")
        sources += [f"page {u}" for u in row["start_pages"]]
        print(f"{row['name']:<16} {', '.join(row['domains']) or '(any: -a url=)'}")
        for source in sources or ["(given by --url)"]:
            print(f"{'':<16}   {source}")
    return 0
