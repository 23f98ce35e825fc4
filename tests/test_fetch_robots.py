"""robots.txt for page fetches against real local servers: rules per origin, read again after
24 hours, an unreadable one disallowing its origin a while, every redirect hop checked against
its own origin's rules, and at most ``MAX_ORIGINS`` origins kept (``watch.fetch.robots``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.robotparser import RobotFileParser

from tests.support.servers import LocalServer
from watch.config import FetchConfig
from watch.fetch import Fetcher
from watch.fetch.robots import FAILURE_KEPT_FOR, RULES_KEPT_FOR, RobotsCache
from watch.models import FetchResult

DAY = 24 * 3600.0


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fetch_pages(
    config: FetchConfig, steps: list[tuple[str, Callable[[], None]]], clock: Clock | None = None
) -> list[FetchResult]:
    """With one Fetcher, run each step's change (move the clock, change a route), then fetch
    its URL as a page (robots.txt respected)."""

    async def go() -> list[FetchResult]:
        results = []
        async with Fetcher(config, clock=clock or Clock()) as fetcher:
            for url, change in steps:
                change()
                results.append(await fetcher.fetch(url, respect_robots=True))
        return results

    return asyncio.run(go())


def run_pages(config: FetchConfig, urls: list[str], **kwargs: Any) -> list[FetchResult]:
    return fetch_pages(config, [(url, lambda: None) for url in urls], **kwargs)


def allowing(*servers: LocalServer) -> FetchConfig:
    return FetchConfig(allow_private=tuple(server.allow for server in servers))


def paths(server: LocalServer) -> list[str]:
    return [path for _, path, _ in server.requests]


def test_robots_txt_is_respected_for_pages_and_fetched_once(local_server: LocalServer) -> None:
    local_server.route(
        "/robots.txt", "User-agent: watch\nDisallow: /private\n\nUser-agent: *\nDisallow: /\n"
    )
    local_server.route("/private/page.html", "<html></html>")
    local_server.route("/news.html", "<html>news</html>")
    urls = [local_server.url(p) for p in ("/private/page.html", "/news.html", "/news.html")]
    private, news, again = run_pages(allowing(local_server), urls)
    assert (private.status, private.error) == ("error", "disallowed by robots.txt")
    assert news.status == again.status == "ok"
    assert paths(local_server) == ["/robots.txt", "/news.html", "/news.html"]


def test_robots_is_ignored_for_feeds_and_missing_robots_allows(local_server: LocalServer) -> None:
    local_server.route("/page.html", "<html></html>")
    config = allowing(local_server)

    async def go() -> tuple[FetchResult, FetchResult]:
        async with Fetcher(config) as fetcher:
            page = await fetcher.fetch(local_server.url("/page.html"), respect_robots=True)
            local_server.route("/robots.txt", "User-agent: *\nDisallow: /\n")
            return page, await fetcher.fetch(local_server.url("/page.html"))

    page, feed = asyncio.run(go())
    assert page.status == feed.status == "ok"
    assert paths(local_server) == ["/robots.txt", "/page.html", "/page.html"]


def test_robots_txt_is_read_again_after_24_hours_not_before(local_server: LocalServer) -> None:
    local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
    local_server.route("/page.html", "<html></html>")
    clock, url = Clock(), local_server.url("/page.html")

    def disallow_all_later(seconds: float) -> Callable[[], None]:
        def change() -> None:
            local_server.route("/robots.txt", "User-agent: *\nDisallow: /\n")
            clock.now += seconds

        return change

    steps = [
        (url, lambda: None),
        (url, disallow_all_later(RULES_KEPT_FOR - 1)),
        (url, disallow_all_later(1)),
    ]
    first, day_after, one_second_more = fetch_pages(allowing(local_server), steps, clock)
    assert RULES_KEPT_FOR == DAY
    assert first.status == day_after.status == "ok"
    assert (one_second_more.status, one_second_more.error) == ("error", "disallowed by robots.txt")
    assert paths(local_server) == ["/robots.txt", "/page.html", "/page.html", "/robots.txt"]


def test_unreadable_robots_disallows_its_origin_for_a_while(local_server: LocalServer) -> None:
    local_server.route("/robots.txt", status=500)
    local_server.route("/page.html", "<html></html>")
    clock, url = Clock(), local_server.url("/page.html")

    def robots_back_later(seconds: float) -> Callable[[], None]:
        def change() -> None:
            local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
            clock.now += seconds

        return change

    steps = [
        (url, lambda: None),
        (url, robots_back_later(FAILURE_KEPT_FOR - 1)),
        (url, robots_back_later(1)),
    ]
    first, later, after_a_while = fetch_pages(allowing(local_server), steps, clock)
    unreadable = "could not read robots.txt: HTTP 500 Internal Server Error"
    assert first.error == later.error == unreadable
    assert (after_a_while.status, after_a_while.error) == ("ok", None)
    assert paths(local_server) == ["/robots.txt", "/robots.txt", "/page.html"]


def test_a_redirect_to_a_page_disallowed_on_another_origin_is_refused(
    local_server: LocalServer, other_local_server: LocalServer
) -> None:
    local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
    local_server.redirect("/go", other_local_server.url("/private/page.html"))
    other_local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
    other_local_server.route("/private/page.html", "<html>secret</html>")
    config = allowing(local_server, other_local_server)
    (result,) = run_pages(config, [local_server.url("/go")])
    assert (result.status, result.error) == ("error", "disallowed by robots.txt")
    assert paths(local_server) == ["/robots.txt", "/go"]
    assert paths(other_local_server) == ["/robots.txt"]


def test_a_redirect_to_a_page_allowed_on_another_origin_is_followed(
    local_server: LocalServer, other_local_server: LocalServer
) -> None:
    local_server.redirect("/go", other_local_server.url("/news.html"))
    other_local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
    other_local_server.route("/news.html", "<html>news</html>")
    config = allowing(local_server, other_local_server)
    (result,) = run_pages(config, [local_server.url("/go")])
    assert (result.status, result.body) == ("ok", b"<html>news</html>")
    assert result.final_url == other_local_server.url("/news.html")
    assert paths(local_server) == ["/robots.txt", "/go"]
    assert paths(other_local_server) == ["/robots.txt", "/news.html"]


def test_a_redirect_to_a_disallowed_page_of_the_same_origin_is_refused(
    local_server: LocalServer,
) -> None:
    local_server.route("/robots.txt", "User-agent: *\nDisallow: /private\n")
    local_server.redirect("/go", "/private/page.html")
    local_server.route("/private/page.html", "<html>secret</html>")
    (result,) = run_pages(allowing(local_server), [local_server.url("/go")])
    assert result.error == "disallowed by robots.txt"
    assert paths(local_server) == ["/robots.txt", "/go"]


def test_concurrent_pages_of_one_origin_read_its_robots_txt_once(
    local_server: LocalServer,
) -> None:
    local_server.delay("/robots.txt", seconds=0.2, body="User-agent: *\nDisallow: /private\n")
    local_server.route("/page.html", "<html></html>")

    async def go() -> list[FetchResult]:
        async with Fetcher(allowing(local_server)) as fetcher:
            url = local_server.url("/page.html")
            pages = [fetcher.fetch(url, respect_robots=True) for _ in range(4)]
            return list(await asyncio.gather(*pages))

    assert [result.status for result in asyncio.run(go())] == ["ok"] * 4
    assert paths(local_server).count("/robots.txt") == 1


def test_the_cache_keeps_the_most_recently_used_origins_only() -> None:
    loaded: list[str] = []

    async def load(origin: str) -> RobotFileParser:
        loaded.append(origin)
        rules = RobotFileParser(f"{origin}/robots.txt")
        rules.parse(["User-agent: *", "Disallow: /private"])
        return rules

    async def go() -> int:
        cache = RobotsCache(load, "watch", max_origins=2)
        for origin in ("http://a:80", "http://b:80", "http://a:80", "http://c:80"):
            assert await cache.allows(origin, f"{origin}/page.html")
        kept = len(cache)
        for origin in ("http://a:80", "http://c:80", "http://b:80"):
            assert not await cache.allows(origin, f"{origin}/private/page.html")
        return kept

    assert asyncio.run(go()) == 2
    assert loaded == ["http://a:80", "http://b:80", "http://c:80", "http://b:80"]
