"""Phone-sized screens and text zoom: no sideways scrolling, tap targets of at least 24 × 24 CSS px.

375 × 812 is a small phone; 640 CSS px wide is what a 1280 px window shows at 200% zoom.
Inline links in running text are exempt from the target size (WCAG 2.5.8), as are small targets with
enough space around them; small_tap_targets applies both exceptions.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from browser_checks import horizontal_overflow, small_tap_targets

pytestmark = pytest.mark.e2e
LANGUAGES = ["en", "ro", "bg", "cs", "uk", "fr"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_scrolls_sideways_at_375_px(site_sweep, lang):
    problems = site_sweep(lang)["overflow-375"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tap_targets_are_at_least_24_px_at_375_px(site_sweep, lang):
    problems = site_sweep(lang)["targets-375"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_scrolls_sideways_at_200_percent_zoom(site_sweep, lang):
    problems = site_sweep(lang)["overflow-zoom-200"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("category", ["overflow-375", "targets-375", "overflow-zoom-200"])
def test_real_lesson_pages_fit_small_screens(real_lessons_sweep, category):
    problems = real_lessons_sweep[category]
    assert not problems, "\n".join(problems)


def test_overflow_check_catches_a_planted_wide_element(page, site):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/en/")
    assert horizontal_overflow(page) == []
    page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<div id=wide>wide</div>')")
    page.evaluate("() => { document.getElementById('wide').style.width = '2000px'; }")
    problems = horizontal_overflow(page)
    assert problems and "div#wide" in problems[0]


def test_target_check_catches_planted_small_buttons(page, site):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/en/")
    assert small_tap_targets(page) == []
    page.evaluate("""() => {
      document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p><button id=tiny-a>a</button><button id=tiny-b>b</button></p>');
      for (const b of document.querySelectorAll('#tiny-a, #tiny-b')) {
        Object.assign(b.style, {width: '12px', height: '12px', padding: '0', margin: '0', minHeight: '0'});
      }
    }""")
    problems = small_tap_targets(page)
    assert any("button#tiny-a" in p for p in problems) and any("button#tiny-b" in p for p in problems)


HEADER_NAV_JS = """() => [...document.querySelectorAll('header .site-menu nav a, header .site-menu nav button')]
    .map((el) => el.tagName === 'A' ? el.getAttribute('href') : 'button:' + el.textContent.trim())"""
FOCUSED_JS = """() => {
  const el = document.activeElement, r = el.getBoundingClientRect();
  const key = el.tagName === 'A' ? el.getAttribute('href')
    : el.tagName === 'BUTTON' ? 'button:' + el.textContent.trim() : el.tagName.toLowerCase();
  return {key, summary: el.tagName === 'SUMMARY' && !!el.closest('.site-menu'), inHeader: !!el.closest('header'),
          onScreen: r.width > 0 && r.top >= 0 && r.bottom <= innerHeight};
}"""


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("role", [None, "learner", "trainer", "admin"])
@pytest.mark.parametrize("size", [(320, 640), (375, 667)], ids=["320x640", "375x667"])
def test_phone_header_is_compact_and_its_menu_works_by_keyboard(as_role, role, size, javascript):
    page = as_role(role, java_script_enabled=javascript)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto("/en/courses/demo-course/positioning/")
    header = page.locator("header.site-header").bounding_box()["height"]
    assert header <= 80, f"the header takes {header:.0f} px of a {size[0]}x{size[1]} screen"
    links = page.evaluate(HEADER_NAV_JS)
    assert len(links) >= (2 if role is None else 4)
    # Closed, the menu's links take no room and no Tab stop; Enter on "Menu" opens it, Tab reaches each link.
    reached, opened = [], False
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_JS)
        if not focused["inHeader"] and focused["key"] != "a" and reached:
            break
        if focused["summary"] and not opened:
            page.keyboard.press("Enter")
            opened = True
        elif focused["key"] in links:
            assert opened, f"{focused['key']} is reachable while the menu is closed"
            assert focused["onScreen"], f"{focused['key']} is focused but not on the screen"
            reached.append(focused["key"])
    assert reached == links, f"reached by Tab: {reached}; in the menu: {links}"
    # the opened menu's links can be followed (here: the catalogue)
    with page.expect_navigation():
        page.locator("header .site-menu nav a").first.click()
    assert page.url.endswith("/en/courses/")


def test_wide_screen_shows_the_navigation_without_a_menu_button(as_role):
    page = as_role("trainer")  # 1280 px wide
    page.goto("/en/courses/")
    assert not page.locator("header .site-menu > summary").is_visible()
    for link in page.locator("header .site-menu nav a").all():
        assert link.is_visible()
    assert page.locator("header.site-header").bounding_box()["height"] <= 80


@pytest.mark.parametrize("width", [320, 375])
def test_confidence_scale_is_one_row_or_one_clean_list_on_a_phone(as_role, site_facts, width):
    page = as_role("student")
    page.set_viewport_size({"width": width, "height": 700})
    page.goto("/ro/courses/demo-course/confidence/before")
    for scale in page.locator(".rating-scale").all():
        boxes = [choice.bounding_box() for choice in scale.locator(".choice").all()]
        assert len(boxes) == 5
        one_row = len({round(b["y"]) for b in boxes}) == 1
        one_column = len({round(b["x"]) for b in boxes}) == 1 and all(
            later["y"] >= earlier["y"] + earlier["height"] for earlier, later in pairwise(boxes)
        )
        assert one_row or one_column, f"the 1-5 scale wraps at {width} px: {[(b['x'], b['y']) for b in boxes]}"
        assert all(b["height"] >= 44 for b in boxes), "each rating is a 44 px target"


def _gap(a: dict, b: dict) -> float:
    """Distance between two boxes (0 when they touch or overlap)."""
    dx = max(b["x"] - (a["x"] + a["width"]), a["x"] - (b["x"] + b["width"]), 0)
    dy = max(b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]), 0)
    return max(dx, dy)


@pytest.mark.parametrize("path", ["/en/courses/demo-course/final-check/", "/bg/courses/demo-course/confidence/before"])
@pytest.mark.parametrize("width", [320, 375])
def test_form_buttons_are_44_px_and_do_not_touch(as_role, site_facts, path, width):
    page = as_role("student")
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(path)
    buttons = [b.bounding_box() for b in page.locator("main form[method=post] button[type=submit]").all()]
    assert len(buttons) >= 2
    assert all(b["height"] >= 44 and b["width"] >= 44 for b in buttons), buttons
    for a, b in pairwise(buttons):
        assert _gap(a, b) >= 8, f"buttons {_gap(a, b):.0f} px apart at {width} px: {a} {b}"
