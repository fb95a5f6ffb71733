"""`newsarchive report [SPIDER]`: has a spider's latest crawl drifted from its previous crawls?"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR
from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError


def fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1], not {value!r}") from None
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"expected a fraction in (0, 1], not {value}")
    return number


def non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, not {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, not {value}")
    return number


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "report",
        help="compare the latest crawl of each spider with its previous crawls (drift)",
        description="Compare each spider's latest crawl.json, site by site, with the median of the earlier crawls "
        "of the same site. Flags a field whose coverage (title, authors, published, copyright, body) or an "
        "article count that fell below its tolerance band (median - max(k x MAD, percent of the median, min); "
        "DRIFT_BANDS, DRIFT_WINDOW, or a spider's drift_bands/drift_window), and coverage floors "
        "(FIELD_COVERAGE_MIN) missed by the latest crawl. Every crawl runs the same check at its end (crawl.json's "
        "`drift`, which feeds --notify). Exit 1 when anything is flagged, 2 on a bad option, 3 when the archive "
        "or its crawl reports are missing.",
        epilog="examples:\n  newsarchive report\n  newsarchive report techtimes --coverage-drop 0.1\n"
        "  newsarchive report news --k 4 --window 10     # a generic spider: each site against its own history\n"
        "  newsarchive report --archive /data/archive --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", nargs="?", help="spider name (default: every spider in the archive)")
    parser.add_argument("--archive", metavar="DIR", default=DEFAULT_ARCHIVE_DIR, help="archive root (default: %(default)s/)")
    parser.add_argument("--coverage-drop", type=fraction, metavar="F",
                        help="the smallest coverage band: flag a field more than F below its median "
                        "(DRIFT_BANDS coverage min, default 0.2)")
    parser.add_argument("--count-drop", type=fraction, metavar="F",
                        help="flag an article count more than F of its median below it "
                        "(DRIFT_BANDS articles percent / 100, default 0.5)")
    parser.add_argument("--k", type=non_negative, metavar="K",
                        help="band width in MADs (median absolute deviations) for every metric (default 3)")
    parser.add_argument("--window", type=int, metavar="N",
                        help="compare with up to N earlier crawls of each site (DRIFT_WINDOW, default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(func=run)


def drift_config(spider: str, args):
    """The drift settings of the project, with the spider's own over them and the options over both."""
    from scrapy.spiderloader import SpiderLoader

    from newsarchive.crawl.drift import DriftConfig
    from newsarchive.crawl.runner import project_settings

    settings = project_settings()
    loader = SpiderLoader.from_settings(settings)
    spider_cls = loader.load(spider) if spider in loader.list() else None
    overrides: dict[str, dict] = {}
    if args.coverage_drop is not None:
        overrides["coverage"] = {"min": args.coverage_drop}
    if args.count_drop is not None:
        overrides["articles"] = {"percent": args.count_drop * 100}
    if args.k is not None:
        for metric in ("coverage", "articles"):
            overrides.setdefault(metric, {})["k"] = args.k
    base = DriftConfig.from_settings(settings, spider_cls)
    bands = {name: {key: value for key, value in vars(band).items()} for name, band in base.bands.items()}
    for name, spec in overrides.items():
        bands[name] = {**bands[name], **spec}
        if name == "coverage":  # an option about coverage applies to every field
            for field_name in list(bands):
                if field_name not in ("coverage", "articles"):
                    bands[field_name] = {**bands[field_name], **spec}
    try:
        return DriftConfig.build(args.window or base.window, base.min_history, bands)
    except ValueError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


def run(args) -> int:
    from newsarchive.crawl.drift import compare, crawl_reports, format_drift, spiders_in

    if args.window is not None and args.window < 1:
        raise CommandError("--window must be at least 1", EXIT_USAGE)
    archive = Path(args.archive)
    if not archive.is_dir():
        raise CommandError(f"no archive folder at {archive}")
    spiders = [args.spider] if args.spider else spiders_in(archive)
    if not spiders:
        raise CommandError(f"no crawl reports (crawl.json) under {archive}")
    drifts = []
    for spider in spiders:
        reports = crawl_reports(archive / spider)
        if not reports:
            raise CommandError(f"no crawl reports for spider {spider!r} under {archive / spider}")
        drifts.append(compare(reports, drift_config(spider, args)))
    if args.json:
        print(json.dumps([d.to_dict() for d in drifts], indent=2, ensure_ascii=False))
    else:
        print("\n".join(format_drift(d) for d in drifts))
        flagged = [d.spider for d in drifts if d.flagged]
        print(f"drift in {len(flagged)} of {len(drifts)} spider(s)" + (f": {', '.join(flagged)}" if flagged else ""))
    return EXIT_PROBLEMS if any(d.flagged for d in drifts) else EXIT_OK
