"""Recurring crawls: the crontab line and the systemd timer/service pair for `newsarchive schedule`.

Pure functions over text. Every run goes through `flock -n` on a lock file beside the spider's
crawls, so a crawl that outlasts its interval makes the next run skip instead of overlapping (two
runs would race on the state store). Paths are absolute: cron and systemd start with a bare
environment and no virtualenv.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

LOCK_FILE = "crawl.lock"
CRON_LOG_FILE = "cron.log"
_EVERY = re.compile(r"^\s*(\d+)\s*([mhd])\s*$", re.I)


@dataclass(frozen=True)
class Interval:
    """How often a crawl runs, as both cron and systemd OnCalendar spell it."""

    amount: int
    unit: str  # "m", "h" or "d"

    @property
    def cron(self) -> str:
        if self.unit == "m":
            return f"*/{self.amount} * * * *" if self.amount > 1 else "* * * * *"
        if self.unit == "h":
            return "0 * * * *" if self.amount == 1 else f"0 */{self.amount} * * *"
        return "0 0 * * *" if self.amount == 1 else f"0 0 */{self.amount} * *"

    @property
    def on_calendar(self) -> str:
        if self.unit == "m":
            return f"*-*-* *:00/{self.amount}:00"
        if self.unit == "h":
            return f"*-*-* 00/{self.amount}:00:00"
        return "*-*-* 00:00:00" if self.amount == 1 else f"*-*-01/{self.amount} 00:00:00"

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


def parse_every(value: str) -> Interval:
    """'15m', '1h', '6h', '1d' -> Interval. The amount must divide its next unit (60 min, 24 h) evenly,
    so that cron and systemd run at the same regular times; days run at midnight every N days."""
    match = _EVERY.match(value or "")
    if not match:
        raise ValueError(f"--every takes a number and a unit m, h or d (15m, 1h, 1d), not {value!r}")
    amount, unit = int(match.group(1)), match.group(2).lower()
    limit = {"m": 60, "h": 24, "d": 31}[unit]
    if amount < 1 or (unit in "mh" and limit % amount) or amount > limit:
        divisors = [n for n in range(1, limit) if limit % n == 0]
        hint = f"one of {', '.join(map(str, divisors))}" if unit in "mh" else f"1 to {limit}"
        raise ValueError(f"--every {value}: the amount of {'minutes' if unit == 'm' else 'hours' if unit == 'h' else 'days'} "
                         f"must be {hint}, so runs fall at regular times")
    if (unit, amount) in (("m", 60), ("h", 24)):
        return Interval(1, "h" if unit == "m" else "d")
    return Interval(amount, unit)


def lock_path(archive: Path, spider: str) -> Path:
    return Path(archive).absolute() / spider / LOCK_FILE


def crawl_command(newsarchive: list[str], spider: str, archive: Path, extra: list[str]) -> list[str]:
    """The crawl a scheduled run executes (no progress line: nobody watches it)."""
    return [*newsarchive, "crawl", spider, "--archive", str(Path(archive).absolute()), "--no-progress", *extra]


def locked(command: list[str], flock: str, lock: Path) -> list[str]:
    """`command` under a non-blocking flock: a run still going makes this one exit at once."""
    return [flock, "-n", str(lock), *command]


def crontab_line(interval: Interval, command: list[str], workdir: Path, log: Path) -> str:
    """One crontab line (for `crontab -e`); cron runs it with /bin/sh, hence the quoting."""
    # `%` ends a command in crontab syntax unless escaped.
    shell = shlex.join(command).replace("%", r"\%")
    folder = shlex.quote(str(Path(log).parent))
    return (f"{interval.cron} mkdir -p {folder} && cd {shlex.quote(str(workdir))} && {shell} "
            f">> {shlex.quote(str(log))} 2>&1")


def systemd_units(name: str, interval: Interval, command: list[str], workdir: Path, description: str,
                  lock: Path) -> dict[str, str]:
    """{file name: contents} of a oneshot service and the timer that starts it."""
    service = "\n".join([
        "[Unit]",
        f"Description={description}",
        "Wants=network-online.target",
        "After=network-online.target",
        "",
        "[Service]",
        "Type=oneshot",
        f"WorkingDirectory={_systemd_quote(str(workdir))}",
        f"ExecStartPre=/bin/mkdir -p {_systemd_quote(str(Path(lock).parent))}",
        "ExecStart=" + " ".join(_systemd_quote(arg) for arg in command),
        # A crawl exits 1 when it found problems and 4 when a limit stopped it (--resume continues it); the
        # journal keeps its summary either way, and --notify tells a person.
        "SuccessExitStatus=1 4",
        "Nice=10",
        "",
    ])
    timer = "\n".join([
        "[Unit]",
        f"Description=Run {name}.service every {interval}",
        "",
        "[Timer]",
        f"OnCalendar={interval.on_calendar}",
        "Persistent=true",  # a run missed while the machine was off happens at boot
        "RandomizedDelaySec=60",
        "",
        "[Install]",
        "WantedBy=timers.target",
        "",
    ])
    return {f"{name}.service": service, f"{name}.timer": timer}


def _systemd_quote(arg: str) -> str:
    """An ExecStart word: systemd splits on spaces and expands % and $, so quote and escape."""
    arg = arg.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[\w@%+=:,./-]+", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'
