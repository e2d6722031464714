"""Checks that run inside the page: axe-core, horizontal overflow, tap targets, visible focus, keyboard moves.

Each check returns what it found (a list of problems, empty when all is well) so that the tests can
show it and the self-tests can prove that a planted problem is caught.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()  # axe-core's JavaScript ships inside the package: nothing is fetched


def axe_violations(page) -> list[str]:
    """WCAG 2.0/2.1/2.2 A and AA violations found by axe-core, one readable line per rule."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = _axe.run(page, options=options)
    lines = []
    for violation in results.response["violations"]:
        targets = "; ".join(", ".join(map(str, node["target"])) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return lines


FOCUSABLE = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], "
    '[tabindex]:not([tabindex="-1"])'
)

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  if (scrollWidth <= width) return {scrollWidth, width, culprits: []};
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && r.width > 0) {
      let scroller = el.parentElement, clipped = false;
      while (scroller && scroller !== document.body) {
        const o = getComputedStyle(scroller).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; }
        scroller = scroller.parentElement;
      }
      if (!clipped) culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
        ' right=' + Math.round(r.right));
    }
    if (culprits.length >= 5) break;
  }
  return {scrollWidth, width, culprits};
}"""


def horizontal_overflow(page) -> list[str]:
    """Empty when the page does not scroll sideways; else the scroll width and the widest culprits."""
    result = page.evaluate(OVERFLOW_JS)
    if result["scrollWidth"] <= result["width"]:
        return []
    return [f"scrollWidth {result['scrollWidth']} > {result['width']}: {', '.join(result['culprits'])}"]


# WCAG 2.5.8 Target Size (Minimum): 24 x 24 CSS px, unless the target is a link inside running text
# (inline exception) or a 24 px circle centred on it touches no other target (spacing exception).
TARGETS_JS = """([minimum, selector]) => {
  const visible = (el) => {
    // checkVisibility: not rendered (display: none, a closed <details>' content, visibility: hidden)
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) return false;
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && !el.closest('.visually-hidden');
  };
  const blockAncestor = (el) => {
    let p = el.parentElement;
    while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement;
    return p;
  };
  const inRunningText = (el) => {
    if (el.tagName !== 'A' || !getComputedStyle(el).display.startsWith('inline')) return false;
    const block = blockAncestor(el);
    if (!block) return false;
    const own = el.innerText.trim().length;
    return block.innerText.replace(/\\s+/g, ' ').trim().length > own + 3;
  };
  const targets = [...document.querySelectorAll(selector)].filter(visible)
    .filter((el) => !(el.matches('.table-scroll, main, [role=region]')));
  const boxes = targets.map((el) => {
    const r = el.getBoundingClientRect();
    return {el, r, cx: r.left + r.width / 2, cy: r.top + r.height / 2,
            small: r.width < minimum - 0.5 || r.height < minimum - 0.5};
  });
  const distToRect = (x, y, r) => {
    const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
    return Math.hypot(dx, dy);
  };
  const problems = [];
  for (const b of boxes) {
    if (!b.small || inRunningText(b.el)) continue;
    const crowded = boxes.some((o) => o !== b && !o.el.contains(b.el) && !b.el.contains(o.el) && (
      o.small ? Math.hypot(o.cx - b.cx, o.cy - b.cy) < minimum : distToRect(b.cx, b.cy, o.r) < minimum / 2));
    if (crowded) {
      const label = (b.el.innerText || b.el.value || b.el.getAttribute('aria-label') || b.el.name || '')
        .trim().slice(0, 40);
      problems.push(`${b.el.tagName.toLowerCase()}${b.el.id ? '#' + b.el.id : ''} "${label}" ` +
                    `${Math.round(b.r.width)}x${Math.round(b.r.height)}`);
    }
  }
  return problems;
}"""


def small_tap_targets(page, minimum: int = 24) -> list[str]:
    return page.evaluate(TARGETS_JS, [minimum, FOCUSABLE])


# The focused element, and whether a sighted keyboard user can see where the focus is.
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return {element: null};
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor !== 'transparent'
                  && !s.outlineColor.endsWith(', 0)');
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  // Chromium's date fields have a calendar button inside; while it has the focus the input matches
  // no :focus at all and the browser draws the button's own focus ring, which no page style can remove.
  const pickerButton = el.matches('input[type=date], input[type=time], input[type=datetime-local], input[type=month]')
                       && !el.matches(':focus');
  const r = el.getBoundingClientRect();
  const onScreen = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
                   && r.width > 0 && r.height > 0;
  const name = (el.innerText || el.value || el.getAttribute('aria-label') || el.id || '').trim().slice(0, 50);
  return {element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + name + '"',
          visible: (outline || shadow || pickerButton) && onScreen, target: el.dataset.e2eTarget === '1'};
}"""


def focus_state(page) -> dict:
    return page.evaluate(FOCUS_JS)


class KeyboardError(AssertionError):
    pass


def tab_to(page, locator, *, max_tabs: int = 150, backwards: bool = False) -> int:
    """Press Tab until `locator` (or any element it matches) has the focus; each stop must show the focus.

    Fails if the element is never reached (hidden from the keyboard, or a focus trap on the way).
    Returns the number of key presses.
    """
    locator.evaluate_all(
        "els => { document.querySelectorAll('[data-e2e-target]')"
        ".forEach(e => delete e.dataset.e2eTarget);"
        " els.forEach(el => { el.dataset.e2eTarget = '1'; }); return els.length; }"
    )
    seen = []
    for count in range(1, max_tabs + 1):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focus_state(page)
        if state["element"] is not None:
            if not state["visible"]:
                raise KeyboardError(f"focus not visible on {state['element']}")
            seen.append(state["element"])
            if state["target"]:
                return count
    raise KeyboardError(f"never reached the element after {max_tabs} Tab presses; last stops: {seen[-8:]}")


def keyboard_walk(page, *, max_tabs: int = 400) -> list[str]:
    """Tab through the whole page from the top: problems with visible focus, and any focus trap.

    Empty when every stop shows a visible focus and the focus reaches the page's last focusable
    element and then moves on (out of the page or back to the top), as it does without a trap.
    """
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    count = page.evaluate(
        """(selector) => {
      const all = [...document.querySelectorAll(selector)]
        .filter(el => el.checkVisibility({visibilityProperty: true}) && !el.disabled);
      document.querySelectorAll('[data-e2e-target]').forEach(e => delete e.dataset.e2eTarget);
      if (all.length) all[all.length - 1].dataset.e2eTarget = '1';
      return all.length;
    }""",
        FOCUSABLE,
    )
    problems, reached_last = [], False
    for _ in range(min(max_tabs, count * 2 + 10)):
        page.keyboard.press("Tab")
        state = focus_state(page)
        if state["element"] is None:
            if reached_last:
                return problems
            continue
        if not state["visible"] and f"focus not visible on {state['element']}" not in problems:
            problems.append(f"focus not visible on {state['element']}")
        if state["target"]:
            reached_last = True
        elif reached_last:
            return problems
    return [*problems, f"focus trap: the last focusable element was never left; focus stuck on {state['element']}"]


class PageProblems:
    """What went wrong in the pages of the current test, seen from outside the page.

    Every browser context the tests open is watched (conftest.py wraps the `browser` fixture), so no test
    has to ask: a console error, an uncaught exception, and any request of the page (document, script,
    stylesheet, image, XHR/fetch...) answered 4xx/5xx or failed on the network each add one line here, and
    the test fails when it ends with a line that it did not declare expected with `expect`.
    """

    def __init__(self) -> None:
        self.found: list[str] = []
        self.allowed: list[re.Pattern] = []

    def reset(self) -> None:
        self.found, self.allowed = [], []

    def watch(self, context) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self.found.append(f"uncaught exception: {error.error.message}"))
        context.on("response", self._response)
        context.on("requestfailed", self._failed)

    def expect(self, pattern: str) -> None:
        """Declare a problem line this test expects (a regular expression searched in the line)."""
        self.allowed.append(re.compile(pattern))

    def expect_status(self, status: int, url: str, method: str = "GET") -> None:
        """Declare that `method url` (absolute, or a path) is answered `status` on purpose."""
        self.expect(f"^HTTP {status} {method} (https?://[^/]+)?{re.escape(url)} ")

    def expect_form_error(self, page, form_selector: str = "main form[method=post]") -> None:
        """Declare that sending this form may answer 400: some forms say "fix these fields" with that status."""
        action = page.locator(form_selector).first.evaluate(
            "f => new URL(f.getAttribute('action') || location.href, location.href).href"
        )
        self.expect_status(400, action, "POST")

    def take(self) -> list[str]:
        """The problems not declared expected, forgotten once taken (the self-tests look at planted ones)."""
        unexpected = [line for line in self.found if not any(p.search(line) for p in self.allowed)]
        self.found = []
        return unexpected

    def _console(self, message) -> None:
        # Chromium also logs every failed load as a console error; _response and _failed report those
        # with the method, the URL and the kind of request, and only they can be declared expected.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = message.location.get("url", "")
            self.found.append(f"console error: {message.text} ({where}:{message.location.get('lineNumber')})")

    def _response(self, response) -> None:
        if response.status >= 400:
            request = response.request
            self.found.append(f"HTTP {response.status} {request.method} {response.url} ({request.resource_type})")

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a request itself: a download replacing a navigation, or a
        # new page leaving before an image or a last autosave finished. A broken server answers otherwise.
        if request.failure and "ERR_ABORTED" not in request.failure:
            self.found.append(f"failed {request.method} {request.url} ({request.resource_type}): {request.failure}")


PAGE_PROBLEMS = PageProblems()


class WatchedBrowser:
    """The Playwright browser, whose every new context is watched by PAGE_PROBLEMS."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        PAGE_PROBLEMS.watch(context)
        return context

    def __getattr__(self, name):
        return getattr(self._browser, name)
