"""Which known articles a recurring crawl fetches again: the re-check policy, as pure functions.

RECHECK_POLICY is a list of (max_age_days, every_hours) rules, checked in order of age: an article
younger than max_age_days is fetched again once its last fetch is every_hours old. An article older
than every rule is not re-checked, unless a feed or sitemap lists it as modified since the last crawl.
Age counts from the article's published date, or from its first capture when the page gave none.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable

from newsarchive.base.dates import parse_date
from newsarchive.state.store import CrawlState, UrlState

Policy = tuple[tuple[float, float], ...]
#: Younger than a week: daily; younger than a month: weekly; older: only when a listing says it changed.
DEFAULT_RECHECK_POLICY: Policy = ((7, 24), (30, 24 * 7))


def parse_policy(value: Iterable | None) -> Policy:
    """Validate RECHECK_POLICY (a list of [max_age_days, every_hours] pairs) and sort it by age."""
    if value is None:
        return DEFAULT_RECHECK_POLICY
    rules = []
    for rule in value:
        try:
            max_age, every = (float(x) for x in rule)
        except (TypeError, ValueError):
            raise ValueError(f"RECHECK_POLICY rules are [max_age_days, every_hours] pairs, not {rule!r}") from None
        if max_age <= 0 or every < 0:
            raise ValueError(f"RECHECK_POLICY rule {rule!r}: max_age_days must be > 0 and every_hours >= 0")
        rules.append((max_age, every))
    return tuple(sorted(rules))


def recheck_interval(policy: Policy, age: timedelta) -> timedelta | None:
    """How often an article of this age is fetched again; None: not any more."""
    for max_age_days, every_hours in policy:
        if age < timedelta(days=max_age_days):
            return timedelta(hours=every_hours)
    return None


def is_due(state: UrlState, now: datetime, policy: Policy) -> bool:
    """True when the policy says the article's last fetch is old enough to fetch it again."""
    born = parse_date(state.published) or parse_date(state.first_fetched)
    last = parse_date(state.last_fetched)
    if born is None or last is None:
        return True  # nothing to judge by: checking costs one conditional request
    interval = recheck_interval(policy, now - born)
    return interval is not None and now - last >= interval


class RecheckPlanner:
    """Decides, for a recurring crawl, which article URLs to request (new, listed as changed, or due)."""

    def __init__(self, store: CrawlState, policy: Policy, *, last_crawl: datetime | None,
                 now: datetime | None = None):
        self.store = store
        self.policy = policy
        self.last_crawl = last_crawl
        self.now = now or datetime.now(timezone.utc)

    def due_urls(self) -> list[str]:
        """Known articles whose re-check is due: seeds of a recurring crawl besides feeds and sitemaps."""
        return [state.url for state in self.store.tracked() if is_due(state, self.now, self.policy)]

    def wants(self, url: str, listed: datetime | None = None) -> bool:
        """Fetch `url`? Yes when the archive lacks it, a listing dates it after the last crawl, or it is due.

        `listed` is the date a feed or sitemap gives the entry (publication or lastmod).
        """
        state = self.store.get(url)
        if state is None or state.text_digest is None:
            return True
        if listed is not None and self.last_crawl is not None and listed > self.last_crawl:
            return True
        return is_due(state, self.now, self.policy)
