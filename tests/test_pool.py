"""The linear connection pool makes the same decisions as httpcore's own pool."""

from __future__ import annotations

import asyncio
import select

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


def test_a_connection_the_server_closed_is_not_handed_out_again() -> None:
    """The "expired?" question is asked of the connection about to be reused, even between
    sweeps: a keep-alive connection the server has closed is replaced, the request succeeds."""

    async def scenario() -> tuple[list[int], int]:
        accepted = 0
        closed = asyncio.Event()

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            nonlocal accepted
            accepted += 1
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")  # keep-alive...
            await writer.drain()
            writer.close()  # ...then closed by the server
            await writer.wait_closed()
            closed.set()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
        statuses = []
        async with LinearConnectionPool(max_connections=1) as pool:
            pool._next_sweep = float("inf")  # no sweep: only the per-connection check acts
            for _ in range(2):
                closed.clear()
                statuses.append((await pool.request("GET", url)).status)
                await asyncio.wait_for(closed.wait(), 5)
                idle = pool.connections[0]._connection._network_stream  # type: ignore[union-attr]
                select.select([idle.get_extra_info("socket")], [], [], 5)  # the FIN has arrived
        server.close()
        await server.wait_closed()
        return statuses, accepted

    statuses, accepted = asyncio.run(scenario())
    assert statuses == [200, 200]
    assert accepted == 2
