"""The crawler's User-Agent: `newsarchive/<version> (+NEWSARCHIVE_CONTACT)`, so a site can reach a person.

The fetch stage sends it and the WARC recorder writes it into every warcinfo record; both ask here.
"""
from __future__ import annotations

from newsarchive import __version__


def contact_user_agent(contact: str | None) -> str:
    agent = f"newsarchive/{__version__}"
    return f"{agent} (+{contact})" if contact else agent


def user_agent(settings) -> str:
    """The agent a crawl with `settings` sends.

    Overriding only NEWSARCHIVE_CONTACT (e.g. `-s NEWSARCHIVE_CONTACT=mailto:ops@example.org`) rebuilds
    the agent around it; an explicit USER_AGENT of the same or higher priority wins.
    """
    agent = settings.get("USER_AGENT")
    if not agent or (settings.getpriority("NEWSARCHIVE_CONTACT") or 0) > (settings.getpriority("USER_AGENT") or 0):
        agent = contact_user_agent(settings.get("NEWSARCHIVE_CONTACT"))
    return agent
