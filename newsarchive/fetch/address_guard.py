"""AddressGuardMiddleware: refuse a request before it leaves when its target is not allowed.

The checks here run on every request, so also on every redirect hop and retry (a redirect comes back
through the downloader middlewares as a new request):
- the scheme: http and https only (a `file:` or `data:` link, or a redirect to one, is refused);
- an IP-literal host (any spelling: 127.1, 0x7f000001, [::ffff:127.0.0.1]) against the policy;
- a host name, resolved through the GuardedResolver, whose addresses must all be allowed. Behind a
  proxy this is what checks the target: the connection only goes to the proxy.
GuardedResolver (fetch/resolver.py) checks again when the connection is made, so a name that changes
its address between the two look-ups is still refused. Policy: fetch/address_policy.py;
docs/architecture.md, "The address guard".

Settings: ADDRESS_GUARD ("public" or "off"), ADDRESS_GUARD_ALLOW (addresses or networks).
"""
from __future__ import annotations

import logging
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from scrapy import signals
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

from newsarchive.base import stats
from newsarchive.fetch.address_policy import (
    FETCHABLE_SCHEMES,
    AddressPolicy,
    AddressRefused,
    SchemeRefused,
    embedded_ipv4,
    parse_ip,
)
from newsarchive.fetch.resolver import GuardedResolver, ResolutionRefused, installed_resolver

logger = logging.getLogger(__name__)

__all__ = ["AddressGuardMiddleware", "AddressRefused", "SchemeRefused", "proxy_host"]


def proxy_host(request, environment_proxies: dict[str, str], proxy_enabled: bool = True) -> str | None:
    """The host of the proxy `request` will go through, as HttpProxyMiddleware decides it (None: direct)."""
    if not proxy_enabled:
        return None
    if "proxy" in request.meta:
        proxy = request.meta["proxy"]
    else:
        parts = urlsplit(request.url)
        proxy = environment_proxies.get(parts.scheme)
        if proxy and parts.hostname and proxy_bypass(parts.hostname):
            proxy = None
    return proxy_url_host(proxy) if proxy else None


def proxy_url_host(proxy: str) -> str | None:
    """The host of a proxy URL ("http://user:pass@proxy:3128", or "proxy:3128")."""
    try:
        return urlsplit(proxy if "://" in proxy else "http://" + proxy).hostname
    except ValueError:
        return None


class AddressGuardMiddleware:
    def __init__(self, crawler, policy: AddressPolicy):
        self.crawler = crawler
        self.stats = crawler.stats
        self.policy = policy
        settings = crawler.settings
        # Replay answers from WARC files: nothing is contacted, so names need no look-up.
        self.resolve_names = not settings.get("REPLAY_WARC")
        self.proxy_enabled = settings.getbool("HTTPPROXY_ENABLED")
        self.environment_proxies = getproxies() if self.proxy_enabled else {}
        self._resolver: GuardedResolver | None = None

    @classmethod
    def from_crawler(cls, crawler) -> AddressGuardMiddleware:
        middleware = cls(crawler, AddressPolicy.from_settings(crawler.settings))
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        logger.info("address guard: %s", middleware.policy.describe())
        return middleware

    def resolver(self) -> GuardedResolver | None:
        """The process's GuardedResolver, told this crawl's policy on first use.

        Scrapy installs the resolver when the reactor starts, after the middlewares are built, so it
        is looked up when the first request comes.
        """
        if self._resolver is None:
            self._resolver = installed_resolver()
            if self._resolver is not None:
                self._resolver.register(self.policy)
                for proxy in self.environment_proxies.values():
                    if host := proxy_url_host(proxy):
                        self._resolver.trust_proxy(host)
        return self._resolver

    def spider_closed(self, spider=None) -> None:
        if self._resolver is not None:
            self._resolver.unregister(self.policy)

    def _refuse(self, request, kind: str, why: str, error=AddressRefused):
        self.stats.inc_value(stats.error(kind))
        logger.error("%s: %s (%s; never contacted)", kind, request.url, why)
        raise error(f"{kind}: {why}: {request.url}")

    async def process_request(self, request, spider=None):
        resolver = self.resolver()
        if not self.policy.enabled:
            return None
        if resolver is None and self.resolve_names:
            return self._refuse(request, "address_refused", "the address guard's resolver is not installed "
                                "(TWISTED_DNS_RESOLVER must be newsarchive.fetch.resolver.GuardedResolver), so "
                                "no connection could be checked")
        try:
            parts = urlsplit(request.url)
            host = parts.hostname
        except ValueError:
            return self._refuse(request, "address_refused", "unparseable host")
        if parts.scheme not in FETCHABLE_SCHEMES:
            return self._refuse(request, "scheme_refused", f"scheme {parts.scheme or '(none)'}: is not fetched, "
                                "only http and https", SchemeRefused)
        if not host:
            return self._refuse(request, "address_refused", "no host")
        ip = parse_ip(host)
        if ip is not None:
            if not self.policy.allows(ip):
                carried = embedded_ipv4(ip)
                shown = f"{ip} (carrying {', '.join(map(str, carried))})" if carried else str(ip)
                self._refuse(request, "address_refused", f"{shown} is not a public address and not in ADDRESS_GUARD_ALLOW")
            return None
        via = proxy_host(request, self.environment_proxies, self.proxy_enabled)
        if not self.resolve_names or resolver is None:
            return None
        if via:
            resolver.trust_proxy(via)
        try:
            await maybe_deferred_to_future(resolver.guarded_lookup(host))
        except ResolutionRefused as refused:
            self._refuse(request, "address_refused", f"{host} resolves to {refused.address}, which is not a public "
                         "address and not in ADDRESS_GUARD_ALLOW" + (f" (checked before the proxy {via})" if via else ""))
        except DNSLookupError:
            # An unresolvable name fails in the download handler as it always did (counted as dns), unless a
            # proxy would resolve it for us: then the target cannot be checked, and is not fetched.
            if via:
                self._refuse(request, "address_refused", f"{host} cannot be resolved here, so the target behind "
                             f"the proxy {via} cannot be checked")
        return None

