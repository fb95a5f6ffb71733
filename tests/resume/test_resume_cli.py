"""The pieces around resume: which crawl `--resume` picks, its refusals, the articles-feed add-on,
and `newsarchive schedule`'s output."""
from __future__ import annotations

import json
import shlex

import pytest
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from newsarchive.crawl import resume, scheduling
from newsarchive.export.articles_feed import ArticlesFeed
from tests.conftest import run_cli


def make_crawl(spider_dir, crawl_id, *, finish_reason=None, job=True):
    crawl_dir = spider_dir / crawl_id
    crawl_dir.mkdir(parents=True)
    if job:
        (crawl_dir / "job").mkdir()
    if finish_reason:
        (crawl_dir / "crawl.json").write_text(json.dumps({"finish_reason": finish_reason}))
    return crawl_dir


def test_find_resumable_crawl_skips_finished_and_jobless_crawls(tmp_path):
    make_crawl(tmp_path, "20261129T010000Z", finish_reason="finished")
    stopped = make_crawl(tmp_path, "20261129T020000Z", finish_reason="shutdown")
    make_crawl(tmp_path, "20261129T030000Z", job=False)
    assert resume.find_resumable_crawl(tmp_path) == stopped
    killed = make_crawl(tmp_path, "20261129T040000Z")  # killed: no crawl.json at all
    assert resume.find_resumable_crawl(tmp_path) == killed
    assert resume.find_resumable_crawl(tmp_path, "20261129T020000Z") == stopped
    with pytest.raises(resume.NothingToResume, match="finished already"):
        resume.find_resumable_crawl(tmp_path, "20261129T010000Z")
    with pytest.raises(resume.NothingToResume, match="no job folder"):
        resume.find_resumable_crawl(tmp_path, "20261129T030000Z")
    with pytest.raises(resume.NothingToResume, match="no unfinished crawl"):
        resume.find_resumable_crawl(tmp_path / "other")


def test_exported_record_ids_ignore_a_torn_last_line(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps({"url": "u1", "warc": {"record_id": "<urn:uuid:1>"}}) + "\n"
                    + json.dumps({"url": "u2", "warc": None}) + "\n" + '{"url": "u3", "warc": {"rec')
    assert resume.exported_record_ids(path) == {"<urn:uuid:1>"}
    assert resume.exported_record_ids(tmp_path / "missing.jsonl") == set()


def test_resume_without_an_unfinished_crawl_is_a_usage_error(tmp_path):
    proc = run_cli("crawl", "demo", "--resume", "--archive", str(tmp_path), "--no-progress")
    assert proc.returncode == 2
    assert "no unfinished crawl" in proc.stderr


def test_resume_refuses_changed_arguments(tmp_path):
    crawl_dir = make_crawl(tmp_path / "demo", "20261129T040000Z")
    resume.save_arguments(crawl_dir / "job", {"url": "http://127.0.0.1:9/"})
    proc = run_cli("crawl", "demo", "--resume", "--archive", str(tmp_path), "--url", "http://127.0.0.1:10/")
    assert proc.returncode == 2
    assert "was started with url='http://127.0.0.1:9/'" in proc.stderr


def test_articles_feed_survives_a_command_line_feeds():
    settings = Settings()
    settings.setmodule("newsarchive.settings", priority="project")
    settings.set("FEEDS", json.dumps({"file:///tmp/items/job.jl": {"format": "jsonlines"}}), priority="cmdline")
    ArticlesFeed().update_settings(settings)
    feeds = settings.getdict("FEEDS")
    assert set(feeds) == {"file:///tmp/items/job.jl", "%(archive_dir)s/%(name)s/%(crawl_id)s/articles.jsonl"}
    assert settings.getpriority("FEEDS") == SETTINGS_PRIORITIES["cmdline"]


@pytest.mark.parametrize("every, cron, calendar", [
    ("1h", "0 * * * *", "*-*-* 00/1:00:00"),
    ("15m", "*/15 * * * *", "*-*-* *:00/15:00"),
    ("6h", "0 */6 * * *", "*-*-* 00/6:00:00"),
    ("24h", "0 0 * * *", "*-*-* 00:00:00"),
    ("1d", "0 0 * * *", "*-*-* 00:00:00"),
])
def test_intervals(every, cron, calendar):
    interval = scheduling.parse_every(every)
    assert (interval.cron, interval.on_calendar) == (cron, calendar)


@pytest.mark.parametrize("every", ["7m", "5h", "0h", "1w", "", "h"])
def test_irregular_intervals_are_refused(every):
    with pytest.raises(ValueError):
        scheduling.parse_every(every)


def test_schedule_prints_a_locked_crontab_line_and_systemd_units(tmp_path):
    proc = run_cli("schedule", "demo", "--every", "1h", "--url", "http://127.0.0.1:8000/", "--archive",
                   str(tmp_path / "my archive"), check=True)
    lines = proc.stdout.splitlines()
    [cron] = [line for line in lines if line.startswith("0 * * * * ")]
    words = shlex.split(cron[len("0 * * * * "):])
    lock = str(tmp_path / "my archive" / "demo" / "crawl.lock")
    flock_at = next(i for i, w in enumerate(words) if w.endswith("/flock"))
    assert words[flock_at + 1: flock_at + 3] == ["-n", lock]
    newsarchive = words[flock_at + 3]
    assert newsarchive.startswith("/") and newsarchive.endswith("newsarchive")
    assert words[flock_at + 4: flock_at + 6] == ["crawl", "demo"] and "http://127.0.0.1:8000/" in words
    assert "# ---- ~/.config/systemd/user/newsarchive-demo.service" in lines
    assert "OnCalendar=*-*-* 00/1:00:00" in lines and "Type=oneshot" in lines
    [exec_start] = [line for line in lines if line.startswith("ExecStart=")]
    assert f'-n "{lock}"' in exec_start  # the space in the path is quoted for systemd


def test_schedule_refuses_an_irregular_interval():
    proc = run_cli("schedule", "demo", "--every", "7m")
    assert proc.returncode == 2 and "--every 7m" in proc.stderr
