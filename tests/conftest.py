"""Shared pytest setup: fixtures live in tests/support/ and are registered here."""

import os
import sys
from collections.abc import Iterator
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


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Streamlit's AppTest leaves the board's script as ``sys.modules["__main__"]``; a parser
    worker pool started later in the same process (forkserver) would run that script in each
    worker.  Put pytest's own main module back after every test."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def in_ci() -> bool:
    return os.environ.get("CI") == "true"
