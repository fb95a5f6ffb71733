#!/usr/bin/env python3
"""`make eval`: score newsarchive's extraction side by side with peer extractors on one corpus.

Runs the shared scorer (<shared>/eval/score.py) in one go, so every system is measured on the
same pages in the same run:

1. `score.py predict` for newsarchive, with this Python (the project's venv);
2. `score.py predict` for each peer (trafilatura, newspaper4k, goose3, readability), with the
   peers' own Python (`--peers-python`, a separate venv so their pins never touch ours);
3. `score.py score` over all predictions (all pages and tech pages), then `score.py bylines`
   and `score.py copyright`.

It prints the tables; `--write EVALUATION.md` also writes them as a commit-ready report with
the date and package versions. When the shared folder or the corpus is absent it says so and
exits 0, so `make eval` is harmless on a machine without the corpus.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

PEERS = ("trafilatura", "newspaper4k", "goose3", "readability")
PEER_PACKAGES = {"trafilatura": "trafilatura", "newspaper4k": "newspaper4k", "goose3": "goose3",
                 "readability": "readability-lxml"}
OWN_PACKAGES = ("newsarchive", "trafilatura", "lxml", "scrapy")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default="../shared", help="the shared folder (has eval/score.py)")
    parser.add_argument("--corpus", default=None, help="corpus folder (default: <shared>/corpus/dev)")
    parser.add_argument("--peers-python", default=".venv-peers/bin/python",
                        help="Python of the venv with the peer extractors")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated peers to run ('' for none)")
    parser.add_argument("--out", default=None, help="folder for prediction files (default: a temp folder)")
    parser.add_argument("--json", default=None, help="also write the score tables as JSON here")
    parser.add_argument("--write", default=None, metavar="EVALUATION.md", help="write a Markdown report here")
    args = parser.parse_args(argv)

    shared = Path(args.shared)
    corpus = Path(args.corpus) if args.corpus else shared / "corpus" / "dev"
    score_py = shared / "eval" / "score.py"
    if not score_py.is_file() or not (corpus / "truth.jsonl").is_file():
        print(f"make eval: {score_py if not score_py.is_file() else corpus} not found; nothing to score.")
        return 0

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="newsarchive-eval-"))
    out.mkdir(parents=True, exist_ok=True)
    peers_python = Path(args.peers_python)
    peers = [p for p in args.peers.split(",") if p]
    if peers and not peers_python.exists():
        print(f"peers venv {peers_python} not found: scoring newsarchive alone "
              "(make .venv-peers/.installed creates it)")
        peers = []

    predictions, speed_lines = [], []
    for system, python in [("newsarchive", sys.executable)] + [(p, str(peers_python)) for p in peers]:
        path = out / f"p-{system}.jsonl"
        result = _run([python, str(score_py), "predict", "--system", system, "--corpus", str(corpus),
                       "--out", str(path)])
        if result.returncode != 0:
            print(f"{system}: predict failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
            continue
        speed_lines.append(result.stdout.strip())
        predictions.append(str(path))
    if not predictions:
        print("no system could be run")
        return 3

    scores_json = Path(args.json) if args.json else out / "scores.json"
    table = _run([sys.executable, str(score_py), "score", "--corpus", str(corpus), "--json", str(scores_json),
                  *predictions])
    bylines = _run([sys.executable, str(score_py), "bylines", "--corpus", str(corpus), "--show", "0"])
    labels = corpus / "copyright_labels.jsonl"
    copyright_ = _run([sys.executable, str(score_py), "copyright", "--labels", str(labels), "--show", "0"]) \
        if labels.is_file() else None

    report = _report(corpus, speed_lines, table.stdout, bylines.stdout, copyright_.stdout if copyright_ else "",
                     _versions(sys.executable, OWN_PACKAGES), _versions(str(peers_python), [PEER_PACKAGES[p] for p in peers]))
    print(report)
    if args.write:
        Path(args.write).write_text(report, encoding="utf-8")
        print(f"wrote {args.write}")
    return 0 if table.returncode == 0 else 1


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, check=False)


def _versions(python: str, packages) -> dict[str, str]:
    """Installed versions of `packages` in the environment of `python`."""
    packages = list(packages)
    if not packages:
        return {}
    code = ("import json, sys, importlib.metadata as m\n"
            "out = {}\n"
            "for p in sys.argv[1:]:\n"
            "    try: out[p] = m.version(p)\n"
            "    except m.PackageNotFoundError: out[p] = 'not installed'\n"
            "print(json.dumps(out))")
    result = _run([python, "-c", code, *packages])
    try:
        return json.loads(result.stdout)
    except ValueError:
        return {p: "unknown" for p in packages}


def _report(corpus: Path, speeds: list[str], table: str, bylines: str, copyright_: str,
            own: dict[str, str], peers: dict[str, str]) -> str:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    versions = ", ".join(f"{k} {v}" for k, v in {**own, **peers}.items())
    lines = [
        "# Extraction evaluation",
        "",
        f"Run {today} by `make eval` (tools/evaluate.py) on `{corpus}`; "
        f"Python {platform.python_version()}; {versions}.",
        "",
        "Every system ran over the same pages in the same run; pages/s is the predict step of the shared",
        "scorer (one process, after import) and depends on the machine's load at the time.",
        "",
        "## Prediction runs",
        "",
        *[f"- {line.split(' -> ')[0]}" for line in speeds],
        table.rstrip(),
        "",
        "## Byline and copyright normalization",
        "",
        f"- {bylines.strip()}",
        *([f"- {copyright_.strip()}"] if copyright_.strip() else []),
        "",
        "## Reading the tables",
        "",
        "- Fields are scored only on pages whose truth for that field is known (counts in each heading).",
        "- The truth comes from several projects' test sets, with their own conventions: some full bodies",
        "  keep \"Related:\" teasers, product widgets or photo credits, which newsarchive removes by design;",
        "  some titles keep the site name. Those pages cost newsarchive points on purpose.",
        "- newsarchive's body extractor wraps trafilatura (on the already-parsed tree, no metadata pass);",
        "  metadata, bylines, dates, copyright and text cleaning are newsarchive's own.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
