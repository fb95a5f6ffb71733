"""An identifying User-Agent that names the operator's contact, so a site can reach a person."""
from __future__ import annotations

from scrapy import signals
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware

from newsarchive import __version__


def contact_user_agent(contact: str | None) -> str:
    agent = f"newsarchive/{__version__}"
    return f"{agent} (+{contact})" if contact else agent


class ContactUserAgentMiddleware(UserAgentMiddleware):
    """Scrapy's UserAgentMiddleware, with `newsarchive/<version> (+NEWSARCHIVE_CONTACT)` as the agent.

    Overriding only NEWSARCHIVE_CONTACT (e.g. `-s NEWSARCHIVE_CONTACT=mailto:ops@example.org`)
    rebuilds the agent around it; an explicit USER_AGENT of the same or higher priority wins.
    """

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        agent = settings.get("USER_AGENT")
        if not agent or settings.getpriority("NEWSARCHIVE_CONTACT") > settings.getpriority("USER_AGENT"):
            agent = contact_user_agent(settings.get("NEWSARCHIVE_CONTACT"))
        middleware = cls(agent)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware
