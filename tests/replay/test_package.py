"""`newsarchive package`: a WACZ that py-wacz validates, whose pages are the articles, and that pywb opens."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.request
import zipfile

import pytest

from newsarchive.export.wacz import read_pages
from newsarchive.research.replay import wayback_timestamp
from tests.conftest import read_jsonl, run_cli
from tests.pywb import running_wayback
from tests.replay.conftest import CRAWL_ID, venv_bin

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wacz(logged_archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("wacz") / "demo.wacz"
    proc = run_cli("package", str(logged_archive / "demo" / CRAWL_ID), "--out", str(out), "--title", "Demo Tech News",
                   check=True)
    assert "36 pages" in proc.stdout
    return out


def wacz_validate(path) -> subprocess.CompletedProcess:
    bin_dir = venv_bin("NEWSARCHIVE_WACZ_VENV", ".venv-wacz", "wacz")
    return subprocess.run([str(bin_dir / "wacz"), "validate", "-f", str(path)], capture_output=True, text=True,
                          timeout=300)


def test_py_wacz_validates_the_package(wacz):
    proc = wacz_validate(wacz)
    assert proc.returncode == 0 and "Validation succeeded" in proc.stdout, proc.stdout + proc.stderr


def test_py_wacz_rejects_a_package_whose_pages_were_changed(wacz, tmp_path):
    """The check above can fail: the same package with one byte of pages.jsonl changed does not pass."""
    tampered = tmp_path / "tampered.wacz"
    with zipfile.ZipFile(wacz) as src, zipfile.ZipFile(tampered, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "pages/pages.jsonl":
                data = data.replace(b"Articles", b"Articlez", 1)
            dst.writestr(info, data)
    proc = wacz_validate(tampered)
    assert proc.returncode != 0 and "Validation failed" in proc.stdout


def test_every_article_is_a_page_once_with_its_title_and_text(wacz, logged_archive):
    records = read_jsonl(logged_archive / "demo" / CRAWL_ID / "articles.jsonl")
    pages = read_pages(wacz)
    assert len(pages) == len(records) == 36
    assert sorted(p["url"] for p in pages) == sorted(r["url"] for r in records)
    by_url = {r["url"]: r for r in records}
    for page in pages:
        record = by_url[page["url"]]
        assert page["title"] == record["title"] and page["text"] == record["text"] and page["ts"] == record["fetched_at"]
    with zipfile.ZipFile(wacz) as zf:
        header = json.loads(zf.read("pages/pages.jsonl").splitlines()[0])
        package = json.loads(zf.read("datapackage.json"))
        stored = {i.filename: i.compress_type for i in zf.infolist()}
    assert header["format"] == "json-pages-1.0" and header["hasText"] is True
    assert package["wacz_version"] == "1.1.1" and package["title"] == "Demo Tech News"
    assert all(stored[name] == zipfile.ZIP_STORED for name in stored if name.startswith("archive/") or name.endswith(".gz"))


def test_the_package_opens_in_pywb(wacz, logged_demo, tmp_path):
    bin_dir = venv_bin("NEWSARCHIVE_PYWB_VENV", ".venv-pywb", "wayback")
    for args in (["init", "demo"], ["add", "--unpack-wacz", "demo", str(wacz)]):
        subprocess.run([str(bin_dir / "wb-manager"), *args], cwd=tmp_path, check=True, capture_output=True, timeout=120)
    with running_wayback(bin_dir, tmp_path, timeout=60) as base:
        page = read_pages(wacz)[0]
        article = logged_demo.site.article(page["url"].split(str(logged_demo.port), 1)[1])
        url = f"{base}/demo/{wayback_timestamp(page['ts'])}mp_/{page['url']}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=20) as response:
                    body = response.read().decode("utf-8", "replace")
                break
            except OSError:
                if time.monotonic() > deadline:  # wayback answers; the collection may still be loading
                    raise
                time.sleep(0.3)
        assert article.title.replace("'", "&#x27;") in body or article.title in body
        image = f"{base}/demo/{wayback_timestamp(page['ts'])}im_/{logged_demo.url.rstrip('/')}{article.image_path}"
        with urllib.request.urlopen(image, timeout=20) as response:
            assert response.headers["Content-Type"] == "image/png" and response.read().startswith(b"\x89PNG")


def test_package_refuses_what_it_cannot_package(tmp_path):
    assert run_cli("package", str(tmp_path), "--out", str(tmp_path / "x.wacz")).returncode == 1
    assert run_cli("package", str(tmp_path / "missing"), "--out", str(tmp_path / "x.wacz")).returncode == 3
    assert run_cli("package", str(tmp_path), "--out", str(tmp_path / "x.zip")).returncode == 2


def test_replay_refuses_what_it_cannot_replay(tmp_path):
    assert run_cli("replay", str(tmp_path), "--port", "18099").returncode == 1  # no WARC: nothing to start pywb for
    assert run_cli("replay", str(tmp_path / "missing")).returncode == 3
    proc = run_cli("replay", str(tmp_path), "--port", "70000")
    assert proc.returncode == 2 and "--port" in proc.stderr
