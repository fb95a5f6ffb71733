"""Which network addresses a crawl may contact: the policy the address guard and its resolver share.

A crawler follows links that strangers wrote: a feed, a link or a redirect can point it at a
router's admin page, a cloud metadata endpoint or a service on the crawler's own machine. So only
public (global unicast) addresses are contacted, plus what the operator allows explicitly in
ADDRESS_GUARD_ALLOW (addresses or networks: the demo and the tests allow 127.0.0.1, the one
address they serve on). docs/architecture.md, "The address guard", shows where each check runs.

An IPv6 address that carries an IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d,
NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) reaches that IPv4 address in the end, so it is
judged by what it embeds: 64:ff9b::7f00:1 is 127.0.0.1, not a public address.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Iterable

from scrapy.exceptions import IgnoreRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

GUARD_MODES = ("public", "off")
FETCHABLE_SCHEMES = ("http", "https")
NAT64_WELL_KNOWN = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class GuardRefusal(IgnoreRequest):
    """A request the address guard stopped before it left; the guard counted and logged it."""


class AddressRefused(GuardRefusal):
    """The request's target is outside what the address guard allows; it was never contacted."""


class SchemeRefused(GuardRefusal):
    """The request's URL scheme is not http or https (file:, data:, ftp:, ...)."""


class AddressPolicyError(ValueError):
    """ADDRESS_GUARD or ADDRESS_GUARD_ALLOW holds something the guard cannot use."""


def parse_ip(host: str | None) -> IPAddress | None:
    """The IP address a URL host names literally, or None for a name the resolver must look up.

    Besides dotted quads and IPv6 literals, the resolver reads the shorthand IPv4 forms of
    inet_aton ("2130706433", "0x7f000001", "127.1") as addresses: they are addresses here too,
    or a link could reach 127.0.0.1 under a disguise that looks like a name.
    """
    host = (host or "").strip().strip("[]").rstrip(".")
    if not host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, ValueError, UnicodeError):
        return None


def embedded_ipv4(ip: IPAddress) -> tuple[ipaddress.IPv4Address, ...]:
    """The IPv4 addresses an IPv6 transition form carries (none for a plain address)."""
    if ip.version == 4:
        return ()
    if ip.ipv4_mapped is not None:
        return (ip.ipv4_mapped,)
    if ip in NAT64_WELL_KNOWN or (ip in IPV4_COMPATIBLE and int(ip) > 1):
        return (ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF),)
    if ip.sixtofour is not None:
        return (ip.sixtofour,)
    if ip.teredo is not None:
        return ip.teredo  # (server, client): both are reached
    return ()


def parse_allow_list(values: Iterable[str] | str | None) -> tuple[IPNetwork, ...]:
    """ADDRESS_GUARD_ALLOW entries ("127.0.0.1", "10.0.0.0/8", "::1") as networks."""
    if isinstance(values, str):
        values = [part for part in values.split(",")]
    networks = []
    for value in values or ():
        text = str(value).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text.strip("[]"), strict=False))
        except ValueError:
            raise AddressPolicyError(f"ADDRESS_GUARD_ALLOW: {text!r} is not an IP address or network "
                                     "(e.g. 127.0.0.1, 10.0.0.0/8, ::1)") from None
    return tuple(networks)


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, plus `allow`; `enabled=False` allows everything (ADDRESS_GUARD = "off")."""

    enabled: bool = True
    allow: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, settings) -> AddressPolicy:
        mode = settings.get("ADDRESS_GUARD")
        if mode == "loopback":
            raise AddressPolicyError('ADDRESS_GUARD = "loopback" is gone: allow the addresses you serve on '
                                     'instead, e.g. ADDRESS_GUARD_ALLOW = ["127.0.0.1"] or --allow-address 127.0.0.1')
        if mode not in GUARD_MODES:
            raise AddressPolicyError(f"ADDRESS_GUARD must be one of {', '.join(GUARD_MODES)}, not {mode!r}")
        return cls(enabled=mode != "off", allow=parse_allow_list(settings.getlist("ADDRESS_GUARD_ALLOW")))

    def allows(self, ip: IPAddress | str) -> bool:
        if not self.enabled:
            return True
        if isinstance(ip, str):
            parsed = parse_ip(ip)
            if parsed is None:
                return False
            ip = parsed
        judged = embedded_ipv4(ip) or (ip,)
        if any(ip in network for network in self.allow if network.version == ip.version):
            return True
        return all(self._allowed_alone(address) for address in judged)

    def _allowed_alone(self, ip: IPAddress) -> bool:
        if any(ip in network for network in self.allow if network.version == ip.version):
            return True
        return ip.is_global and not ip.is_multicast

    def describe(self) -> str:
        if not self.enabled:
            return "off"
        return "public" + (f" + {', '.join(map(str, self.allow))}" if self.allow else "")


def all_allow(policies: Iterable[AddressPolicy], ip: IPAddress | str) -> bool:
    """True when every policy allows `ip` (several crawls in one process share one resolver)."""
    return all(policy.allows(ip) for policy in policies)
