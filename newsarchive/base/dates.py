"""Times the crawl writes and dates it reads, in one form each.

Records, the state store and crawl reports all write UTC instants as `YYYY-MM-DDTHH:MM:SSZ`
(`utc_now`); feeds, sitemaps and the state hand back W3C/ISO 8601 or RFC 822 strings, which
`parse_date` turns into aware datetimes.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

UTC_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def utc_now() -> str:
    """Now, as the UTC instant records and state carry ('2026-11-29T04:29:35Z')."""
    return datetime.now(timezone.utc).strftime(UTC_FORMAT)


def parse_date(value: str | None) -> datetime | None:
    """W3C/ISO 8601 (sitemaps, Atom, state) or RFC 822 (RSS) into an aware datetime; naive means UTC.

    None for anything else, never an exception: these strings come from the network.
    """
    if not value or not isinstance(value, str):
        return None
    value = value.strip()
    parsed = None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
            if match:
                try:
                    parsed = datetime(*map(int, match.groups()))
                except ValueError:
                    return None
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# Feeds and sitemaps carry typos and hostile values (year 99999, year 0, 9999-12-31T23:59:59-12:00):
# a date outside the web's lifetime, give or take a year ahead, is no date at all.
FIRST_PLAUSIBLE_YEAR = 1991


def plausible(when: datetime | None, now: datetime | None = None) -> bool:
    """True for a date from 1991 to a year from now that converts to UTC; False for None."""
    if when is None:
        return False
    now = now or datetime.now(timezone.utc)
    try:
        utc = when.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return False
    return FIRST_PLAUSIBLE_YEAR <= utc.year <= now.year + 1
