"""``watch demo``: the whole product on bundled data, with no internet.

Serves the project's own sample feeds on 127.0.0.1 (watch.demo), writes a sources.yaml pointing
at them into the demo folder, runs a collection pass through the real pipeline (which also reads
the article pages of its ``full_text`` source), trains the classifier on what was collected,
prints the top stories, and opens the board while the sample server keeps running (so "fetch
now" works too).  Ctrl-C stops everything.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from watch.config import load_config, resolve_settings
from watch.demo import DemoServer, demo_sources_yaml
from watch.pipeline import Pipeline
from watch.store import open_store
from watch.store.base import ArticleQuery, Store
from watch.wording import counted


def run_demo(folder: Path, board_port: int | None = 8501) -> int:
    """Collect the demo feeds into ``folder``/watch.db and open the board on ``board_port``."""
    folder.mkdir(parents=True, exist_ok=True)
    with DemoServer() as server:
        config_path = folder / "sources.yaml"
        config_path.write_text(demo_sources_yaml(server.base_url, server.port), encoding="utf-8")
        config = load_config(config_path)
        settings = resolve_settings(
            config_path, f"sqlite:///{folder.resolve() / 'watch.db'}", config
        )
        store = open_store(settings.db_url)
        try:
            pipeline = Pipeline(store, config, settings)
            report = asyncio.run(pipeline.run_pass())
            pipeline.close()
            pipeline.ranker.retrain()
            texts = sum(outcome.texts for outcome in report.outcomes)
            counts = (report.new_articles, len(report.outcomes), len(report.failed), texts)
            _print_summary(*counts, store)
        finally:
            store.close()
        print(f"\nsources.yaml: {config_path}\ndatabase:     {settings.db_url}")
        if board_port is None:
            return 0
        from watch.board import running_board

        with running_board(config_path, settings.db_url, port=board_port) as board:
            print(f"board:        http://127.0.0.1:{board_port}  (Ctrl-C to stop)")
            try:
                return board.wait()
            except KeyboardInterrupt:
                return 0


def _print_summary(new: int, sources: int, failed: int, texts: int, store: Store) -> None:
    read = f"; {counted(texts, 'article text')} read from their pages" if texts else ""
    print(
        f"collected {counted(new, 'new article')} from {counted(sources, 'demo source')} "
        f"({failed} failed){read}"
    )
    top = store.query_articles(ArticleQuery(one_per_cluster=True, limit=8))
    print("top stories:")
    for article in top:
        topics = ", ".join(t.name for t in article.topics) or "off-topic"
        others = len(article.cluster_sources)  # other sources, not other articles
        also = f" (+{others} source{'s' if others > 1 else ''})" if others else ""
        title = article.title if len(article.title) <= 70 else article.title[:69].rstrip() + "…"
        print(f"  {article.score:5.1f}  {title}  [{topics}]{also}")
