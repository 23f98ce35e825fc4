"""The user's feedback and the model's life: corrections win at once and generalize, votes keep
their meaning, source hints stay a prior, the model is rebuilt when missing or stale, topic
edits reach stored articles without a refetch."""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.servers import LocalServer
from tests.test_pipeline import make_config, make_pipeline, rfc822, rss, stored
from watch.classify import TrainingExample, train_classifier, training_examples
from watch.config import TopicConfig, parse_config, resolve_settings
from watch.models import Article, Feedback, TopicMatch
from watch.pipeline import Pipeline
from watch.score import DOWN_VOTE_CAP
from watch.store import Store, open_store
from watch.store.base import ArticleQuery, ClassificationUpdate

NOW = datetime.now(UTC).replace(microsecond=0)
TOPICS = (
    TopicConfig(name="cloud", keywords=("container", "Kubernetes", "cloud")),
    TopicConfig(name="web", keywords=("CSS", "navigateur", "HTML")),
)
CORPUS = [
    ("Docker container images get smaller", "Build slimmer container images for Kubernetes.", ()),
    ("Kubernetes 1.31 released", "The cluster scheduler gains features for cloud workloads.", ()),
    ("Running containers on the cloud", "A managed container service for your workloads.", ()),
    ("Container security in Kubernetes", "Scan every container image before deployment.", ()),
    ("Cloud costs are rising", "Teams move workloads between cloud providers.", ()),
    ("Kubernetes operators explained", "Operators automate cluster management.", ()),
    ("Container queries land in all browsers", "CSS container queries adapt a component.", ()),
    ("Container queries in practice", "Style a card with CSS container queries.", ()),
    ("New CSS color functions", "The navigateur supports oklch now.", ()),
    ("HTML dialog element", "A native modal in every navigateur.", ()),
    ("Football results", "Arsenal beat Chelsea.", ()),
    ("Tarte aux pommes", "Une recette.", ()),
    ("Météo", "Pluie demain.", ()),
] * 4


def topic_names(classifier_result: list) -> list[str]:
    return [m.name for m in classifier_result]


def plain_article(
    n: int, title: str, summary: str | None = None, published: datetime = NOW
) -> Article:
    """Article ``n`` of a source "s", its summary the title unless given."""
    return Article(
        source="s", guid=str(n), url=f"https://s.example/{n}",
        canonical_url=f"https://s.example/{n}", title=title, summary_html="",
        summary_text=title if summary is None else summary, author=None, published=published,
        fetched_at=NOW,
    )  # fmt: skip


def pipeline_with_a_model(local_server: LocalServer, tmp_path: Path) -> tuple[Pipeline, Store]:
    """A pass over TITLES, an up-vote on the first, and the model built from them."""
    local_server.route("/a", feed(TITLES))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    first = next(a for a in stored(store, "alpha") if a.title == TITLES[0])
    pipeline.ranker.record_feedback(Feedback(article_id=first.id, kind="up", at=NOW))
    assert "no model file yet" in (pipeline.ranker.refresh() or "")
    return pipeline, store


def test_not_about_corrections_also_clear_a_title_keyword_in_similar_articles() -> None:
    similar = ("Container queries and style queries in Safari 18", "CSS container queries ship.")
    other = ("Container runtime flaw in Kubernetes", "A container escape affects cluster nodes.")
    before = train_classifier(TOPICS, CORPUS)
    assert "cloud" in topic_names(before.classify([(*similar, ())])[0])
    lessons = [
        TrainingExample(title, summary, (), negative=frozenset({"cloud"}))
        for title, summary, _ in CORPUS[6:8]
    ]
    after = train_classifier(TOPICS, CORPUS, lessons)
    new_similar, new_other = after.classify([(*similar, ()), (*other, ())])
    assert "cloud" not in topic_names(new_similar)
    assert topic_names(new_other) == ["cloud"]


def test_a_source_hint_never_tags_empty_emoji_or_unrelated_items() -> None:
    classifier = train_classifier(TOPICS, CORPUS)
    hinted = [
        ("", "", ("cloud",)),
        ("😀🔥💥", "", ("cloud",)),
        ("Football: Arsenal beat Chelsea 3-1", "", ("cloud",)),
    ]
    assert classifier.classify(hinted) == [[], [], []]
    tagged = classifier.classify([("Operators automate cluster management", "", ("cloud",))])
    assert "source is tagged cloud" in tagged[0][0].reasons


def test_a_vote_keeps_the_topics_it_was_given_on(tmp_path: Path) -> None:
    store = open_store(store_url(tmp_path))
    article = Article(
        source="s",
        guid="g1",
        url="https://example.org/1",
        canonical_url="https://example.org/1",
        title="A CVE in the parser",
        summary_html="",
        summary_text="",
        author=None,
        published=NOW,
        fetched_at=NOW,
        topics=[TopicMatch("security", 0.9, ["matched 'CVE' in title"])],
    )
    (article_id,) = store.upsert_articles([article]).new_ids
    store.add_feedback(Feedback(article_id=article_id, kind="down", at=NOW))
    web = [ClassificationUpdate(article_id, [TopicMatch("web", 0.6, [])], 1.0, {}, [], None)]
    store.update_classification(web)  # a later model sees it differently
    (vote,) = store.list_feedback()
    assert vote.topics == ("security",)
    (example,) = training_examples([vote], {article_id: store.get_article(article_id)})
    assert example.negative == frozenset({"security"}) and not example.positive
    store.close()


def store_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'w.db'}"


def feed(titles: list[str]) -> str:
    return rss([(f"g{i}", t, rfc822(NOW - timedelta(hours=i))) for i, t in enumerate(titles)])


TITLES = [
    "A CVE in OpenSSL",
    "Patch for a CVE in the kernel",
    "Vulnerability in the router firmware",
    "Recipe of the week",
]


def test_a_correction_survives_a_refetch_before_any_retrain(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", feed(TITLES))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
    asyncio.run(pipeline.run_pass())
    first = next(a for a in stored(store, "alpha") if a.title == TITLES[0])
    corrected = pipeline.ranker.record_feedback(
        Feedback(article_id=first.id, kind="not_topic", topic="security", at=NOW)
    )
    assert corrected is not None and corrected.topics == []
    local_server.route("/a", feed([*TITLES, "Another CVE in curl"]))  # changed: read again
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    again = store.get_article(first.id)
    assert again is not None and again.topics == []
    assert any(a.title == "Another CVE in curl" and a.topics for a in stored(store, "alpha"))
    store.close()


def test_model_rebuilt_when_missing_or_unreadable_and_feedback_kept(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", feed(TITLES))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    first = next(a for a in stored(store, "alpha") if a.title == TITLES[0])
    pipeline.ranker.record_feedback(
        Feedback(article_id=first.id, kind="not_topic", topic="security", at=NOW)
    )
    model = pipeline.settings.model_path
    assert "no model file yet" in (pipeline.ranker.refresh() or "")
    assert model.exists() and pipeline.ranker.refresh() is None  # up to date: nothing to do
    for damage in (model.unlink, lambda: model.write_bytes(b"garbage")):
        damage()
        fresh, _ = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
        assert "classifier rebuilt" in (fresh.ranker.refresh() or "")
        topics = fresh.ranker.classifier.classify([(first.title, first.summary_text, ())])
        assert topics == [[]]  # the user's correction is part of the rebuilt model
        fresh.store.close()
    store.close()


def test_a_model_file_of_an_earlier_watch_is_rebuilt_and_said_so(
    local_server: LocalServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After an upgrade, the log said "the model file was unreadable or built for other
    topics": an admin looked for a corrupt file or a topic edit that never happened."""
    import pickle

    pipeline, store = pipeline_with_a_model(local_server, tmp_path)
    model = pipeline.settings.model_path
    payload = pickle.loads(model.read_bytes())
    model.write_bytes(pickle.dumps({**payload, "version": payload["version"] - 1}))
    fresh, _ = make_pipeline(tmp_path, make_config(local_server, {"alpha": "/a"}))
    with caplog.at_level(logging.WARNING):
        said = fresh.ranker.refresh() or ""
    assert said.startswith(
        "classifier rebuilt (the model file was made by another version of watch)"
    ), said
    assert not caplog.records, "an upgrade is no fault to warn about"
    fresh.store.close()
    store.close()


def test_edited_topics_reach_stored_articles_without_refetch(
    local_server: LocalServer, tmp_path: Path
) -> None:
    local_server.route("/a", feed(TITLES))
    config = make_config(local_server, {"alpha": "/a"})
    pipeline, store = make_pipeline(tmp_path, config)
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    store.close()
    edited = config.replace(
        "  - {name: security, keywords: [CVE, vulnerability]}",
        "  - {name: cooking, keywords: [recipe]}",
    )
    pipeline, store = make_pipeline(tmp_path, edited)
    assert "classified again" in (pipeline.ranker.refresh() or "")
    by_title = {a.title: [m.name for m in a.topics] for a in stored(store, "alpha")}
    assert by_title["Recipe of the week"] == ["cooking"]
    assert by_title["A CVE in OpenSSL"] == []
    assert pipeline.ranker.refresh() is None
    store.close()


def test_refresh_without_topics_or_articles_does_nothing(tmp_path: Path) -> None:
    text = "name: t\nsources:\n  - {name: s, url: 'https://example.org/f'}\n"
    config = parse_config(text)
    settings = resolve_settings(tmp_path / "sources.yaml", store_url(tmp_path), config, env={})
    store = open_store(settings.db_url)
    assert Pipeline(store, config, settings).ranker.refresh() is None
    assert not settings.model_path.exists()
    store.close()


def test_a_model_only_topic_names_the_words_behind_it() -> None:
    classifier = train_classifier(TOPICS, CORPUS)
    (match,) = classifier.classify([("Operators for the cluster", "Operators automate it.", ())])[0]
    assert match.name == "cloud" and "keyword" not in " ".join(match.reasons)
    assert (
        "'Operators'" in match.reasons[-1]
        and "wording like other cloud articles" in match.reasons[-1]
    )


def test_an_untitled_entry_does_not_count_its_words_twice() -> None:
    classifier = train_classifier(TOPICS, CORPUS)
    text = "Kubernetes clusters get a new scheduler for batch jobs and more"
    titled = classifier.classify([(text[:40] + "…", text, ())])[0]
    assert titled[0].reasons == ["matched 'Kubernetes' in title"]


def test_scores_decay_with_age_between_fetches(local_server: LocalServer, tmp_path: Path) -> None:
    local_server.route("/a", feed(TITLES[:1]))
    text = make_config(local_server, {"alpha": "/a"})
    (tmp_path / "sources.yaml").write_text(text, encoding="utf-8")
    config = parse_config(text)
    settings = resolve_settings(tmp_path / "sources.yaml", store_url(tmp_path), config, env={})
    store = open_store(settings.db_url)
    clock = [NOW]
    pipeline = Pipeline(store, config, settings, clock=lambda: clock[0])
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    (article,) = stored(store, "alpha")
    assert "published less than an hour ago" in article.explanation
    assert pipeline.ranker.refresh_scores() == 1  # never rescored in full yet
    assert pipeline.ranker.refresh_scores() is None  # rescored less than an hour ago
    clock[0] = NOW + timedelta(days=5)
    assert pipeline.ranker.refresh_scores() == 1
    aged = store.get_article(article.id)
    assert aged is not None and "published 5 days ago" in aged.explanation
    assert aged.score_parts["freshness"] < article.score_parts["freshness"]
    store.close()


def test_a_model_pickled_by_another_scikit_learn_is_not_loaded(tmp_path: Path) -> None:
    import pickle

    from watch.classify import Classifier

    path = tmp_path / "model.bin"
    train_classifier(TOPICS, CORPUS).save(path)
    assert Classifier.load(path, TOPICS) is not None
    payload = pickle.loads(path.read_bytes())
    payload["scikit_learn"] = "0.0"
    path.write_bytes(pickle.dumps(payload))
    assert Classifier.load(path, TOPICS) is None


def test_a_long_running_service_keeps_only_recent_stories_in_memory(tmp_path: Path) -> None:
    """The cluster index is rebuilt from the store once a day, as at a start: a daemon of
    months does not hold every article since it started."""
    from watch.ranking import Ranker

    config = parse_config("sources: []\n")
    settings = resolve_settings(tmp_path / "sources.yaml", None, config, env={})
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    moments = [NOW]
    ranker = Ranker(store, config, settings, None, lambda: moments[-1])

    def insert(n: int, published: datetime) -> None:
        article = Article(
            source="s", guid=str(n), url=f"https://s.example/{n}",
            canonical_url=f"https://s.example/{n}", title=f"Story number {n} about kernels",
            summary_html="", summary_text=f"Text {n}", author=None,
            published=published, fetched_at=published,
        )  # fmt: skip
        result = store.upsert_articles([article], before_insert=ranker.place_new)
        ranker.rescore_joined(result.new_ids, result.updated_ids)

    insert(1, NOW - timedelta(days=13))
    assert len(ranker.clusters) == 1
    moments.append(NOW + timedelta(days=2))  # article 1 is now 15 days old
    insert(2, moments[-1])
    assert len(ranker.clusters) == 1, "rebuilt from the last 14 days of the store"
    moments.append(moments[-1] + timedelta(hours=3))
    index = ranker.clusters
    insert(3, moments[-1])
    assert ranker.clusters is index and len(index) == 2, "not rebuilt within the day"
    store.close()


def test_a_retrain_finished_during_a_feedback_sync_is_not_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watch run` retrains in a thread while the event loop syncs new feedback into the
    current classifier: the retrained model must stay, not be replaced by the old one."""
    from watch.classify import keyword_classifier
    from watch.ranking import Ranker

    config = parse_config(
        "topics:\n  - {name: cloud, keywords: [container, Kubernetes]}\nsources: []\n"
    )
    settings = resolve_settings(tmp_path / "sources.yaml", None, config, env={})
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    articles = [plain_article(n, title) for n, (title, _, _) in enumerate(CORPUS)]
    ids = store.upsert_articles(articles).new_ids
    ranker = Ranker(store, config, settings, keyword_classifier(config.topics), lambda: NOW)
    store.add_feedback(Feedback(article_id=ids[0], kind="up", at=NOW))
    before = ranker.classifier
    retrained: list[object] = []
    original = before.with_overrides

    def overrides_while_a_retrain_finishes(*args: object, **kwargs: object) -> object:
        retrained.append(ranker.retrain())  # the retrain thread finishes meanwhile
        return original(*args, **kwargs)

    monkeypatch.setattr(before, "with_overrides", overrides_while_a_retrain_finishes)
    ranker.sync_feedback()
    assert retrained and ranker.classifier is retrained[0]
    store.close()


SECURITY = (TopicConfig(name="security", keywords=("security", "vulnerability", "CVE")),)
IT_SECURITY = [
    ("CVE-2024-3094 in xz", "A backdoor vulnerability in the compression library.", ()),
    ("Browser vulnerability patched", "A use-after-free vulnerability in the renderer.", ()),
    ("Kernel security update", "Fixes a privilege escalation vulnerability.", ()),
    ("OpenSSH security release", "A CVE allows remote code execution before login.", ()),
    ("Router firmware vulnerability", "Attackers exploit a CVE in home routers.", ()),
    ("Security advisory for the web framework", "Upgrade: a CVE in the session handling.", ()),
]
ELSEWHERE_SECURITY = [
    ("Airport security lines grow", "Passengers wait at checkpoints; more guards hired."),
    ("Stadium security tightened", "Bag checks and guards at every gate for spectators."),
    ("Treasury securities rally", "Bond investors buy as yields fall."),
    ("Mall hires security guards", "Night patrols and guards at the entrances after thefts."),
    ("Securities regulator fines broker", "The broker misreported bond trades to investors."),
    ("Bank sells mortgage securities", "The bank sold bonds to cut its exposure for investors."),
    ("Museum upgrades security", "New guards, alarms and patrols after the jewel theft."),
    ("Exchange lists green securities", "Bonds whose coupon rises; investors welcome them."),
    ("Concert security reviewed", "Stewards, barriers and guards at the gates after the crush."),
    ("Pension fund lends securities", "Income from lending bonds to investors rose."),
]
OTHER_NEWS = [
    (f"{subject} news {n}", f"A report about {subject} number {n}.", ())
    for n in range(8)
    for subject in ("football", "gardening", "cooking", "weather")
]


def test_not_about_corrections_reach_stored_and_new_articles_worded_alike() -> None:
    """The user says half of the stored "security" articles about guards and bonds are not
    about security: the other half, already stored, and new ones follow after a retrain,
    while articles about vulnerabilities stay security, though the topic is rare."""
    corpus = IT_SECURITY + [(t, s, ()) for t, s in ELSEWHERE_SECURITY] + OTHER_NEWS
    judged, unseen = ELSEWHERE_SECURITY[::2], ELSEWHERE_SECURITY[1::2]
    lessons = [TrainingExample(t, s, (), negative=frozenset({"security"})) for t, s in judged]
    classifier = train_classifier(SECURITY, corpus, lessons)
    new = [
        ("Festival security doubled", "More guards and bag checks at the gates."),
        ("Securities watchdog probes bond desk", "Records of bond trades by investors."),
    ]
    alike = classifier.classify([(t, s, ()) for t, s in unseen + new])
    assert [topic_names(r) for r in alike] == [[]] * (len(unseen) + len(new))
    it = classifier.classify([("Security flaw in the mail server", "A CVE, patch now.", ())])
    assert topic_names(it[0]) == ["security"]


def test_explain_says_which_topics_the_user_took_away(
    local_server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from watch.cli import main

    local_server.route("/feed", rss([("1", "Critical CVE in OpenSSL", rfc822(NOW))]))
    config = tmp_path / "sources.yaml"
    config.write_text(
        "topics:\n  - {name: security, label: Sécurité, keywords: [CVE]}\n"
        f'fetch:\n  allow_private: ["{local_server.allow}"]\n'
        f"sources:\n  - {{name: sec, url: '{local_server.url('/feed')}', every: 1h}}\n",
        encoding="utf-8",
    )
    where = ["-c", str(config), "--db", store_url(tmp_path)]
    assert main(["fetch", *where]) == 0
    store = open_store(store_url(tmp_path))
    (article,) = store.iter_articles()
    store.close()
    assert main(["feedback", str(article.id), "--not", "security", *where]) == 0
    capsys.readouterr()
    assert main(["explain", str(article.id), *where]) == 0
    explained = capsys.readouterr().out
    assert "off-topic" in explained and "you said it is not about Sécurité (20" in explained


def test_a_topic_edit_is_named_as_the_reason_the_model_is_rebuilt(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 8: after the user added a keyword, the log said "the model file was unreadable
    or built for other topics", as if something were broken; it now says what changed and how
    many articles each topic has after the rebuild."""
    pipeline, store = pipeline_with_a_model(local_server, tmp_path)
    edited = make_config(local_server, {"alpha": "/a"}).replace(
        "keywords: [CVE, vulnerability]", "keywords: [CVE, vulnerability, recipe]"
    )
    fresh, _ = make_pipeline(tmp_path, edited)
    said = fresh.ranker.refresh() or ""
    assert said == (
        "classifier rebuilt (the topics of sources.yaml changed: names, labels or keywords); "
        "articles tagged per topic, before → after the new model: security 3 → 4"
    )
    fresh.store.close()
    store.close()


def test_a_down_voted_story_does_not_come_back_from_its_other_source(
    local_server: LocalServer, tmp_path: Path
) -> None:
    """Session 8: 👎 on one copy of a story lowered that copy only; the board (one article per
    story) then showed the same story from the other source, at its old score."""
    story = "Critical CVE-2026-4242 in OpenSSL lets attackers read server memory"
    local_server.route("/a", feed([story, "Recipe of the week"]))
    local_server.route("/b", feed([story + " (update)"]))
    pipeline, store = make_pipeline(tmp_path, make_config(local_server, {"a": "/a", "b": "/b"}))
    asyncio.run(pipeline.run_pass())
    pipeline.close()
    copies = [a for a in store.iter_articles() if "CVE-2026-4242" in a.title]
    assert len(copies) == 2 and copies[0].cluster_id == copies[1].cluster_id
    pipeline.ranker.record_feedback(Feedback(article_id=copies[0].id, kind="down", at=NOW))
    other = store.get_article(copies[1].id)
    assert other is not None and other.vote == -1 and other.score <= DOWN_VOTE_CAP
    shown = store.query_articles(ArticleQuery(one_per_cluster=True, limit=10))
    (the_story,) = [a for a in shown if a.cluster_id == copies[0].cluster_id]
    assert the_story.score <= DOWN_VOTE_CAP and shown[-1] is the_story
    store.close()


NEWS_TOPICS = (
    "topics:\n"
    "  - {name: security, keywords: [security, vulnerability, CVE, patch, exploit, ransomware]}\n"
    "  - {name: web, keywords: [CSS, HTML, JavaScript, browser]}\n"
    "  - {name: cloud, keywords: [cloud, Kubernetes, container, outage]}\n"
    "sources: []\n"
)
TOPIC_NEWS = {
    "security": (
        [
            "Critical vulnerability in {x}",
            "{X} security update fixes CVE-2026-{n}",
            "Ransomware hits {x}",
            "Exploit published for {x}",
        ],
        [
            "Attackers run code on unpatched servers.",
            "Administrators should upgrade now.",
            "Files were encrypted and a payment demanded.",
            "A patch is out for every version.",
        ],
    ),
    "web": (
        ["{X} ships CSS anchor positioning", "HTML forms in {x}", "JavaScript bundles of {x}"],
        [
            "The browser supports it without a flag.",
            "A tutorial with live examples.",
            "Hydration and rendering compared.",
        ],
    ),
    "cloud": (
        ["{X} region outage", "Kubernetes at {x}", "Container images at {x}"],
        [
            "Compute was unreachable for four hours.",
            "The scheduler handles batch workloads.",
            "Multi-stage builds make images smaller.",
        ],
    ),
    "other": (
        [
            "{X} wins the cup final",
            "Budget vote at {x}",
            "Weekend weather for {x}",
            "Recipe: apple tart from {x}",
            "Shares of {x} fall",
        ],
        [
            "The striker scored twice.",
            "The senate debates the bill.",
            "Heavy rain expected.",
            "A shortcrust pastry and baked apples.",
            "Sales were weaker than expected.",
        ],
    ),
}
PLACES = ["nginx", "GitLab", "Exim", "Lyon", "Nantes", "Lille", "Acme", "Globex", "Initech"]
LURED = ["a national bank", "the parcel carrier", "the tax office", "a streaming service",
         "an airline", "a mobile operator", "the electricity supplier", "the city hall",
         "a large university", "a car rental firm", "the post office", "a hotel chain"]  # fmt: skip
PHISHING_TITLES = ["Phishing campaign impersonates {x}", "{X} warns customers about phishing",
                   "Phishing wave hits customers of {x}", "Fake messages from {x} circulate",
                   "Staff of {x} targeted by phishing", "How scammers copied {x}"]  # fmt: skip
PHISHING_LINES = [
    "The phishing messages lead to a fake sign-in page that collects passwords.",
    "Victims confirm their account details on a lookalike website, a classic phishing trick.",
    "The phishing emails link to a counterfeit portal that harvests credentials.",
    "Text messages announce an unpaid fee and point to a cloned payment page.",
    "The phishing kit behind the campaign is sold for a few hundred euros on forums.",
]
NEWS_LINES = [
    "The company said it had informed the police.", "Several thousand people were reached.",
    "Customers are advised to contact their branch directly.", "Complaints have doubled.",
    "Police in three regions are coordinating.", "Its own systems were not affected.",
    "More of these campaigns are expected before the holidays.", "The losses are high.",
]  # fmt: skip


def varied_news(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Articles of every topic and of none, from varied vocabularies, each text once."""
    texts: set[tuple[str, str]] = set()
    while len(texts) < count:
        titles, lines = TOPIC_NEWS[rng.choice(["security", "web", "cloud", "other", "other"])]
        place = rng.choice(PLACES)
        title = rng.choice(titles).format(x=place, X=place, n=rng.randint(1000, 9999))
        texts.add((title, " ".join(rng.sample(lines, 2))))
    return sorted(texts)


def phishing_news(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """Articles about phishing: not a keyword of security, and worded in many ways."""
    texts: list[tuple[str, str]] = []
    while len(texts) < count:
        lured = rng.choice(LURED)
        title = rng.choice(PHISHING_TITLES).format(x=lured, X=lured.capitalize())
        text = (title, " ".join([rng.choice(PHISHING_LINES), *rng.sample(NEWS_LINES, 2)]))
        if "phishing" in " ".join(text).lower() and text not in texts:
            texts.append(text)
    return texts


@pytest.mark.parametrize("seed", [2, 4])
def test_also_about_corrections_teach_wording_the_keywords_miss(tmp_path: Path, seed: int) -> None:
    """Session 9: after 8 "also about security" on phishing articles (phishing is no keyword
    of security), 3 to 7 of 10 phishing articles stored beside them got security after a
    retrain: the stored look-alikes were sure negatives of security (no keyword), so the model
    learned the corrected articles' other words instead of their shared wording."""
    from watch.ranking import Ranker

    rng = random.Random(seed)
    others, phishing = varied_news(rng, 300), phishing_news(rng, 45)
    config = parse_config(NEWS_TOPICS)
    settings = resolve_settings(tmp_path / "sources.yaml", store_url(tmp_path), config, env={})
    store = open_store(settings.db_url)
    ranker = Ranker(store, config, settings, None, lambda: NOW)
    articles = [
        plain_article(n, title, summary, published=NOW - timedelta(hours=n))
        for n, (title, summary) in enumerate(rng.sample(others + phishing, 345))
    ]
    store.upsert_articles(articles, before_insert=ranker.place_new)
    ranker.retrain()
    ids = {(a.title, a.summary_text): a.id for a in store.iter_articles()}

    def about_security(texts: list[tuple[str, str]]) -> set[tuple[str, str]]:
        stored = {t: store.get_article(ids[t]) for t in texts}
        return {t for t, a in stored.items() if a and "security" in topic_names(a.topics)}

    judged, unjudged = phishing[:8], phishing[8:18]
    others_before = about_security(others)
    assert not about_security(unjudged)
    for text in judged:
        ranker.record_feedback(
            Feedback(article_id=ids[text], kind="also_topic", topic="security", at=NOW)
        )
    ranker.retrain()
    assert len(about_security(unjudged)) >= 8
    assert about_security(others) == others_before
    new = [("Phishing alert at a ticket reseller", "Buyers get a fake refund link by email.")]
    assert ranker.classifier.classify([(*new[0], ())])[0][0].name == "security"
    store.close()
