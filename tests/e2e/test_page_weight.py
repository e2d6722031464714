"""Page weight on a first visit, measured in the browser: the HTML with its CSS, JavaScript and fonts.

Sizes are the compressed bytes of each response body (Resource Timing's encodedBodySize), images
aside. The lesson page must stay under 30 KB so that it opens quickly on a slow phone connection.
"""

from __future__ import annotations

import pytest
from e2e_config import ROOT, SCREENSHOTS
from site_pages import PAGE_TYPES, real_lesson_pages, visit

pytestmark = pytest.mark.e2e
LESSON_BUDGET = 30 * 1024

WEIGHT_JS = """() => {
  const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
  const parts = {html: 0, css: 0, js: 0, fonts: 0, images: 0, other: 0};
  for (const e of entries) {
    const url = e.name.split('?')[0];
    const kind = e.entryType === 'navigation' ? 'html'
      : /\\.css$/.test(url) ? 'css' : /\\.js$/.test(url) ? 'js' : /\\.(woff2?|ttf|otf)$/.test(url) ? 'fonts'
      : (e.initiatorType === 'img' || /\\.(svg|png|jpe?g|gif|webp|avif|ico)$/.test(url)) ? 'images' : 'other';
    parts[kind] += e.encodedBodySize;
  }
  return parts;
}"""


class FirstVisits:
    """Pages opened as on a first visit: one browser context per signed-in person, with the cache off."""

    def __init__(self, browser, context_args):
        self.browser, self.context_args, self.pages = browser, context_args, {}

    def page_for(self, key, **extra):
        if key not in self.pages:
            context = self.browser.new_context(**{**self.context_args, **extra})
            page = context.new_page()
            context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})
            self.pages[key] = page
        return self.pages[key]

    def weigh(self, page, open_url) -> dict:
        encodings = set()

        def note(response):
            encodings.add(response.headers.get("content-encoding", "identity"))

        page.on("response", note)
        open_url(page)
        page.wait_for_load_state("load")
        page.remove_listener("response", note)
        parts = page.evaluate(WEIGHT_JS)
        parts["total"] = parts["html"] + parts["css"] + parts["js"] + parts["fonts"] + parts["other"]
        parts["encodings"] = ",".join(sorted(encodings))
        return parts

    def close(self):
        for page in self.pages.values():
            page.context.close()


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def test_page_weights_and_the_lesson_budget(
    browser, browser_context_args, signed_in_state, site_facts, real_site, capsys
):
    visits = FirstVisits(browser, browser_context_args)
    rows = []
    for page_type in PAGE_TYPES:
        extra = {"storage_state": signed_in_state(page_type.role)} if page_type.role else {}
        page = visits.page_for(page_type.role, **extra)
        rows.append((page_type.name, visits.weigh(page, lambda p, t=page_type: visit(p, t, "en", site_facts))))
    real_page = visits.page_for("real", base_url=real_site.url)
    real = []
    for slug, module, lang in real_lesson_pages(ROOT / "courses"):
        url = f"/{lang}/courses/{slug}/{module}/"
        real.append((f"real lesson {slug}/{module} ({lang})", visits.weigh(real_page, lambda p, u=url: p.goto(u))))
    visits.close()
    heaviest = max(real, key=lambda row: row[1]["total"])
    rows.append(("real lesson, heaviest: " + heaviest[0].removeprefix("real lesson "), heaviest[1]))
    rows.append(("real lesson, median", sorted((r[1] for r in real), key=lambda p: p["total"])[len(real) // 2]))

    header = "| page type | total KB | HTML | CSS | JS | fonts | images (not counted) | encodings |"
    lines = [header, "|---|---:|---:|---:|---:|---:|---:|---|"]
    lines += [
        f"| {name} | {kb(p['total'])} | {kb(p['html'])} | {kb(p['css'])} | {kb(p['js'])} | {kb(p['fonts'])} "
        f"| {kb(p['images'])} | {p['encodings']} |"
        for name, p in rows
    ]
    table = "\n".join(lines)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "weights.md").write_text(
        "# Page weights on a first visit (compressed bytes, images aside)\n\n" + table + "\n", encoding="utf-8"
    )
    with capsys.disabled():
        print("\n" + table)

    lessons = [(name, p) for name, p in rows if name.startswith("lesson")] + real
    too_heavy = [f"{name}: {kb(p['total'])} KB" for name, p in lessons if p["total"] >= LESSON_BUDGET]
    assert not too_heavy, "lesson pages over 30 KB:\n" + "\n".join(too_heavy)
    assert all(p["html"] > 0 and p["css"] > 0 for _, p in lessons), "the measurement saw no HTML or CSS"
