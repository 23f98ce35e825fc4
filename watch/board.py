"""Launcher for the Streamlit board: starts ``streamlit run dashboard/app.py`` in a child process.

Used by the CLI (``watch dashboard``, ``watch demo``, ``watch up``).  The child gets the config
path and database URL through WATCH_CONFIG / WATCH_DB, listens on 127.0.0.1 only and runs
headless (Streamlit never prompts); ``open_browser`` opens the user's browser from a background
thread once the server answers its health check, only where a person sits at a screen
(``has_a_screen``: never on a server or under a service manager, where Python's ``webbrowser``
would start a console browser such as lynx).  ``running_board`` is how a command owns it:
the child runs in its own session, so a Ctrl-C in the terminal reaches the command alone, which
then stops the board once (a board signalled twice says "Stopping..." twice); a SIGTERM or
SIGHUP (terminal closed) to the command stops the board too instead of leaving it running.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import webbrowser
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

APP = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
DEFAULT_PORT = 8501
PRIMARY_COLOUR = "#a8283a"
"""The light theme's accent: Streamlit's red made darker, so a selected option's text reads at 6:1
on its tinted background (4.5:1 asked by WCAG AA; Streamlit's own #c53948 gave 4.48:1)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def board_command(port: int) -> list[str]:
    """The streamlit command line, bound to 127.0.0.1 and headless, with the board's accent
    colour (``PRIMARY_COLOUR``)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--browser.serverAddress",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--client.toolbarMode",
        "viewer",
        "--theme.light.primaryColor",
        PRIMARY_COLOUR,
    ]


def launch_board(
    config_path: Path, db_url: str, port: int | None = None, open_browser: bool = True
) -> subprocess.Popen[bytes]:
    """Start the board for this config and database; the caller owns (and ends) the process."""
    child_env = dict(os.environ)  # the child inherits the environment; only these two change
    child_env["WATCH_CONFIG"] = str(Path(config_path).resolve())
    child_env["WATCH_DB"] = db_url
    port = port or DEFAULT_PORT
    process = subprocess.Popen(
        board_command(port), env=child_env, cwd=str(APP.parents[1]), start_new_session=True
    )
    if open_browser and has_a_screen(os.environ, sys.stdout.isatty(), sys.platform):
        url = f"http://127.0.0.1:{port}"
        threading.Thread(target=_open_when_ready, args=(process, url), daemon=True).start()
    return process


def has_a_screen(environ: Mapping[str, str], interactive: bool, platform: str) -> bool:
    """A person at a graphical session: a terminal (not a service's log) and, on Linux and
    BSD, a display; macOS and Windows always have one."""
    if not interactive:
        return False
    if platform == "darwin" or platform.startswith("win"):
        return True
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


@contextmanager
def running_board(
    config_path: Path, db_url: str, port: int | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """The board runs while the block does, and is stopped when it ends, however it ends."""
    defaults = [s for s in (signal.SIGTERM, signal.SIGHUP) if signal.getsignal(s) == signal.SIG_DFL]
    for signum in defaults:  # a handler of the caller's own (the scheduler's) is left alone
        signal.signal(signum, _exit_on_signal)
    process = launch_board(config_path, db_url, port=port)
    try:
        yield process
    finally:
        stop_board(process)
        for signum in defaults:
            signal.signal(signum, signal.SIG_DFL)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def stop_board(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Ask the board to stop (SIGTERM) and wait; kill it if it has not stopped in ``timeout``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_ready(process: subprocess.Popen[bytes], url: str, timeout: float = 60.0) -> bool:
    """Poll the board's health endpoint until it answers, the process ends, or ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2.0).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    return False


def _open_when_ready(process: subprocess.Popen[bytes], url: str) -> None:
    if wait_until_ready(process, url):
        webbrowser.open(url)
