"""Crawl limits (crawl/limits.py): each stops a real crawl of the demo site cleanly, with exit code 4 and
`stopped_by`, the archive valid and articles.jsonl whole; --resume keeps the limit (what was used counts,
even after kill -9) and, with the limit raised, finishes the crawl without fetching or exporting anything twice."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsarchive.crawl import limits
from newsarchive.warc.validate import validate_paths
from newsarchive.demo.site import DemoSite
from tests.conftest import REPO, run_cli
from tests.resume.archive import article_lines, fetches_by_path, path_of

CRAWL_ID = "20261129T060000Z"
# A smaller edition of the demo site (every special case, a third of the pages): a dozen crawls run here.
SITE = DemoSite(n_articles=12)
ALL_ARTICLES = {a.path for a in SITE.articles}


# ------------------------------------------------------------------ the values

@pytest.mark.parametrize("text, expected", [
    ("4096", 4096), (4096, 4096), ("40K", 40 * 1024), ("500M", 500 * 1024 ** 2), ("2G", 2 * 1024 ** 3),
    ("1.5GB", int(1.5 * 1024 ** 3)), ("10GiB", 10 * 1024 ** 3), ("3 t", 3 * 1024 ** 4),
])
def test_sizes(text, expected):
    assert limits.parse_size(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("90", 90), (45, 45), ("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("0.5h", 1800),
])
def test_durations(text, expected):
    assert limits.parse_duration(text) == expected


@pytest.mark.parametrize("parse, bad", [
    (limits.parse_size, "lots"), (limits.parse_size, "0"), (limits.parse_size, "-5M"), (limits.parse_size, True),
    (limits.parse_duration, "soon"), (limits.parse_duration, "0s"), (limits.parse_duration, "1h 30x"),
    (limits.parse_duration, ""), (limits.parse_count, "0"), (limits.parse_count, "ten"),
    (limits.parse_free_disk, "100%"), (limits.parse_free_disk, "0%"), (limits.parse_free_disk, "x%"),
])
def test_bad_values_are_refused(parse, bad):
    with pytest.raises(ValueError):
        parse(bad)


def test_disk_floors_in_bytes_or_percent():
    assert limits.parse_free_disk("10G") == 10 * 1024 ** 3
    assert limits.parse_free_disk("5%") == "5%"
    assert limits.floor_bytes("5%", 1000) == 50 and limits.floor_bytes(300, 1000) == 300


def test_the_journal_survives_a_torn_last_line(tmp_path):
    journal = tmp_path / limits.JOURNAL_FILE
    journal.write_text("R a:1\nR a:1\nT 3.5\nR b\nT 4.25\nR b", encoding="utf-8")  # the last line was cut
    usage = limits.read_journal(journal)
    assert (usage.pages, usage.seconds, dict(usage.hosts)) == (3, 4.25, {"a:1": 2, "b": 1})
    assert limits.read_journal(tmp_path / "missing").pages == 0


@pytest.mark.parametrize("option, value", [("--max-pages", "0"), ("--max-bytes", "many"), ("--max-time", "later"),
                                           ("--max-requests-per-host", "-1"), ("--min-free-disk", "150%")])
def test_a_bad_limit_is_a_usage_error(option, value):
    proc = run_cli("crawl", "demo", option, value)
    assert proc.returncode == 2 and option in proc.stderr


def test_a_bad_limit_setting_is_a_usage_error_too():
    proc = run_cli("crawl", "demo", "--set", "CRAWL_MAX_BYTES=lots")
    assert proc.returncode == 2 and "CRAWL_MAX_BYTES: a size is" in proc.stderr


def test_the_crawl_help_documents_the_limits_and_exit_code_4():
    help_text = run_cli("crawl", "--help").stdout
    for option in ("--max-pages", "--max-bytes", "--max-time", "--max-requests-per-host", "--min-free-disk"):
        assert option in help_text
    assert "4 when a limit stopped it" in " ".join(help_text.split())


# ------------------------------------------------------------------ each limit on a real crawl

@pytest.fixture(scope="module")
def server():
    from newsarchive.demo.server import DemoServer

    with DemoServer(site=SITE) as running:
        yield running


def crawl(server, archive: Path, *extra: str, resume: bool = False) -> tuple[subprocess.CompletedProcess, dict]:
    args = ["crawl", "demo", "--archive", str(archive), "--no-progress"]
    args += ["--resume"] if resume else ["--url", server.url, "--crawl-id", CRAWL_ID]
    proc = run_cli(*args, *extra, timeout=180)
    report = json.loads((archive / "demo" / CRAWL_ID / "crawl.json").read_text())
    return proc, report


def assert_archive_sound(crawl_dir: Path) -> list[dict]:
    """The WARC files pass the validation gate (in this process: the same code as `newsarchive validate`)."""
    files = sorted((crawl_dir / "warc").glob("*.warc.gz"))
    assert files and not list((crawl_dir / "warc").glob("*.open"))
    assert validate_paths(files) == []
    records = article_lines(crawl_dir / "articles.jsonl")  # fails on a torn line
    paths = [path_of(r["url"]) for r in records]
    assert len(paths) == len(set(paths)), "an article was exported twice"
    return records


def assert_fetched_once(crawl_dir: Path) -> None:
    twice = {path: n for path, n in fetches_by_path(crawl_dir / "warc").items() if n > 1 and path != "/robots.txt"}
    assert not twice, f"fetched more than once over the runs: {twice}"


SLOW = ["--set", "DOWNLOAD_DELAY=0.4", "--set", "DOWNLOAD_DELAY_JITTER=0"]  # about 12 s for the whole site

LIMITS = {
    # limit: (options of the limited crawl, options that let the resumed crawl finish)
    "max_pages": (["--max-pages", "10"], ["--max-pages", "1000"]),
    "max_bytes": (["--max-bytes", "20K"], ["--max-bytes", "1G"]),
    "max_time": (["--max-time", "2s", *SLOW], ["--max-time", "10m"]),
    "max_requests_per_host": (["--max-requests-per-host", "7"], ["--max-requests-per-host", "1000"]),
    "min_free_disk": (["--min-free-disk", "1000000T"], ["--min-free-disk", "1M"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("limit", list(LIMITS))
def test_a_limit_stops_the_crawl_cleanly_and_resume_continues_under_it(server, tmp_path, limit):
    limited, raised = LIMITS[limit]
    crawl_dir = tmp_path / "demo" / CRAWL_ID

    proc, report = crawl(server, tmp_path, *limited)
    assert proc.returncode == 4, proc.stdout + proc.stderr[-3000:]
    assert report["stopped_by"]["limit"] == limit and report["finish_reason"] == f"limit_{limit}"
    assert report["stopped_by"]["value"] == limits.PARSERS[limit](limited[1])
    assert "STOPPED BY     " + limit in proc.stdout
    first = assert_archive_sound(crawl_dir) if limit != "min_free_disk" else article_lines(crawl_dir / "articles.jsonl")
    assert len(first) < len(ALL_ARTICLES)
    if limit == "max_pages":
        assert report["counts"]["responses"] == 10 and report["limits"]["used"]["pages"] == 10
    elif limit == "max_requests_per_host":
        assert report["stopped_by"]["used"] == 7 and report["stopped_by"]["host"] == f"127.0.0.1:{server.port}"
    elif limit == "max_bytes":
        assert report["stopped_by"]["used"] >= 20 * 1024
    elif limit == "min_free_disk":
        assert report["counts"]["responses"] == 0  # checked before the first request
    assert (crawl_dir / "job" / "limits.json").exists(), "a crawl stopped by a limit stays resumable"

    if limit in ("max_pages", "max_time"):
        assert_resume_stops_at_once(server, tmp_path, limit, len(first))

    # Resumed with the limit raised: the crawl finishes, every article once, nothing fetched twice.
    extra = ["--set", "DOWNLOAD_DELAY=0"] if limit == "max_time" else []
    proc, report = crawl(server, tmp_path, *raised, *extra, resume=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    assert report["stopped_by"] is None and report["finish_reason"] == "finished"
    records = assert_archive_sound(crawl_dir)
    assert {path_of(r["url"]) for r in records} == ALL_ARTICLES
    assert_fetched_once(crawl_dir)


def assert_resume_stops_at_once(server, tmp_path: Path, limit: str, articles: int) -> None:
    """Resumed as it was: the limit is remembered and what was used counts, so it stops again at once,
    without a request to the network (pages it archived may be read back from its WARC files)."""
    crawl_dir = tmp_path / "demo" / CRAWL_ID
    fetched = fetches_by_path(crawl_dir / "warc")
    proc, report = crawl(server, tmp_path, resume=True)
    assert proc.returncode == 4, proc.stdout + proc.stderr[-3000:]
    assert report["stopped_by"]["limit"] == limit
    assert fetches_by_path(crawl_dir / "warc") == fetched
    assert len(article_lines(crawl_dir / "articles.jsonl")) == articles


@pytest.mark.slow
def test_what_a_killed_run_used_counts_after_resume(server, tmp_path):
    """kill -9 halfway through a --max-pages budget: the resumed run spends only what is left of it."""
    crawl_dir = tmp_path / "demo" / CRAWL_ID
    journal = crawl_dir / "job" / limits.JOURNAL_FILE
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsarchive", "crawl", "demo", "--url", server.url, "--archive", str(tmp_path),
         "--crawl-id", CRAWL_ID, "--no-progress", "--max-pages", "16", *SLOW],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time

        deadline = time.monotonic() + 60
        while not (journal.exists() and journal.read_text().count("R ") >= 8):
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    used_before = limits.read_journal(journal).pages
    assert 8 <= used_before < 16

    resumed, report = crawl(server, tmp_path, resume=True)
    assert resumed.returncode == 4, resumed.stdout + resumed.stderr[-3000:]
    assert report["stopped_by"] == {"limit": "max_pages", "value": 16, "used": 16}
    # Over both runs the network saw 16 requests, as the budget said, and no URL twice.
    requests = sum(fetches_by_path(crawl_dir / "warc").values())
    assert 12 <= requests <= 16  # a killed run's request in flight left no record, a retried 500 counts once
    assert_archive_sound(crawl_dir)
    assert_fetched_once(crawl_dir)


def unshare_tmpfs_supported() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt && umount /mnt"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not unshare_tmpfs_supported(), reason="needs `unshare -rm` and tmpfs mounts (user namespaces)")
def test_the_disk_floor_stops_a_crawl_before_a_small_disk_fills(tmp_path):
    """The archive on an 8 MB tmpfs (in a private mount namespace); the floor is 300 KB below its size, and the
    whole demo site takes about 700 KB there."""
    from newsarchive.demo.server import DemoServer

    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    with DemoServer() as server:
        crawl_cmd = [sys.executable, "-m", "newsarchive", "crawl", "demo", "--url", server.url, "--archive", str(disk),
                     "--crawl-id", CRAWL_ID, "--no-progress", "--min-free-disk", "7892K"]
        script = ("mount -t tmpfs -o size=8m tmpfs \"$1\" && shift 2 && \"$@\"; code=$?; "
                  f"cp -a {disk}/. {out}/; exit $code")
        out.mkdir()
        proc = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", str(disk), "--", *crawl_cmd], cwd=REPO,
                              env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 4, proc.stdout + proc.stderr[-3000:]
    crawl_dir = out / "demo" / CRAWL_ID
    report = json.loads((crawl_dir / "crawl.json").read_text())
    assert report["stopped_by"]["limit"] == "min_free_disk"
    assert report["stopped_by"]["free_bytes"] < report["stopped_by"]["floor_bytes"] == 7892 * 1024
    assert 0 < report["counts"]["responses"] < 60  # it stopped mid-crawl, not before the first page
    assert_archive_sound(crawl_dir)


def test_schedule_passes_limits_and_alerts_to_each_crawl_and_takes_exit_4_as_success(tmp_path):
    proc = run_cli("schedule", "demo", "--every", "1h", "--archive", str(tmp_path), "--max-time", "50m",
                   "--notify", "mailto:ops@example.org", check=True)
    [cron] = [line for line in proc.stdout.splitlines() if line.startswith("0 * * * * ")]
    assert "--max-time 50m" in cron and "--notify mailto:ops@example.org" in cron
    assert "SuccessExitStatus=1 4" in proc.stdout.splitlines()
    assert run_cli("schedule", "demo", "--every", "1h", "--max-time", "soon").returncode == 2
    assert run_cli("schedule", "demo", "--every", "1h", "--notify", "nowhere").returncode == 2
