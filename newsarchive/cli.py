"""The `newsarchive` command line: finds the subcommands in newsarchive.commands and runs one.

Exit codes (documented in newsarchive/commands/__init__.py) mean the same in every subcommand.
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

import newsarchive.commands as commands_package
from newsarchive import __version__
from newsarchive.base.safe_names import UnsafeName
from newsarchive.commands import EXIT_ENVIRONMENT, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, CommandError

__all__ = ["main", "build_parser", "CommandError", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "EXIT_ENVIRONMENT"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Archive news sites as WARC files and JSON article records, and query the archive.",
        epilog="Run `newsarchive COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for info in sorted(pkgutil.iter_modules(commands_package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands_package.__name__}.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CommandError as exc:
        print(f"newsarchive {args.command}: {exc}", file=sys.stderr)
        return exc.exit_code
    except UnsafeName as exc:  # a crawl id, spider name or WARC prefix that cannot be a folder name
        print(f"newsarchive {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader went away (`newsarchive query | head`): not an error. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the environment: a folder that cannot be written, a disk that is full
        where = f": {exc.filename}" if exc.filename else ""
        print(f"newsarchive {args.command}: {exc.strerror or exc}{where}", file=sys.stderr)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print(f"newsarchive {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
