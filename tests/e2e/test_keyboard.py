"""Keyboard use: the focus is always visible, there is no focus trap, and the skip link works.

The journeys in test_journeys.py are also run with the keyboard alone (browser_actors.Keyboard).
"""

from __future__ import annotations

import pytest
from browser_checks import focus_state, keyboard_walk
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_focus_is_always_visible_and_never_trapped_on_any_page_type(site_sweep):
    problems = site_sweep("en")["keyboard"]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/en/", "/ro/courses/demo-course/positioning/", "/verify/?lang=uk"])
def test_skip_link_is_first_visible_and_moves_focus_to_the_main_content(page, site, path):
    page.goto(path)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] >= 24, f"skip link not on screen when focused: {box}"
    assert focus_state(page)["visible"]
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


def test_keyboard_walk_catches_a_hidden_focus_style(page, site):
    page.goto("/en/")
    assert keyboard_walk(page) == []
    # A stylesheet rule, as a careless edit of site.css would add (the CSP forbids inline <style>).
    page.evaluate("""() => document.styleSheets[0].insertRule(
        '*:focus-visible, *:focus { outline: none !important; box-shadow: none !important; }',
        document.styleSheets[0].cssRules.length)""")
    problems = keyboard_walk(page)
    assert problems and all(p.startswith("focus not visible") for p in problems)


def test_keyboard_walk_catches_a_focus_trap(page, site):
    page.goto("/en/auth/login")
    page.evaluate("""() => document.getElementById('email').addEventListener('keydown', (event) => {
        if (event.key === 'Tab') { event.preventDefault(); }
    })""")
    problems = keyboard_walk(page)
    assert any(p.startswith("focus trap") for p in problems)
