#!/usr/bin/env python3
"""`make eval`: score newsarchive's extraction side by side with peer extractors, on three views.

Runs the shared scorer (<shared>/eval/score.py) in one go, so every system is measured on the
same pages in the same run:

1. `score.py predict` for newsarchive (this Python) and each peer (trafilatura, newspaper4k,
   goose3, readability; `--peers-python`, a separate venv so their pins never touch ours), over
   the development corpus (`--corpus`, default <shared>/corpus/dev) and the validation corpus
   (`--validation`, default <shared>/corpus/dev2, skipped when absent);
2. `score.py score` over all predictions, for: dev (what rules are tuned on), dev's fixed
   site-grouped split into a tuning half and a held-back half, and dev2 (validation);
3. `score.py bylines` and `score.py copyright` on the same views where labels exist.

The split is fixed and grouped by `site_group` (all pages of one site or owner fall in the same
half), so a rule written against one site's template cannot leak into the held-back half. The
report shows, per field, the gap between the tuning and held-back scores: a change that raises
the tuning half but neither the held-back half nor dev2 is over-fitted and does not ship.

It prints the tables; `--write EVALUATION.md` also writes them as a commit-ready report with the
date and package versions. When the shared folder or the corpus is absent it says so and exits 0,
so `make eval` is harmless on a machine without the corpus.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PEERS = ("trafilatura", "newspaper4k", "goose3", "readability")
PEER_PACKAGES = {"trafilatura": "trafilatura", "newspaper4k": "newspaper4k", "goose3": "goose3",
                 "readability": "readability-lxml"}
OWN_PACKAGES = ("newsarchive", "trafilatura", "htmldate", "lxml", "scrapy")
# Changing the salt re-draws the split and voids every earlier tuning/held-back comparison.
SPLIT_SALT = "holdout-2026"
FIELDS = [("body_f1_full", "body F1 (full)"), ("body_recall_prefix", "body recall (prefix)"),
          ("body_f1_segments", "body F1 (segments)"), ("title_exact", "title exact"),
          ("authors_f1", "authors F1"), ("authors_exact", "authors exact"), ("published_day", "date exact")]


def split_of(site_group: str) -> str:
    """"tune" or "held": the half of dev a site group belongs to, fixed by a salted hash."""
    return "held" if hashlib.sha1((SPLIT_SALT + (site_group or "")).encode()).digest()[0] % 2 else "tune"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default="../shared", help="the shared folder (has eval/score.py)")
    parser.add_argument("--corpus", default=None, help="development corpus (default: <shared>/corpus/dev)")
    parser.add_argument("--validation", default=None,
                        help="validation corpus (default: <shared>/corpus/dev2; 'none' to skip)")
    parser.add_argument("--peers-python", default=".venv-peers/bin/python",
                        help="Python of the venv with the peer extractors")
    parser.add_argument("--peers", default=",".join(PEERS), help="comma-separated peers to run ('' for none)")
    parser.add_argument("--out", default=None, help="folder for prediction files (default: a temp folder)")
    parser.add_argument("--json", default=None, help="also write the dev score tables as JSON here")
    parser.add_argument("--write", default=None, metavar="EVALUATION.md", help="write a Markdown report here")
    args = parser.parse_args(argv)

    shared = Path(args.shared)
    corpus = Path(args.corpus) if args.corpus else shared / "corpus" / "dev"
    score_py = shared / "eval" / "score.py"
    if not score_py.is_file() or not (corpus / "truth.jsonl").is_file():
        print(f"make eval: {score_py if not score_py.is_file() else corpus} not found; nothing to score.")
        return 0
    validation = None
    if args.validation != "none":
        candidate = Path(args.validation) if args.validation else shared / "corpus" / "dev2"
        validation = candidate if (candidate / "truth.jsonl").is_file() else None

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="newsarchive-eval-"))
    out.mkdir(parents=True, exist_ok=True)
    peers_python = Path(args.peers_python)
    peers = [p for p in args.peers.split(",") if p]
    if peers and not peers_python.exists():
        print(f"peers venv {peers_python} not found: scoring newsarchive alone "
              "(make .venv-peers/.installed creates it)")
        peers = []

    corpora = {"dev": corpus, **({"dev2": validation} if validation else {})}
    predictions: dict[str, list[str]] = {name: [] for name in corpora}
    speed_lines: dict[str, list[str]] = {name: [] for name in corpora}
    for name, path in corpora.items():
        for system, python in [("newsarchive", sys.executable)] + [(p, str(peers_python)) for p in peers]:
            target = out / f"p-{name}-{system}.jsonl"
            result = _run([python, str(score_py), "predict", "--system", system, "--corpus", str(path),
                           "--out", str(target)])
            if result.returncode != 0:
                print(f"{system} on {name}: predict failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
                continue
            speed_lines[name].append(result.stdout.strip())
            predictions[name].append(str(target))
    if not predictions["dev"]:
        print("no system could be run")
        return 3

    views = {"dev": (corpus, predictions["dev"])}
    for half in ("tune", "held"):
        sub = _split_corpus(corpus, out / f"corpus-dev-{half}", half)
        if sub is not None:
            views[f"dev-{half}"] = (sub, predictions["dev"])
    if validation and predictions.get("dev2"):
        views["dev2"] = (validation, predictions["dev2"])

    scores: dict[str, dict] = {}
    tables: dict[str, str] = {}
    labels: dict[str, dict[str, str]] = {}
    status = 0
    for view, (path, preds) in views.items():
        json_path = Path(args.json) if (args.json and view == "dev") else out / f"scores-{view}.json"
        table = _run([sys.executable, str(score_py), "score", "--corpus", str(path), "--json", str(json_path), *preds])
        status |= table.returncode != 0
        tables[view] = table.stdout
        scores[view] = json.loads(json_path.read_text()) if json_path.is_file() else {}
        labels[view] = _label_scores(score_py, path)
    # The dev table under its historical name, which callers and tests read.
    if (out / "scores-dev.json").is_file():
        (out / "scores.json").write_text((out / "scores-dev.json").read_text())
    elif args.json:
        (out / "scores.json").write_text(Path(args.json).read_text())

    report = _report(corpora, speed_lines, tables, scores, labels,
                     _versions(sys.executable, OWN_PACKAGES),
                     _versions(str(peers_python), [PEER_PACKAGES[p] for p in peers]))
    print(report)
    if args.write:
        Path(args.write).write_text(report, encoding="utf-8")
        print(f"wrote {args.write}")
    return 1 if status else 0


def _split_corpus(corpus: Path, target: Path, half: str) -> Path | None:
    """A corpus folder holding only one half's truth, byline and copyright rows (no pages: scoring
    needs none); None when that half is empty."""
    rows = _jsonl(corpus / "truth.jsonl")
    keep = {r["id"] for r in rows if split_of(r.get("site_group") or r.get("site") or r["id"]) == half}
    if not keep:
        return None
    target.mkdir(parents=True, exist_ok=True)
    for name in ("truth.jsonl", "bylines.jsonl", "copyright_labels.jsonl"):
        if (corpus / name).is_file():
            kept = [r for r in _jsonl(corpus / name) if r.get("id") in keep]
            (target / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept), encoding="utf-8")
    return target


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _label_scores(score_py: Path, corpus: Path) -> dict[str, str]:
    """The scorer's one-line byline and copyright results for a corpus, where it has labels."""
    found = {}
    bylines = corpus / "bylines.jsonl"
    if bylines.is_file() and bylines.stat().st_size:
        found["bylines"] = _run([sys.executable, str(score_py), "bylines", "--corpus", str(corpus),
                                 "--show", "0"]).stdout.strip()
    copyright_ = corpus / "copyright_labels.jsonl"
    if copyright_.is_file() and copyright_.stat().st_size:
        found["copyright"] = _run([sys.executable, str(score_py), "copyright", "--labels", str(copyright_),
                                   "--show", "0"]).stdout.strip()
    return found


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


def _label_value(line: str | None, pattern: str) -> float | None:
    match = re.search(pattern, line or "")
    return float(match.group(1)) if match else None


def _gap_table(scores: dict[str, dict], labels: dict[str, dict[str, str]]) -> list[str]:
    """newsarchive per field: tuning half, held-back half, their gap, and dev2."""
    ours = {view: (scores.get(view) or {}).get("newsarchive", {}).get("all", {}) for view in scores}
    if not ours.get("dev-tune") or not ours.get("dev-held"):
        return []
    rows = [(label, _field(ours["dev-tune"], key), _field(ours["dev-held"], key), _field(ours.get("dev2") or {}, key))
            for key, label in FIELDS]
    for kind, pattern in (("normalize_byline exact", r"exact ([\d.]+)"),
                          ("normalize_copyright all fields", r"all fields ([\d.]+)")):
        source = "bylines" if "byline" in kind else "copyright"
        rows.append((kind, _label_value(labels.get("dev-tune", {}).get(source), pattern),
                     _label_value(labels.get("dev-held", {}).get(source), pattern),
                     _label_value(labels.get("dev2", {}).get(source), pattern)))
    lines = ["| field | tuning half | held-back half | gap (tuning − held-back) | dev2 (validation) |",
             "|---|---|---|---|---|"]
    for label, tune, held, dev2 in rows:
        gap = f"{tune - held:+.3f}" if tune is not None and held is not None else "-"
        lines.append(f"| {label} | {_fmt(tune)} | {_fmt(held)} | {gap} | {_fmt(dev2)} |")
    return lines


# The scorer reports 0.0 for a field no page has truth for; the count says whether it was measured.
_COUNTS = {"body_f1_full": "n_full", "body_recall_prefix": "n_prefix", "body_f1_segments": "n_segments",
           "title_exact": "n_title", "authors_f1": "n_authors", "authors_exact": "n_authors",
           "published_day": "n_published"}


def _field(scores: dict, key: str) -> float | None:
    return scores.get(key) if scores.get(_COUNTS.get(key, key)) else None


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.3f}"


_VIEW_TITLES = {
    "dev": "dev: every page of the development corpus (rules are tuned here)",
    "dev-tune": "dev, tuning half (site-grouped split)",
    "dev-held": "dev, held-back half (site-grouped split; not tuned on)",
    "dev2": "dev2: validation corpus (a different public source; not tuned on)",
}


def _report(corpora: dict[str, Path], speeds: dict[str, list[str]], tables: dict[str, str],
            scores: dict[str, dict], labels: dict[str, dict[str, str]],
            own: dict[str, str], peers: dict[str, str]) -> str:
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    versions = ", ".join(f"{k} {v}" for k, v in {**own, **peers}.items())
    where = "; ".join(f"{name} `{path}`" for name, path in corpora.items())
    lines = [
        "# Extraction evaluation",
        "",
        f"Run {today} by `make eval` (tools/evaluate.py) on {where}; "
        f"Python {platform.python_version()}; {versions}.",
        "",
        "Every system ran over the same pages in the same run; pages/s is the predict step of the shared",
        "scorer (one process, after import) and depends on the machine's load at the time.",
        "The dev split is fixed: a site group is in the held-back half when the first byte of",
        f"sha1(\"{SPLIT_SALT}\" + site_group) is odd (tools/evaluate.py `split_of`).",
        "",
    ]
    gap = _gap_table(scores, labels)
    if gap:
        lines += ["## Over-fitting check: newsarchive on the tuning half, the held-back half and dev2", "", *gap, ""]
    lines += ["## Prediction runs", ""]
    for name, entries in speeds.items():
        lines += [f"- {name}: {line.split(' -> ')[0]}" for line in entries]
    for view, table in tables.items():
        lines += ["", f"# {_VIEW_TITLES.get(view, view)}", table.rstrip()]
        found = labels.get(view) or {}
        if found:
            lines += ["", "Byline and copyright normalization:", ""]
            lines += [f"- {found[k]}" for k in ("bylines", "copyright") if k in found]
        if view == "dev2" and "bylines" not in found:
            lines += ["", "dev2 has no raw-byline labels; its authors column is the byline measure there."]
    lines += [
        "",
        "## Reading the tables",
        "",
        "- The gap is tuning minus held-back: a positive gap is what over-fitting looks like (rules that",
        "  fit the pages they were written on). A negative gap means the held-back half scored higher;",
        "  with 15 to 30 pages per field in each half, one page moves a field by 0.03 to 0.07.",
        "- How the split is used: a change is measured on all three views before it ships. One that",
        "  raises the tuning half but neither the held-back half nor dev2 is not kept.",
        "- Fields are scored only on pages whose truth for that field is known (counts in each heading).",
        "- The truth comes from several projects' test sets, with their own conventions: some full bodies",
        "  keep \"Related:\" teasers, product widgets or photo credits, which newsarchive removes by design;",
        "  some titles keep the site name. Those pages cost newsarchive points on purpose.",
        "- dev2's values are one parser's accepted output (silver quality), and most of its pages were",
        "  stored without scripts and with renamed meta attributes: title, authors and date must come",
        "  from the visible page there.",
        "- newsarchive's body extractor wraps trafilatura (on the already-parsed tree, no metadata pass);",
        "  metadata, bylines, dates, copyright and text cleaning are newsarchive's own.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
