"""The Redis connection of the distributed mode, and what may be said about it.

The client itself is the process's one from newsarchive.state.redis_store (made by scrapy-redis,
counting its round trips), so the frontier, the politeness gate and the state share one pool.
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import redis

from newsarchive.state.redis_store import CountingRedis, redis_client

__all__ = ["CountingRedis", "redis_client", "redis_from_settings", "masked_url", "check_reachable"]


def redis_from_settings(settings) -> redis.Redis:
    return redis_client(settings.get("REDIS_URL"))


def masked_url(url: str | None) -> str:
    """The Redis URL without its password, for logs, reports and the console."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "redis://?"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def check_reachable(url: str) -> redis.Redis:
    """A client that answered PING; raises redis.RedisError (or ValueError for a malformed URL)."""
    client = redis_client(url)
    client.ping()
    return client
