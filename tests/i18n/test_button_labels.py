"""Every button label, in every language, fits a 320 px phone on one or two lines.

The labels are found in the templates (a `<button>`, or a link styled `class="button"`) and read from the
real catalogues; each is set with Pillow in the font and size the stylesheet gives buttons and wrapped the
way a browser wraps it (at spaces, greedily). The font is DejaVu Sans Bold, which Debian's Chromium falls
back to and which is wider than the phone fonts the `system-ui` stack names (Roboto, Noto Sans, Segoe UI,
San Francisco), so a label that fits here fits on a phone. `test_the_measure_agrees_with_chromium`
(tests/e2e) checks the measure against Chromium's own layout of the same button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import ImageFont

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("en", "ro", "bg", "cs", "uk", "fr")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
ROOT_PX = 16  # 1rem
SCREEN_PX = 320
PAGE_PADDING_PX = 16  # .wrap { padding: 0 1rem }
MAX_LINES = 2


@dataclass(frozen=True)
class ButtonStyle:
    """What site.css gives a button: font size, horizontal padding, border (CSS px)."""

    font_px: float
    padding_px: float
    border_px: float = 2

    @property
    def text_width(self) -> float:
        return SCREEN_PX - 2 * PAGE_PADDING_PX - 2 * self.padding_px - 2 * self.border_px


BUTTON = ButtonStyle(font_px=1.0625 * ROOT_PX, padding_px=1.2 * ROOT_PX)  # .button (body font size)
SMALL = ButtonStyle(font_px=0.95 * ROOT_PX, padding_px=0.7 * ROOT_PX)  # .button-small

ELEMENT = re.compile(r"<(button|a)\b([^>]*)>(.*?)</\1>", re.S)
CLASS = re.compile(r'class="([^"]*)"')
MESSAGE = re.compile(
    r"""(?:\bpgettext\(\s*(['"])(?P<ctx>.*?)\1\s*,\s*|\b_\(\s*)(['"])(?P<id>(?:(?!\3).)*)\3\s*\)""", re.S
)


@dataclass(frozen=True)
class Label:
    context: str | None
    msgid: str
    style: ButtonStyle
    where: str


def button_labels() -> list[Label]:
    """Every message shown as the text of a button in a template."""
    labels = {}
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for match in ELEMENT.finditer(text):
            tag, attrs, content = match.groups()
            classes = CLASS.search(attrs)
            classes = classes.group(1).split() if classes else []
            if "link-button" in classes or (tag == "a" and "button" not in classes):
                continue  # styled as a link: it wraps with the text around it
            style = SMALL if "button-small" in classes else BUTTON
            visible = re.sub(r'<span class="visually-hidden">.*?</span>', "", content, flags=re.S)
            line = text.count("\n", 0, match.start()) + 1
            for message in MESSAGE.finditer(visible):
                key = (message["ctx"], message["id"])
                labels.setdefault(
                    key, Label(message["ctx"], message["id"], style, f"{template.relative_to(ROOT)}:{line}")
                )
    return list(labels.values())


@cache
def font(size_px: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT), size=size_px)


def lines_needed(text: str, style: ButtonStyle) -> int:
    """Lines a browser needs for `text` at `style`: breaks at spaces, never inside a word (a word wider
    than the button counts as one line more, since it spills out)."""
    face = font(style.font_px)
    lines, current = 0, ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and face.getlength(candidate) > style.text_width:
            lines += 1
            candidate = word
        if face.getlength(candidate) > style.text_width:
            lines += 1  # a word that cannot fit on any line
        current = candidate
    return lines + 1


@cache
def translations(lang: str) -> dict:
    if lang == "en":
        return {}
    with open(ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return {(m.context, m.id): m.string for m in read_po(handle, locale=lang) if m.id}


def too_long(lang: str, labels: list[Label]) -> list[str]:
    problems = []
    for label in labels:
        text = translations(lang).get((label.context, label.msgid)) or label.msgid
        needed = lines_needed(text, label.style)
        if needed > MAX_LINES:
            problems.append(f"{lang} {label.where}: «{text}» needs {needed} lines at {SCREEN_PX} px")
    return problems


def test_the_templates_have_buttons_to_check():
    found = {label.msgid for label in button_labels()}
    # One of each kind: <button>, a link styled as a button, a small button, a pgettext label.
    assert {"Submit answers", "Continue where you left off", "Download the PDF", "Download your data"} <= found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_button_label_fits_320_px_on_two_lines(lang):
    problems = too_long(lang, button_labels())
    assert not problems, "\n".join(problems)


def test_a_planted_long_label_is_caught():
    long_label = Label(None, "A planted label", BUTTON, "planted")
    translations("fr")[(None, "A planted label")] = "Importer des apprenants à partir d’un fichier CSV de votre tableur"
    try:
        assert too_long("fr", [long_label]) == [
            "fr planted: «Importer des apprenants à partir d’un fichier CSV de votre tableur» needs 3 lines at 320 px"
        ]
    finally:
        del translations("fr")[(None, "A planted label")]


def test_wrapping_counts_lines_as_a_browser_does():
    assert lines_needed("Save", BUTTON) == 1
    # Each word nearly fills a line: three words, three lines.
    word = "M" * int(BUTTON.text_width // font(BUTTON.font_px).getlength("M"))
    assert lines_needed(f"{word} {word} {word}", BUTTON) == 3
    # One word wider than the button spills out: more than one line's worth, never "fits".
    assert lines_needed("M" * 40, BUTTON) == 2
