"""BodySizeLimit counts body bytes per request and stops the download once they pass the limit."""
from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.utils.test import get_crawler

from newsarchive.fetch.size_limit import TRUNCATED_STAT, BodySizeLimit


def extension(maxsize: int) -> BodySizeLimit:
    crawler = get_crawler(settings_dict={"NEWSARCHIVE_MAXSIZE": maxsize})
    crawler.stats.open_spider()
    return BodySizeLimit.from_crawler(crawler)


def test_stops_once_the_body_passes_the_limit_and_counts_it():
    limit = extension(1000)
    request, other = Request("http://127.0.0.1/a"), Request("http://127.0.0.1/b")
    limit.bytes_received(b"x" * 600, request, None)
    limit.bytes_received(b"x" * 600, other, None)  # counted per request
    limit.bytes_received(b"x" * 400, request, None)  # exactly at the limit is still whole
    with pytest.raises(StopDownload) as stopped:
        limit.bytes_received(b"x", request, None)
    assert stopped.value.fail is False  # Scrapy then delivers the partial response
    assert limit.stats.get_value(TRUNCATED_STAT) == 1


def test_request_meta_overrides_the_limit():
    limit = extension(10)
    unlimited = Request("http://127.0.0.1/big", meta={"newsarchive_maxsize": 0})
    limit.bytes_received(b"x" * 100, unlimited, None)
    tight = Request("http://127.0.0.1/tight", meta={"newsarchive_maxsize": 5})
    with pytest.raises(StopDownload):
        limit.bytes_received(b"x" * 6, tight, None)


def test_no_limit_setting_disables_the_extension():
    with pytest.raises(NotConfigured):
        extension(0)
