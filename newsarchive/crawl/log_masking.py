"""MaskSecretsInLog: no password, token or credential reaches crawl.log or the console.

Scrapy logs the settings a crawl overrides ("Overridden settings: {'HTTPAUTH_PASS': ...}"), and
URLs may carry user:password. This extension puts a SecretMaskingFilter (base/secrets.py) on every
handler of the root logger, before Scrapy writes that line and again once the crawl's own log
handler replaced the process's (Scrapy does so before the spider opens). The secrets it masks are
the values of secret-named settings, URL passwords in any setting and in the proxy environment, and
the Basic credentials built from them.
"""
from __future__ import annotations

import logging
from urllib.request import getproxies

from scrapy import signals

from newsarchive.base.secrets import SecretMaskingFilter, secret_values

logger = logging.getLogger(__name__)


class MaskSecretsInLog:
    def __init__(self, secrets: set[str]):
        self.filter = SecretMaskingFilter(secrets)

    @classmethod
    def from_crawler(cls, crawler) -> MaskSecretsInLog:
        extension = cls(secret_values(crawler.settings.items(), getproxies().values()))
        extension.install()
        crawler.signals.connect(extension.install, signal=signals.spider_opened)
        crawler.signals.connect(extension.install, signal=signals.engine_started)
        return extension

    def install(self, *args, **kwargs) -> None:
        for handler in logging.getLogger().handlers:
            if self.filter not in handler.filters:
                handler.addFilter(self.filter)
