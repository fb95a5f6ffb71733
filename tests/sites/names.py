"""Host names for fixture sites, without /etc/hosts: a GuardedResolver that knows a few `.test` names.

    newsarchive crawl ... --set TWISTED_DNS_RESOLVER=tests.sites.names.FixtureNamesResolver

Only the look-up is replaced; the address guard's checks run on its answers exactly as on real DNS
answers. `news.hostile.test` is the fixture site's own address (allowed in the tests), and
`intranet.hostile.test`, `intranet.news.hostile.test` and `metadata.hostile.test` resolve to 127.0.0.2, the tests' stand-in for a
private host. Any other name fails as an unknown name: a test never sends a query to a real resolver.
"""
from __future__ import annotations

from twisted.internet import defer
from twisted.internet.error import DNSLookupError

from newsarchive.fetch.address_policy import parse_ip
from newsarchive.fetch.resolver import GuardedResolver

ALLOWED_ADDRESS = "127.0.0.1"
PRIVATE_ADDRESS = "127.0.0.2"
FIXTURE_NAMES = {
    "news.hostile.test": ALLOWED_ADDRESS,
    "intranet.hostile.test": PRIVATE_ADDRESS,
    "intranet.news.hostile.test": PRIVATE_ADDRESS,  # inside the site's own domain, as an attacker would name it
    "metadata.hostile.test": PRIVATE_ADDRESS,
}


class FixtureNamesResolver(GuardedResolver):
    def lookup(self, name: str, timeout=()) -> defer.Deferred:
        if name.lower() in FIXTURE_NAMES:
            return defer.succeed(FIXTURE_NAMES[name.lower()])
        ip = parse_ip(name)
        if ip is None:
            return defer.fail(DNSLookupError(f"{name}: not a fixture name"))
        return defer.succeed(str(ip))
