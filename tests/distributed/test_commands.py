"""The distributed CLI's answers to bad input and empty Redis, and the merged report."""
from __future__ import annotations

import json

import pytest

from newsarchive.cli import main
from newsarchive.distributed.connection import masked_url
from newsarchive.distributed.report import merge_reports
from tests.distributed.redis_server import free_port


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_several_urls_need_redis(capsys):
    code, _, err = cli(capsys, "crawl", "news", "--url", "http://127.0.0.1:1/", "--url", "http://127.0.0.1:2/")
    assert code == 2 and "--redis" in err


def test_unreachable_redis_is_an_environment_error_and_its_password_is_not_shown(capsys):
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    for args in (("worker", "news", "--redis", url), ("status", "--redis", url)):
        code, out, err = cli(capsys, *args)
        assert code == 3 and "cannot reach Redis" in err
        assert "hunter2" not in out + err
    assert masked_url(url).startswith("redis://:***@127.0.0.1:")


def test_a_worker_without_a_crawl_and_options_that_do_not_apply(capsys, redis_url):
    code, _, err = cli(capsys, "worker", "news", "--redis", redis_url)
    assert code == 2 and "newsarchive crawl news" in err
    code, _, err = cli(capsys, "crawl", "news", "--url", "http://127.0.0.1:1/", "--redis", redis_url,
                       "--max-articles", "5")
    assert code == 2
    code, _, err = cli(capsys, "worker", "nosuchspider", "--redis", redis_url)
    assert code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["worker", "news", "--redis", redis_url, "--idle-exit", "-1"])
    assert exit_info.value.code == 2


def test_status_of_an_empty_redis(capsys, redis_url):
    code, out, _ = cli(capsys, "status", "--redis", redis_url)
    assert code == 0 and "no distributed crawl" in out
    code, out, _ = cli(capsys, "status", "news", "--redis", redis_url, "--json")
    assert code == 1 and json.loads(out) == []


def test_merged_report_sums_counts_and_weights_coverage():
    def report(worker, articles, responses, authors, started, finished, reason="finished"):
        return {"crawl_id": "C", "spider": "news", "worker": worker, "started_at": started, "finished_at": finished,
                "duration_s": 10.0, "finish_reason": reason, "coverage_min": {"authors": 0.5},
                "counts": {"articles": articles, "responses": responses, "responses_by_status": {"200": responses}},
                "errors": {"http_404": 1}, "problems": {}, "coverage": {"authors": authors},
                "paths": {"crawl_dir": "/a/news/C", "articles": f"/a/news/C/articles-{worker}.jsonl",
                          "warc": [{"path": f"/a/news/C/warc/W-{worker}.warc.gz", "bytes": 100}]}}

    merged = merge_reports([report("h-2", 30, 40, 0.5, "2026-11-29T00:00:05Z", "2026-11-29T00:01:00Z"),
                            report("h-1", 10, 20, 1.0, "2026-11-29T00:00:00Z", "2026-11-29T00:00:50Z")])
    assert merged["counts"] == {"articles": 40, "responses": 60, "responses_by_status": {"200": 60}}
    assert merged["errors"] == {"http_404": 2}
    assert merged["coverage"]["authors"] == pytest.approx(0.625)
    assert (merged["duration_s"], merged["worker_seconds"], merged["finish_reason"]) == (60.0, 20.0, "finished")
    assert [w["worker"] for w in merged["workers"]] == ["h-1", "h-2"]
    assert len(merged["paths"]["warc"]) == 2 and merged["coverage_failed"] == []
    stopped = merge_reports([report("h-1", 1, 1, 0.0, "2026-11-29T00:00:00Z", "2026-11-29T00:00:01Z", "shutdown")])
    assert stopped["finish_reason"] == "shutdown" and stopped["coverage_failed"]


def test_a_worker_leaving_just_before_the_last_judges_the_whole_crawl_from_every_report(redis_url, tmp_path):
    # The race seen on a loaded machine: worker B leaves first and writes a merge of its own (empty)
    # report; the last worker, A, leaves before B reads the crawl's report back, so B finds no crawl
    # running and a crawl.json with B's report only, which says nothing was fetched.
    import redis

    from newsarchive.commands.worker import whole_crawl_report
    from newsarchive.distributed import crawls

    server = redis.Redis.from_url(redis_url)
    crawl = crawls.create_crawl(server, "news", "20261206T000000Z", {})

    def report(worker: str, responses: int) -> dict:
        return {"crawl_id": crawl.crawl_id, "spider": "news", "worker": worker, "finish_reason": "finished",
                "started_at": "2026-12-06T00:00:00Z", "counts": {"responses": responses, "articles": responses // 4}}

    early, last = report("b-2", 0), report("a-1", 40)
    server.hset(crawl.keys.reports, "b-2", json.dumps(early))
    path = tmp_path / "crawl.json"
    path.write_text(json.dumps(merge_reports([early])))
    server.hset(crawl.keys.reports, "a-1", json.dumps(last))
    whole = whole_crawl_report(server, crawl, path)
    assert whole["counts"]["responses"] == 40 and len(whole["workers"]) == 2
    path.write_text(json.dumps({**merge_reports([early, last]), "distributed": {"failed": []}}))
    assert whole_crawl_report(server, crawl, path)["distributed"] == {"failed": []}  # the last worker's, as written
    server.close()
