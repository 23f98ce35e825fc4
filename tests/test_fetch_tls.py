"""HTTPS sources against real local TLS servers: a private CA named in ``fetch.ca_bundle``, and
where a source's credentials go when a redirect changes the scheme.

The servers use the test CA of ``tests.support.tls`` (made by ``openssl``); only their own
``127.0.0.1:PORT`` are allowed.  Redirects go from one port to another, so "same host" below
means the same host name on another port.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tests.support.servers import LocalServer
from tests.support.tls import TlsFiles
from watch.config import FetchConfig, parse_config
from watch.fetch import Fetcher
from watch.models import FetchResult

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'
TOKEN = "tok-9c2e71ab"
CREDENTIALS = {"intranet": {"token": TOKEN}}


def run_fetch(
    config: FetchConfig,
    url: str,
    credentials: Mapping[str, Mapping[str, str]] | None = None,
    **kwargs: Any,
) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(config, credentials) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


def trusting(tls_files: TlsFiles, *allowed: str) -> FetchConfig:
    return FetchConfig(allow_private=allowed, ca_bundle=str(tls_files.cert))


def authorization_of(server: LocalServer) -> list[str | None]:
    return [headers.get("Authorization") for _, _, headers in server.requests]


def test_a_private_ca_is_trusted_once_named_in_ca_bundle(
    tmp_path: Path, tls_files: TlsFiles, tls_local_server: LocalServer
) -> None:
    tls_local_server.route("/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    (tmp_path / "ca.pem").write_bytes(tls_files.cert.read_bytes())
    sources = tmp_path / "sources.yaml"
    sources.write_text(f"fetch:\n  allow_private: ['{tls_local_server.allow}']\n")
    config = parse_config(sources.read_text(), str(sources)).fetch

    refused = run_fetch(config, tls_local_server.url("/feed.xml"))
    assert refused.error == (
        f"TLS error: self-signed certificate ({tls_local_server.allow}) — if it comes from a "
        "private certificate authority, name that authority's PEM file in fetch.ca_bundle"
    )

    sources.write_text(sources.read_text() + "  ca_bundle: ca.pem\n")
    config = parse_config(sources.read_text(), str(sources)).fetch
    assert config.ca_bundle == str(tmp_path / "ca.pem"), "relative to sources.yaml's folder"
    trusted = run_fetch(config, tls_local_server.url("/feed.xml"))
    assert (trusted.status, trusted.body) == ("ok", RSS)


def test_credentials_follow_an_upgrade_to_https_on_the_same_host(
    tls_files: TlsFiles, local_server: LocalServer, tls_local_server: LocalServer
) -> None:
    local_server.redirect("/feed.xml", tls_local_server.url("/feed.xml"), status=301)
    tls_local_server.redirect("/feed.xml", "/feed/")
    tls_local_server.route("/feed/", RSS)
    config = trusting(tls_files, local_server.allow, tls_local_server.allow)
    result = run_fetch(config, local_server.url("/feed.xml"), CREDENTIALS, source_name="intranet")
    assert (result.status, result.final_url) == ("ok", tls_local_server.url("/feed/"))
    assert authorization_of(tls_local_server) == [f"Bearer {TOKEN}"] * 2


def test_credentials_are_not_sent_on_a_downgrade_to_http(
    tls_files: TlsFiles, local_server: LocalServer, tls_local_server: LocalServer
) -> None:
    tls_local_server.redirect("/feed.xml", local_server.url("/feed.xml"))
    local_server.route("/feed.xml", RSS)
    config = trusting(tls_files, local_server.allow, tls_local_server.allow)
    url = tls_local_server.url("/feed.xml")
    result = run_fetch(config, url, CREDENTIALS, source_name="intranet")
    assert result.status == "ok"
    assert authorization_of(tls_local_server) == [f"Bearer {TOKEN}"]
    assert authorization_of(local_server) == [None]


def test_credentials_are_not_sent_on_an_upgrade_to_another_host(
    tls_files: TlsFiles, local_server: LocalServer, tls_local_server: LocalServer
) -> None:
    elsewhere = f"https://localhost:{tls_local_server.port}/feed.xml"
    local_server.redirect("/feed.xml", elsewhere)
    tls_local_server.route("/feed.xml", RSS)
    allowed = (local_server.allow, tls_local_server.allow, f"localhost:{tls_local_server.port}")
    config = trusting(tls_files, *allowed)
    result = run_fetch(config, local_server.url("/feed.xml"), CREDENTIALS, source_name="intranet")
    assert (result.status, result.final_url) == ("ok", elsewhere)
    assert authorization_of(local_server) == [f"Bearer {TOKEN}"]
    assert authorization_of(tls_local_server) == [None]


def test_an_upgrade_suggested_by_another_origin_gets_no_credentials(
    tls_files: TlsFiles,
    local_server: LocalServer,
    other_local_server: LocalServer,
    tls_local_server: LocalServer,
) -> None:
    local_server.redirect("/feed.xml", other_local_server.url("/bounce"))
    other_local_server.redirect("/bounce", tls_local_server.url("/feed.xml"))
    tls_local_server.route("/feed.xml", RSS)
    allowed = (local_server.allow, other_local_server.allow, tls_local_server.allow)
    config = trusting(tls_files, *allowed)
    result = run_fetch(config, local_server.url("/feed.xml"), CREDENTIALS, source_name="intranet")
    assert result.status == "ok"
    assert authorization_of(local_server) == [f"Bearer {TOKEN}"]
    assert authorization_of(other_local_server) == authorization_of(tls_local_server) == [None]


def test_a_page_on_http_leads_to_its_https_feed_with_the_credentials(
    tmp_path: Path, tls_files: TlsFiles, local_server: LocalServer, tls_local_server: LocalServer
) -> None:
    """The feed a page advertises on the https side of the same host gets the source's
    credentials (the fetcher's upgrade rule, applied to discovery)."""
    from watch.config import resolve_settings
    from watch.pipeline import Pipeline
    from watch.store import open_store

    local_server.route(
        "/",
        f'<html><head><link rel="alternate" type="application/rss+xml" '
        f'href="{tls_local_server.url("/feed.xml")}"></head></html>',
        headers={"Content-Type": "text/html"},
    )
    tls_local_server.route("/feed.xml", RSS, headers={"Content-Type": "application/rss+xml"})
    text = (
        f"fetch:\n  allow_private: ['{local_server.allow}', '{tls_local_server.allow}']\n"
        f"  ca_bundle: {tls_files.cert}\n"
        f"sources:\n  - {{name: intranet, url: '{local_server.url('/')}', every: 1h,"
        " credentials_env: INTRANET}\n"
    )
    config = parse_config(text)
    settings = resolve_settings(
        None, f"sqlite:///{tmp_path / 'watch.db'}", config, env={"INTRANET_TOKEN": TOKEN}
    )
    store = open_store(settings.db_url)
    pipeline = Pipeline(store, config, settings)
    (outcome,) = asyncio.run(pipeline.run_pass()).outcomes
    pipeline.close()
    store.close()
    assert outcome.error is None
    assert authorization_of(tls_local_server) == [f"Bearer {TOKEN}"]
