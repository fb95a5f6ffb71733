from __future__ import annotations

import pytest

from tests.conftest import read_jsonl, run_cli
from tests.distributed.cluster import REFERENCE_SETTINGS, crawl_dirs, host_and_path, set_args, warc_records
from tests.distributed.redis_server import RedisServer
from tests.distributed.site import HostServer


@pytest.fixture(scope="session")
def redis_server():
    with RedisServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server):
    """A Redis emptied for the test."""
    client = redis_server.client()
    client.flushall()
    client.close()
    return redis_server.url


@pytest.fixture(scope="session")
def reference(tmp_path_factory):
    """What one process archives and exports from one such site (URL paths): the distributed runs must match it."""
    archive = tmp_path_factory.mktemp("reference")
    with HostServer() as server:
        proc = run_cli("crawl", "news", "--url", server.url, "--archive", str(archive), "--no-progress",
                       *set_args(REFERENCE_SETTINGS))
        assert proc.returncode == 0, proc.stderr[-3000:]
    crawl_dir = crawl_dirs(archive)[0]
    paths = {host_and_path(r["uri"])[1] for r in warc_records(crawl_dir) if r["type"] in ("response", "revisit")}
    exported = {host_and_path(r["url"])[1] for r in read_jsonl(crawl_dir / "articles.jsonl")}
    assert len(exported) >= 10
    return {"paths": paths, "articles": exported}
