"""Fixtures for extraction tests: the team's own small HTML pages under fixtures/."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def page():
    """page(name) -> the bytes of tests/extract/fixtures/<name>."""
    return fixture_bytes
