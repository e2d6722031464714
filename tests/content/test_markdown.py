"""Module bodies: extensions that authors may use, and hostile HTML that must never reach a learner."""

from __future__ import annotations

import hashlib

import pytest

from lumos_learn.content.markdown import LinkContext, render_body, render_fragment
from lumos_learn.content.problems import ProblemLog


@pytest.fixture
def links(tmp_path):
    media = tmp_path / "media"
    media.mkdir()
    (media / "seat.svg").write_text("<svg/>")
    return LinkContext("feeding", {"intro": 1, "swallowing": 3}, media)


def render(text, context):
    log = ProblemLog("m.en.md")
    html, toc = render_body(text, context, log, 1)
    return html, toc, [(p.line, p.message) for p in log.problems]


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="media/seat.svg" alt="x" onerror="alert(1)">',
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)"><script>alert(1)</script></svg>',
        '<a href="javascript:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
        '<object data="x.swf"></object><embed src="x.swf">',
        '<form action="https://evil.example"><input name="p"></form>',
        '<p style="position:fixed" onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    ],
)
def test_hostile_html_is_removed(hostile, links):
    html, _, _ = render(f"## Title\n\n{hostile}\n\nafter", links)
    lowered = html.lower()
    for needle in (
        "<script",
        "javascript:",
        "onerror",
        "onload",
        "onclick",
        "<iframe",
        "<svg",
        "data:",
        "<object",
        "<embed",
        "<form",
        "<input",
        "<style",
        "position:fixed",
        "<math",
        "alert(1)",
    ):
        assert needle not in lowered, (needle, html)
    assert "after" in html


def test_extensions_tables_footnotes_definitions_admonitions_toc(links):
    text = """## Safe *positioning*

| Position | Safe |
|:--|--:|
| Upright | yes |

A fact[^1].

Term
:   Definition.

!!! warning "Stop and call for help"
    - Coughing

### Sub heading

[^1]: The source.
"""
    html, toc, found = render(text, links)
    assert found == []
    assert '<h2 id="safe-positioning">Safe <em>positioning</em></h2>' in html
    # column alignment as a class: the site's CSP blocks inline styles (a console error in every browser)
    assert '<th class="align-left">Position</th>' in html and "style=" not in html
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>' in html
    assert "<dl>\n<dt>Term</dt>\n<dd>Definition.</dd>\n</dl>" in html
    assert '<div class="admonition warning">\n<p class="admonition-title">Stop and call for help</p>' in html
    assert toc == ((2, "safe-positioning", "Safe positioning"), (3, "sub-heading", "Sub heading"))


def test_attribute_lists_are_off(links):
    html, _, _ = render('## Title {: #custom onclick="x" }\n\nText{: .big }', links)
    assert html.startswith('<h2 id="title-custom-onclickx">')  # the braces stay text, not attributes
    assert "<p>Text{: .big }</p>" in html


def test_links(links):
    html, _, found = render(
        "[web](https://example.org) [mail](mailto:a@b.c) [here](#part) [mod](03-swallowing.md#cough) [m](01-intro.md)",
        links,
    )
    assert found == []
    assert '<a rel="noopener noreferrer" href="https://example.org">web</a>' in html
    assert '<a rel="noopener noreferrer" href="mailto:a@b.c">mail</a>' in html
    assert '<a href="#part">here</a>' in html
    assert '<a href="../swallowing/#cough">mod</a>' in html
    assert '<a href="../intro/">m</a>' in html
    assert links.module_links == [("m.en.md", "swallowing", "cough", 1), ("m.en.md", "intro", "", 1)]


def test_raw_html_links_follow_the_same_policy(links):
    html, _, found = render('<a href="03-swallowing.md">raw</a> <a href="/admin">admin</a>', links)
    assert '<a href="../swallowing/">raw</a>' in html
    assert "<a>admin</a>" in html
    assert found == [(1, "link '/admin' not allowed: use https://..., mailto:, #anchor or another module's NN-slug.md")]


def test_images(links):
    html, _, found = render(
        "![Seated](media/seat.svg)\n\n![](media/seat.svg)\n\n![Remote](https://x.org/a.png)\n\n![Up](../seat.svg)",
        links,
    )
    version = hashlib.sha256(b"<svg/>").hexdigest()[:12]  # the file's hash: a changed image gets a new URL
    assert f'<img alt="Seated" src="/media/feeding/seat.svg?v={version}">' in html
    assert "x.org" not in html and "../seat.svg" not in html
    assert sorted(found) == [
        (3, "image needs a text description (alt text)"),
        (5, "image 'https://x.org/a.png' must be a file in this course's media/ folder"),
        (7, "image '../seat.svg' must be a file in this course's media/ folder"),
    ]


def test_fragment_fast_path_matches_markdown():
    log = ProblemLog("q")
    for text in ("Upright, hips at about 90 degrees", "Children's rights (UNCRPD) - article 19", "50% or more?"):
        fast = render_fragment(text, "markdown", None, log, 1)
        slow = render_fragment(text + "\n", "markdown", None, log, 1)  # the newline forces the Markdown parser
        assert fast == slow
    assert render_fragment("A & B < C", "markdown", None, log, 1) == "A &amp; B &lt; C"
    assert log.problems == []


def test_tables_scroll_in_a_labelled_focusable_region(links):
    text = "| Level | Drink |\n|--|--|\n| 0 | Thin |\n\n## Textures\n\n| A | B |\n|--|--|\n| 1 | 2 |\n"
    html, _, found = render(text, links)
    assert found == []
    first, second = html.split('<h2 id="textures">')
    # no heading above: named by its column headings; after a heading: named by it
    assert first.startswith('<div class="table-scroll" tabindex="0" role="region" aria-label="Level, Drink"><table>')
    assert '<div class="table-scroll" tabindex="0" role="region" aria-labelledby="textures"><table>' in second
    assert html.count("</table></div>") == 2


def test_table_label_from_headings_is_escaped(links):
    html, _, _ = render('| a "quoted" &lt;b&gt; | c |\n|--|--|\n| 1 | 2 |\n', links)
    assert 'aria-label="a &quot;quoted&quot; &lt;b&gt;, c"' in html


def test_images_link_to_their_full_size_view(links):
    html, _, found = render("![Seated](media/seat.svg)\n\n[![Linked](media/seat.svg)](https://example.org)", links)
    assert found == []
    url = "/media/feeding/seat.svg?v=" + hashlib.sha256(b"<svg/>").hexdigest()[:12]
    assert f'<a class="image-link" href="{url}"><img alt="Seated" src="{url}"></a>' in html
    # an image already inside a link keeps that link (no link inside a link)
    assert '<a rel="noopener noreferrer" href="https://example.org"><img alt="Linked"' in html
    assert html.count("<a ") == 2


def test_authors_cannot_set_the_region_attributes_themselves(links):
    html, _, _ = render('<div class="table-scroll" tabindex="0" onfocus="x()">text</div>', links)
    assert "tabindex" not in html and "table-scroll" not in html and "onfocus" not in html


def test_headings_in_cyrillic_get_anchors_and_latin_ones_keep_theirs():
    # Bulgarian and Ukrainian headings used to get empty anchors, which the sanitiser dropped: the module's
    # "In this module" links led nowhere. Czech anchors stay ASCII, because links between modules name them.
    html, toc, found = render("## Задавяне: първо удари по гърба\n\nТекст.\n\n## Proč ústavy škodí\n\nText.\n", None)
    assert found == []
    assert '<h2 id="задавяне-първо-удари-по-гърба">' in html and '<h2 id="proc-ustavy-skodi">' in html
    assert [anchor for _level, anchor, _title in toc] == ["задавяне-първо-удари-по-гърба", "proc-ustavy-skodi"]


def test_a_fragment_with_a_table_scrolls_on_a_phone_and_its_images_stay_unlinked():
    """An assignment's case or model answer is a fragment: its tables get the lesson's scrolling region (a model
    answer's budget table pushed the page to 488 px on a 375 px phone); an image in a fragment is not made a link,
    since in a quiz option's label the link would take the click that chooses the option."""
    log = ProblemLog("a")
    table = "| Year | Cost |\n|---|---|\n| 1 | 1.90 |\n"
    html = render_fragment(table, "markdown", None, log, 1)
    assert html.startswith('<div class="table-scroll" tabindex="0" role="region" aria-label="Year, Cost"><table>')
    image = render_fragment("A spoon ![a teaspoon](media/spoon.svg) and a cup\n", "markdown", None, log, 1)
    assert "<img" in image and "image-link" not in image and "table-scroll" not in image
