"""The ArticlesFeed add-on: articles.jsonl is written where the archive layout says, whoever sets FEEDS.

Scrapy takes FEEDS whole from the highest-priority source, so a FEEDS given on the command line
replaces the project's: Scrapyd does exactly that when its `items_dir` is set (`-s FEEDS=...`),
and so does a user's `-s FEEDS=` or `-o`. The articles feed would then silently disappear. Add-ons
run after every settings source is in place, so this one adds NEWSARCHIVE_ARTICLES_FEED back to
whatever FEEDS holds, at that FEEDS' own priority: the other feeds are kept, and the article
records land in archive/<spider>/<crawl-id>/articles.jsonl as well.
Set NEWSARCHIVE_ARTICLES_FEED = {} to turn that off.
"""
from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class ArticlesFeed:
    def update_settings(self, settings) -> None:
        articles = settings.getdict("NEWSARCHIVE_ARTICLES_FEED")
        if not articles:
            return
        feeds = settings.getdict("FEEDS")
        missing = {uri: options for uri, options in articles.items() if uri not in feeds}
        if missing:
            settings.set("FEEDS", {**feeds, **missing}, priority=settings.getpriority("FEEDS") or "project")
            if feeds:
                logger.info("FEEDS was overridden (%s); added the articles feed back", ", ".join(map(str, feeds)))
