"""Network guard: which addresses the fetcher may reach, checked on the URL and at connect time.

This module owns the server-side request forgery (SSRF) policy. ``AddressPolicy`` refuses
every address that is not on the public Internet (loopback, private, link-local and cloud
metadata, shared address space, multicast, unspecified, reserved, documentation), sees through
IPv6 wrappers around IPv4 (mapped ``::ffff:a.b.c.d``, NAT64, 6to4) and through the odd IPv4
spellings resolvers accept (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``); what
an address is and why it is not public is ``watch.ip_addresses``'s.
The user's ``allow_private`` entries (``host``, ``host:port``, ``ip``, ``ip:port``, CIDR) are
the only exceptions.

``GuardedNetworkBackend`` is an httpcore network backend that resolves host names itself,
checks every address it got with the policy and connects only to a checked IP, so a name that
resolves to a private address (or re-resolves to one later) is refused where it matters.  TLS
SNI and the Host header are untouched: httpcore keeps using the host name for those.
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

from watch.ip_addresses import IPAddress, IPNetwork, blocked_reason, parse_ip_literal, unwrap_ipv4


class BlockedAddress(Exception):
    """A URL or an address the policy refuses; the message says why in words."""

    def __init__(
        self, message: str, *, address: str = "", port: int | None = None, kind: str = ""
    ) -> None:
        super().__init__(message)
        self.address = address
        self.port = port
        self.kind = kind

    @property
    def target(self) -> str:
        """``address:port`` (IPv6 in brackets), or just the address when the port is unknown."""
        shown = f"[{self.address}]" if ":" in self.address else self.address
        return f"{shown}:{self.port}" if self.port is not None else shown


class UnresolvableHost(Exception):
    """DNS gave no address for a host name."""

    def __init__(self, host: str) -> None:
        super().__init__(f"DNS lookup failed for {host}")
        self.host = host


@dataclass(frozen=True)
class _AllowEntry:
    """One exception to the policy.

    A CIDR entry matches the address connected to, whatever name led there (an intranet name
    resolving into 10.1.0.0/16).  An ``ip[:port]`` entry matches only URLs that write that IP
    in its standard form, and a ``host[:port]`` entry only that host name: allowing
    ``127.0.0.1:8765`` does not allow ``localhost:8765`` nor ``2130706433:8765``.
    """

    network: IPNetwork | None = None
    hostname: str | None = None
    port: int | None = None

    def matches(self, host: str, ip: IPAddress, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is None:
            return self.hostname == _normal_host(host)
        if self.hostname is not None and self.hostname != _normal_host(host):
            return False
        return ip.version == self.network.version and ip in self.network


def _normal_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def parse_allow_entry(entry: str) -> _AllowEntry:
    """One ``allow_private`` entry: CIDR, ``ip``, ``[v6]:port``, ``ip:port``, ``host[:port]``."""
    text = entry.strip()
    if "/" in text:
        return _AllowEntry(network=ipaddress.ip_network(text, strict=False))
    name, port = text, None
    if text.startswith("["):
        name, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") else None
    elif text.count(":") == 1:
        name, _, port_text = text.partition(":")
        port = int(port_text)
    ip = parse_ip_literal(name)
    if ip is not None:
        ip = unwrap_ipv4(ip)
        return _AllowEntry(network=ipaddress.ip_network(ip), hostname=str(ip), port=port)
    if not name:
        raise ValueError(f"{entry!r} is not a host, host:port or CIDR network")
    return _AllowEntry(hostname=_normal_host(name), port=port)


class AddressPolicy:
    """Refuse every non-public address except the ones the user allowed explicitly."""

    def __init__(self, allow_private: Sequence[str] = ()) -> None:
        self._allowed = tuple(parse_allow_entry(entry) for entry in allow_private)

    def is_allowed(self, host: str, ip: IPAddress, port: int) -> bool:
        """True when an allowlist entry covers this host name or address (and port)."""
        return any(entry.matches(host, unwrap_ipv4(ip), port) for entry in self._allowed)

    def sends_in_clear(self, url: str) -> bool:
        """Whether ``url`` is plain http:// to a server the policy neither lists nor refuses (a
        public one): what it carries (a webhook's token) crosses the Internet readable.  No name
        is resolved: a host name counts as listed only by name."""
        try:
            parts = urlsplit(url)
            port = parts.port or 80
        except ValueError:
            return False  # not a URL at all: using it says so
        host = (parts.hostname or "").rstrip(".")
        if parts.scheme.lower() != "http" or not host:
            return False
        ip = parse_ip_literal(host)
        if ip is not None:  # a private address is refused unless listed: never public
            return blocked_reason(ip) is None and not self.is_allowed(host, ip, port)
        named = _normal_host(host)
        return not any(
            entry.network is None and entry.hostname == named and entry.port in (None, port)
            for entry in self._allowed
        )

    def check_url(self, url: str) -> None:
        """Refuse non-http(s) URLs, URLs without a host, and literal IPs that are not public."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise BlockedAddress(f"refused: {url!r} is not a valid URL ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise BlockedAddress(f"refused: {scheme or 'no'} scheme, only http and https")
        host = parts.hostname or ""
        if not host:
            raise BlockedAddress(f"refused: {url!r} has no host")
        ip = parse_ip_literal(host)
        if ip is not None:
            self.check_address(host, str(ip), port or (443 if scheme == "https" else 80))

    def check_address(self, host: str, ip: str, port: int) -> None:
        """Refuse connecting to ``ip:port`` (reached through ``host``) unless it is public or allowed."""
        address = ipaddress.ip_address(ip.split("%", 1)[0])
        reason = blocked_reason(address)
        if reason is None or self.is_allowed(host, address, port):
            return
        article = "an" if reason[0] in "aeiou" else "a"
        shown = str(unwrap_ipv4(address))  # ::ffff:a00:5 is 10.0.0.5, as allow_private takes it
        literal = parse_ip_literal(host)
        if literal is None and _normal_host(host) != shown:
            message = f"refused: {host} resolves to {shown}, {article} {reason}"
        else:
            message = f"refused: {shown} is {article} {reason}"
        raise BlockedAddress(message, address=shown, port=port, kind=reason)


class GuardedNetworkBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address with the policy, then connect to a checked IP only."""

    def __init__(
        self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._policy = policy
        self._inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await _resolve(host, port, timeout)
        usable = self._checked(host, port, addresses)
        last_error: Exception | None = None
        for ip in usable:
            try:
                stream = await self._inner.connect_tcp(
                    ip, port, timeout, local_address, socket_options
                )
                return _SocketKeepingStream(stream)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    def _checked(self, host: str, port: int, addresses: list[str]) -> list[str]:
        """The addresses the policy lets through; if none, the first refusal is raised."""
        usable: list[str] = []
        first_refusal: BlockedAddress | None = None
        for ip in addresses:
            try:
                self._policy.check_address(host, ip, port)
            except BlockedAddress as exc:
                first_refusal = first_refusal or exc
                continue
            usable.append(ip)
        if not usable:
            assert first_refusal is not None
            raise first_refusal
        return usable

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddress("refused: unix sockets are never used for fetching")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _SocketKeepingStream(httpcore.AsyncNetworkStream):
    """A connected stream that remembers its socket.

    httpcore's pool asks every idle connection "is the socket readable?" (server closed it?)
    each time it assigns a request; anyio answers by rebuilding its whole attribute table,
    peer-address lookups included, per question.  That was a fifth of a collection pass's CPU
    time; the socket of a connection never changes, so it is looked up once here.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket = inner.get_extra_info("socket")

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _SocketKeepingStream(
            await self._inner.start_tls(ssl_context, server_hostname, timeout)
        )

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable" and self._socket is not None:
            return _is_readable(self._socket)
        if info == "socket":
            return self._socket
        return self._inner.get_extra_info(info)


def _is_readable(sock: socket.socket) -> bool:
    """Whether reading ``sock`` would not block (data, or the peer closed): httpcore's test."""
    if sock.fileno() == -1:
        return True
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


async def _resolve(host: str, port: int, timeout: float | None) -> list[str]:
    """Every distinct IP ``host`` resolves to, in resolver order (literals resolve to themselves)."""
    literal = parse_ip_literal(host)
    if literal is not None:
        return [str(literal)]
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(timeout):
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise UnresolvableHost(host) from None
    except TimeoutError:
        raise httpcore.ConnectTimeout(f"DNS lookup for {host} timed out") from None
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        ip = str(sockaddr[0]).split("%", 1)[0]
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise UnresolvableHost(host)
    return addresses


def guarded_transport(
    policy: AddressPolicy,
    *,
    max_connections: int,
    ssl_context: ssl.SSLContext,
    pool_class: type[httpcore.AsyncConnectionPool] = httpcore.AsyncConnectionPool,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport whose connection pool connects only through ``GuardedNetworkBackend``,
    verifying servers with ``ssl_context``.

    Proxies from the environment are ignored (``trust_env=False``): a proxy would connect on
    our behalf and bypass the connect-time check.
    """
    transport = httpx.AsyncHTTPTransport(verify=ssl_context, trust_env=False)
    transport._pool = pool_class(  # httpx offers no hook for the backend
        ssl_context=ssl_context,
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        network_backend=GuardedNetworkBackend(policy),
    )
    return transport
