"""Demo article pages of a ``full_text`` source: the article inside a whole site's page.

The items of Veille Express (the demo's ``full_text: true`` source) give a title and no summary
in their feed; watch fetches each one's page and keeps the article's text only.  So the page is
built like a news site's: a cookie banner, a header with the site's navigation, the article in
``<article>`` (title, byline, the item's ``body`` paragraphs), a sidebar of other links, and a
footer with a newsletter form and legal links (``site`` in demo_data/article_pages.json).  What
surrounds the article names topics on purpose ("Sécurité", "Kubernetes", "cookies"): were it
kept, the articles would get topics they are not about.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from html import escape
from typing import Any

from watch.demo.content import DATA_DIR, DemoItem


@cache
def site_chrome() -> dict[str, Any]:
    """What surrounds the article on the page (article_pages.json's ``site``)."""
    pages = json.loads((DATA_DIR / "article_pages.json").read_text(encoding="utf-8"))
    site: dict[str, Any] = pages["site"]
    return site


def site_article_page(item: DemoItem, published: datetime, date_text: str) -> bytes:
    """The HTML page of ``item`` (which has a ``body``), dated ``published``."""
    site = site_chrome()
    article = "\n".join(
        [
            f"<article>\n<h1>{escape(item.title)}</h1>",
            f'<p class="byline">Par {escape(item.author)} · <time datetime="'
            f'{published.isoformat()}">{escape(date_text)}</time></p>',
            *(f"<p>{escape(paragraph)}</p>" for paragraph in item.body),
            "</article>",
        ]
    )
    parts = [
        _cookie_banner(site),
        _header(site),
        f'<div class="layout">\n<main>\n{article}\n</main>\n{_sidebar(site)}\n</div>',
        _footer(site, published.year),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(item.title)} — {escape(site['name'])}</title></head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    ).encode()


def _links(labels: list[str]) -> str:
    return "".join(f'<li><a href="/">{escape(label)}</a></li>' for label in labels)


def _cookie_banner(site: dict[str, Any]) -> str:
    buttons = "".join(f"<button>{escape(label)}</button>" for label in site["cookie_buttons"])
    return (
        f'<div class="cookie-banner" role="dialog"><p>{escape(site["cookie_banner"])}</p>'
        f"{buttons}</div>"
    )


def _header(site: dict[str, Any]) -> str:
    return (
        f'<header class="site-header"><a class="logo" href="/">{escape(site["name"])}</a>'
        f'<p class="tagline">{escape(site["tagline"])}</p>\n'
        f'<nav aria-label="Rubriques"><ul>{_links(site["nav"])}</ul></nav></header>'
    )


def _sidebar(site: dict[str, Any]) -> str:
    return (
        f'<aside class="sidebar"><h2>{escape(site["sidebar_heading"])}</h2>'
        f"<ul>{_links(site['sidebar'])}</ul></aside>"
    )


def _footer(site: dict[str, Any], year: int) -> str:
    return (
        f'<footer>\n<section class="newsletter"><h2>{escape(site["newsletter_heading"])}</h2>'
        f"<p>{escape(site['newsletter'])}</p>"
        '<form><input type="email" name="email" placeholder="prenom.nom@exemple.fr">'
        f"<button>{escape(site['newsletter_button'])}</button></form></section>\n"
        f'<nav class="legal"><ul>{_links(site["footer_links"])}</ul></nav>\n'
        f"<p>© {year} {escape(site['copyright'])}</p>\n</footer>"
    )
