"""Scrapyd end to end: a real scrapyd on 127.0.0.1, the project deployed with scrapyd-deploy, a crawl
of the demo site scheduled through schedule.json, and the archive it wrote checked.

scrapyd.conf sets items_dir, so Scrapyd passes its own FEEDS on the command line, replacing the
project's: the articles feed must still land in ARCHIVE_DIR/demo/<crawl-id>/articles.jsonl
(newsarchive.export.articles_feed). The deploy runs from a copy of the project in a temp folder, so its
artefacts (setup.py, build/, *.egg-info) never touch the repository.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO, read_jsonl, run_cli, stop_process

pytestmark = pytest.mark.slow

VENV_BIN = Path(sys.executable).parent
PROJECT_FILES = ("scrapy.cfg", "pyproject.toml", "README.md", "newsarchive", "spiders")
DEPLOY_ARTEFACTS = ("setup.py", "build")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str, data: dict | list | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(url, data=body, timeout=10) as response:
        return json.loads(response.read())


def copy_project(target: Path) -> Path:
    target.mkdir()
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)
    return target


@pytest.fixture
def scrapyd(tmp_path):
    """A scrapyd on a free loopback port, with its eggs, logs, items and dbs in tmp_path."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\nitems_dir = {home / 'items'}\n"
        f"dbs_dir = {home / 'dbs'}\nmax_proc = 1\npoll_interval = 0.5\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
    log = open(home / "scrapyd.out", "w")
    proc = subprocess.Popen([str(VENV_BIN / "scrapyd")], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert get_json(url + "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("scrapyd did not start:\n" + (home / "scrapyd.out").read_text())
                time.sleep(0.2)
        yield url, home
    finally:
        stop_process(proc)
        log.close()


def test_repository_has_a_deploy_target_and_ignores_deploy_artefacts():
    config = (REPO / "scrapy.cfg").read_text()
    assert "[deploy:local]" in config and "url = http://127.0.0.1:6800/" in config
    ignored = subprocess.run(["git", "check-ignore", "setup.py", "build/x", "newsarchive.egg-info/x"],
                             cwd=REPO, capture_output=True, text=True)
    assert ignored.returncode == 0 and len(ignored.stdout.split()) == 3, ignored.stdout + ignored.stderr


def test_deploy_schedule_and_check_the_archive(scrapyd, demo_server, tmp_path):
    url, home = scrapyd
    assert "[project.entry-points.scrapy]" in (REPO / "pyproject.toml").read_text(), (
        'pyproject.toml needs [project.entry-points.scrapy] settings = "newsarchive.settings": with a [project] '
        "table, setuptools ignores the entry point in the setup.py scrapyd-deploy generates, and Scrapyd's runner "
        "then cannot find the deployed egg's settings (AttributeError: 'NoneType' object has no attribute "
        "'module_name')")
    before = {name: (REPO / name).exists() for name in DEPLOY_ARTEFACTS}
    project = copy_project(tmp_path / "project")
    with open(project / "scrapy.cfg", "a") as cfg:
        cfg.write(f"\n[deploy:test]\nurl = {url}\nproject = newsarchive\n")
    deploy = subprocess.run([str(VENV_BIN / "scrapyd-deploy"), "test", "-p", "newsarchive", "--version", "r1"],
                            cwd=project, capture_output=True, text=True, timeout=120)
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert '"status": "ok"' in deploy.stdout + deploy.stderr
    assert "demo" in get_json(url + "listspiders.json?project=newsarchive")["spiders"]

    archive = tmp_path / "archive"
    job = get_json(url + "schedule.json", [("project", "newsarchive"), ("spider", "demo"), ("url", demo_server.url),
                                          ("setting", f"ARCHIVE_DIR={archive}")])
    assert job["status"] == "ok", job
    deadline = time.monotonic() + 120
    while get_json(url + f"status.json?job={job['jobid']}&project=newsarchive")["currstate"] != "finished":
        assert time.monotonic() < deadline, "the scheduled crawl did not finish in 120 s"
        time.sleep(0.5)

    log = next((home / "logs").rglob("*.log")).read_text()
    [crawl_dir] = [d for d in (archive / "demo").iterdir() if d.is_dir()]
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["finish_reason"] == "finished", log[-3000:]
    articles = read_jsonl(crawl_dir / "articles.jsonl")
    assert len(articles) == report["counts"]["articles"] >= 30
    assert {a["crawl_id"] for a in articles} == {crawl_dir.name}
    [scrapyd_feed] = list((home / "items").rglob("*.jl"))  # Scrapyd's own feed is kept as well
    assert len(read_jsonl(scrapyd_feed)) == len(articles)
    validate = run_cli("validate", str(crawl_dir / "warc"))
    assert validate.returncode == 0, validate.stdout + validate.stderr

    assert {name: (REPO / name).exists() for name in DEPLOY_ARTEFACTS} == before  # nothing left in the repo
