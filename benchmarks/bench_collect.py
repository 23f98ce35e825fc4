"""Collection benchmark: N feeds from a local server with 50 ms latency, first and second pass.

    python benchmarks/bench_collect.py [--feeds 500] [--runs 3] [--latency 0.05]

Serves real feeds from ../shared/corpus/feeds (cycled up to N distinct URLs; the project's demo
feeds when the corpus is absent) from a separate process, then measures, in the same run and
against the same server, each collector on a fresh store: first pass (all new) and second pass
(all unchanged, conditional GET):

- watch        this project's pipeline (fetch, parse, normalize, fingerprint and cluster, score,
               store in SQLite with full-text index); with --topics FILE it also classifies
               against that file's topics (the peers never classify)
- reader       lemon24/reader (pip install reader sgmllib3k), workers=16, scheduled=False
- newsboat     the Debian package, reload-threads 16
- bare         a bare concurrent download of the same URLs (httpx, 16 at a time, ETags kept)

Wall and CPU time are measured inside the Python workers around the pass only (newsboat: the
whole process); peak RSS is the worker process's maximum. Figures are medians over --runs.
It also checks that watch stores every distinct entry feedparser finds in each feed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "feeds"
TOOLS = ["watch", "reader", "newsboat", "bare"]


# -- the feed server (a separate process) -------------------------------------------------------


def serve(folder: Path, count: int, latency: float, port_file: Path) -> None:
    """Serve ``count`` feeds cycled from ``folder`` at /f/<i>/<name>, with ETag and latency."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    files = sorted(p for p in folder.iterdir() if p.is_file())
    bodies = [p.read_bytes() for p in files]
    stamp = "Mon, 02 Nov 2026 10:00:00 GMT"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            time.sleep(latency)
            try:
                index = int(self.path.split("/")[2])
            except (IndexError, ValueError):
                self.send_error(404)
                return
            body = bodies[index % len(bodies)]
            etag = f'"{hashlib.md5(body).hexdigest()[:12]}-{index}"'
            if (
                self.headers.get("If-None-Match") == etag
                or self.headers.get("If-Modified-Since") == stamp
            ):
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            name = files[index % len(files)].name
            ctype = "application/feed+json" if name.endswith(".json") else "application/xml"
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", stamp)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 256
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_file.write_text(str(server.server_address[1]))
    server.serve_forever()


def feed_urls(port: int, folder: Path, count: int) -> list[str]:
    files = sorted(p for p in folder.iterdir() if p.is_file())
    return [f"http://127.0.0.1:{port}/f/{i}/{files[i % len(files)].name}" for i in range(count)]


# -- workers (one process per pass) ---------------------------------------------------------------


def worker_watch(work: Path, urls: list[str], port: int) -> dict[str, float]:
    import asyncio

    from watch.config import parse_config, resolve_settings
    from watch.pipeline import Pipeline
    from watch.store import open_store

    lines = [
        f'name: bench\nfetch:\n  allow_private: ["127.0.0.1:{port}"]\n  concurrency: 16\n  per_host: 16\nsources:'
    ]
    lines += [f"  - name: s{i}\n    url: {u}\n    every: 1h" for i, u in enumerate(urls)]
    config = parse_config("\n".join(lines) + "\n")
    if os.environ.get(TOPICS_ENV):  # --topics: classify against that file's topics too
        topics = parse_config(Path(os.environ[TOPICS_ENV]).read_text()).topics
        config = config.model_copy(update={"topics": topics})
    settings = resolve_settings(
        work / "sources.yaml", f"sqlite:///{work / 'watch.db'}", config, env={}
    )
    store = open_store(settings.db_url)
    wall, cpu = time.perf_counter(), time.process_time()
    report = asyncio.run(Pipeline(store, config, settings).run_pass())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    from watch.store.base import ArticleQuery

    stored = store.count_articles(ArticleQuery())
    store.close()
    return {
        "wall": wall,
        "cpu": cpu,
        "stored": stored,
        "not_modified": report.count("not_modified"),
        "failed": len(report.failed),
    }


def worker_reader(work: Path, urls: list[str], port: int) -> dict[str, float]:
    from reader import make_reader

    reader = make_reader(str(work / "reader.sqlite"))
    existing = {f.url for f in reader.get_feeds()}
    for url in urls:
        if url not in existing:
            reader.add_feed(url)
    wall, cpu = time.perf_counter(), time.process_time()
    reader.update_feeds(workers=16, scheduled=False)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    failed = sum(1 for f in reader.get_feeds() if f.last_exception)
    return {"wall": wall, "cpu": cpu, "stored": reader.get_entry_counts().total, "failed": failed}


def worker_bare(work: Path, urls: list[str], port: int) -> dict[str, float]:
    import asyncio

    import httpx

    state_file = work / "etags.json"
    etags: dict[str, str] = json.loads(state_file.read_text()) if state_file.exists() else {}
    not_modified = 0

    async def run() -> None:
        nonlocal not_modified
        limit = asyncio.Semaphore(16)
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=16)) as client:

            async def one(url: str) -> None:
                nonlocal not_modified
                headers = {"If-None-Match": etags[url]} if url in etags else {}
                async with limit:
                    response = await client.get(url, headers=headers)
                if response.status_code == 304:
                    not_modified += 1
                elif "etag" in response.headers:
                    etags[url] = response.headers["etag"]

            await asyncio.gather(*(one(u) for u in urls))

    wall, cpu = time.perf_counter(), time.process_time()
    asyncio.run(run())
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    state_file.write_text(json.dumps(etags))
    return {"wall": wall, "cpu": cpu, "stored": 0, "not_modified": not_modified}


TOPICS_ENV = "BENCH_COLLECT_TOPICS"
WORKERS = {"watch": worker_watch, "reader": worker_reader, "bare": worker_bare}


def run_pass(tool: str, work: Path, urls_file: Path, port: int) -> dict[str, float]:
    """One pass of one tool in its own process; adds peak RSS (MB) from wait4."""
    if tool == "newsboat":
        return newsboat_pass(work, urls_file)
    cmd = [
        sys.executable,
        __file__,
        "--worker",
        tool,
        "--work",
        str(work),
        "--urls",
        str(urls_file),
        "--port",
        str(port),
    ]
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT)
    out = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise RuntimeError(f"{tool} worker failed ({status})")
    result = json.loads(out.decode().strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024
    return result


def newsboat_pass(work: Path, urls_file: Path) -> dict[str, float]:
    config = work / "newsboat.conf"
    config.write_text("reload-threads 16\nsuppress-first-reload yes\n")
    cache = work / "newsboat.db"
    cmd = ["newsboat", "-x", "reload", "-u", str(urls_file), "-c", str(cache), "-C", str(config)]
    start = time.perf_counter()
    process = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HOME": str(work)},
    )
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    import sqlite3

    stored = sqlite3.connect(cache).execute("select count(*) from rss_item").fetchone()[0]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "stored": stored,
        "peak_mb": usage.ru_maxrss / 1024,
    }


# -- the driver -------------------------------------------------------------------------------------


def available(tool: str) -> str | None:
    """None when the tool can run, else why not."""
    if tool == "reader":
        try:
            import reader  # noqa: F401
        except ImportError:
            return "not installed: pip install reader sgmllib3k"
    if tool == "newsboat" and not shutil.which("newsboat"):
        return "not installed: apt-get install newsboat"
    return None


def feedparser_entries(folder: Path) -> dict[str, int]:
    """Distinct entries feedparser finds per corpus file (by id, else link, else title)."""
    import feedparser

    counts = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        parsed = feedparser.parse(path.read_bytes())
        keys = {
            e.get("id") or e.get("link") or e.get("title") or repr(i)
            for i, e in enumerate(parsed.entries)
        }
        counts[path.name] = len(keys)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--worker")
    parser.add_argument("--work")
    parser.add_argument("--urls")
    parser.add_argument("--port", type=int)
    parser.add_argument(
        "--topics",
        metavar="SOURCES_YAML",
        help="watch also classifies against the topics of this file (default: no topics, "
        "like the peers, which do not classify)",
    )
    args = parser.parse_args()
    if args.topics:
        os.environ[TOPICS_ENV] = str(Path(args.topics).resolve())
    if args.worker:
        urls = Path(args.urls).read_text().split()
        print(json.dumps(WORKERS[args.worker](Path(args.work), urls, args.port)))
        return
    folder = CORPUS if CORPUS.is_dir() else ROOT / "benchmarks" / "out" / "demo_feeds"
    if folder != CORPUS:
        export_demo_feeds(folder)
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as tmp:
        run_all(Path(tmp), folder, args)


def export_demo_feeds(folder: Path) -> None:
    """Without the corpus, serve the project's own demo feeds (written to ``folder``)."""
    import httpx

    from watch.config import parse_config
    from watch.demo import DemoServer, demo_sources_yaml

    folder.mkdir(parents=True, exist_ok=True)
    with DemoServer() as server:
        config = parse_config(demo_sources_yaml(server.base_url, server.port))
        for source in config.sources:
            if source.kind == "feed":
                (folder / f"{source.name}.xml").write_bytes(httpx.get(source.url).content)


def run_all(tmp: Path, folder: Path, args: argparse.Namespace) -> None:
    port_file = tmp / "port"
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(HERE)!r}); import bench_collect as b; from pathlib import Path; b.serve(Path({str(folder)!r}), {args.feeds}, {args.latency}, Path({str(port_file)!r}))",
        ]
    )
    try:
        deadline = time.monotonic() + 20
        while not port_file.exists() or not port_file.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError("feed server did not start")
            time.sleep(0.05)
        port = int(port_file.read_text())
        urls = feed_urls(port, folder, args.feeds)
        urls_file = tmp / "urls.txt"
        urls_file.write_text("\n".join(urls) + "\n")
        print(
            f"{args.feeds} feeds from {folder} ({len(list(folder.iterdir()))} distinct files), latency {args.latency * 1000:.0f} ms, {args.runs} runs"
        )
        results = measure(tmp, args, urls_file, port)
        report(results, folder, args.feeds)
    finally:
        server.terminate()
        server.wait()


def measure(
    tmp: Path, args: argparse.Namespace, urls_file: Path, port: int
) -> dict[str, dict[str, list[dict[str, float]]]]:
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    for tool in args.tools.split(","):
        why = available(tool)
        if why:
            print(f"  {tool}: skipped ({why})")
            continue
        results[tool] = {"first": [], "second": []}
        for run in range(args.runs):
            work = tmp / f"{tool}-{run}"
            work.mkdir()
            for name in ("first", "second"):
                results[tool][name].append(run_pass(tool, work, urls_file, port))
            print(
                f"  {tool} run {run + 1}: first {results[tool]['first'][-1]['wall']:.2f}s, second {results[tool]['second'][-1]['wall']:.2f}s",
                flush=True,
            )
    return results


def report(results: dict[str, dict[str, list[dict[str, float]]]], folder: Path, count: int) -> None:
    def med(tool: str, name: str, key: str) -> float:
        return statistics.median(r.get(key, 0) for r in results[tool][name])

    print(
        f"\n{'tool':<10} {'pass':<7} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'stored':>8} {'304s':>6}"
    )
    for tool in results:
        for name in ("first", "second"):
            print(
                f"{tool:<10} {name:<7} {med(tool, name, 'wall'):>8.2f} {med(tool, name, 'cpu'):>8.2f} {med(tool, name, 'peak_mb'):>8.0f} {med(tool, name, 'stored'):>8.0f} {med(tool, name, 'not_modified'):>6.0f}"
            )
    if "watch" in results:
        w1, w2 = med("watch", "first", "wall"), med("watch", "second", "wall")
        for peer in ("reader", "newsboat", "bare"):
            if peer in results:
                print(
                    f"watch vs {peer}: first pass {med(peer, 'first', 'wall') / w1:.1f}x faster, second pass {w2 / med(peer, 'second', 'wall'):.2f}x the {peer} time"
                )
        files = sorted(p.name for p in folder.iterdir() if p.is_file())
        per_file = feedparser_entries(folder)
        expected = sum(per_file[files[i % len(files)]] for i in range(count))
        print(
            f"feedparser finds {expected} distinct entries in the {count} feeds; watch stored {med('watch', 'first', 'stored'):.0f}"
        )


if __name__ == "__main__":
    main()
