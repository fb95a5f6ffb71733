"""The Redis connection of the distributed mode, and what may be said about it.

The client itself is the process's one from newsarchive.state.redis_store (made by scrapy-redis,
counting its round trips), so the frontier, the politeness gate and the state share one pool.
"""
from __future__ import annotations

import redis

from newsarchive.base.secrets import mask_url_passwords
from newsarchive.state.redis_store import CountingRedis, redis_client

__all__ = ["CountingRedis", "redis_client", "redis_from_settings", "masked_url", "check_reachable"]


def redis_from_settings(settings) -> redis.Redis:
    return redis_client(settings.get("REDIS_URL"))


def masked_url(url: str | None) -> str:
    """The Redis URL without its password, for logs, reports and the console (base/secrets.py)."""
    return mask_url_passwords(url or "")


def check_reachable(url: str) -> redis.Redis:
    """A client that answered PING; raises redis.RedisError (or ValueError for a malformed URL)."""
    client = redis_client(url)
    client.ping()
    return client
