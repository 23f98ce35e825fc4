"""What an IP address is, however it is written, and whether it is on the public Internet.

``parse_ip_literal`` reads the spellings resolvers accept (``2130706433``, ``0x7f000001``,
``0177.0.0.1``, ``127.1``, bracketed IPv6 with a zone id); ``unwrap_ipv4`` sees the IPv4 address
inside IPv6 wrappers (mapped ``::ffff:a.b.c.d``, IPv4-compatible, NAT64, 6to4);
``blocked_reason`` names why an address is not public (loopback, private, link-local, cloud
metadata, shared, multicast, unspecified, reserved, documentation).  The policy built on them,
with the user's exceptions, is ``watch.netguard``'s.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_V4 = ipaddress.IPv4Network
_V6 = ipaddress.IPv6Network

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)

# Ordered: the first network that contains an address names the reason it is refused.
_BLOCKED_NETWORKS: tuple[tuple[IPNetwork, str], ...] = (
    (_V4("0.0.0.0/8"), "unspecified address"),
    (_V4("10.0.0.0/8"), "private address"),
    (_V4("100.64.0.0/10"), "shared address (carrier-grade NAT)"),
    (_V4("127.0.0.0/8"), "loopback address"),
    (_V4("169.254.0.0/16"), "link-local address"),
    (_V4("172.16.0.0/12"), "private address"),
    (_V4("192.0.0.0/24"), "reserved address"),
    (_V4("192.0.2.0/24"), "documentation address"),
    (_V4("192.88.99.0/24"), "reserved address"),
    (_V4("192.168.0.0/16"), "private address"),
    (_V4("198.18.0.0/15"), "reserved address"),
    (_V4("198.51.100.0/24"), "documentation address"),
    (_V4("203.0.113.0/24"), "documentation address"),
    (_V4("224.0.0.0/4"), "multicast address"),
    (_V4("255.255.255.255/32"), "broadcast address"),
    (_V4("240.0.0.0/4"), "reserved address"),
    (_V6("::/128"), "unspecified address"),
    (_V6("::1/128"), "loopback address"),
    (_V6("64:ff9b:1::/48"), "private address"),
    (_V6("100::/64"), "reserved address"),
    (_V6("2001::/32"), "Teredo tunnel address"),
    (_V6("2001:db8::/32"), "documentation address"),
    (_V6("fc00::/7"), "private address"),
    (_V6("fe80::/10"), "link-local address"),
    (_V6("fec0::/10"), "private address"),
    (_V6("ff00::/8"), "multicast address"),
)
_IPV4_COMPATIBLE = _V6("::/96")
_NAT64 = _V6("64:ff9b::/96")


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a host string denotes when it is an IP literal in any accepted spelling.

    Accepts standard IPv4/IPv6 (with or without brackets, zone ids dropped) and the forms
    ``inet_aton`` accepts: 1 to 4 parts, each decimal, ``0x`` hex or ``0`` octal, the last
    part filling the remaining bytes (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``).
    """
    text = host.strip().strip("[]").rstrip(".").split("%", 1)[0]
    if not text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    return _parse_inet_aton(text)


def _parse_inet_aton(text: str) -> ipaddress.IPv4Address | None:
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    numbers = [_parse_ipv4_part(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    values = [n for n in numbers if n is not None]
    *head, last = values
    if any(v > 0xFF for v in head) or last >= 1 << (8 * (4 - len(head))):
        return None
    value = last
    for index, byte in enumerate(head):
        value |= byte << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_part(part: str) -> int | None:
    lowered = part.lower()
    try:
        if lowered.startswith("0x"):
            return int(lowered[2:] or "0", 16)
        if len(lowered) > 1 and lowered.startswith("0"):
            return int(lowered[1:], 8)
        return int(lowered, 10) if lowered.isdigit() else None
    except ValueError:
        return None


def unwrap_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 or 6to4 IPv6 address."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return ip
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def blocked_reason(ip: IPAddress) -> str | None:
    """Why an address is not on the public Internet ("loopback address"…), or None if it is."""
    inner = unwrap_ipv4(ip)
    if inner in METADATA_ADDRESSES or ip in METADATA_ADDRESSES:
        return "cloud metadata address"
    for network, reason in _BLOCKED_NETWORKS:
        if inner.version == network.version and inner in network:
            return reason
    return None
