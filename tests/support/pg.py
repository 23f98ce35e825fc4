"""A throwaway PostgreSQL server for the store's contract tests (Debian's postgresql 15).

``pg_url`` (session): a server started with ``initdb``/``pg_ctl`` as the ``postgres`` user in a
fresh temporary directory, stopped at the end.  ``pg_store_url`` (function): a fresh database
on it for one test.  Without the binaries the tests skip, or fail when ``CI == "true"``.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_BIN = Path("/usr/lib/postgresql/15/bin")
_database_numbers = itertools.count(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fast_temp_dir() -> str | None:
    """/dev/shm when usable (CREATE DATABASE takes 50 ms there, seconds on a busy disk)."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _as_postgres(*args: str) -> list[str]:
    command = [str(PG_BIN / args[0]), *args[1:]]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _missing_binaries() -> None:
    reason = f"PostgreSQL binaries not found in {PG_BIN} (apt-get install postgresql)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a running throwaway server's ``postgres`` database."""
    if not (PG_BIN / "pg_ctl").exists() or shutil.which("runuser") is None:
        _missing_binaries()
    root = Path(tempfile.mkdtemp(prefix="watch-pg-", dir=_fast_temp_dir()))
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "-N"
        ),
        check=True,
        capture_output=True,
    )
    options = (
        f"-k {data} -p {port} -c listen_addresses=127.0.0.1"
        " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
    )
    subprocess.run(
        _as_postgres(
            "pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop"), capture_output=True
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_store_url(pg_url: str) -> Iterator[str]:
    """URL of a fresh, empty database on the session's server."""
    import psycopg

    name = f"t_{next(_database_numbers)}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} STRATEGY FILE_COPY")
    yield pg_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
