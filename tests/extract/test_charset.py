"""Charset handling: BOM, HTTP header and <meta>, each checked against the bytes."""
from __future__ import annotations

import codecs

from newsarchive.extract.charset import decode_html, repair_mojibake

TEXT = "<p>Grüße aus Zürich — “quoted” €5</p>"


def test_bom_wins_over_a_wrong_header():
    text, name = decode_html(codecs.BOM_UTF8 + TEXT.encode("utf-8"), "iso-8859-1")
    assert text == TEXT and name == "utf-8"


def test_header_is_honored_when_the_bytes_agree():
    body = TEXT.encode("cp1252")
    assert decode_html(body, "windows-1252") == (TEXT, "cp1252")
    assert decode_html(body, "ISO-8859-1")[0] == TEXT  # browsers read Latin-1 labels as windows-1252


def test_meta_charset_without_header():
    body = b'<meta charset="windows-1252">' + TEXT.encode("cp1252")
    text, name = decode_html(body, None)
    assert TEXT in text and name == "cp1252"


def test_utf8_bytes_with_a_latin1_label_are_utf8():
    assert decode_html(TEXT.encode("utf-8"), "iso-8859-1") == (TEXT, "utf-8")


def test_declared_utf8_that_is_not_falls_back_to_detection():
    text, _ = decode_html(("<html><body>" + TEXT * 20 + "</body></html>").encode("cp1252"), "utf-8")
    assert "Zürich" in text and "\ufffd" not in text


def test_no_declaration_valid_utf8():
    assert decode_html(TEXT.encode("utf-8"))[0] == TEXT


def test_utf16_with_bom():
    assert decode_html(TEXT.encode("utf-16"))[0] == TEXT


def test_unknown_label_is_ignored():
    assert decode_html(TEXT.encode("utf-8"), "x-no-such-charset")[0] == TEXT


def test_repair_mojibake():
    broken = TEXT.encode("utf-8").decode("cp1252", errors="ignore")
    assert "Ã" in broken
    assert repair_mojibake("GrÃ¼ÃŸe aus ZÃ¼rich â€” itâ€™s") == "Grüße aus Zürich — it’s"


def test_repair_leaves_real_text_alone():
    for text in ("DÜ“ber", "Crème brûlée, à la carte", "naïve café", "Ü“Über”"):
        assert repair_mojibake(text) == text
