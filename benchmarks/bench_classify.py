"""Benchmark topic classification against the labeled evaluation set, and its speed.

Prints per-topic precision/recall/F1 and micro/macro F1 for
  (a) the keyword-filter baseline (``keyword_baseline``),
  (b) the model with zero feedback (weak labels only),
  (c) the model after simulated feedback on 5% of the items, drawn from the train split,
plus the precision of "relevant" (any topic predicted → truly has a topic).  Every figure is
measured on the test split (half of the items, fixed by a hash of their id); feedback only ever
comes from the train split.  Weak-label training uses every text without its label.

Training corpus: the eval texts plus every other corpus entry's text (eval_unlabeled.jsonl),
never their labels.  Model settings (MODEL_ADDS, MODEL_FLOOR, WEAK_AGREE in
watch/classify/model.py) were chosen on the train half only: ``--tune`` prints the train-half
figures of a grid of them (the rule: highest macro-F1 with precision of "relevant" ≥ 0.9).

Speed: classify + score of 20,000 articles (the set replicated; wall and process CPU time,
medians of 5), and retraining with 10,000 feedback items (median of 3).

With ``--embeddings`` (the optional extra ``watch[embeddings]`` installed), the same figures
for the zero-shot embedding similarity combined with the default classifier, on the same split
and the same simulated feedback, and its speed.

Run: ``python benchmarks/bench_classify.py [--embeddings] [--tune]`` (data in benchmarks/data/, built by
build_eval_set.py from ../shared/corpus).
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from watch.classify import (  # noqa: E402
    Classifier,
    TrainingExample,
    keyword_baseline,
    train_classifier,
)
from watch.config import TopicConfig  # noqa: E402
from watch.score import score_article  # noqa: E402
from watch.taste import Taste  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
FEEDBACK_SHARE = 0.05
SEEDS = (1, 2, 3, 4, 5)

Row = dict[str, object]
Predict = Callable[[Sequence[Row]], list[set[str]]]


def load() -> tuple[list[TopicConfig], list[Row]]:
    tree = YAML(typ="safe").load((DATA / "eval_topics.yaml").read_text(encoding="utf-8"))
    topics = [
        TopicConfig.model_validate(
            {k: tuple(v) if isinstance(v, list) else v for k, v in t.items()}
        )
        for t in tree["topics"]
    ]
    rows = [json.loads(line) for line in (DATA / "eval_set.jsonl").read_text("utf-8").splitlines()]
    return topics, rows


def load_unlabeled() -> list[tuple[str, str, tuple[str, ...]]]:
    """Every corpus entry's text, no labels (build_eval_set.py --unlabeled-only)."""
    path = DATA / "eval_unlabeled.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    return [(str(r["title"]), str(r["summary"]), ()) for r in rows]


def training_corpus(rows: list[Row]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The eval items (with their source hints) plus the other corpus texts, each text once."""
    corpus = [item(r) for r in rows]
    seen = {(title, summary) for title, summary, _ in corpus}
    return corpus + [u for u in load_unlabeled() if (u[0], u[1]) not in seen]


def in_test(row: Row) -> bool:
    return int(hashlib.sha1(str(row["id"]).encode()).hexdigest(), 16) % 2 == 0


def item(row: Row) -> tuple[str, str, tuple[str, ...]]:
    return str(row["title"]), str(row["summary"]), tuple(row["source_topics"])  # type: ignore[arg-type]


def truth(row: Row) -> set[str]:
    return set(row["labels"])  # type: ignore[arg-type]


def evaluate(names: list[str], rows: Sequence[Row], predicted: list[set[str]]) -> dict[str, float]:
    result: dict[str, float] = {}
    total_tp = total_fp = total_fn = 0
    f1s = []
    for name in names:
        tp = sum(1 for r, p in zip(rows, predicted, strict=True) if name in p and name in truth(r))
        fp = sum(
            1 for r, p in zip(rows, predicted, strict=True) if name in p and name not in truth(r)
        )
        fn = sum(
            1 for r, p in zip(rows, predicted, strict=True) if name not in p and name in truth(r)
        )
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[f"{name}.p"], result[f"{name}.r"], result[f"{name}.f1"] = precision, recall, f1
        total_tp, total_fp, total_fn = total_tp + tp, total_fp + fp, total_fn + fn
        f1s.append(f1)
    micro_p = total_tp / (total_tp + total_fp) if total_tp + total_fp else 0.0
    micro_r = total_tp / (total_tp + total_fn) if total_tp + total_fn else 0.0
    result["micro_f1"] = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    result["macro_f1"] = statistics.fmean(f1s)
    flagged = [r for r, p in zip(rows, predicted, strict=True) if p]
    result["relevant_precision"] = (
        sum(1 for r in flagged if truth(r)) / len(flagged) if flagged else 0.0
    )
    on_topic = [r for r in rows if truth(r)]
    hits = sum(1 for r, p in zip(rows, predicted, strict=True) if p and truth(r))
    result["relevant_recall"] = hits / len(on_topic) if on_topic else 0.0
    return result


def model_predict(classifier: Classifier, rows: Sequence[Row]) -> list[set[str]]:
    return [{m.name for m in matches} for matches in classifier.classify([item(r) for r in rows])]


def simulated_feedback(
    classifier: Classifier, train: list[Row], seed: int, count: int
) -> list[TrainingExample]:
    """What a user would say on ``count`` random train items: also-about misses, not-about errors."""
    chosen = random.Random(seed).sample(train, count)
    examples = []
    for row, predicted in zip(chosen, model_predict(classifier, chosen), strict=True):
        examples.append(
            TrainingExample(
                str(row["title"]),
                str(row["summary"]),
                tuple(row["source_topics"]),  # type: ignore[arg-type]
                positive=frozenset(truth(row)),
                negative=frozenset(predicted - truth(row)),
            )
        )
    return examples


def print_table(names: list[str], results: dict[str, dict[str, float]]) -> None:
    columns = list(results)
    print(f"{'topic':<20}" + "".join(f"{c:>26}" for c in columns))
    print(f"{'':<20}" + "".join(f"{'P     R     F1':>26}" for _ in columns))
    for name in names:
        cells = "".join(
            f"{r[name + '.p']:>14.2f}{r[name + '.r']:>6.2f}{r[name + '.f1']:>6.2f}"
            for r in results.values()
        )
        print(f"{name:<20}{cells}")
    for key in ("micro_f1", "macro_f1", "relevant_precision", "relevant_recall"):
        print(f"{key:<20}" + "".join(f"{r[key]:>26.3f}" for r in results.values()))


def quality(topics: list[TopicConfig], rows: list[Row], embeddings: bool = False) -> None:
    names = [t.name for t in topics]
    test = [r for r in rows if in_test(r)]
    train = [r for r in rows if not in_test(r)]
    # texts only: weak labels and calibration never read the labels
    corpus = training_corpus(rows)
    print(
        f"{len(rows)} items: {len(train)} train / {len(test)} test; "
        f"{sum(1 for r in test if truth(r))} test items on topic; "
        f"{len(corpus):,} unlabeled texts for training"
    )
    baseline = [keyword_baseline(topics, str(r["title"]), str(r["summary"])) for r in test]
    zero = train_classifier(topics, corpus)
    zero_predicted = model_predict(zero, test)
    results = {
        "baseline": evaluate(names, test, baseline),
        "zero feedback": evaluate(names, test, zero_predicted),
    }
    count = max(1, round(FEEDBACK_SHARE * len(rows)))
    fed = [
        train_classifier(topics, corpus, simulated_feedback(zero, train, seed, count))
        for seed in SEEDS
    ]
    feedback_column = f"feedback {count} (median)"
    results[feedback_column] = median_of(
        [evaluate(names, test, model_predict(c, test)) for c in fed]
    )
    if embeddings:
        results.update(embedding_results(topics, test, zero, fed, count))
    print_table(names, results)
    base, zero_r = results["baseline"]["macro_f1"], results["zero feedback"]["macro_f1"]
    after = results[feedback_column]["macro_f1"]
    print(
        f"\nmacro-F1: baseline {base:.3f}, zero feedback {zero_r:.3f} ({zero_r - base:+.3f}), "
        f"after feedback {after:.3f} ({after - zero_r:+.3f} vs zero, {len(SEEDS)} seeds)"
    )
    low, high = macro_f1_gap_interval(names, test, zero_predicted, baseline)
    print(
        f"zero feedback - baseline: 95 % paired-bootstrap interval [{low:+.3f}, {high:+.3f}] "
        f"({sum(1 for r in test if truth(r))} on-topic test items; per topic: "
        + ", ".join(f"{n} {sum(1 for r in test if n in truth(r))}" for n in names)
        + ")"
    )
    if embeddings:
        emb_zero, emb_fed = (results[k]["macro_f1"] for k in list(results)[-2:])
        print(
            f"with embeddings: zero feedback {emb_zero:.3f} ({emb_zero - base:+.3f} vs baseline), "
            f"after feedback {emb_fed:.3f} ({emb_fed - emb_zero:+.3f} vs zero)"
        )


def macro_f1_gap_interval(
    names: list[str],
    rows: Sequence[Row],
    ours: list[set[str]],
    theirs: list[set[str]],
    resamples: int = 1000,
) -> tuple[float, float]:
    """95 % paired-bootstrap interval of macro-F1(ours) - macro-F1(theirs) over ``rows``: how
    much of a gap the test set's size can tell from chance (a topic with 5 test items moves
    macro-F1 by several points per item)."""
    rng = random.Random(0)
    gaps = []
    for _ in range(resamples):
        picks = [rng.randrange(len(rows)) for _ in rows]
        sample = [rows[i] for i in picks]
        gap = evaluate(names, sample, [ours[i] for i in picks])["macro_f1"]
        gaps.append(gap - evaluate(names, sample, [theirs[i] for i in picks])["macro_f1"])
    gaps.sort()
    return gaps[int(0.025 * resamples)], gaps[int(0.975 * resamples) - 1]


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def embedding_results(
    topics: list[TopicConfig],
    test: list[Row],
    zero: Classifier,
    fed: list[Classifier],
    count: int,
) -> dict[str, dict[str, float]]:
    """The optional extra on the same split and the same simulated feedback."""
    from watch.classify.embeddings import EmbeddingClassifier, TopicEmbedder

    names = [t.name for t in topics]
    embedder = TopicEmbedder(topics)
    items = [item(r) for r in test]
    similarity = embedder.similarities(items)  # the text's meaning does not change with feedback

    def predict(base: Classifier) -> list[set[str]]:
        combined = EmbeddingClassifier(base, embedder).combine(
            items, base.classify(items), similarity
        )
        return [{m.name for m in matches} for matches in combined]

    return {
        "embeddings zero fb": evaluate(names, test, predict(zero)),
        f"embeddings fb {count} (med.)": median_of(
            [evaluate(names, test, predict(c)) for c in fed]
        ),
    }


def speed(topics: list[TopicConfig], rows: list[Row]) -> None:
    corpus = training_corpus(rows)
    classifier = train_classifier(topics, corpus)
    articles = [corpus[i % len(corpus)] for i in range(20_000)]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    taste = Taste.from_votes((corpus[i][0], 1 if i % 2 else -1) for i in range(0, 2000, 20))
    timings, cpu = [], []
    for _ in range(5):
        start, start_cpu = time.perf_counter(), time.process_time()
        for index, matches in enumerate(classifier.classify(articles)):
            score_article(
                topics=matches,
                source_weight=1.0,
                cluster_size=1 + index % 4,
                vote=0,
                published=now - timedelta(hours=index % 100),
                now=now,
                taste=taste.judge(articles[index][0]),  # 100 voted stories' words
            )
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    rate = len(articles) / statistics.median(timings)
    cpu_rate = len(articles) / statistics.median(cpu)
    print(
        f"classify + score: {rate:,.0f} articles/s wall, {cpu_rate:,.0f} articles/s of process "
        f"CPU time (medians of 5 runs over {len(articles):,}; CPU time is the fair figure on a "
        "shared machine)"
    )
    feedback = [
        TrainingExample(str(r["title"]), str(r["summary"]), (), frozenset(truth(r)), frozenset())
        for r in (rows[i % len(rows)] for i in range(10_000))
    ]
    retrain = []
    for _ in range(3):
        start = time.perf_counter()
        train_classifier(topics, corpus, feedback)
        retrain.append(time.perf_counter() - start)
    print(
        f"retrain with 10,000 feedback items + {len(corpus):,} corpus items: "
        f"{statistics.median(retrain):.2f} s (median of 3)"
    )


def tune(topics: list[TopicConfig], rows: list[Row]) -> None:
    """Train-half figures of the decision thresholds; the test half is never read."""
    import numpy as np

    import watch.classify.model as model_settings

    names = [t.name for t in topics]
    train = [r for r in rows if not in_test(r)]
    baseline = evaluate(names, train, [keyword_baseline(topics, *item(r)[:2]) for r in train])
    print(f"train half, baseline: macro-F1 {baseline['macro_f1']:.3f}, ", end="")
    print(f"precision of relevant {baseline['relevant_precision']:.3f}")
    print(f"{'adds':>6}{'floor':>7}{'weak':>6}{'macro-F1':>10}{'rel. P':>8}{'rel. R':>8}")
    for adds in (0.1, 0.2, 0.5):
        model_settings.MODEL_ADDS, model_settings.MODEL_FLOOR = adds, 0.0
        classifier = train_classifier(topics, training_corpus(rows))
        model = classifier._model
        assert model is not None
        calibrated = model.model_only.copy()
        for floor in (0.0, 0.2, 0.3, 0.4, 0.5):
            for weak in (0.3, 0.5, 0.7, 2.0):
                model.model_only = np.where(
                    calibrated > 1, calibrated, np.clip(calibrated, floor, max(floor, 0.5))
                )
                model.weak_agree = np.full(len(names), weak)
                r = evaluate(names, train, model_predict(classifier, train))
                print(
                    f"{adds:>6}{floor:>7}{weak:>6}{r['macro_f1']:>10.3f}"
                    f"{r['relevant_precision']:>8.3f}{r['relevant_recall']:>8.3f}"
                )


def tune_embeddings(topics: list[TopicConfig], rows: list[Row]) -> None:
    """Train-half figures of the similarity thresholds of the optional extra."""
    from watch.classify.embeddings import EmbeddingClassifier, TopicEmbedder

    names = [t.name for t in topics]
    train = [r for r in rows if not in_test(r)]
    items = [item(r) for r in train]
    base = train_classifier(topics, training_corpus(rows))
    embedder = TopicEmbedder(topics)
    decided, similarity = base.classify(items), embedder.similarities(items)
    print(f"{'weak':>6}{'alone':>7}{'macro-F1':>10}{'rel. P':>8}{'rel. R':>8}")
    for weak in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 2.0):
        for alone in (0.35, 0.45, 0.55, 2.0):
            combined = EmbeddingClassifier(base, embedder, weak, alone)
            predicted = combined.combine(items, decided, similarity)
            r = evaluate(names, train, [{m.name for m in ms} for ms in predicted])
            print(
                f"{weak:>6}{alone:>7}{r['macro_f1']:>10.3f}"
                f"{r['relevant_precision']:>8.3f}{r['relevant_recall']:>8.3f}"
            )


def embedding_speed(topics: list[TopicConfig], rows: list[Row]) -> None:
    from watch.classify.embeddings import EmbeddingClassifier, TopicEmbedder

    classifier = EmbeddingClassifier(
        train_classifier(topics, training_corpus(rows)), TopicEmbedder(topics)
    )
    articles = [item(r) for r in rows[:256]]
    start, start_cpu = time.perf_counter(), time.process_time()
    classifier.classify(articles)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    print(
        f"with embeddings, classify: {len(articles) / wall:,.0f} articles/s wall, "
        f"{len(articles) / cpu:,.0f} articles/s of process CPU time (one run over "
        f"{len(articles)})"
    )


def main() -> None:
    topics, rows = load()
    embeddings = "--embeddings" in sys.argv
    if "--tune" in sys.argv:
        if embeddings:
            tune_embeddings(topics, rows)
        else:
            tune(topics, rows)
        return
    quality(topics, rows, embeddings)
    print()
    speed(topics, rows)
    if embeddings:
        embedding_speed(topics, rows)


if __name__ == "__main__":
    main()
