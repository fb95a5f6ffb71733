"""The address policy the guard and its resolver share: public addresses plus an explicit allow list."""
from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newsarchive.fetch.address_guard import proxy_host, proxy_url_host
from newsarchive.fetch.address_policy import AddressPolicy, AddressPolicyError, embedded_ipv4, parse_allow_list, parse_ip

PUBLIC = AddressPolicy()
LOCAL_DEMO = AddressPolicy(allow=parse_allow_list(["127.0.0.1"]))
OFF = AddressPolicy(enabled=False)


@pytest.mark.parametrize("address,public,local_demo", [
    ("93.184.216.34", True, True),
    ("2606:2800:220:1:248:1893:25c8:1946", True, True),
    ("127.0.0.1", False, True),
    ("127.0.0.2", False, False),  # the tests' stand-in for a private host: only 127.0.0.1 is allowed
    ("127.255.255.254", False, False),
    ("::1", False, False),
    ("0.0.0.0", False, False),  # reaches this machine on Linux
    ("10.0.0.1", False, False),
    ("172.16.5.4", False, False),
    ("192.168.1.1", False, False),
    ("100.64.0.1", False, False),  # carrier-grade NAT
    ("169.254.169.254", False, False),  # cloud metadata
    ("fe80::1", False, False),
    ("fd00::1", False, False),
    ("224.0.0.1", False, False),
    ("255.255.255.255", False, False),
    # IPv6 forms that carry an IPv4 address are judged by it
    ("::ffff:127.0.0.1", False, True),
    ("::ffff:127.0.0.2", False, False),
    ("::ffff:10.0.0.1", False, False),
    ("::ffff:8.8.8.8", True, True),
    ("64:ff9b::7f00:1", False, True),  # NAT64 of 127.0.0.1
    ("64:ff9b::a9fe:a9fe", False, False),  # NAT64 of 169.254.169.254
    ("64:ff9b::808:808", True, True),  # NAT64 of 8.8.8.8
    ("2002:7f00:2::1", False, False),  # 6to4 of 127.0.0.2
    ("2002:a00:1::1", False, False),  # 6to4 of 10.0.0.1
    ("2002:808:808::1", True, True),  # 6to4 of 8.8.8.8
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False, False),  # Teredo, client 10.0.0.1
    ("::127.0.0.2", False, False),  # IPv4-compatible (deprecated)
])
def test_public_addresses_and_the_allow_list(address, public, local_demo):
    assert PUBLIC.allows(address) is public
    assert LOCAL_DEMO.allows(address) is local_demo
    assert OFF.allows(address) is True


@pytest.mark.parametrize("host,address", [
    ("127.0.0.1", "127.0.0.1"),
    ("[::1]", "::1"),
    ("2130706433", "127.0.0.1"),  # the shorthand forms inet_aton reads: 127.0.0.1 in disguise
    ("0x7f000001", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("0x0a.1", "10.0.0.1"),
    ("134744072", "8.8.8.8"),
    ("127.0.0.1.", "127.0.0.1"),
])
def test_ip_literals_in_every_spelling(host, address):
    assert str(parse_ip(host)) == address


@pytest.mark.parametrize("host", ["news.example", "localhost", "", None, "xn--bcher-kva.example", "1.2.3.4.example"])
def test_names_are_not_literals(host):
    assert parse_ip(host) is None


def test_embedded_ipv4():
    assert [str(a) for a in embedded_ipv4(parse_ip("64:ff9b::7f00:1"))] == ["127.0.0.1"]
    assert [str(a) for a in embedded_ipv4(parse_ip("2002:7f00:2::1"))] == ["127.0.0.2"]
    assert embedded_ipv4(parse_ip("8.8.8.8")) == () and embedded_ipv4(parse_ip("::1")) == ()


def test_allow_list_takes_addresses_and_networks():
    policy = AddressPolicy(allow=parse_allow_list("10.0.0.0/8, ::1"))
    assert policy.allows("10.20.30.40") and policy.allows("::1") and not policy.allows("172.16.0.1")
    assert not policy.allows("127.0.0.1")
    with pytest.raises(AddressPolicyError, match="not an IP address"):
        parse_allow_list(["localhost"])


def test_policy_from_settings():
    settings = Settings({"ADDRESS_GUARD": "public", "ADDRESS_GUARD_ALLOW": ["127.0.0.1"]})
    assert AddressPolicy.from_settings(settings) == LOCAL_DEMO
    assert not AddressPolicy.from_settings(Settings({"ADDRESS_GUARD": "off"})).enabled
    with pytest.raises(AddressPolicyError, match="ADDRESS_GUARD_ALLOW"):
        AddressPolicy.from_settings(Settings({"ADDRESS_GUARD": "loopback"}))
    with pytest.raises(AddressPolicyError, match="one of"):
        AddressPolicy.from_settings(Settings({"ADDRESS_GUARD": "everything"}))


class _Request:
    def __init__(self, url, meta=None):
        self.url, self.meta = url, meta or {}


def test_proxy_of_a_request_as_scrapy_decides_it(monkeypatch):
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    env = {"http": "http://user:pass@proxy.example:3128"}
    assert proxy_host(_Request("http://news.example/"), env) == "proxy.example"
    assert proxy_host(_Request("https://news.example/"), env) is None
    assert proxy_host(_Request("http://news.example/", {"proxy": "127.0.0.1:8080"}), env) == "127.0.0.1"
    assert proxy_host(_Request("http://news.example/", {"proxy": None}), env) is None
    assert proxy_host(_Request("http://news.example/"), env, proxy_enabled=False) is None
    monkeypatch.setenv("no_proxy", "news.example")
    assert proxy_host(_Request("http://news.example/"), env) is None
    assert proxy_url_host("http://u:p@[::1]:3128") == "::1"
