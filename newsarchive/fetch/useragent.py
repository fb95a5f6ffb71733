"""An identifying User-Agent that names the operator's contact, so a site can reach a person."""
from __future__ import annotations

from scrapy import signals
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

from newsarchive.base.agent import user_agent


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's UserAgentMiddleware, with `newsarchive/<version> (+NEWSARCHIVE_CONTACT)` as the agent
    (newsarchive.base.agent says which wins when both settings are given)."""

    @classmethod
    def from_crawler(cls, crawler):
        middleware = cls(user_agent(crawler.settings))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware
