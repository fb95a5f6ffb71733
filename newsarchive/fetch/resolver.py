"""GuardedResolver: the address guard at name resolution, before any connection is made.

Scrapy resolves host names through the resolver TWISTED_DNS_RESOLVER names, which it installs on
the reactor; every connection the download handler opens (the target, or the proxy) asks it for
an address. This resolver checks each address it hands out against the address policy, so a name
that resolves to a refused address (an /etc/hosts entry, a DNS answer pointing inside the network,
a name rebound between two lookups) is never connected to, whatever download handler is in use.
docs/architecture.md, "The address guard".

The resolver belongs to the process, the policy to each crawl: AddressGuardMiddleware registers
its crawl's policy here, and an address passes only when every registered policy allows it. Hosts
of proxies the operator configured are trusted at connection time (the proxy may well sit on a
private address); the guard middleware's own look-ups never trust them.

A refused look-up fails as a DNSLookupError (Twisted turns every failed resolution into one), and
the refused name is remembered in `refused`, so fetch.errors can name the failure address_refused.
"""
from __future__ import annotations

import logging
import sys
from typing import Any

from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newsarchive.fetch.address_policy import AddressPolicy, all_allow

logger = logging.getLogger(__name__)


class ResolutionRefused(DNSLookupError):
    """A name resolved to an address the address guard refuses."""

    def __init__(self, name: str, address: str, policy: str):
        super().__init__(f"address guard ({policy}) refused {name} -> {address}")
        self.name = name
        self.address = address


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's caching threaded resolver, refusing addresses the registered policies refuse."""

    def __init__(self, reactor, cache_size: int, timeout: float, policy: AddressPolicy):
        super().__init__(reactor, cache_size, timeout)
        self.default_policy = policy  # the process settings' policy, until a crawl registers its own
        self.policies: list[AddressPolicy] = []
        self.trusted_hosts: set[str] = set()
        self.refused: LocalCache[str, str] = LocalCache(10_000)  # name -> refused address

    @classmethod
    def from_crawler(cls, crawler, reactor) -> GuardedResolver:
        # `crawler` is the CrawlerProcess here: only its settings are there to read.
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        return cls(reactor, cache_size, settings.getfloat("DNS_TIMEOUT"), AddressPolicy.from_settings(settings))

    # ------------------------------------------------------------ what crawls tell the resolver

    def register(self, policy: AddressPolicy) -> None:
        self.policies.append(policy)

    def unregister(self, policy: AddressPolicy) -> None:
        if policy in self.policies:
            self.policies.remove(policy)

    def trust_proxy(self, host: str) -> None:
        """A proxy the operator configured may be contacted whatever its address."""
        self.trusted_hosts.add(host.lower())

    def policy_label(self) -> str:
        return "; ".join(p.describe() for p in self.active_policies())

    def active_policies(self) -> list[AddressPolicy]:
        return self.policies or [self.default_policy]

    def allows(self, address: str) -> bool:
        return all_allow(self.active_policies(), address)

    # ------------------------------------------------------------ resolving

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred:
        """What every connection asks: an address, or ResolutionRefused."""
        return self.lookup(name, timeout).addCallback(self._checked, name, trust=True)

    def guarded_lookup(self, name: str) -> defer.Deferred:
        """The middleware's check before a request leaves: proxies get no trust here."""
        return self.lookup(name, ()).addCallback(self._checked, name, trust=False)

    def lookup(self, name: str, timeout: Any = ()) -> defer.Deferred:
        """The address of `name`, unchecked: Scrapy's cached, threaded look-up."""
        return super().getHostByName(name, timeout)

    def _checked(self, address: str, name: str, *, trust: bool) -> str:
        if trust and name.lower() in self.trusted_hosts:
            return address
        if not self.allows(address):
            self.refused[name.lower()] = address
            raise ResolutionRefused(name, address, self.policy_label())
        return address


def installed_resolver() -> GuardedResolver | None:
    """The GuardedResolver on the running reactor, or None when TWISTED_DNS_RESOLVER names another."""
    reactor = sys.modules.get("twisted.internet.reactor")  # never install one just to ask
    resolver = getattr(reactor, "resolver", None)
    return resolver if isinstance(resolver, GuardedResolver) else None
