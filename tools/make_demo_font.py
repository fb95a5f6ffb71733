"""Write the demo site's web font, newsarchive/demo/static/demo-serif.woff (run once; the file is committed).

A tiny font of our own, drawn here: it maps only a space and a few box glyphs, so a browser
downloads it (the stylesheet names it first) and falls back to Georgia for every letter. What it
is for: an archived page whose replay loads a web font from the archive, as real news pages do.

    .venv/bin/python tools/make_demo_font.py
"""
from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

OUT = Path(__file__).resolve().parents[1] / "newsarchive" / "demo" / "static" / "demo-serif.woff"
FAMILY = "Demo Serif"


def box(width: int, height: int):
    pen = TTGlyphPen(None)
    pen.moveTo((50, 0))
    pen.lineTo((50, height))
    pen.lineTo((width - 50, height))
    pen.lineTo((width - 50, 0))
    pen.closePath()
    return pen.glyph()


def build() -> bytes:
    glyph_order = [".notdef", "space", "bullet"]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyph_order)
    builder.setupCharacterMap({0x20: "space", 0x2022: "bullet"})
    empty = TTGlyphPen(None).glyph()
    builder.setupGlyf({".notdef": box(500, 700), "space": empty, "bullet": box(400, 400)})
    builder.setupHorizontalMetrics({".notdef": (500, 50), "space": (250, 0), "bullet": (400, 50)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.font.flavor = "woff"
    from io import BytesIO

    out = BytesIO()
    builder.save(out)
    return out.getvalue()


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
