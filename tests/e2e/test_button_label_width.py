"""The 320 px button check of tests/i18n measures labels with Pillow; here Chromium lays the same labels out
in a real `.button` on a real page at 320 px, and the two must agree, so the fast check stays a true one."""

from __future__ import annotations

import pytest

from tests.i18n.test_button_labels import BUTTON, lines_needed

pytestmark = pytest.mark.e2e

LABELS = [
    "Save",
    "Configurați autentificarea în doi pași",  # two lines
    "Переглянути результати й сертифікат",  # two lines
    "Importer des apprenants à partir d’un fichier CSV",  # two lines, just
    "You have completed the course: see your certificate",  # three lines (the English before the fix)
]

LINES_IN_CHROMIUM = """([labels, family]) => {
  const main = document.querySelector('main');
  return labels.map((label) => {
    const p = document.createElement('p');
    const button = document.createElement('button');
    button.className = 'button';
    button.textContent = label;
    if (family) button.style.fontFamily = family;
    p.appendChild(button);
    main.appendChild(p);
    const style = getComputedStyle(button);
    const lineHeight = parseFloat(style.lineHeight);
    const text = button.getBoundingClientRect().height
      - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom)
      - parseFloat(style.borderTopWidth) - parseFloat(style.borderBottomWidth);
    p.remove();
    return Math.round(text / lineHeight);
  });
}"""


def test_the_measure_agrees_with_chromium(page, site):
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/en/")
    measured = [lines_needed(label, BUTTON) for label in LABELS]
    assert measured == [1, 2, 2, 2, 3]
    # In the font the measure uses, Chromium wraps exactly as the measure does...
    assert page.evaluate(LINES_IN_CHROMIUM, [LABELS, "DejaVu Sans"]) == measured
    # ...and in the site's own font stack it never needs more lines than the measure says.
    in_site_font = page.evaluate(LINES_IN_CHROMIUM, [LABELS, None])
    assert all(real <= predicted for real, predicted in zip(in_site_font, measured, strict=True)), in_site_font
