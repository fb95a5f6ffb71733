"""Crawl ids, spider names and WARC prefixes become path components: each is checked in one place
(base/safe_names.py), whether it comes from the CLI, from `scrapy crawl -a/-s` or from Scrapyd."""
from __future__ import annotations

import subprocess
import sys

import pytest

from newsarchive.base import safe_names
from newsarchive.base.safe_names import UnsafeName
from tests.conftest import REPO


@pytest.mark.parametrize("name", ["20261129T042935Z", "daily-1", "a.b_c", "X" * 128])
def test_safe_names_pass(name):
    assert safe_names.crawl_id(name) == name


@pytest.mark.parametrize("name", ["", "..", "../../x", "a/b", "a\\b", ".hidden", "-rf", "a\nb", "a b", "X" * 129,
                                  "caf\u00e9", None])
def test_unsafe_names_are_refused(name):
    with pytest.raises(UnsafeName, match="not a safe name"):
        safe_names.crawl_id(name)


def test_single_line():
    assert safe_names.single_line("/srv/archive", "--archive") == "/srv/archive"
    with pytest.raises(UnsafeName, match="control characters"):
        safe_names.single_line("/srv/a\n* * * * * rm -rf ~", "--archive")


@pytest.mark.parametrize("option", ["-a", "-s"])
def test_scrapy_crawl_with_an_unsafe_crawl_id_writes_nothing(tmp_path, option):
    """`scrapy crawl demo -a crawl_id=../../x` (as Scrapyd passes it) or `-s CRAWL_ID=...`: refused before any file."""
    archive = tmp_path / "deep" / "archive"
    value = "crawl_id=../../escaped" if option == "-a" else "CRAWL_ID=../../escaped"
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "demo", option, value, "-s", f"ARCHIVE_DIR={archive}",
                           "-a", "url=http://127.0.0.1:9/"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "crawl id '../../escaped' is not a safe name" in proc.stderr
    assert not (tmp_path / "deep" / "escaped").exists() and not list(tmp_path.rglob("*.warc.gz*"))


def test_scrapy_crawl_with_an_unsafe_warc_prefix_writes_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "demo", "-s", "WARC_PREFIX=../../x",
                           "-s", f"ARCHIVE_DIR={tmp_path}", "-a", "url=http://127.0.0.1:9/"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "WARC_PREFIX '../../x' is not a safe name" in proc.stderr
    assert not list(tmp_path.rglob("*.warc.gz*"))
