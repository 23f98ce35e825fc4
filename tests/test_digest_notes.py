"""The team's note on a pick, as the digest's readers get it (session 9): its lines and bullets
kept in the three renderings, its web links clickable in the mail, and all of it shown."""

from __future__ import annotations

from tests.test_digest import (
    FRENCH_YAML,
    NNBSP,
    NOW,
    WEEK,
    make_config,
    states,
    trends,
    typeset,
    week_articles,
)
from tests.test_digest import article as make_article
from watch.digest import Digest, build_digest
from watch.digest_render import render_html, render_markdown, render_text
from watch.digest_words import markdown_escape
from watch.store.base import MAX_NOTE

NOTE = (
    "ligne 1\nligne 2 après un retour\r\n\n- puce <b>gras</b> & co\n"
    "• voir https://intra.example.fr/t?id=42&x=1. puis javascript:alert(1)\n"
)


def picked(note: str, french: bool = False) -> Digest:
    pick = make_article(2, "Rust survey results", score=40.0)
    pick.note = note
    return build_digest(
        config=make_config(FRENCH_YAML) if french else make_config(), week=WEEK,
        articles=week_articles()[2:3], source_states=states(), trends=trends(), now=NOW,
        picks=[pick],
    )  # fmt: skip


def test_a_notes_lines_and_bullets_stay_lines_under_the_pick() -> None:
    """The audit: "ligne 1 ligne 2 après un retour - puce…" ran on as one line."""
    digest = picked(NOTE, french=True)
    text = render_text(digest)
    assert (
        typeset(
            "\n  Note : ligne 1\n    ligne 2 après un retour\n    - puce <b>gras</b> & co\n"
            "    • voir https://intra.example.fr/t?id=42&x=1. puis javascript:alert(1)\n"
            "  Pourquoi : "
        )
        in text
    )
    markdown = render_markdown(digest)
    assert (
        typeset(
            "\n  **Note :** ligne 1  \n  ligne 2 après un retour  \n"
            "  \\- puce \\<b\\>gras\\</b\\> \\& co  \n  • voir <https://intra.example.fr/t?id=42&x=1>."
        )
        in markdown
    ), "a note's '- puce' is a line of the pick, not a list breaking it"
    html = render_html(digest)
    assert (
        f"Note{NNBSP}: ligne 1<br>ligne 2 après un retour<br>- puce &lt;b&gt;gras&lt;/b&gt; &amp;"
        " co<br>• voir "
    ) in html


def test_a_notes_web_links_are_links_in_the_mail_and_nothing_else_is() -> None:
    html = render_html(picked(NOTE))
    link = "https://intra.example.fr/t?id=42&amp;x=1"
    style = ' style="color: #1a5fb4;"'  # the CSS inlined
    assert f'voir <a href="{link}"{style}>{link}</a>. puis javascript:alert(1)' in html
    assert html.count("<a href=") == render_html(picked("")).count("<a href=") + 1
    hostile = render_html(picked('see https://x.example/"onmouseover="alert(1) <script>'))
    assert f'<a href="https://x.example/"{style}>https://x.example/</a>"onmouseover=' in hostile
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_a_notes_web_links_are_links_in_the_markdown_digest_and_the_rest_escaped() -> None:
    """Session 9: a URL in a note came out escaped (``…?id=42\\&x=1``, ``my\\_page``) rather
    than linked; it is now an autolink, taken as written, and nothing else in the note is."""
    note = "see https://wiki.example/my_page?a=1&b=*2*, then *that* or ftp://x.example/a_b\n"
    markdown = render_markdown(picked(note + 'https://x.example/"onmouseover="x <script>'))
    assert (
        "**Note:** see <https://wiki.example/my_page?a=1&b=*2*>, then \\*that\\* or "
        'ftp://x.example/a\\_b  \n  <https://x.example/>"onmouseover="x \\<script\\>  \n'
    ) in markdown
    assert markdown_escape("see https://a.example/x_y") == "see https://a.example/x\\_y", (
        "titles, sources and the rest of the digest are not autolinked"
    )


def test_the_whole_note_the_board_accepts_is_shown() -> None:
    """The digest cut notes at 400 characters while the board takes 1,000 (MAX_NOTE)."""
    note = ("mot " * MAX_NOTE)[: MAX_NOTE - 1] + "!"
    digest = picked(note)
    assert digest.sections[0].stories[0].note == note
    assert note in render_text(digest) and "…" not in render_text(digest).split("Note:")[1]


def test_a_summary_or_a_note_line_cannot_make_a_heading_or_a_rule_in_markdown() -> None:
    """Session 10: a story whose summary is "===" (or "---") on its own line under the story's
    line turned that line into a setext heading (<h1>/<h2>) under CommonMark; a note's line
    "- - -" or "***" a thematic break.  Such a line starts with an escape now."""
    import markdown_it  # a test dependency (pyproject's [test] extra)

    for evil in ("===", "=", "---", "--", "- - -", "-- --", "***", "___", "* * *"):
        story = make_article(3, "Async traits land")
        story.summary_text = evil
        digest = build_digest(
            config=make_config(), week=WEEK, articles=[story], source_states=states(),
            trends=trends(), now=NOW, picks=[],
        )  # fmt: skip
        pick = picked(f"first line\n{evil}\nlast line")
        for rendering in (render_markdown(digest), render_markdown(pick)):
            tokens = markdown_it.MarkdownIt("commonmark").parse(rendering)
            headings = [
                tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"
            ]
            assert not [h for h in headings if "Async" in h or "Rust survey" in h], evil
            assert "hr" not in [t.type for t in tokens], evil
    assert markdown_escape("===") == "\\===" and markdown_escape("- - -") == "\\- - -"
    assert markdown_escape("=== x") == "=== x" and markdown_escape("-x") == "-x"
