"""tools/evaluate.py (`make eval`): harmless without the shared corpus; a full run on a tiny corpus."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "evaluate.py"
SHARED = REPO.parent / "shared"
FIXTURES = Path(__file__).parent / "fixtures"


def test_missing_shared_folder_is_not_an_error(tmp_path):
    result = subprocess.run([sys.executable, str(TOOL), "--shared", str(tmp_path / "absent")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "not found; nothing to score" in result.stdout


@pytest.mark.skipif(not (SHARED / "eval" / "score.py").is_file(), reason=f"no shared scorer at {SHARED}")
def test_run_on_a_corpus_of_our_own_pages(tmp_path):
    """The whole pipeline (predict, score, bylines, copyright, report) on a two-page corpus of team fixtures."""
    shared = tmp_path / "shared"
    (shared / "eval").mkdir(parents=True)
    shutil.copy(SHARED / "eval" / "score.py", shared / "eval" / "score.py")
    corpus = shared / "corpus" / "mini"
    (corpus / "pages").mkdir(parents=True)
    truth = [
        {"id": "seed", "url": "https://circuit.test/a", "title": "Brightwave and Norfield Drop Their Router Deal",
         "authors": ["Odile Marchetti"], "published": None, "body": None, "body_kind": None, "tech": True},
        {"id": "meta", "url": "https://byteharbor.test/b", "title": "Solar roads get a second trial",
         "authors": ["Marcus Fenwick", "Julia Ode"], "published": "2024-02-10", "body": None, "body_kind": None,
         "tech": False},
    ]
    shutil.copy(FIXTURES / "seed_like.html", corpus / "pages" / "seed.html")
    shutil.copy(FIXTURES / "meta_only.html", corpus / "pages" / "meta.html")
    (corpus / "truth.jsonl").write_text("".join(json.dumps(r) + "\n" for r in truth))
    (corpus / "bylines.jsonl").write_text(json.dumps({"raw": "By Odile Marchetti", "authors": ["Odile Marchetti"]}) + "\n")
    (corpus / "copyright_labels.jsonl").write_text(json.dumps({
        "raw": "ⓒ 2021 All rights reserved.", "is_copyright": True, "years": [2021], "holder": None,
        "all_rights_reserved": True, "text": "© 2021 All rights reserved."}) + "\n")
    report = tmp_path / "EVALUATION.md"
    result = subprocess.run(
        [sys.executable, str(TOOL), "--shared", str(shared), "--corpus", str(corpus), "--peers", "",
         "--out", str(tmp_path / "out"), "--write", str(report)],
        capture_output=True, text=True, check=False, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    scores = json.loads((tmp_path / "out" / "scores.json").read_text())["newsarchive"]["all"]
    assert scores["title_exact"] == 1.0 and scores["authors_exact"] == 1.0 and scores["published_day"] == 1.0
    text = report.read_text()
    assert "| newsarchive |" in text and "bylines: 1 raw strings, exact 1.000" in text and "copyright: 1 lines" in text
