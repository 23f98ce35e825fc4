"""The SSRF policy, table by table: every refusal below is checked without any connection.

Private, link-local and metadata addresses are only ever given to ``check_url`` /
``check_address`` or to a fake inner backend, never to a real socket.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
from typing import Any

import httpcore
import pytest

from watch import ip_addresses, netguard
from watch.ip_addresses import parse_ip_literal
from watch.netguard import (
    AddressPolicy,
    BlockedAddress,
    GuardedNetworkBackend,
    UnresolvableHost,
)

LITERALS = [
    ("127.0.0.1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),
    ("0x7f000001", "127.0.0.1"),
    ("0X7F000001", "127.0.0.1"),
    ("0177.0.0.1", "127.0.0.1"),
    ("017700000001", "127.0.0.1"),
    ("127.1", "127.0.0.1"),
    ("0x7f.1", "127.0.0.1"),
    ("127.0.1", "127.0.0.1"),
    ("10.1", "10.0.0.1"),
    ("192.168.257", "192.168.1.1"),
    ("0", "0.0.0.0"),
    ("127.0.0.1.", "127.0.0.1"),
    ("[::1]", "::1"),
    ("::ffff:127.0.0.1", "::ffff:7f00:1"),
    ("fe80::1%eth0", "fe80::1"),
    ("example.org", None),
    ("1.2.3.4.5", None),
    ("256.1.1.1", None),
    ("4294967296", None),
    ("0x", "0.0.0.0"),
    ("09.1.1.1", None),
    ("1e3", None),
    ("", None),
]


@pytest.mark.parametrize(("host", "expected"), LITERALS)
def test_ip_literals_in_every_spelling_resolvers_accept(host: str, expected: str | None) -> None:
    parsed = parse_ip_literal(host)
    assert (str(parsed) if parsed else None) == expected


BLOCKED_URLS = [
    ("http://127.0.0.1/", "refused: 127.0.0.1 is a loopback address"),
    ("http://127.255.255.254:8080/", "loopback address"),
    ("http://10.0.0.5/feed", "refused: 10.0.0.5 is a private address"),
    ("http://172.16.0.1/", "private address"),
    ("http://172.31.255.255/", "private address"),
    ("http://192.168.1.1/", "private address"),
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata address"),
    ("http://169.254.170.2/v2/credentials", "cloud metadata address"),
    ("http://169.254.1.1/", "link-local address"),
    ("http://100.64.0.1/", "shared address"),
    ("http://100.100.100.200/", "cloud metadata address"),
    ("http://0.0.0.0/", "unspecified address"),
    ("http://224.0.0.1/", "multicast address"),
    ("http://255.255.255.255/", "broadcast address"),
    ("http://240.0.0.1/", "reserved address"),
    ("http://192.0.2.10/", "documentation address"),
    ("http://198.18.0.1/", "reserved address"),
    ("http://[::1]/", "refused: ::1 is a loopback address"),
    ("http://[::]/", "unspecified address"),
    ("http://[fe80::1]/", "link-local address"),
    ("http://[fc00::1]/", "private address"),
    ("http://[fd12:3456::1]/", "private address"),
    ("http://[fd00:ec2::254]/", "cloud metadata address"),
    ("http://[fec0::1]/", "private address"),
    ("http://[ff02::1]/", "multicast address"),
    ("http://[2001:db8::1]/", "documentation address"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "Teredo tunnel address"),
    ("http://[::ffff:127.0.0.1]/", "loopback address"),
    ("http://[::ffff:7f00:1]/", "loopback address"),
    ("http://[::ffff:169.254.169.254]/", "cloud metadata address"),
    ("http://[::127.0.0.1]/", "loopback address"),
    ("http://[64:ff9b::a00:5]/", "private address"),
    ("http://[64:ff9b::7f00:1]/", "loopback address"),
    ("http://[2002:7f00:1::]/", "loopback address"),
    ("http://[2002:a9fe:a9fe::]/", "cloud metadata address"),
    ("http://2130706433/", "refused: 127.0.0.1 is a loopback address"),
    ("http://0x7f000001/", "loopback address"),
    ("http://0177.0.0.1/", "loopback address"),
    ("http://127.1/", "loopback address"),
    ("http://0xa9fea9fe/", "cloud metadata address"),
    ("http://2852039166/", "cloud metadata address"),
    ("https://10.1:8443/", "private address"),
    ("HTTP://192.168.0.1./", "private address"),
    ("ftp://example.org/", "only http and https"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://example.org/", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("example.org/feed", "only http and https"),
    ("http:///no-host", "has no host"),
    ("http://example.org:99999/", "not a valid URL"),
]


@pytest.mark.parametrize(("url", "message"), BLOCKED_URLS)
def test_check_url_refuses_non_public_targets(url: str, message: str) -> None:
    with pytest.raises(BlockedAddress) as caught:
        AddressPolicy().check_url(url)
    assert message in str(caught.value)
    assert str(caught.value).startswith("refused: ")


ALLOWED_URLS = [
    "http://93.184.216.34/",
    "https://8.8.8.8/dns-query",
    "http://[2606:2800:220:1:248:1893:25c8:1946]/",
    "http://[::ffff:8.8.8.8]/",
    "http://[2002:808:808::]/",
    "http://[64:ff9b::808:808]/",
    "https://example.org/feed.xml",
    "https://localhost.example.org/",
    "http://1.1/",
]


@pytest.mark.parametrize("url", ALLOWED_URLS)
def test_check_url_lets_public_addresses_and_names_through(url: str) -> None:
    AddressPolicy().check_url(url)


# (allow_private, host, ip, port, allowed)
ALLOWLIST = [
    (["127.0.0.1:8765"], "127.0.0.1", "127.0.0.1", 8765, True),
    (["127.0.0.1:8765"], "localhost", "127.0.0.1", 8765, False),
    (["127.0.0.1:8765"], "2130706433", "127.0.0.1", 8765, False),
    (["127.0.0.1:8765"], "::ffff:127.0.0.1", "::ffff:127.0.0.1", 8765, False),
    (["127.0.0.1:8765"], "127.0.0.1.", "127.0.0.1", 8765, True),
    (["localhost:8765"], "localhost", "127.0.0.1", 8765, True),
    (["localhost:8765"], "localhost", "::1", 8765, True),
    (["127.0.0.0/8"], "localhost", "127.0.0.1", 8765, True),
    (["127.0.0.0/8"], "2130706433", "127.0.0.1", 80, True),
    (["127.0.0.1:8765"], "127.0.0.1", "127.0.0.1", 8766, False),
    (["127.0.0.1:8765"], "127.0.0.2", "127.0.0.2", 8765, False),
    (["127.0.0.1:8765"], "::1", "::1", 8765, False),
    (["127.0.0.1:8765"], "10.0.0.1", "10.0.0.1", 8765, False),
    (["127.0.0.1"], "127.0.0.1", "127.0.0.1", 1, True),
    (["127.0.0.1"], "127.0.0.1", "127.0.0.9", 1, False),
    (["10.1.0.0/16"], "intranet", "10.1.2.3", 443, True),
    (["10.1.0.0/16"], "intranet", "10.1.2.3", 8080, True),
    (["10.1.0.0/16"], "intranet", "10.2.0.1", 443, False),
    (["10.1.0.0/16"], "intranet", "::ffff:10.1.2.3", 443, True),
    (["10.1.0.0/16"], "intranet", "169.254.169.254", 80, False),
    (["intranet.example.org"], "intranet.example.org", "10.9.9.9", 443, True),
    (["intranet.example.org"], "INTRANET.Example.org.", "10.9.9.9", 80, True),
    (["intranet.example.org"], "evil.example.org", "10.9.9.9", 443, False),
    (["intranet.example.org"], "intranet.example.org.evil.net", "10.9.9.9", 443, False),
    (["intranet.example.org:8443"], "intranet.example.org", "10.9.9.9", 8443, True),
    (["intranet.example.org:8443"], "intranet.example.org", "10.9.9.9", 443, False),
    (["[::1]:8080"], "::1", "::1", 8080, True),
    (["[::1]:8080"], "[::1]", "::1", 8080, True),
    (["[::1]:8080"], "0:0::1", "::1", 8080, False),
    (["[::1]:8080"], "::1", "::1", 8081, False),
    (["::1"], "::1", "::1", 9, True),
    (["fd00::/8"], "ula", "fd12::1", 443, True),
    (["fd00::/8"], "ula", "fc00::1", 443, False),
    ([], "localhost", "127.0.0.1", 80, False),
    ([], "example.org", "93.184.216.34", 80, True),
]


@pytest.mark.parametrize(("allow", "host", "ip", "port", "allowed"), ALLOWLIST)
def test_check_address_honours_exactly_the_allowlist(
    allow: list[str], host: str, ip: str, port: int, allowed: bool
) -> None:
    policy = AddressPolicy(allow)
    if allowed:
        policy.check_address(host, ip, port)
    else:
        with pytest.raises(BlockedAddress):
            policy.check_address(host, ip, port)


def test_allowlisted_literal_url_passes_but_no_other_spelling_or_port() -> None:
    policy = AddressPolicy(["127.0.0.1:8765"])
    policy.check_url("http://127.0.0.1:8765/feed")
    for other in ("2130706433:8765", "127.1:8765", "[::ffff:127.0.0.1]:8765"):
        with pytest.raises(BlockedAddress, match="loopback"):
            policy.check_url(f"http://{other}/feed")
    with pytest.raises(BlockedAddress, match="loopback"):
        policy.check_url("http://127.0.0.1:8766/feed")
    with pytest.raises(BlockedAddress, match="loopback"):
        policy.check_url("http://127.0.0.1/feed")


def test_refusal_names_the_host_and_what_it_resolved_to() -> None:
    with pytest.raises(BlockedAddress) as caught:
        AddressPolicy().check_address("intranet", "10.0.0.5", 80)
    assert str(caught.value) == "refused: intranet resolves to 10.0.0.5, a private address"
    assert (caught.value.address, caught.value.port, caught.value.kind) == (
        "10.0.0.5",
        80,
        "private address",
    )
    assert caught.value.target == "10.0.0.5:80"


@pytest.mark.parametrize("entry", ["10.0.0.0/33", "host:notaport", "[::1]:x", ""])
def test_bad_allowlist_entries_are_rejected(entry: str) -> None:
    with pytest.raises(ValueError):
        AddressPolicy([entry])


def test_nothing_we_let_through_is_non_global_for_python() -> None:
    """Cross-check our table against ``ipaddress`` on a grid over the IPv4 space."""
    let_through = 0
    for first in range(256):
        for rest in (
            "0.0.1",
            "16.0.1",
            "64.0.1",
            "88.99.1",
            "168.1.1",
            "0.0.9",
            "0.2.1",
            "51.100.1",
        ):
            address = ipaddress.ip_address(f"{first}.{rest}")
            if ip_addresses.blocked_reason(address) is None:
                let_through += 1
                assert address.is_global, address
    assert let_through > 1500  # the grid did test public addresses


class _RecordingBackend(httpcore.AsyncNetworkBackend):
    """Stands in for the socket layer: records where it was asked to connect."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((host, port))
        return httpcore.AsyncNetworkStream()


def _connect(backend: GuardedNetworkBackend, host: str, port: int) -> Any:
    return asyncio.run(backend.connect_tcp(host, port, timeout=5))


def test_backend_connects_to_the_checked_ip_not_the_name() -> None:
    inner = _RecordingBackend()
    backend = GuardedNetworkBackend(AddressPolicy(["localhost:8765"]), inner)
    _connect(backend, "localhost", 8765)
    assert len(inner.calls) == 1
    ip, port = inner.calls[0]
    assert ipaddress.ip_address(ip).is_loopback and port == 8765


def test_backend_refuses_a_name_that_resolves_to_loopback() -> None:
    inner = _RecordingBackend()
    backend = GuardedNetworkBackend(AddressPolicy(), inner)
    with pytest.raises(BlockedAddress, match="refused: localhost resolves to"):
        _connect(backend, "localhost", 8765)
    assert inner.calls == []


def test_backend_skips_blocked_addresses_of_a_mixed_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def mixed(host: str, port: int, timeout: float | None) -> list[str]:
        return ["10.0.0.5", "169.254.169.254", "93.184.216.34"]

    monkeypatch.setattr(netguard, "_resolve", mixed)
    inner = _RecordingBackend()
    _connect(GuardedNetworkBackend(AddressPolicy(), inner), "rebind.example", 80)
    assert inner.calls == [("93.184.216.34", 80)]


def test_backend_refuses_when_every_address_is_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    async def private_only(host: str, port: int, timeout: float | None) -> list[str]:
        return ["169.254.169.254", "10.0.0.5"]

    monkeypatch.setattr(netguard, "_resolve", private_only)
    inner = _RecordingBackend()
    with pytest.raises(BlockedAddress, match="cloud metadata address"):
        _connect(GuardedNetworkBackend(AddressPolicy(), inner), "metadata.example", 80)
    assert inner.calls == []


def test_backend_reports_unresolvable_names() -> None:
    inner = _RecordingBackend()
    with pytest.raises(UnresolvableHost, match="DNS lookup failed for nowhere.invalid"):
        _connect(GuardedNetworkBackend(AddressPolicy(), inner), "nowhere.invalid", 80)
    assert inner.calls == []


def test_backend_never_opens_unix_sockets() -> None:
    backend = GuardedNetworkBackend(AddressPolicy(), _RecordingBackend())
    with pytest.raises(BlockedAddress):
        asyncio.run(backend.connect_unix_socket("/var/run/docker.sock"))


def test_connected_stream_tells_when_the_server_closed_an_idle_connection() -> None:
    """The pool's keep-alive check ("is_readable") on the socket the stream remembers."""

    async def scenario() -> tuple[bool, bool]:
        close_now, gone = asyncio.Event(), asyncio.Event()

        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await close_now.wait()
            writer.close()
            await writer.wait_closed()
            gone.set()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        backend = GuardedNetworkBackend(AddressPolicy([f"127.0.0.1:{port}"]))
        stream = await backend.connect_tcp("127.0.0.1", port, timeout=5)
        idle = stream.get_extra_info("is_readable")
        close_now.set()
        await asyncio.wait_for(gone.wait(), 5)
        select.select([stream.get_extra_info("socket")], [], [], 5)  # the FIN has arrived
        after_close = stream.get_extra_info("is_readable")
        await stream.aclose()
        server.close()
        await server.wait_closed()
        return idle, after_close

    idle, after_close = asyncio.run(scenario())
    assert idle is False and after_close is True
