from __future__ import annotations

import pytest

from tests.distributed.redis_server import RedisServer


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
