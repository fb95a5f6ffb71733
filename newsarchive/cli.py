"""The `newsarchive` command line.

Exit codes mean the same in every subcommand:
  0  success
  1  the command ran, but found problems (invalid WARCs, failed crawl, coverage below floor, no match)
  2  usage error: bad arguments or bad query syntax
  3  an environment error: missing file, unreachable server, missing optional dependency
"""
from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys

from newsarchive import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_ENVIRONMENT = 0, 1, 2, 3


class CommandError(Exception):
    """A failure a user can act on: printed as one line, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_ENVIRONMENT):
        super().__init__(message)
        self.exit_code = exit_code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsarchive",
        description="Archive news sites as WARC files and JSON article records, and query the archive.",
        epilog="Run `newsarchive COMMAND --help` for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"newsarchive {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    import newsarchive.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
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
    except KeyboardInterrupt:
        print(f"newsarchive {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`newsarchive query | head`): not an error. Point stdout at devnull so
        # the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
