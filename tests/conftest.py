"""Shared pytest setup: fixtures live in tests/support/ and are registered here."""

import os
from pathlib import Path

import pytest

pytest_plugins = [
    "tests.support.tls",  # first: the other plugins import it
    "tests.support.servers",
    "tests.support.pg",
    "tests.support.smtp",
]

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus, skipping the test when a fresh clone does not have it."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (fresh clone)")
    return CORPUS


def in_ci() -> bool:
    return os.environ.get("CI") == "true"
