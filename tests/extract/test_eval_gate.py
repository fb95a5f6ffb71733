"""Regression gate: extraction scores on the shared dev corpus must not fall below eval_floor.json.

Runs the shared scorer as `make eval` does (predict + score for newsarchive, then the byline and
copyright scores) in subprocesses. Skipped, with the reason shown, when <repo>/../shared is absent.
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
CORPUS = SHARED / "corpus" / "dev"
SCORE_PY = SHARED / "eval" / "score.py"
FLOOR = json.loads((Path(__file__).parent / "eval_floor.json").read_text())

pytestmark = pytest.mark.skipif(
    not (SCORE_PY.is_file() and (CORPUS / "truth.jsonl").is_file()),
    reason=f"no evaluation corpus at {CORPUS} (the shared folder sits beside the repository): gate not run")


def _score_py(*args: str) -> str:
    result = subprocess.run([sys.executable, str(SCORE_PY), *args], capture_output=True, text=True, cwd=REPO,
                            timeout=240, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("eval")
    predictions, table = out / "p-newsarchive.jsonl", out / "scores.json"
    _score_py("predict", "--system", "newsarchive", "--corpus", str(CORPUS), "--out", str(predictions))
    _score_py("score", "--corpus", str(CORPUS), "--json", str(table), str(predictions))
    return json.loads(table.read_text())["newsarchive"]


@pytest.mark.parametrize("subset", ["all", "tech"])
def test_fields_stay_above_the_floor(scores, subset):
    below = {field: (scores[subset][field], floor) for field, floor in FLOOR[subset].items()
             if scores[subset][field] is None or scores[subset][field] < floor}
    assert not below, f"{subset} pages: fields below the floor (score, floor): {below}"


def test_no_page_crashes(scores):
    assert scores["all"]["errors"] <= FLOOR["max_errors"]


def test_byline_normalization_stays_above_the_floor():
    line = _score_py("bylines", "--corpus", str(CORPUS), "--show", "0")
    match = re.search(r"exact ([\d.]+), mean F1 ([\d.]+)", line)
    assert match, line
    exact, mean_f1 = float(match.group(1)), float(match.group(2))
    assert exact >= FLOOR["bylines"]["exact"] and mean_f1 >= FLOOR["bylines"]["mean_f1"], line


def test_copyright_normalization_stays_above_the_floor():
    line = _score_py("copyright", "--labels", str(CORPUS / "copyright_labels.jsonl"), "--show", "0")
    match = re.search(r"all fields ([\d.]+)", line)
    assert match, line
    assert float(match.group(1)) >= FLOOR["copyright"]["all_fields"], line
