"""Course diagrams (courses/*/media/*.svg), every course and language, rendered in Chromium.

The text of a diagram is measured as the browser lays it out (the font metrics of the machine, not guesses):
- no text outside the drawing (the viewBox);
- no two pieces of text overlap (each <text> without <tspan>, and each <tspan>);
- text is inside a filled box or clear of it, never half in (a label running into the next box);
- no line crosses text;
- text is at least MIN_FONT units high and the drawing at most MAX_WIDTH units wide, so that it is still 12 px in a
  375 px lesson column;
- opened on its own (its full-size view) on a phone, the drawing fills the screen's width: no width/height of its
  own, which a phone would show at that size in a 980 px wide layout, its text then 5 px high.
The lesson tests check that every diagram in a lesson is a link to the SVG itself (its full-size view).
"""

from __future__ import annotations

import pytest
from e2e_config import ROOT

pytestmark = pytest.mark.e2e

DIAGRAMS = sorted((ROOT / "courses").glob("*/media/*.svg"))
MIN_FONT = 14  # user units = CSS px at full size
MAX_WIDTH = 400  # 14 units in a 343 px column (a 375 px screen) are 12 px
TOLERANCE = 1.0  # user units: anti-aliasing, rounding of glyph boxes

GEOMETRY_JS = """() => {
  const svg = document.documentElement;
  const vb = svg.viewBox.baseVal;
  const toUser = svg.getScreenCTM().inverse();
  const userRect = (el) => {
    const r = el.getBoundingClientRect();
    const a = new DOMPoint(r.left, r.top).matrixTransform(toUser);
    const b = new DOMPoint(r.right, r.bottom).matrixTransform(toUser);
    return {x1: a.x, y1: a.y, x2: b.x, y2: b.y};
  };
  const leaves = [...svg.querySelectorAll('text, tspan')].filter(
    (el) => !el.querySelector('tspan') && el.textContent.trim());
  const texts = leaves.map((el) => ({
    text: el.textContent.trim(),
    font: parseFloat(getComputedStyle(el).fontSize),
    ...userRect(el),
  }));
  const boxes = [...svg.querySelectorAll('rect')].filter((el) => {
    const fill = getComputedStyle(el).fill;
    return fill !== 'none' && !(el.width.baseVal.value >= vb.width && el.height.baseVal.value >= vb.height);
  }).map(userRect);
  const lines = [...svg.querySelectorAll('line')].map((el) => ({
    x1: el.x1.baseVal.value, y1: el.y1.baseVal.value, x2: el.x2.baseVal.value, y2: el.y2.baseVal.value}));
  return {
    viewBox: {x: vb.x, y: vb.y, width: vb.width, height: vb.height},
    width: svg.getAttribute('width'), height: svg.getAttribute('height'),
    texts, boxes, lines,
  };
}"""


def _overlap(a: dict, b: dict) -> tuple[float, float]:
    return min(a["x2"], b["x2"]) - max(a["x1"], b["x1"]), min(a["y2"], b["y2"]) - max(a["y1"], b["y1"])


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["x1"] >= outer["x1"] - TOLERANCE
        and inner["y1"] >= outer["y1"] - TOLERANCE
        and inner["x2"] <= outer["x2"] + TOLERANCE
        and inner["y2"] <= outer["y2"] + TOLERANCE
    )


def _crosses(line: dict, box: dict) -> bool:
    """A horizontal or vertical line through the inside of a text box (diagonal leader lines end at text)."""
    x1, x2 = sorted((line["x1"], line["x2"]))
    y1, y2 = sorted((line["y1"], line["y2"]))
    inner = {k: box[k] + (TOLERANCE if k.endswith("1") else -TOLERANCE) for k in ("x1", "y1", "x2", "y2")}
    if x1 == x2:
        return inner["x1"] < x1 < inner["x2"] and y1 < inner["y2"] and y2 > inner["y1"]
    if y1 == y2:
        return inner["y1"] < y1 < inner["y2"] and x1 < inner["x2"] and x2 > inner["x1"]
    return False


def diagram_problems(geometry: dict) -> list[str]:
    """Every layout problem of one rendered diagram, one readable line each."""
    vb = geometry["viewBox"]
    drawing = {"x1": vb["x"], "y1": vb["y"], "x2": vb["x"] + vb["width"], "y2": vb["y"] + vb["height"]}
    texts = geometry["texts"]
    problems = []
    if vb["width"] > MAX_WIDTH:
        problems.append(f"drawing is {vb['width']:g} units wide (at most {MAX_WIDTH}: text shrinks on a phone)")
    if geometry["width"] or geometry["height"]:
        problems.append(
            f"width/height ({geometry['width']} x {geometry['height']}) set: opened on a phone, the drawing would be"
            " drawn at that size in a 980 px wide layout, not across the screen"
        )
    for t in texts:
        where = f"'{t['text']}'"
        if not _inside(t, drawing):
            problems.append(
                f"{where} is outside the drawing: x {t['x1']:.0f}..{t['x2']:.0f}, y {t['y1']:.0f}..{t['y2']:.0f}"
                f" (viewBox {vb['width']:g} x {vb['height']:g})"
            )
        if t["font"] < MIN_FONT:
            problems.append(f"{where} is {t['font']:g} units high (at least {MIN_FONT})")
        for box in geometry["boxes"]:
            dx, dy = _overlap(t, box)
            if dx > TOLERANCE and dy > TOLERANCE and not _inside(t, box):
                problems.append(
                    f"{where} runs out of a box: text x {t['x1']:.0f}..{t['x2']:.0f} y {t['y1']:.0f}..{t['y2']:.0f},"
                    f" box x {box['x1']:.0f}..{box['x2']:.0f} y {box['y1']:.0f}..{box['y2']:.0f}"
                )
        for line in geometry["lines"]:
            if _crosses(line, t):
                problems.append(f"{where} is crossed by a line at {line}")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            dx, dy = _overlap(a, b)
            # a glyph box is the font's ascent + descent, mostly empty: lines 1.15 em apart touch, not overlap
            if dx > TOLERANCE and dy > max(TOLERANCE, 0.2 * min(a["font"], b["font"])):
                problems.append(f"'{a['text']}' and '{b['text']}' overlap by {dx:.0f} x {dy:.0f} units")
    return problems


@pytest.fixture(scope="module")
def svg_page(browser):
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    yield context.new_page()
    context.close()


def test_every_course_language_has_diagrams_to_check():
    names = {path.relative_to(ROOT / "courses").as_posix() for path in DIAGRAMS}
    assert "inclusive-education/media/inclusion-models.ro.svg" in names
    assert "feeding-support/media/mealtime-plan.bg.svg" in names
    assert len(names) >= 10


# sans-serif is whatever the reader's device has; DejaVu Sans (in CI: fonts-dejavu-core) is one of the widest.
WIDE_FONT_JS = """() => {
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = 'text, tspan { font-family: "DejaVu Sans" !important; }';
  document.documentElement.prepend(style);
  return document.fonts.ready.then(() => true);
}"""


@pytest.mark.parametrize("font", ["sans-serif", "DejaVu Sans"])
@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_diagram_text_fits_and_does_not_overlap(svg_page, path, font):
    svg_page.goto(path.as_uri())
    if font != "sans-serif":
        svg_page.evaluate(WIDE_FONT_JS)
    problems = diagram_problems(svg_page.evaluate(GEOMETRY_JS))
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)


def test_the_checks_catch_planted_defects(svg_page):
    svg_page.goto("about:blank")
    svg_page.set_content(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100" width="200" height="100" font-size="16">'
        '<rect width="200" height="100" fill="#fff"/><rect x="120" y="10" width="70" height="30" fill="#ddd"/>'
        '<text x="10" y="30">Heading</text><text x="14" y="40">Caption</text>'
        '<text x="90" y="30">Into the box</text><text x="150" y="95">Cut off at the edge</text>'
        '<text x="10" y="80" font-size="11">tiny</text><line x1="20" y1="60" x2="20" y2="90" stroke="#000"/></svg>'
    )
    geometry = svg_page.evaluate(GEOMETRY_JS.replace("document.documentElement", "document.querySelector('svg')"))
    problems = "\n".join(diagram_problems(geometry))
    assert "'Heading' and 'Caption' overlap" in problems
    assert "'Into the box' runs out of a box" in problems
    assert "'Cut off at the edge' is outside the drawing" in problems
    assert "'tiny' is 11 units high" in problems
    assert "'tiny' is crossed by a line" in problems


def _lessons_with(pattern: str) -> list[str]:
    """Lesson URLs of the real courses whose Markdown contains `pattern` (a diagram, a table row)."""
    urls = []
    for path in sorted((ROOT / "courses").glob("*/[0-9][0-9]-*.md")):
        if pattern in path.read_text(encoding="utf-8"):
            module, lang = path.name[3:].rsplit(".", 2)[:2]
            urls.append(f"/{lang}/courses/{path.parent.name}/{module}/")
    return urls


@pytest.mark.parametrize("url", _lessons_with("](media/"))
def test_every_diagram_in_a_lesson_opens_full_size(real_page, url):
    real_page.set_viewport_size({"width": 375, "height": 812})
    real_page.goto(url)
    images = real_page.eval_on_selector_all(
        "article.lesson img",
        """(images) => images.map((img) => ({src: img.src, alt: img.alt, width: img.getBoundingClientRect().width,
            link: img.closest('a') ? img.closest('a').href : null}))""",
    )
    assert images, f"{url}: no diagram found"
    for image in images:
        assert image["link"] == image["src"], f"{url}: '{image['alt'][:40]}' is not a link to its full-size view"
        # across the column (343 px), so that its 14-unit text is 12 px: not the 300 px of an image without a size
        assert 375 - 2 * 16 - 12 <= image["width"] <= 375 - 2 * 16, f"{url}: the diagram is {image['width']} px wide"
        response = real_page.request.get(image["link"])
        assert response.status == 200 and response.headers["content-type"].startswith("image/svg+xml")
    # Opening it (Enter on the focused link, no JavaScript needed) shows the drawing on its own.
    real_page.locator("article.lesson a.image-link").first.focus()
    real_page.keyboard.press("Enter")
    real_page.wait_for_url("**/media/**")
    assert real_page.evaluate("() => document.documentElement.tagName") == "svg"


SMALLEST_TEXT_JS = """() => {
  const svg = document.documentElement, scale = svg.getScreenCTM().a * visualViewport.scale;
  const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
  const r = svg.getBoundingClientRect();
  return {smallest: Math.min(...sizes), right: r.right, bottom: r.bottom, width: innerWidth, height: innerHeight};
}"""


@pytest.mark.parametrize("path", DIAGRAMS, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_full_size_view_is_readable_on_a_phone_and_fits_a_desktop(browser, path):
    phone = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(path.as_uri())
    on_phone = page.evaluate(SMALLEST_TEXT_JS)
    phone.close()
    assert on_phone["smallest"] >= 13, f"smallest text on a 375 px phone, before any zoom: {on_phone}"
    desktop = browser.new_context(viewport={"width": 1280, "height": 800})
    page = desktop.new_page()
    page.goto(path.as_uri())
    on_desktop = page.evaluate(SMALLEST_TEXT_JS)
    desktop.close()
    assert on_desktop["smallest"] >= 14, on_desktop
    assert on_desktop["right"] <= on_desktop["width"] and on_desktop["bottom"] <= on_desktop["height"], on_desktop


@pytest.mark.parametrize("url", _lessons_with("\n|"))
def test_lesson_tables_scroll_in_a_labelled_region_reachable_by_keyboard(real_page, url):
    real_page.set_viewport_size({"width": 375, "height": 812})
    real_page.goto(url)
    tables = real_page.eval_on_selector_all(
        "article.lesson table",
        """(tables) => tables.map((table) => {
          const region = table.parentElement;
          const label = region.getAttribute('aria-label') ||
            (document.getElementById(region.getAttribute('aria-labelledby') || '') || {}).textContent || '';
          return {region: region.matches('div.table-scroll[role=region][tabindex="0"]'), label: label.trim(),
                  wide: table.scrollWidth > region.clientWidth};
        })""",
    )
    assert tables, f"{url}: no table found"
    for i, table in enumerate(tables):
        assert table["region"], f"{url}: table {i + 1} is not in a focusable scrolling region"
        assert table["label"], f"{url}: the region of table {i + 1} has no name"
    wide = [i for i, t in enumerate(tables) if t["wide"]]
    if wide:  # a table wider than the phone: the keyboard reaches it and scrolls it sideways
        region = real_page.locator("article.lesson .table-scroll").nth(wide[0])
        region.focus()
        real_page.keyboard.press("ArrowRight")
        real_page.keyboard.press("ArrowRight")
        # arrow keys scroll smoothly: wait for the movement rather than read it at once
        region.element_handle().wait_for_element_state("stable")
        real_page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=3000)
