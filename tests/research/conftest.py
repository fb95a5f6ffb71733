"""Fixtures for the research tests: a freshly written test archive, and the CLI run in-process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.cli import main
from tests.research.archive_factory import SampleArchive, build_archive


@pytest.fixture
def archive(tmp_path: Path) -> SampleArchive:
    return build_archive(tmp_path / "archive", torn=True)


@pytest.fixture
def cli(capsys):
    """Run `newsarchive ARGS…` in-process: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


@pytest.fixture
def cli_bytes(capsysbinary):
    """Like `cli`, with stdout as bytes (for `show --raw`)."""

    def run(*args: str) -> tuple[int, bytes, str]:
        code = main(list(args))
        captured = capsysbinary.readouterr()
        return code, captured.out, captured.err.decode("utf-8")

    return run


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def latest(records: list[dict]) -> list[dict]:
    """The factory's records, newest capture per URL only (what queries return by default)."""
    newest: dict[str, dict] = {}
    for record in records:
        if record["url"] not in newest or record["fetched_at"] > newest[record["url"]]["fetched_at"]:
            newest[record["url"]] = record
    return list(newest.values())
