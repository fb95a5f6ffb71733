"""Regression gate: extraction scores on the shared corpora must not fall below eval_floor.json.

Covers the development corpus (dev, what rules are tuned on) and the validation corpus (dev2,
never tuned on). Runs the shared scorer as `make eval` does (predict + score for newsarchive,
then the byline and copyright scores) in subprocesses. Each corpus is skipped, with the reason
shown, when it is absent (the shared folder sits beside the repository).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SCORE_PY = SHARED / "eval" / "score.py"
FLOOR = json.loads((Path(__file__).parent / "eval_floor.json").read_text())
CORPORA = {"dev": SHARED / "corpus" / "dev", "dev2": SHARED / "corpus" / "dev2"}
# dev's floors sit at the top level of eval_floor.json (its historical layout); dev2's under "dev2".
FLOORS = {"dev": FLOOR, "dev2": FLOOR["dev2"]}


def _available(name: str):
    corpus = CORPORA[name]
    return pytest.param(name, marks=pytest.mark.skipif(
        not (SCORE_PY.is_file() and (corpus / "truth.jsonl").is_file()),
        reason=f"no evaluation corpus at {corpus} (the shared folder sits beside the repository): gate not run"))


CORPUS_PARAMS = [_available(name) for name in CORPORA]


def _score_py(*args: str) -> str:
    result = subprocess.run([sys.executable, str(SCORE_PY), *args], capture_output=True, text=True, cwd=REPO,
                            timeout=240, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


_SCORES: dict[str, dict] = {}


def _scores(name: str, tmp_path_factory) -> dict:
    if name not in _SCORES:
        out = tmp_path_factory.mktemp(f"eval-{name}")
        predictions, table = out / "p-newsarchive.jsonl", out / "scores.json"
        _score_py("predict", "--system", "newsarchive", "--corpus", str(CORPORA[name]), "--out", str(predictions))
        _score_py("score", "--corpus", str(CORPORA[name]), "--json", str(table), str(predictions))
        _SCORES[name] = json.loads(table.read_text())["newsarchive"]
    return _SCORES[name]


@pytest.mark.parametrize("corpus", CORPUS_PARAMS)
@pytest.mark.parametrize("subset", ["all", "tech"])
def test_fields_stay_above_the_floor(corpus, subset, tmp_path_factory):
    floor = FLOORS[corpus].get(subset)
    if not floor:
        pytest.skip(f"{corpus} has no floor for {subset} pages")
    scores = _scores(corpus, tmp_path_factory)[subset]
    below = {field: (scores[field], value) for field, value in floor.items()
             if scores[field] is None or scores[field] < value}
    assert not below, f"{corpus}, {subset} pages: fields below the floor (score, floor): {below}"


@pytest.mark.parametrize("corpus", CORPUS_PARAMS)
def test_no_page_crashes(corpus, tmp_path_factory):
    assert _scores(corpus, tmp_path_factory)["all"]["errors"] <= FLOORS[corpus]["max_errors"]


@pytest.mark.parametrize("corpus", CORPUS_PARAMS)
def test_byline_normalization_stays_above_the_floor(corpus):
    if not (CORPORA[corpus] / "bylines.jsonl").is_file():
        pytest.skip(f"{corpus} has no raw-byline labels")
    line = _score_py("bylines", "--corpus", str(CORPORA[corpus]), "--show", "0")
    match = re.search(r"exact ([\d.]+), mean F1 ([\d.]+)", line)
    assert match, line
    exact, mean_f1 = float(match.group(1)), float(match.group(2))
    floor = FLOORS[corpus]["bylines"]
    assert exact >= floor["exact"] and mean_f1 >= floor["mean_f1"], line


@pytest.mark.parametrize("corpus", CORPUS_PARAMS)
def test_copyright_normalization_stays_above_the_floor(corpus):
    line = _score_py("copyright", "--labels", str(CORPORA[corpus] / "copyright_labels.jsonl"), "--show", "0")
    match = re.search(r"all fields ([\d.]+)", line)
    assert match, line
    assert float(match.group(1)) >= FLOORS[corpus]["copyright"]["all_fields"], line
