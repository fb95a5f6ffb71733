"""Subcommands of the `newsarchive` CLI.

Each module here that defines `register(subparsers)` adds one subcommand; `newsarchive.cli`
finds them, so adding a command never means editing a central list. `register` adds a parser
and sets `func=handler`, where `handler(args) -> int` returns the exit code (see `newsarchive.cli`).
"""
