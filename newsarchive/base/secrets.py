"""What counts as a secret, and how it is masked wherever the crawl writes what it was told.

Credentials reach a crawl through settings (HTTPAUTH_PASS, a feed storage URI with a key, a Redis
URL with a password), through proxy URLs (http_proxy=http://user:pass@proxy:3128) and through the
request headers built from them. None of them belongs in an archive or a log: WARC request records
redact SECRET_HEADERS (warc/http.py), crawl.json masks settings (crawl/report.py), and the log
filter (crawl/log_masking.py) masks secret values and URL passwords in every log line.
"""
from __future__ import annotations

import base64
import logging
import re
from collections.abc import Mapping
from typing import Any, Iterable
from urllib.parse import unquote

MASK = "***"
# Request headers that carry credentials: redacted in WARC request records unless WARC_KEEP_SECRET_HEADERS.
SECRET_HEADERS = ("authorization", "proxy-authorization", "cookie")
# Setting names whose values are secrets (HTTPAUTH_PASS, AWS_SECRET_ACCESS_KEY, an API token, ...).
SECRET_NAME = re.compile(r"PASS(?:WORD)?|SECRET|TOKEN|API_?KEY|ACCESS_KEY|CREDENTIAL|PRIVATE_KEY|SESSION_ID",
                         re.I)
# user:password@ in any URL: the password goes, the user stays (it says which account was used).
URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:)(?P<password>[^@\s/'\"]+)@", re.I)
MIN_MASKED_LENGTH = 3  # shorter values would mask unrelated text everywhere; their settings are masked by name


def is_secret_name(name: str) -> bool:
    """A setting (HTTPAUTH_PASS) or header (Cookie, in DEFAULT_REQUEST_HEADERS) whose value is a secret."""
    return bool(SECRET_NAME.search(str(name))) or str(name).lower() in SECRET_HEADERS


def mask_url_passwords(text: str) -> str:
    """'http://user:pass@proxy:3128' -> 'http://user:***@proxy:3128', anywhere in the text."""
    return URL_PASSWORD.sub(lambda m: m.group("head") + MASK + "@", text)


def masked(value: Any, name: str = "") -> Any:
    """A setting's value as reports show it: secrets by name masked whole, URL passwords masked inside."""
    if is_secret_name(name) and value not in (None, "", [], {}):
        return MASK
    if isinstance(value, str):
        return mask_url_passwords(value)
    if isinstance(value, Mapping):
        return {mask_url_passwords(str(k)) if isinstance(k, str) else k: masked(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(item) for item in value]
    return value


def masked_settings(settings: dict[str, Any]) -> dict[str, Any]:
    return {name: masked(value, name) for name, value in settings.items()}


def secret_values(settings: Iterable[tuple[str, Any]], proxy_urls: Iterable[str] = ()) -> set[str]:
    """Literal secrets to mask in log lines: values of secret settings, URL passwords, and the Basic
    credentials a client would build from user and password (Authorization, Proxy-Authorization)."""
    found: set[str] = set()
    pairs = list(settings)
    named = dict(pairs)
    for name, value in _named_values(pairs):
        if is_secret_name(name) and isinstance(value, (str, int, bytes)) and str(value):
            found.add(value.decode("latin-1") if isinstance(value, bytes) else str(value))
        for text in _strings(value):
            for match in URL_PASSWORD.finditer(text):
                found.add(match.group("password"))
    for proxy in proxy_urls:
        match = re.match(r"[a-z][a-z0-9+.-]*://(?P<user>[^/\s:@]*):(?P<password>[^@\s/]+)@", proxy or "", re.I)
        if match:
            found.add(match.group("password"))
            found.add(_basic(match.group("user"), match.group("password")))
    user, password = named.get("HTTPAUTH_USER"), named.get("HTTPAUTH_PASS")
    if user and password:
        found.add(_basic(str(user), str(password)))
    return {value for value in found if len(value) >= MIN_MASKED_LENGTH}


def _basic(user: str, password: str) -> str:
    return base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode("latin-1", "replace")).decode("ascii")


def _named_values(pairs: Iterable[tuple[Any, Any]]) -> Iterable[tuple[str, Any]]:
    """(name, value) of every setting and of every entry nested in a setting's dicts."""
    for name, value in pairs:
        yield str(name), value
        if isinstance(value, Mapping):
            yield from _named_values(value.items())


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            yield from _strings(item)


# 'HTTPAUTH_PASS': 'pw' as Scrapy's "Overridden settings" line prints it.
_SECRET_PAIR = re.compile(r"(?P<head>'(?P<name>[A-Z0-9_]+)':\s*)(?P<value>'[^']*'|\"[^\"]*\"|\d+)")


def mask_text(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret value, URL password and secret-named setting value masked."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    text = mask_url_passwords(text)
    return _SECRET_PAIR.sub(lambda m: m.group("head") + repr(MASK) if is_secret_name(m.group("name")) else m.group(0),
                            text)


class SecretMaskingFilter(logging.Filter):
    """A handler filter that rewrites each log record with its secrets masked."""

    def __init__(self, secrets: Iterable[str] = ()):
        super().__init__()
        self.secrets = set(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record that cannot format itself is the handler's to report
            return True
        safe = mask_text(message, self.secrets)
        if safe != message:
            record.msg, record.args = safe, None
        return True
