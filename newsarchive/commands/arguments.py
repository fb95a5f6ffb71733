"""Checks of command-line values that several subcommands share: each bad value becomes one clear line
and exit 2 (commands/__init__.py), before anything runs.

argparse `type=` functions (port, day) report through argparse itself; the others raise CommandError.
"""
from __future__ import annotations

import argparse
from datetime import date
from urllib.parse import urlsplit

from newsarchive.commands import EXIT_USAGE, CommandError


def port(value: str) -> int:
    """A TCP port to listen on: 0 (any free port) to 65535."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, not {value!r}") from None
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535 (0: any free port), not {number}")
    return number


def day(value: str) -> str:
    """A calendar day as YYYY-MM-DD that exists (2026-02-30 does not)."""
    try:
        return date.fromisoformat(value).isoformat() if len(value) == 10 else _not_a_day(value)
    except ValueError:
        _not_a_day(value)
    raise AssertionError("unreachable")


def _not_a_day(value: str):
    raise argparse.ArgumentTypeError(f"expected a day that exists, as YYYY-MM-DD, not {value!r}")


def web_url(value: str, what: str = "--url") -> str:
    """An absolute http or https URL with a host."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port out of range
    except ValueError as exc:
        raise CommandError(f"{what} {value!r} is not a URL ({exc})", EXIT_USAGE) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CommandError(f"{what} takes an http:// or https:// URL with a host, e.g. https://news.example/, "
                           f"not {value!r}", EXIT_USAGE)
    return value


def setting_values(overrides: dict[str, object], settings) -> None:
    """Each override must read as the type of the setting it replaces (CONCURRENT_REQUESTS=abc does not)."""
    for name, value in overrides.items():
        default = settings.get(name)
        if default is None or value is None:
            continue
        kind = ("a boolean (true/false)" if isinstance(default, bool) else "a whole number" if isinstance(default, int)
                else "a number" if isinstance(default, float) else "a JSON object" if _is_mapping(default)
                else "a list" if isinstance(default, (list, tuple)) else None)
        if kind is None:
            continue
        probe = settings.copy()
        probe.set(name, value, priority="cmdline")
        try:
            if isinstance(default, bool):
                probe.getbool(name)
            elif isinstance(default, int):
                probe.getint(name)
            elif isinstance(default, float):
                probe.getfloat(name)
            elif _is_mapping(default):
                probe.getdict(name)
            else:
                probe.getlist(name)
        except (ValueError, TypeError):
            raise CommandError(f"--set {name}={value!r}: {name} takes {kind}", EXIT_USAGE) from None


def _is_mapping(value) -> bool:
    return isinstance(value, dict) or hasattr(value, "copy_to_dict")
