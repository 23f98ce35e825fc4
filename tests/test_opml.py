"""OPML export and import: round trip, real reader exports, comments kept, hostile XML refused."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.support.servers import LocalServer
from watch.config import ID_PATTERN, MAX_LABEL, SourceConfig, load_config, parse_config
from watch.opml import WATCH_NS, OpmlError, export_opml, import_opml, parse_opml

ROOT = Path(__file__).resolve().parents[1]

SMALL_YAML = """\
# Notre veille (a comment that must survive every import)
name: Veille test

topics:
  - name: securite
    label: Sécurité
    keywords: [faille, CVE,
      vulnerability]          # a multi-line flow list, kept as written
  - name: web-frontend
    label: Web et front-end

sources:
  # the first source, commented
  - name: cert-fr
    url: https://www.cert.ssi.gouv.fr/alerte/feed/
    every: 30m
    topics: [securite]
    weight: 3.0
  - name: css-tricks
    url: https://css-tricks.com/feed/
    every: "0 8 * * 1-5"
    topics: [web-frontend, securite]
  - name: sqlite
    url: https://www.sqlite.org/chronology.html
    kind: page
    every: 1d
    select: {item: "tr", title: "a", link: "a@href"}
  - name: no-topic
    url: https://next.ink/feed/
    every: 2h
    enabled: false
# a trailing comment at the end of the sources
"""


def _opml(body: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>t</title></head><body>{body}</body></opml>'


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_export_is_opml2_with_folders_by_first_topic_and_pages_as_comments() -> None:
    """A source without ``folder:`` goes in a folder named after its first topic (other
    readers show folders, not categories)."""
    config = load_config(ROOT / "sources.yaml")
    assert not any(source.folder for source in config.sources)
    text = export_opml(config, site_urls={"linuxfr": "https://linuxfr.org/"})
    root = etree.fromstring(text.encode("utf-8"))
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == config.name
    folders = {f.get("text"): f for f in root.findall("body/outline") if not f.get("xmlUrl")}
    assert {"Sécurité", "Web et front-end", "Accessibilité"} <= set(folders)
    security_urls = {o.get("xmlUrl") for o in folders["Sécurité"].iter("outline")}
    assert "https://www.cert.ssi.gouv.fr/alerte/feed/" in security_urls
    cert = root.find(".//outline[@xmlUrl='https://www.cert.ssi.gouv.fr/alerte/feed/']")
    assert cert is not None and cert.get("category", "").startswith("/"), "topics as category"
    feeds = [o for o in root.iter("outline") if o.get("type") == "rss"]
    assert len(feeds) == sum(1 for s in config.sources if s.kind == "feed")
    assert all(o.get("xmlUrl") and o.get("text") and o.get("title") for o in feeds)
    assert [o.get("htmlUrl") for o in feeds if o.get("htmlUrl")] == ["https://linuxfr.org/"]
    comments = " ".join(c.text for c in root.iter(etree.Comment))
    for page in (s for s in config.sources if s.kind == "page"):
        assert page.name in comments and page.url in comments


def test_round_trip_keeps_urls_topics_and_frequencies(tmp_path: Path) -> None:
    original = parse_config(SMALL_YAML)
    target = _write(tmp_path, SMALL_YAML.split("sources:")[0] + "sources: []\n")
    added = import_opml(export_opml(original), target).added
    assert added == ["cert-fr", "css-tricks", "no-topic"]
    imported = load_config(target)
    for name in added:
        before, after = original.source(name), imported.source(name)
        assert (after.url, after.topics, after.every) == (before.url, before.topics, before.every)
    assert "# Notre veille" in target.read_text(encoding="utf-8")


def test_round_trip_keeps_labels_and_names(tmp_path: Path) -> None:
    labelled = SMALL_YAML.replace(
        "  - name: cert-fr\n", "  - name: cert-fr\n    label: CERT-FR — alertes & avis\n"
    )
    text = export_opml(parse_config(labelled))
    outlines = [o for o in etree.fromstring(text.encode()).iter("outline") if o.get("xmlUrl")]
    shown = [(o.get("text"), o.get("title"), o.get(f"{{{WATCH_NS}}}name")) for o in outlines]
    assert shown == [
        ("CERT-FR — alertes & avis", "CERT-FR — alertes & avis", "cert-fr"),
        ("css-tricks", "css-tricks", "css-tricks"),  # no label: titled by its name
        ("no-topic", "no-topic", "no-topic"),
    ]
    target = _write(tmp_path, "sources: []\n")
    assert import_opml(text, target).added == ["cert-fr", "css-tricks", "no-topic"]
    imported = load_config(target)
    assert imported.source("cert-fr").label == "CERT-FR — alertes & avis"
    assert imported.source("css-tricks").label == "", "a title equal to the name is no label"
    assert "label:" not in target.read_text(encoding="utf-8").split("css-tricks")[1]


def test_an_outline_title_becomes_the_label_of_the_source_named_after_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "sources: []\n")
    long_title = "Le journal " + "très " * 30 + "long"
    body = (
        '<outline text="LWN.net" xmlUrl="https://lwn.example/rss"/>'
        '<outline text="lwn2" xmlUrl="https://lwn2.example/rss"/>'
        f'<outline text="{long_title}" xmlUrl="https://long.example/rss"/>'
        '<outline text="Two&#10;lines" xmlUrl="https://two.example/rss"/>'
        f'<outline text="Named" xmlUrl="https://n.example/rss" xmlns:w="{WATCH_NS}" w:name="Not An Id!"/>'
    )
    added = import_opml(_opml(body), path).added
    assert added == ["lwn-net", "lwn2", f"le-journal-{'tres-' * 5}tres", "two-lines", "not-an-id"]
    config = load_config(path)
    labels = [config.source(name).label for name in added]
    assert labels[:2] == ["LWN.net", ""] and labels[3:] == ["Two lines", "Named"]
    assert labels[2].startswith("Le journal très très") and labels[2].endswith("très…")
    assert len(labels[2]) <= MAX_LABEL


def test_a_feed_found_on_a_web_page_is_exported_as_that_feed_and_imported_back_as_the_page(
    tmp_path: Path,
) -> None:
    original = parse_config(SMALL_YAML)
    page, feed = original.source("cert-fr").url, "https://www.cert.ssi.gouv.fr/alerte/rss.xml"
    text = export_opml(original, discovered={"cert-fr": feed})
    root = etree.fromstring(text.encode("utf-8"))
    outlines = {o.get("text"): o for o in root.iter("outline") if o.get("type") == "rss"}
    assert set(outlines) == {"cert-fr", "css-tricks", "no-topic"}
    assert all(o.get("title") == name for name, o in outlines.items())
    assert (outlines["cert-fr"].get("xmlUrl"), outlines["cert-fr"].get("htmlUrl")) == (feed, page)
    assert outlines["css-tricks"].get("xmlUrl") == "https://css-tricks.com/feed/"
    assert outlines["css-tricks"].get("htmlUrl") is None, "no home page known: none invented"

    fresh = _write(tmp_path, "sources: []\n")
    assert import_opml(text, fresh).added == ["cert-fr", "css-tricks", "no-topic"]
    assert load_config(fresh).source("cert-fr").url == page, "the url as written comes back"
    same = _write(tmp_path, SMALL_YAML)
    again = import_opml(text, same)
    assert again.added == [] and same.read_text(encoding="utf-8") == SMALL_YAML
    assert [feed.reason for feed in again.skipped][0] == "already in sources.yaml as cert-fr"


def test_import_of_netnewswire_export_keeps_comments_and_validates(
    tmp_path: Path, corpus_dir: Path
) -> None:
    path = tmp_path / "sources.yaml"
    shutil.copy(ROOT / "sources.yaml", path)
    before = path.read_text(encoding="utf-8")
    added = import_opml((corpus_dir / "other" / "netnewswire__Subs.opml").read_bytes(), path).added
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # every byte of the commented file is still there
    assert "# Imported from OPML on" in after
    config = load_config(path)
    assert len(added) == 206  # 207 outlines, one URL listed twice
    assert len(config.sources) == len(load_config(ROOT / "sources.yaml").sources) + 206
    assert all(re.match(ID_PATTERN, name) for name in added)
    assert config.source("daring-fireball").url == "http://daringfireball.net/feeds/main"
    assert config.source("chat-code").every == "1d"  # what the CLI gives too (IMPORT_EVERY)
    again = import_opml(
        (corpus_dir / "other" / "netnewswire__SubsNoTitleAttributes.opml").read_bytes(), path
    )
    assert again.added == []
    assert path.read_text(encoding="utf-8") == after


def test_outlines_without_title_attributes_are_named_from_text(
    tmp_path: Path, corpus_dir: Path
) -> None:
    path = _write(tmp_path, SMALL_YAML)
    opml = (corpus_dir / "other" / "netnewswire__SubsNoTitleAttributes.opml").read_bytes()
    added = import_opml(opml, path, default_every="6h").added
    assert added[:3] == ["daring-fireball", "swift-blog-apple-developer", "julia-evans"]
    config = load_config(path)
    assert {config.source(name).every for name in added} == {"6h"}
    assert (
        "keywords: [faille, CVE,\n      vulnerability]          # a multi-line" in path.read_text()
    )


def test_urls_already_present_or_repeated_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL_YAML)
    body = (
        '<outline text="CERT again" xmlUrl="http://www.CERT.ssi.gouv.fr/alerte/feed"/>'
        '<outline text="Le Blog !" xmlUrl="https://a.example/feed"/>'
        '<outline text="Le Blog !" xmlUrl="https://a.example/feed/"/>'
        '<outline text="Le Blog !" xmlUrl="https://b.example/rss"/>'
        '<outline text="" xmlUrl="https://news.example.org/atom.xml"/>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/>'
        '<outline text="Ftp" xmlUrl="ftp://files.example/feed"/>'
        '<outline text="Mine" xmlUrl="https://me:secret@private.example/feed"/>'
    )
    report = import_opml(_opml(body), path)
    assert report.added == ["le-blog", "le-blog-2", "news-example-org-atom-xml"]  # host and path
    assert [(feed.xml_url, feed.reason) for feed in report.skipped] == [
        ("http://www.CERT.ssi.gouv.fr/alerte/feed", "already in sources.yaml as cert-fr"),
        ("https://a.example/feed/", "listed twice in the OPML, imported once as le-blog"),
        ("javascript:alert(1)", "not an http(s) URL"),
        ("ftp://files.example/feed", "not an http(s) URL"),
        (
            "https://me:***@private.example/feed",
            "credentials in the URL are refused; use credentials_env",
        ),
    ]
    again = import_opml(_opml(body), path)
    assert again.added == [] and len(again.skipped) == 8
    assert again.skipped[1].reason == "already in sources.yaml as le-blog"
    load_config(path)


def test_folders_become_topic_hints_only_when_the_topic_exists(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL_YAML)
    body = (
        '<outline text="Sécurité"><outline text="Alertes">'
        '<outline text="Alerts" xmlUrl="https://alerts.example/feed"/></outline></outline>'
        '<outline text="Cuisine"><outline text="Recettes" xmlUrl="https://food.example/feed"/></outline>'
        '<outline text="Web" xmlUrl="https://web.example/feed" category="/web-frontend,/nope"/>'
    )
    assert import_opml(_opml(body), path).added == ["alerts", "recettes", "web"]
    config = load_config(path)
    assert config.source("alerts").topics == ("securite",)
    assert config.source("recettes").topics == ()
    assert config.source("web").topics == ("web-frontend",)


def test_entries_are_inserted_before_the_next_section(tmp_path: Path) -> None:
    text = SMALL_YAML + "\n# --- digest section ---\ndigest:\n  schedule: tue 09:00\n"
    path = _write(tmp_path, text)
    assert import_opml(
        _opml('<outline text="X" xmlUrl="https://x.example/feed"/>'), path
    ).added == ["x"]
    result = path.read_text(encoding="utf-8")
    assert result.index("name: x") < result.index("# --- digest section ---")
    assert load_config(path).digest.schedule == "tue 09:00"


def test_import_into_an_empty_or_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "new" / "sources.yaml"
    assert import_opml(
        _opml('<outline text="A" xmlUrl="https://a.example/feed"/>'), missing
    ).added == ["a"]
    assert load_config(missing).source("a").every == "1d"
    flow = _write(tmp_path, "# keep me\nsources: []\n")
    assert import_opml(
        _opml('<outline text="B" xmlUrl="https://b.example/feed"/>'), flow
    ).added == ["b"]
    assert flow.read_text(encoding="utf-8").startswith("# keep me")
    assert load_config(flow).source("b").url == "https://b.example/feed"


def test_str_input_with_an_encoding_declaration_is_accepted() -> None:
    text = '<?xml version="1.0" encoding="ISO-8859-1"?><opml version="1.0"><body><outline text="é" xmlUrl="https://e.example/f"/></body></opml>'
    assert [f.title for f in parse_opml(text)] == ["é"]


HOSTILE = [
    """<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/feed"/></body></opml>""",
    """<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<opml version="2.0"><body><outline text="&xxe;" xmlUrl="https://x.example/feed"/></body></opml>""",
]


@pytest.mark.parametrize("document", HOSTILE, ids=["billion-laughs", "external-entity"])
def test_hostile_opml_is_refused_and_the_file_left_alone(tmp_path: Path, document: str) -> None:
    path = _write(tmp_path, SMALL_YAML)
    with pytest.raises(OpmlError, match="ENTITY"):
        import_opml(document.encode("utf-8"), path)
    assert path.read_text(encoding="utf-8") == SMALL_YAML


@pytest.mark.parametrize("hostile", HOSTILE, ids=["billion-laughs", "external-entity"])
def test_hostile_opml_in_utf16_is_refused_too(hostile: str) -> None:
    document = hostile.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(OpmlError, match="ENTITY"):
        parse_opml(document.encode("utf-16"))


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("<rss version='2.0'><channel/></rss>", "not an OPML"),
        ("<opml><body><outline", "not well-formed"),
    ],
)
def test_non_opml_is_refused_with_a_clear_error(document: str, message: str) -> None:
    with pytest.raises(OpmlError, match=message):
        parse_opml(document)


def test_import_writes_through_a_symlinked_sources_yaml(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "sources.yaml"
    real.parent.mkdir()
    real.write_text(SMALL_YAML, encoding="utf-8")
    link = tmp_path / "sources.yaml"
    link.symlink_to(real)
    assert import_opml(
        _opml('<outline text="X" xmlUrl="https://x.example/feed"/>'), link
    ).added == ["x"]
    assert link.is_symlink() and link.resolve() == real
    assert load_config(real).source("x").url == "https://x.example/feed"
    assert sorted(p.name for p in real.parent.iterdir()) == ["sources.yaml"], "no temporary left"


def test_import_keeps_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_bytes(SMALL_YAML.replace("\n", "\r\n").encode("utf-8"))
    assert import_opml(
        _opml('<outline text="X" xmlUrl="https://x.example/feed"/>'), path
    ).added == ["x"]
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > SMALL_YAML.count("\n")
    assert data.startswith(SMALL_YAML.replace("\n", "\r\n").split("sources:")[0].encode())
    assert load_config(path).source("x").url == "https://x.example/feed"


DATA = Path(__file__).resolve().parent / "data" / "opml"


def test_round_trip_keeps_weights_and_disabled_sources(tmp_path: Path) -> None:
    target = _write(tmp_path, SMALL_YAML.split("sources:")[0] + "sources: []\n")
    import_opml(export_opml(parse_config(SMALL_YAML)), target)
    imported = load_config(target)
    assert imported.source("cert-fr").weight == 3.0
    assert imported.source("css-tricks").weight == 1.0
    assert imported.source("no-topic").enabled is False, "a disabled source stays disabled"
    assert "enabled:" not in target.read_text(encoding="utf-8").split("css-tricks")[1].split("-")[0]


def test_feedly_export_keeps_https_folders_and_the_hints_of_every_folder(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL_YAML)
    report = import_opml((DATA / "feedly.opml").read_bytes(), path)
    assert report.added == [
        "krebs-on-security",
        "simon-willison",
        "le-blog-de-l-ete",
        "tech-example-jp",
        "cafe-code",
    ]
    config = load_config(path)
    assert config.source("simon-willison").url == "https://simonwillison.net/atom/everything/"
    assert config.source("krebs-on-security").url == "http://krebsonsecurity.com/feed"
    assert config.source("le-blog-de-l-ete").topics == ("securite", "web-frontend")
    assert [(feed.title, feed.reason) for feed in report.skipped] == [
        (
            "Simon Willison's Weblog",
            "listed twice in the OPML (also in folder Dev web), imported once as simon-willison",
        ),
        (
            "Le Blog de l'été ☀️",
            "listed twice in the OPML (also in folder Web et front-end), imported once as"
            " le-blog-de-l-ete",
        ),
    ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(SMALL_YAML.split("# a trailing comment")[0])
    added = text.split("# Imported from OPML on")[1]
    folders = re.findall(r"^ *# folder: (.*)\n *- name: (\S+)", added, re.MULTILINE)
    assert folders == [
        ("Sécurité", "krebs-on-security"),
        ("Dev web", "tech-example-jp"),
        ("Web et front-end", "cafe-code"),
    ]


def test_freshrss_scraped_pages_are_skipped_not_imported_as_feeds(tmp_path: Path) -> None:
    path = _write(tmp_path, SMALL_YAML)
    report = import_opml((DATA / "freshrss.opml").read_bytes(), path)
    assert report.added == ["cert-fr-2"]
    assert [(feed.title, feed.reason) for feed in report.skipped] == [
        (
            "Mairie — actualités",
            "not a feed: the other reader scraped this page (type HTML+XPath); add it as a"
            " page source with select:",
        ),
        (
            "Open data",
            "not a feed: the other reader scraped this page (type JSON+DotNotation); add it as a"
            " page source with select:",
        ),
    ]
    assert load_config(path).source("cert-fr-2").topics == ("securite",)


def test_an_empty_file_is_refused_in_words() -> None:
    with pytest.raises(OpmlError, match="the file is empty"):
        parse_opml(b"  \n")


def test_an_outline_with_a_site_but_no_feed_is_listed_and_settings_outlines_are_not(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, SMALL_YAML)
    body = (
        '<outline text="Dead blog" title="Dead blog" htmlUrl="https://dead.example/"/>'
        '<outline text="Other dead" htmlUrl="https://dead2.example/"/>'
        '<outline text="Empty folder" title="Empty folder"></outline>'
        '<outline text="tt-rss-prefs" schema-version="141">'
        '<outline pref-name="USER_TIMEZONE" value="Europe/Paris"/></outline>'
        '<outline text="Alive" xmlUrl="https://alive.example/feed"/>'
    )
    report = import_opml(_opml(body), path)
    assert report.added == ["alive"]
    assert [(feed.xml_url, feed.title, feed.reason) for feed in report.skipped] == [
        (
            "https://dead.example/",
            "Dead blog",
            "no feed URL (xmlUrl), only its site: try watch sources add https://dead.example/",
        ),
        (
            "https://dead2.example/",
            "Other dead",
            "no feed URL (xmlUrl), only its site: try watch sources add https://dead2.example/",
        ),
    ]


def test_page_sources_of_our_own_export_are_listed_on_import_not_lost_silently(
    tmp_path: Path,
) -> None:
    target = _write(tmp_path, SMALL_YAML.split("sources:")[0] + "sources: []\n")
    report = import_opml(export_opml(parse_config(SMALL_YAML)), target)
    assert [(feed.xml_url, feed.title, feed.reason) for feed in report.skipped] == [
        (
            "https://www.sqlite.org/chronology.html",
            "sqlite",
            "a page source (read with CSS selectors): copy its entry, with its select:, from"
            " the sources.yaml it was exported from",
        )
    ]


# -- `watch sources import-opml`: what it says, and how often the feeds are consulted ----------


def _opml_file(tmp_path: Path, outlines: list[str]) -> Path:
    path = tmp_path / "subscriptions.opml"
    path.write_text(_opml("".join(outlines)), encoding="utf-8")
    return path


def _feeds(count: int, title: str = "Blog", host: str = "blog") -> list[str]:
    return [
        f'<outline type="rss" text="{title} {n}" xmlUrl="https://{host}{n}.example/feed"/>'
        for n in range(count)
    ]


def _import(
    capsys: pytest.CaptureFixture[str], sources: Path, opml: Path, *options: str
) -> list[str]:
    from watch.cli import main

    assert main(["sources", "-c", str(sources), "import-opml", str(opml), *options]) == 0
    return capsys.readouterr().out.splitlines()


LAST_LINE = (
    "they will be fetched every 1d; after a few fetches, `watch status` advises a better"
    " frequency for those that need one"
)


def test_import_opml_of_300_feeds_says_the_count_and_the_changed_names_not_all_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = _write(tmp_path, SMALL_YAML)
    taken = [
        f'<outline type="rss" text="Cert FR" xmlUrl="https://cert{n}.example/feed"/>'
        for n in range(13)
    ]
    opml = _opml_file(tmp_path, _feeds(287) + taken)
    lines = _import(capsys, sources, opml)
    renamed = ", ".join(f"cert-fr-{n} (cert-fr was taken)" for n in range(2, 12))
    assert lines == [
        f"300 sources added to {sources}",
        f"13 names changed: {renamed} and 3 more",
        LAST_LINE,
    ]
    config = load_config(sources)
    assert len(config.sources) == 304
    assert {s.every for s in config.sources[4:]} == {"1d"}


def test_import_opml_of_a_few_feeds_names_them_and_flags_the_changed_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = _write(tmp_path, SMALL_YAML)
    opml = _opml_file(
        tmp_path,
        [
            '<outline type="rss" text="Le Monde Informatique" xmlUrl="https://lmi.example/a"/>',
            '<outline type="rss" text="Le Monde Informatique" xmlUrl="https://lmi.example/b"/>',
            '<outline type="rss" text="sqlite" xmlUrl="https://sqlite.example/feed"/>',
        ],
    )
    assert _import(capsys, sources, opml) == [
        f"3 sources added to {sources}: le-monde-informatique, le-monde-informatique-2"
        " (le-monde-informatique was taken), sqlite-2 (sqlite was taken)",
        LAST_LINE,
    ]


def test_import_opml_groups_the_skipped_feeds_by_reason_with_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = _write(tmp_path, SMALL_YAML)
    first = _opml_file(tmp_path, _feeds(12))
    _import(capsys, sources, first)
    scraped = [
        f'<outline type="HTML+XPath" text="Page {n}" xmlUrl="https://page{n}.example/"/>'
        for n in range(2)
    ]
    twice = _feeds(3, "Other", "other")
    opml = _opml_file(tmp_path, _feeds(12) + twice + twice + scraped)
    lines = _import(capsys, sources, opml)
    assert lines[:2] == [
        f"3 sources added to {sources}: other-0, other-1, other-2",
        "skipped: 12 already in sources.yaml, 3 listed twice, 2 scraped pages:",
    ]
    assert lines[2] == ("  Blog 0 <https://blog0.example/feed>: already in sources.yaml as blog-0")
    assert lines[12] == "  and 2 more", "at most 10 of each reason"
    assert lines[13] == (
        "  Other 0 <https://other0.example/feed>: listed twice in the OPML, imported once as"
        " other-0"
    )
    assert lines[16].startswith("  Page 0 <https://page0.example/>: not a feed")
    assert lines[18:] == [LAST_LINE]


def test_import_opml_of_a_file_without_feeds_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = _write(tmp_path, SMALL_YAML)
    opml = _opml_file(tmp_path, ['<outline text="Empty folder"></outline>'])
    assert _import(capsys, sources, opml) == [
        f"the OPML lists no feeds: nothing added to {sources}"
    ]
    assert sources.read_text(encoding="utf-8") == SMALL_YAML


def test_import_opml_every_sets_how_often_the_imported_feeds_are_consulted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = _write(tmp_path, SMALL_YAML)
    opml = _opml_file(
        tmp_path,
        [
            *_feeds(2),
            f'<outline type="rss" text="Ours" xmlUrl="https://ours.example/feed"'
            f' xmlns:watch="{WATCH_NS}" watch:every="30m"/>',
        ],
    )
    lines = _import(capsys, sources, opml, "--every", "6h")
    assert lines[-1] == (
        "they will be fetched every 6h; after a few"
        " fetches, `watch status` advises a better frequency for those that need one"
    )
    config = load_config(sources)
    assert [(s.name, s.every) for s in config.sources[4:]] == [
        ("blog-0", "6h"),
        ("blog-1", "6h"),
        ("ours", "6h"),  # Session 8: an explicit --every wins over our own export's every
    ]
    again = _write(tmp_path, SMALL_YAML)
    assert _import(capsys, again, opml)[-1].startswith(
        "they will be fetched every 1d, 1 at the frequency the OPML gives;"
    )
    assert load_config(again).sources[-1].every == "30m", "without --every, the export's own"


def test_import_opml_refuses_an_invalid_every_in_the_words_of_sources_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from watch.cli import main

    sources = _write(tmp_path, SMALL_YAML)
    opml = _opml_file(tmp_path, _feeds(2))
    command = ["sources", "-c", str(sources), "import-opml", str(opml), "--every", "fortnightly"]
    assert main(command) == 2
    assert (
        "--every fortnightly: 'fortnightly' is not a duration like 30m, 1h, 1d or a cron string"
        in capsys.readouterr().err
    )
    assert sources.read_text(encoding="utf-8") == SMALL_YAML


def test_import_opml_default_every_is_what_add_suggests_for_an_unknown_rate() -> None:
    from watch.cadence import suggest_every
    from watch.source_commands import IMPORT_EVERY

    assert suggest_every(per_week=None, kept=0) == IMPORT_EVERY


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("  - name: a\n\turl: https://a.example/feed\n", r"sources\.yaml:3: YAML syntax: .*tab"),
        ("sources: []\nsources: []\n", r"sources\.yaml:2: YAML syntax: .*duplicate key"),
    ],
    ids=["tab", "two-sources-keys"],
)
def test_import_opml_into_a_file_that_is_not_yaml_says_where_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], broken: str, message: str
) -> None:
    from watch.cli import main

    text = "sources:\n" + broken if broken.startswith("  -") else broken
    path = _write(tmp_path, text)
    opml = _opml_file(tmp_path, _feeds(2))
    assert main(["sources", "-c", str(path), "import-opml", str(opml)]) == 2
    err = capsys.readouterr().err
    assert re.search(message, err) and len(err.splitlines()) == 1, err
    assert main(["check", "-c", str(path)]) == 1  # check: 1 for an invalid file
    assert err.strip() in capsys.readouterr().err, "the same located line as watch check"
    assert path.read_text(encoding="utf-8") == text


def test_import_opml_into_a_latin_1_file_says_where_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from watch.cli import main

    path = tmp_path / "sources.yaml"
    text = 'name: "Veille équipe"\nsources: []\n'.encode("latin-1")
    path.write_bytes(text)
    opml = _opml_file(tmp_path, _feeds(2))
    assert main(["sources", "-c", str(path), "import-opml", str(opml)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}:1: not UTF-8 text (byte 0xe9 at column 15"), err
    assert path.read_bytes() == text


BARE_AMPERSAND = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Inoreader</title></head>
  <body>
    <outline text="Tech" title="Tech">
      <outline text="Café & Vulnérabilités" title="Caf&eacute; &amp; Vuln" type="rss"
        xmlUrl="https://cafe.example/feed" htmlUrl="https://cafe.example/"/>
      <outline text="AT&T" type="rss" xmlUrl="https://att.example/feed?a=1&b=2"/>
    </outline>
  </body>
</opml>
"""


def test_a_bare_ampersand_or_an_html_entity_is_read_as_meant_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Readers do write them; no DOCTYPE, so no attack: the feeds come in, the fault is said."""
    feeds = parse_opml(BARE_AMPERSAND)
    assert [(f.title, f.xml_url) for f in feeds] == [
        ("Café & Vuln", "https://cafe.example/feed"),
        ("AT&T", "https://att.example/feed?a=1&b=2"),
    ]
    opml = tmp_path / "inoreader.xml"
    opml.write_text(BARE_AMPERSAND, encoding="utf-8")
    out = _import(capsys, _write(tmp_path, SMALL_YAML), opml)
    assert "note: the OPML is not well-formed XML (line 6, column 28: a bare '&'" in "\n".join(out)


@pytest.mark.parametrize(
    ("outline", "words"),
    [
        (
            '<outline text="A &bogus; B" xmlUrl="https://a.example/f"/>',
            "an undefined entity &bogus;",
        ),
        ('<outline text="A & B" xmlUrl="https://a.example/f">', "line 1, column"),
    ],
)
def test_xml_that_cannot_be_repaired_is_refused_in_words_not_as_an_attack(
    outline: str, words: str
) -> None:
    with pytest.raises(OpmlError, match="not well-formed XML: line 1, column") as refused:
        parse_opml(f"<opml><body>{outline}</body></opml>")
    assert words in str(refused.value) and "DOCTYPE" not in str(refused.value)


def test_an_html_entity_is_named_as_such_when_the_file_cannot_be_read() -> None:
    with pytest.raises(OpmlError, match=r"an HTML entity &eacute; \(XML knows only &amp;"):
        parse_opml('<opml><body><outline text="&eacute;" xmlUrl="https://a.example/f"></opml>')


def test_our_own_export_imported_says_every_feed_keeps_its_frequency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Frequencies equal to the default (1d) came from the OPML too: they are counted."""
    config = parse_config(
        "sources:\n"
        + "".join(
            f"  - {{name: s{n}, url: 'https://s{n}.example/f', every: 1d}}\n" for n in range(3)
        )
        + "  - {name: busy, url: 'https://busy.example/f', every: 2h}\n"
    )
    opml = tmp_path / "ours.opml"
    opml.write_text(export_opml(config), encoding="utf-8")
    out = _import(capsys, tmp_path / "fresh.yaml", opml)
    assert out[-1].startswith("they will be fetched at the frequency the OPML gives;")


def test_untitled_and_non_latin_feeds_are_named_after_their_site_and_folders_do_not_lie(
    tmp_path: Path,
) -> None:
    path = _write(tmp_path, SMALL_YAML)
    body = (
        '<outline text="Dev"><outline text="Go" xmlUrl="https://go.example/feed"/></outline>'
        '<outline title="" text="" xmlUrl="http://127.0.0.1:8765/feeds/guardian.rss"'
        ' htmlUrl="https://www.theguardian.com/"/>'
        '<outline text="日本語ニュース" xmlUrl="http://127.0.0.1:8765/feeds/sjis.xml"'
        ' htmlUrl="https://example.jp/"/>'
        '<outline text="" xmlUrl="http://127.0.0.1:8765/feeds/other.rss"/>'
    )
    report = import_opml(_opml(body), path)
    assert report.added == ["go", "theguardian-com", "example-jp", "127-0-0-1-feeds-other-rss"]
    sources = {s.name: s for s in load_config(path).sources}
    assert sources["example-jp"].label == "日本語ニュース"
    text = path.read_text(encoding="utf-8")
    after_dev = text.split("# folder: Dev\n")[1]
    assert after_dev.index("# no folder") < after_dev.index("name: theguardian-com")


def test_feed_scheme_urls_are_their_http_urls_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = _opml_file(
        tmp_path,
        [
            '<outline text="Monkey" xmlUrl="feed://monkey.example/rss"/>',
            '<outline text="Secure" xmlUrl="feed:https://secure.example/atom"/>',
        ],
    )
    path = _write(tmp_path, SMALL_YAML)
    out = "\n".join(_import(capsys, path, opml))
    urls = {s.name: s.url for s in load_config(path).sources}
    assert (urls["monkey"], urls["secure"]) == (
        "http://monkey.example/rss",
        "https://secure.example/atom",
    )
    assert "note: feed://monkey.example/rss read as http://monkey.example/rss" in out


def test_export_opml_to_a_file_says_how_many_sources_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from watch.cli import main

    path = _write(tmp_path, SMALL_YAML)
    out = tmp_path / "out.opml"
    db = f"sqlite:///{tmp_path / 'none.db'}"
    assert main(["sources", "-c", str(path), "--db", db, "export-opml", str(out)]) == 0
    assert capsys.readouterr().out == (
        f"wrote 3 feeds to {out} (+1 page source as a comment: other readers cannot read pages)\n"
    )
    assert len(parse_opml(out.read_bytes())) == 4  # the page source as a comment


def test_export_titles_outlines_by_label_else_the_feed_title_and_keeps_pages_out_of_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Session 9: every outline was titled `netnewswire-daringfireball` although the database
    knew "Daring Fireball", and a page source made a folder holding only a comment (an empty
    folder in other readers)."""
    from watch.cli import main
    from watch.models import SourceState
    from watch.store import open_store

    path = _write(
        tmp_path,
        SMALL_YAML.replace(
            "  - name: css-tricks\n", "  - name: css-tricks\n    label: CSS Tricks\n"
        )
        .replace("kind: page\n", "kind: page\n    topics: [web-frontend]\n")
        .replace(
            "enabled: false\n",
            "enabled: false\n  - name: moved\n    url: https://new.example/feed\n",
        ),
    )
    db = f"sqlite:///{tmp_path / 'watch.db'}"
    store = open_store(db)
    for name, url, title in (
        ("cert-fr", "https://www.cert.ssi.gouv.fr/alerte/feed/", "CERT-FR\n  Alertes"),
        ("css-tricks", "https://css-tricks.com/feed/", "CSS-Tricks"),
        ("moved", "https://old.example/feed", "Old title"),  # the url changed since
    ):
        store.save_source_state(SourceState(name=name, status="ok", url=url, title=title))
    store.close()
    out = tmp_path / "out.opml"
    assert main(["sources", "-c", str(path), "--db", db, "export-opml", str(out)]) == 0
    root = etree.fromstring(out.read_bytes())
    titles = {o.get("xmlUrl"): o.get("title") for o in root.iter("outline") if o.get("xmlUrl")}
    assert titles == {
        "https://www.cert.ssi.gouv.fr/alerte/feed/": "CERT-FR Alertes",
        "https://css-tricks.com/feed/": "CSS Tricks",
        "https://next.ink/feed/": "no-topic",
        "https://new.example/feed": "moved",
    }
    assert all(len(folder) for folder in root.iterfind("body/outline[@title='Web et front-end']"))
    assert [c.getparent().tag for c in root.iter(etree.Comment)] == ["body"]
    assert capsys.readouterr().out.startswith(f"wrote 4 feeds to {out} (+1 page source")


FRESHRSS_YAML = """\
topics:
  - {name: securite, label: Sécurité}
  - {name: dev, label: Développement}
sources: []
"""
FRESHRSS_FOLDERS = """\
<outline text="Sécurité"><outline type="rss" text="Krebs" xmlUrl="https://krebs.example/feed/"
  htmlUrl="https://krebs.example/"/></outline>
<outline text="Apple"><outline type="rss" text="Daring Fireball"
  xmlUrl="https://df.example/feeds/main" htmlUrl="https://df.example/"/></outline>
<outline text="Dev">
  <outline type="rss" text="Go blog" xmlUrl="https://go.example/feed.atom"/>
  <outline text="Python"><outline type="rss" text="PSF" xmlUrl="https://psf.example/rss"
    htmlUrl="https://psf.example/"/></outline>
</outline>
<outline text="Actualités"><outline type="rss" text="Next" xmlUrl="https://next.example/feed/"
  htmlUrl="javascript:alert(1)"/></outline>
<outline text="Podcasts"><outline type="rss" text="ATP" xmlUrl="https://atp.example/rss"
  htmlUrl="https://atp.example/rss"/></outline>
<outline type="rss" text="Loose" xmlUrl="https://loose.example/feed" htmlUrl="https://loose.example/"/>
"""


def _folders_and_sites(opml: str) -> dict[str, tuple[tuple[str, ...], str | None]]:
    """xmlUrl → (the titles of the folders around it, outermost first; its htmlUrl)."""
    root = etree.fromstring(opml.encode("utf-8"))
    return {
        o.get("xmlUrl"): (
            tuple(a.get("text") for a in o.iterancestors("outline"))[::-1],
            o.get("htmlUrl"),
        )
        for o in root.iter("outline")
        if o.get("xmlUrl")
    }


def test_folders_and_sites_of_another_reader_are_kept_and_exported_back(tmp_path: Path) -> None:
    """Session 11: a FreshRSS user's folders (Sécurité, Apple, Dev, Actualités, Podcasts)
    survived only as `# folder:` comments, export-opml wrote Apple's feeds with no folder and
    "Dev" as "Développement" (the topic's label), and every htmlUrl was dropped."""
    path = _write(tmp_path, FRESHRSS_YAML)
    original = _opml(FRESHRSS_FOLDERS)
    assert import_opml(original, path).added == [
        "krebs",
        "daring-fireball",
        "go-blog",
        "psf",
        "next",
        "atp",
        "loose",
    ]
    config = load_config(path)
    kept = {s.name: (s.folder, s.site, s.topics) for s in config.sources}
    assert kept == {
        "krebs": ("Sécurité", "https://krebs.example/", ("securite",)),
        "daring-fireball": ("Apple", "https://df.example/", ()),
        "go-blog": ("Dev", None, ("dev",)),
        "psf": ("Dev / Python", "https://psf.example/", ("dev",)),
        "next": ("Actualités", None, ()),  # not an http(s) URL: no site
        "atp": ("Podcasts", None, ()),  # the feed itself: no site
        "loose": (None, "https://loose.example/", ()),
    }
    text = path.read_text(encoding="utf-8")
    assert (
        "  - name: psf\n    label: PSF\n    url: https://psf.example/rss\n    site: https://psf.example/\n"
        in text
    )
    assert "    folder: Dev / Python\n" in text and "# folder: Dev / Python\n" in text

    exported = export_opml(config)
    before, after = _folders_and_sites(original), _folders_and_sites(exported)
    assert {url: folders for url, (folders, _) in after.items()} == {
        url: folders for url, (folders, _) in before.items()
    }
    assert after["https://loose.example/feed"] == ((), "https://loose.example/")
    assert after["https://psf.example/rss"] == (("Dev", "Python"), "https://psf.example/")
    root = etree.fromstring(exported.encode("utf-8"))
    assert [f.get("title") for f in root.findall("body/outline") if f.get("xmlUrl") is None] == [
        "Sécurité",
        "Apple",
        "Dev",
        "Actualités",
        "Podcasts",
    ], "each folder once, named as the other reader named it"

    again = _write(tmp_path, FRESHRSS_YAML)
    import_opml(exported, again)
    assert {s.name: (s.folder, s.site) for s in load_config(again).sources} == {
        name: (folder, site) for name, (folder, site, _) in kept.items()
    }


def test_the_home_page_the_feed_gives_wins_over_the_site_and_a_long_folder_is_cut(
    tmp_path: Path,
) -> None:
    config = parse_config(
        "sources:\n"
        "  - {name: a, url: 'https://a.example/feed', site: 'https://old-a.example/', folder: ' / Dev /  / Go '}\n"
        "  - {name: b, url: 'https://b.example/feed', site: 'https://b.example/'}\n"
    )
    exported = _folders_and_sites(export_opml(config, site_urls={"a": "https://a.example/"}))
    assert exported == {
        "https://a.example/feed": (("Dev", "Go"), "https://a.example/"),
        "https://b.example/feed": ((), "https://b.example/"),
    }
    path = _write(tmp_path, "sources: []\n")
    deep = "".join(f'<outline text="Folder number {n}">' for n in range(8))
    body = deep + '<outline text="Deep" xmlUrl="https://deep.example/feed"/>' + "</outline>" * 8
    import_opml(_opml(body), path)
    folder = load_config(path).source("deep").folder or ""
    assert folder.startswith("Folder number 0 / Folder number 1 / ") and folder.endswith("…")
    assert len(folder) <= 100


def test_a_folder_spelled_oddly_is_the_same_folder_on_import_export_and_the_board(
    tmp_path: Path,
) -> None:
    """Session 11 review: import, export and the board split nested folders three ways, so
    "Dev  /  Python" was the folders ("Dev ", " Python") on the board and ("Dev", "Python") in
    the export, and "/ News" a folder "/ News" on the board but "News" in the export."""
    from dashboard import view

    path = _write(tmp_path, "sources: []\n")
    body = "".join(
        f'<outline text="{folder}"><outline text="{title}" xmlUrl="https://{title}.example/feed"/>'
        "</outline>"
        for folder, title in [
            ("/ News", "wire"),
            ("Dev  /  Python ", "psf"),
            ("/", "loose"),
            ("CI/CD", "builds"),
        ]
    )
    import_opml(_opml(body), path)
    text = path.read_text(encoding="utf-8")
    for kept in ("News", "Dev / Python", "CI/CD"):
        assert f"    folder: {kept}\n" in text and f"# folder: {kept}\n" in text
    typed = (
        "  - {name: typed, url: 'https://typed.example/feed', folder: ' Dev/Ops  /  Python /'}\n"
        "  - {name: spaced, url: 'https://spaced.example/feed', folder: 'Dev  /  Python'}\n"
    )
    config = parse_config(text + typed)
    folders = {s.name: s.folder for s in config.sources}
    assert folders == {
        "wire": "News",
        "psf": "Dev / Python",
        "loose": None,
        "builds": "CI/CD",
        "typed": "Dev/Ops / Python",
        "spaced": "Dev / Python",
    }
    exported = {url: path for url, (path, _) in _folders_and_sites(export_opml(config)).items()}
    assert exported == {
        "https://wire.example/feed": ("News",),
        "https://psf.example/feed": ("Dev", "Python"),
        "https://loose.example/feed": (),
        "https://builds.example/feed": ("CI/CD",),
        "https://typed.example/feed": ("Dev/Ops", "Python"),
        "https://spaced.example/feed": ("Dev", "Python"),
    }
    board = view.folder_names(config)
    assert board == ["CI/CD", "Dev", "Dev / Python", "Dev/Ops", "Dev/Ops / Python", "News"]
    assert {" / ".join(path[: n + 1]) for path in exported.values() for n in range(len(path))} == (
        set(board)
    ), "the board shows the folders the export writes"
    assert view.sources_in(config, ["Dev"]) == ["psf", "spaced"]
    assert view.sources_in(config, ["/ News", "Dev/Ops  /  Python"]) == ["wire", "typed"]
    assert view.sources_in(config, ["/"]) == []
    assert view.folder_unread(config, "Dev", {"psf": 2, "spaced": 3, "typed": 5}) == 5
    unchecked = SourceConfig.model_construct(name="odd", url="https://o.example/", folder="/ Dev /")
    odd = config.model_copy(update={"sources": (unchecked,)})
    assert view.folder_names(odd) == ["Dev"] and view.sources_in(odd, ["Dev"]) == ["odd"]


def test_an_htmlurl_holding_terminal_control_characters_is_not_kept_as_site(
    tmp_path: Path,
) -> None:
    """Session 11 review: `site:` is printed by `watch status`; C1 controls such as U+009B (CSI,
    like ESC [) are allowed in XML and must not ride in from an OPML."""
    path = _write(tmp_path, "sources: []\n")
    body = (
        '<outline text="A" xmlUrl="https://a.example/feed" htmlUrl="https://a.example/&#x9b;2J"/>'
        '<outline text="B" xmlUrl="https://b.example/feed" htmlUrl="https://b.example/"/>'
    )
    assert import_opml(_opml(body), path).added == ["a", "b"]
    assert {s.name: s.site for s in load_config(path).sources} == {
        "a": None,
        "b": "https://b.example/",
    }


def test_status_shows_the_folder_and_the_site_to_open_for_a_feed_that_never_answered(
    tmp_path: Path,
    local_server: LocalServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A feed that never succeeded has no home page from its feed: the OPML's htmlUrl is the
    site its advice names."""
    import json

    from watch.cli import main

    monkeypatch.delenv("WATCH_DB", raising=False)
    path = _write(tmp_path, f"fetch:\n  allow_private: ['{local_server.allow}']\nsources: []\n")
    body = (
        '<outline text="Apple"><outline text="Moved" xmlUrl="'
        f'{local_server.url("/old-feed")}" htmlUrl="https://moved.example/"/></outline>'
    )
    import_opml(_opml(body), path)
    assert main(["fetch", "-c", str(path)]) == 0
    capsys.readouterr()
    assert main(["status", "-c", str(path), "--format", "json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["folder"], row["site"], row["home_url"]) == (
        "Apple",
        "https://moved.example/",
        None,
    )
    assert row["advice"] == (
        "the feed may have moved: open the site https://moved.example/, or"
        " `watch sources add https://moved.example/` finds its feed"
    )
    assert main(["status", "-c", str(path)]) == 0
    assert "open the site https://moved.example/, or" in capsys.readouterr().out

    from datetime import UTC, datetime

    from watch.health import attempt_line
    from watch.models import SourceState
    from watch.pipeline import SourceOutcome

    now = datetime.now(UTC)
    failed = SourceOutcome("moved", "error", error="HTTP 404 Not Found")
    state = SourceState(name="moved", status="error", error_count=1, next_due=now)
    line = attempt_line(failed, load_config(path).source("moved"), state, now)
    assert (
        "open the site https://moved.example/, or `watch sources add https://moved.example/`"
        in line
    )
