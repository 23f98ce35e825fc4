"""The linear connection pool makes the same decisions as httpcore's own pool."""

from __future__ import annotations

import asyncio

import httpcore

from tests.support.servers import LocalServer
from watch.fetch.pool import LinearConnectionPool, connection_pool_class


async def _scenario(pool: httpcore.AsyncConnectionPool, url: str) -> list[int]:
    """Pool sizes along bursts of concurrent requests, then a lone one (surplus idle closed)."""

    async def get() -> int:
        response = await pool.request("GET", url)
        return response.status

    sizes = []
    async with pool:
        for burst in (6, 6, 1, 3):
            statuses = await asyncio.gather(*(get() for _ in range(burst)))
            assert statuses == [200] * burst
            sizes.append(len(pool.connections))
    return sizes


def test_linear_pool_keeps_the_same_connections_as_httpcore(local_server: LocalServer) -> None:
    local_server.route("/feed", "<rss version='2.0'><channel><title>t</title></channel></rss>")
    url = local_server.url("/feed")
    settings = {"max_connections": 4, "max_keepalive_connections": 2}
    upstream = asyncio.run(_scenario(httpcore.AsyncConnectionPool(**settings), url))
    linear = asyncio.run(_scenario(LinearConnectionPool(**settings), url))
    assert linear == upstream
    assert max(linear) <= 4 and linear[-1] <= 3  # bounded; surplus idle connections closed


def test_the_installed_httpcore_gets_the_linear_pool() -> None:
    assert connection_pool_class() is LinearConnectionPool
