"""Which fonts print a certificate's text, and which characters no font here can print.

The main face (a small DejaVu Serif subset: Latin and Cyrillic) prints almost every certificate
quickly; fpdf2 parses every font it is given for each document, so a fallback face is added only
when the text has a character the faces before it lack. The fallbacks, in order:
DejaVu Serif's other scripts (Greek, Armenian, Georgian, more Latin and Cyrillic), Noto fonts for
Hebrew, Arabic, Devanagari and Thai (committed subsets, `fonts/README.md`), and for Chinese,
Japanese and Korean WenQuanYi Micro Hei from the Debian package `fonts-wqy-microhei` (5 MB, too
large to commit), found at `CERTIFICATE_CJK_FONT`. A name with a character none of them has is
refused when it is set (`unprintable_characters`), so a certificate never drops a letter.

This module imports fontTools' font reader only (installed with fpdf2), not fpdf2 nor the subsetter:
the name check runs in every web worker.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parent / "fonts"
CJK_FONT_DEFAULT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
CJK_PACKAGE = "fonts-wqy-microhei"


class FontMissing(RuntimeError):
    """A font the certificate needs is not installed: an operator's error, said loudly."""


@dataclass(frozen=True)
class Face:
    family: str
    regular: Path
    bold: Path | None = None  # None: fpdf2 prints bold text in the regular face
    shaping: bool = False  # needs HarfBuzz: joined letters, right-to-left, reordered vowels
    only: str = ""  # set for a large font: the characters this document needs from it (see subset_font)


MAIN = Face("serif", FONTS / "DejaVuSerif.ttf", FONTS / "DejaVuSerif-Bold.ttf")
COMMITTED_FALLBACKS = (
    Face("serif-extra", FONTS / "DejaVuSerif-Extra.ttf", FONTS / "DejaVuSerif-Extra-Bold.ttf"),
    Face("hebrew", FONTS / "NotoSerifHebrew-Regular.ttf", FONTS / "NotoSerifHebrew-Bold.ttf", shaping=True),
    Face("arabic", FONTS / "NotoNaskhArabic-Regular.ttf", FONTS / "NotoNaskhArabic-Bold.ttf", shaping=True),
    Face("devanagari", FONTS / "NotoSerifDevanagari-Regular.ttf", FONTS / "NotoSerifDevanagari-Bold.ttf", shaping=True),
    Face("thai", FONTS / "NotoSerifThai-Regular.ttf", FONTS / "NotoSerifThai-Bold.ttf", shaping=True),
)


def cjk_face(path: str) -> Face:
    return Face("cjk", Path(path), None, shaping=False)


def fallbacks(cjk_path: str) -> tuple[Face, ...]:
    return (*COMMITTED_FALLBACKS, cjk_face(cjk_path))


@lru_cache(maxsize=16)
def coverage(path: Path) -> frozenset[int]:
    """The code points a font file maps to a glyph (the first font of a collection)."""
    if not path.is_file():
        raise FontMissing(
            f"certificate font {path} is missing: install the Debian package {CJK_PACKAGE} "
            "or set CERTIFICATE_CJK_FONT to a font file covering Chinese, Japanese and Korean"
        )
    font = TTFont(str(path), fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _needs_glyph(char: str) -> bool:
    # Spaces and invisible format characters (joiners, direction marks) print as nothing either way.
    return not char.isspace() and unicodedata.category(char) not in {"Cf", "Cc"}


def faces_for(text: str, cjk_path: str, *, strict: bool = True) -> tuple[list[Face], set[str]]:
    """The fallback faces `text` needs, in order, and the characters that no face has.

    A missing CJK font raises `FontMissing` when the text needs it; with `strict=False` it is
    passed over and its characters count as unprintable."""
    missing = {char for char in set(text) if _needs_glyph(char) and ord(char) not in coverage(MAIN.regular)}
    needed = []
    for face in fallbacks(cjk_path):
        if not missing:
            break
        if face.family == "cjk" and not face.regular.is_file():
            if not strict:
                break
            coverage(face.regular)  # raises FontMissing with the fix in its message
        found = {char for char in missing if ord(char) in coverage(face.regular)}
        if found:
            needed.append(replace(face, only="".join(sorted(found))) if face.family == "cjk" else face)
            missing -= found
    return needed, missing


@lru_cache(maxsize=256)
def subset_font(path: Path, characters: str) -> bytes:
    """The font cut down to `characters` (a few KB). fpdf2 parses every font it is given for each
    document: the 5 MB CJK font whole took ~0.5 s; its cut, cached per name, a few milliseconds."""
    from fontTools import subset  # 13 MB of imports: only for a PDF that needs it, not in every worker

    options = subset.Options()
    # Only the CJK font is cut, and it is printed without shaping: its layout tables are not needed.
    options.layout_features = []
    options.drop_tables = [*options.drop_tables, "FFTM", "GSUB", "GPOS"]
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    font = TTFont(str(path), fontNumber=0, lazy=True)
    try:
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    finally:
        font.close()
    return buffer.getvalue()


def unprintable_characters(text: str, cjk_path: str, *, strict: bool = True) -> list[str]:
    """The characters of `text` no certificate font can print, in the order they first appear."""
    _faces, missing = faces_for(text, cjk_path, strict=strict)
    return sorted(missing, key=text.index)
