"""`newsarchive genspider NAME URL`: look at a site and write spiders/NAME.py for it, with its contracts."""
from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "genspider",
        help="look at a news site and write a spider for it (feeds, sitemaps, URL rules, contracts)",
        description="Crawl a few pages of the site at URL (with the project's settings: address guard, robots.txt, "
        "politeness, at most GENSPIDER_MAX_PAGES requests): find its feeds (RSS/Atom <link>s, common paths), "
        "sitemaps (robots.txt, /sitemap.xml, news sitemaps), sample article URLs from them (else from the front "
        "page's links), check that JSON-LD or the generic extractor finds title, authors, date and body, infer "
        "article_url_patterns and follow_url_patterns, and write OUT/NAME.py with contracts whose @url is a "
        "sampled article. Prints a report of what it found and could not. Exit 0 when the spider was written, "
        "1 when no article could be found, 2 on a bad name or URL or an existing spider, 3 when the site "
        "cannot be reached.",
        epilog="examples:\n  newsarchive genspider examplenews https://www.example-news.site/\n"
        "  newsarchive genspider examplenews https://www.example-news.site/ --capture\n"
        "  scrapy check examplenews -s REPLAY_WARC=tests/fixtures/contracts/examplenews/   # offline, from the capture",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", help="the spider's name, also its module name (letters, digits, _)")
    parser.add_argument("url", help="the site's home page")
    parser.add_argument("--out", metavar="DIR", default="spiders", help="where NAME.py goes (default: %(default)s/)")
    parser.add_argument("--capture", nargs="?", const="", metavar="DIR",
                        help="keep the pages fetched as the spider's contract fixture WARC in DIR "
                        "(default: tests/fixtures/contracts/NAME/); for your own repository's tests")
    parser.add_argument("--samples", type=int, metavar="N", help="article pages to sample (GENSPIDER_SAMPLES, default 8)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT/NAME.py and the capture folder")
    parser.add_argument("--set", "-s", action="append", default=[], metavar="NAME=VALUE",
                        help="a Scrapy setting for the look at the site, as in `newsarchive crawl`")
    parser.add_argument("--allow-address", action="append", default=[], metavar="ADDRESS",
                        help="also contact this address or network, as in `newsarchive crawl` (ADDRESS_GUARD_ALLOW)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON instead of a report")
    parser.set_defaults(func=run)


def check_arguments(args) -> tuple[Path, Path | None]:
    from newsarchive.commands.arguments import web_url
    from newsarchive.crawl.runner import project_settings

    if not NAME.match(args.name):
        raise CommandError(f"a spider name is letters, digits and _ (a module name), not {args.name!r}", EXIT_USAGE)
    web_url(args.url, "URL")
    if args.samples is not None and not 1 <= args.samples <= 50:
        raise CommandError("--samples takes 1 to 50", EXIT_USAGE)
    target = Path(args.out) / f"{args.name}.py"
    if target.exists() and not args.force:
        raise CommandError(f"{target} exists; --force overwrites it", EXIT_USAGE)
    if not target.exists():
        from scrapy.spiderloader import SpiderLoader

        if args.name in SpiderLoader.from_settings(project_settings()).list():
            raise CommandError(f"the project has a spider named {args.name!r} already", EXIT_USAGE)
    capture = None
    if args.capture is not None:
        capture = Path(args.capture) if args.capture else Path("tests/fixtures/contracts") / args.name
        if capture.exists() and any(capture.iterdir()) and not args.force:
            raise CommandError(f"{capture} is not empty; --force replaces its WARC files", EXIT_USAGE)
    return target, capture


def run(args) -> int:
    from newsarchive.commands.crawl import parse_set
    from newsarchive.crawl.genspider import format_findings, keep_fixture, render_spider, run_probe
    from newsarchive.crawl.runner import project_settings

    from newsarchive.commands.arguments import setting_values
    from newsarchive.commands.crawl import allowed_addresses
    from newsarchive.fetch.address_policy import AddressPolicy

    target, capture = check_arguments(args)
    settings = parse_set(args.set)
    if args.allow_address:
        settings["ADDRESS_GUARD_ALLOW"] = [*allowed_addresses(settings.get("ADDRESS_GUARD_ALLOW")), *args.allow_address]
    setting_values(settings, project_settings())
    try:
        AddressPolicy.from_settings(project_settings(settings))
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    samples = args.samples or project_settings(settings).getint("GENSPIDER_SAMPLES")
    probe = run_probe(args.name, args.url, samples=samples, settings=settings)
    try:
        if probe.findings is None:
            raise CommandError(probe.failure)
        findings = probe.findings
        written = kept = None
        if findings.articles and findings.article_patterns:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_spider(findings), encoding="utf-8")
            written = target
            if capture is not None:
                if capture.exists():
                    for old in list(capture.glob("*.warc.gz")) + list(capture.glob("*.cdxj")):
                        old.unlink()
                kept = keep_fixture(probe, capture)
        if args.json:
            print(json.dumps({**findings.to_dict(), "written": str(written) if written else None,
                              "fixture": [str(p) for p in kept or []]}, indent=2, ensure_ascii=False))
        else:
            print(f"genspider {args.name} {args.url}: {findings.pages_fetched} pages fetched")
            print(format_findings(findings))
            if written:
                print(f"wrote        {written}")
                print(f"try it       scrapy crawl {args.name} -a max_articles=20   (newsarchive crawl {args.name})")
            if kept:
                print(f"fixture      {capture}/ ({len(kept)} files): scrapy check {args.name} -s REPLAY_WARC={capture}/")
        return EXIT_OK if written else EXIT_PROBLEMS
    finally:
        shutil.rmtree(probe.workdir, ignore_errors=True)
