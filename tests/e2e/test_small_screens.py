"""Phone-sized screens and text zoom: no sideways scrolling, tap targets of at least 24 × 24 CSS px.

375 × 812 is a small phone; 640 CSS px wide is what a 1280 px window shows at 200% zoom.
Inline links in running text are exempt from the target size (WCAG 2.5.8), as are small targets with
enough space around them; small_tap_targets applies both exceptions.
"""

from __future__ import annotations

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
