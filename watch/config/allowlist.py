"""Validation of ``fetch.allow_private`` entries: ``host``, ``host:port``, ``ip``, ``ip:port``,
``[v6]:port`` or a CIDR network, each checked on its own so every bad entry is reported.

The fetcher's ``watch.netguard`` interprets the entries; this module only refuses what it would
misread or silently never match (a URL, a wildcard, a port that is not a number, ``999.1.1.1``).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$", re.IGNORECASE)
_SHAPE = "a host, host:port or CIDR network"


def check_allow_entry(value: str) -> str:
    """``value`` when it is a usable allowlist entry; ValueError saying why otherwise."""
    text = value.strip()
    if not text:
        raise ValueError("an empty entry; write a host, host:port or CIDR network")
    if "://" in text:
        host = urlsplit(text).netloc or "the host name"
        raise ValueError(f"{value!r} is a URL, not {_SHAPE}: write {host!r}")
    if "/" in text:
        _check_network(value, text)
    elif text.startswith("["):
        address, _, rest = text[1:].partition("]")
        _check_ip(value, address, version=6)
        if rest:
            _check_port(value, rest.removeprefix(":") if rest.startswith(":") else rest)
    elif text.count(":") > 1:
        _check_ip(value, text, version=6)
    else:
        host, colon, port = text.partition(":")
        if colon:
            _check_port(value, port)
        _check_host(value, host)
    return value


def _check_network(value: str, text: str) -> None:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not a CIDR network (like 10.1.0.0/16)") from None


def _check_ip(value: str, text: str, version: int) -> None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is None or address.version != version:
        what = repr(value) if text == value.strip() else f"{value!r}: {text!r}"
        raise ValueError(f"{what} is not a valid IPv{version} address")


def _check_port(value: str, port: str) -> None:
    if not (port.isdigit() and 1 <= int(port) <= 65535):
        raise ValueError(f"{value!r}: {port!r} is not a port number (1-65535)")


def _check_host(value: str, host: str) -> None:
    if "*" in host:
        raise ValueError(
            f"{value!r}: wildcards are not supported; list each host, or its network as CIDR"
        )
    if re.fullmatch(r"[\d.]+", host):
        _check_ip(value, host, version=4)
        return
    labels = host.removesuffix(".").split(".")
    if len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{value!r} is not {_SHAPE}")
