"""`newsarchive replay [ARCHIVE] [--port N]`: look at the archive in a browser, through pywb, on 127.0.0.1.

pywb runs from its own venv (its pins break scrapy-redis, docs/architecture.md, "Handing on and looking"), found as
--pywb-venv, $NEWSARCHIVE_PYWB_VENV, the checkout's `.venv-pywb` (what `make test` builds), or
~/.local/share/newsarchive/venv-pywb; when none has pywb, the last is made on first use (pip, once).
pywb reads the crawls' own WARC files and CDXJ indexes where they lie: a config file in a temporary
folder names each crawl's warc/ folder as an index source and an archive path; nothing is copied.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from newsarchive.commands import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError

DEFAULT_PORT = 8080
PYWB_REQUIREMENT = "pywb>=2.8,<3"
START_TIMEOUT = 60  # seconds for wayback to answer its first request


def register(subparsers) -> None:
    from newsarchive.base.layout import DEFAULT_ARCHIVE_DIR
    from newsarchive.research.replay import DEFAULT_COLLECTION

    parser = subparsers.add_parser(
        "replay",
        help="replay the archive in pywb on 127.0.0.1 and print the URLs to open",
        description="Start pywb (wayback) on 127.0.0.1 over every crawl's WARC files and CDXJ indexes under ARCHIVE "
        "(a whole archive, a spider's folder or one crawl), without copying them, and print the replay URL of the "
        "collection and of the newest articles. Runs until Ctrl-C. pywb lives in its own venv, made on first use "
        "(needs PyPI once). `newsarchive show URL --replay-url` prints the URL of one article in it. Exit 0 after "
        "Ctrl-C, 1 when ARCHIVE holds no WARC file, 2 on bad arguments, 3 when pywb cannot be had or the port is "
        "taken.",
        epilog="examples:\n  newsarchive replay                          # archive/, on http://127.0.0.1:8080/\n"
        "  newsarchive replay archive/demo --port 8090\n"
        "  NEWSARCHIVE_PYWB_VENV=/opt/pywb-venv newsarchive replay /srv/archive",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("archive", nargs="?", default=DEFAULT_ARCHIVE_DIR, metavar="ARCHIVE",
                        help="archive root, spider folder or crawl folder (default: %(default)s/)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s)")
    parser.add_argument("--collection", default=DEFAULT_COLLECTION,
                        help="collection name in the replay URLs (default: %(default)s)")
    parser.add_argument("--newest", type=int, default=10, metavar="N", help="print the N newest articles (default: 10)")
    parser.add_argument("--pywb-venv", metavar="DIR", help="the venv holding pywb (default: see above)")
    parser.set_defaults(func=run)


# ---------------------------------------------------------------------------------------- the venv

def pywb_venv_candidates(explicit: str | None) -> list[Path]:
    """Where pywb's venv is looked for, in order; the last is where a missing one is made."""
    if explicit:
        return [Path(explicit)]
    if os.environ.get("NEWSARCHIVE_PYWB_VENV"):
        return [Path(os.environ["NEWSARCHIVE_PYWB_VENV"])]
    candidates = []
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        candidates.append(checkout / ".venv-pywb")
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    candidates.append(data_home / "newsarchive" / "venv-pywb")
    return candidates


def find_or_make_pywb(explicit: str | None) -> Path:
    """The `bin/` folder of a venv with pywb's `wayback`, made with pip when there is none."""
    candidates = pywb_venv_candidates(explicit)
    for venv in candidates:
        if (venv / "bin" / "wayback").is_file():
            return venv / "bin"
    venv = candidates[-1]
    print(f"newsarchive replay: pywb is not installed; making its own venv in {venv} "
          f"(pip install '{PYWB_REQUIREMENT}', once, about a minute) ...", file=sys.stderr, flush=True)
    try:
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PYWB_REQUIREMENT], check=True,
                       capture_output=True, timeout=1800)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise CommandError(f"cannot install pywb into {venv}: {exc} {detail.decode(errors='replace')[-300:]}".strip()
                           ) from None
    print(f"newsarchive replay: pywb installed in {venv}", file=sys.stderr, flush=True)
    return venv / "bin"


# ---------------------------------------------------------------------------------------- the config

def pywb_config(warc_dirs: list[Path], collection: str) -> str:
    """pywb's config.yaml: one collection whose indexes and WARC files are the crawls' own folders.

    Strings are written as JSON strings, which YAML reads as they are (paths may hold any character).
    """
    lines = ["debug: false", "framed_replay: true", "collections:", f"  {json.dumps(collection)}:", "    index_group:"]
    for n, warc_dir in enumerate(warc_dirs):
        lines.append(f"      {json.dumps(f'crawl{n}')}: {json.dumps(str(warc_dir))}")
    lines.append("    archive_paths:")
    lines += [f"      - {json.dumps(str(warc_dir) + os.sep)}" for warc_dir in warc_dirs]
    return "\n".join(lines) + "\n"


def newest_articles(crawl_dirs: list[Path], limit: int) -> list[dict]:
    from newsarchive.base.layout import ARTICLES_FILE
    from newsarchive.export.record import read_records

    records = [r for crawl_dir in crawl_dirs for r in read_records(crawl_dir / ARTICLES_FILE)
               if r.get("url") and r.get("fetched_at")]
    latest: dict[str, dict] = {}
    for record in sorted(records, key=lambda r: r["fetched_at"]):  # an article crawled again: its latest capture
        latest[record["url"]] = record
    newest = sorted(latest.values(), key=_newness, reverse=True)
    return newest[:limit]


def _newness(record: dict):
    """Publication time first (an article's own date), then the capture time; as aware datetimes."""
    from newsarchive.base.dates import parse_date

    fetched = parse_date(record["fetched_at"]) or datetime.min.replace(tzinfo=timezone.utc)
    return parse_date(record.get("published")) or fetched, fetched


def wait_until_up(base: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=5).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
                raise CommandError(f"pywb did not start on {base}:\n{tail}") from None
            time.sleep(0.2)


def run(args) -> int:
    from newsarchive.export.wacz import find_crawls
    from newsarchive.research.replay import replay_url

    if not 0 < args.port < 65536:
        raise CommandError(f"--port must be 1-65535, not {args.port}", EXIT_USAGE)
    try:
        crawls = find_crawls([Path(args.archive)])
    except FileNotFoundError as exc:
        raise CommandError(str(exc)) from None
    if not crawls:
        raise CommandError(f"no crawl with WARC files under {args.archive}", EXIT_PROBLEMS)
    bin_dir = find_or_make_pywb(args.pywb_venv)
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory(prefix="newsarchive-replay-") as workdir:
        work = Path(workdir)
        (work / "config.yaml").write_text(pywb_config([c.path / "warc" for c in crawls], args.collection),
                                          encoding="utf-8")
        log_path = work / "wayback.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen([str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(args.port)], cwd=work,
                                    stdout=log, stderr=subprocess.STDOUT)
            previous = signal.signal(signal.SIGTERM, _interrupt)
            try:
                wait_until_up(base, proc, log_path)
                print(f"replaying {len(crawls)} crawl{'s' if len(crawls) != 1 else ''} of {Path(args.archive).resolve()} "
                      f"in pywb (Ctrl-C stops)")
                print(f"collection  {base}/{args.collection}/")
                for record in newest_articles([c.path for c in crawls], args.newest):
                    print(f"article     {replay_url(record['url'], record['fetched_at'], pywb=base, collection=args.collection)}"
                          f"  {record.get('title') or ''}")
                sys.stdout.flush()
                while proc.poll() is None:
                    time.sleep(0.5)
                raise CommandError(f"pywb stopped (exit {proc.returncode}): "
                                   + log_path.read_text(errors="replace")[-1500:])
            except KeyboardInterrupt:
                return EXIT_OK
            finally:
                signal.signal(signal.SIGTERM, previous)
                if proc.poll() is None:
                    proc.terminate()
                    try:
                        proc.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait(timeout=10)


def _interrupt(signum, frame):
    raise KeyboardInterrupt
