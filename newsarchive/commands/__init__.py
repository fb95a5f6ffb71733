"""Subcommands of the `newsarchive` CLI.

Each module here that defines `register(subparsers)` adds one subcommand; `newsarchive.cli`
finds them, so adding a command never means editing a central list. `register` adds a parser
and sets `func=handler`, where `handler(args) -> int` returns one of the exit codes below.

Exit codes mean the same in every subcommand:
  0  success
  1  the command ran, but found problems (invalid WARCs, failed crawl, coverage below floor, no match)
  2  usage error: bad arguments or bad query syntax
  3  an environment error: missing file, unreachable server, missing optional dependency
  4  stopped by a limit: a crawl reached --max-pages, --max-bytes, --max-time, --max-requests-per-host or
     --min-free-disk (or Scrapy's CLOSESPIDER_*) and closed cleanly; `crawl --resume` continues it.
     Problems (1) win over a limit: a crawl that stopped on a limit and missed a coverage floor exits 1.
"""
from __future__ import annotations

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ENVIRONMENT, EXIT_LIMIT = 0, 1, 2, 3, 4


class CommandError(Exception):
    """A failure a user can act on: printed as one line, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_ENVIRONMENT):
        super().__init__(message)
        self.exit_code = exit_code
