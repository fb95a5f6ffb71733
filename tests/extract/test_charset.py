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


# ---------------------------------------------------------------- the decision and its evidence

from newsarchive.extract import extract_article  # noqa: E402
from newsarchive.extract.charset import badness, decide_charset  # noqa: E402

CYRILLIC = "<p>Трамвай нового поколения вышел на линию, и жители довольны тишиной.</p>"
GERMAN = "<p>Die Straßenbahn fährt jetzt leiser durch die Altstadt, und die Anwohner grüßen sie.</p>"


def test_utf8_bytes_with_a_wrong_windows_1251_header_are_utf8_and_the_header_lost():
    decision = decide_charset(CYRILLIC.encode("utf-8"), "windows-1251")
    assert decision.text == CYRILLIC
    assert (decision.codec, decision.source, decision.conflict) == ("utf-8", "utf8-valid", True)


def test_a_right_windows_1251_header_is_kept():
    decision = decide_charset(CYRILLIC.encode("cp1251"), "windows-1251")
    assert (decision.text, decision.codec, decision.source, decision.conflict) == (CYRILLIC, "cp1251", "header", False)


def test_meta_beats_a_header_whose_decoding_is_mojibake():
    body = ('<meta charset="windows-1252">' + GERMAN).encode("cp1252")
    decision = decide_charset(body, "windows-1251")
    assert GERMAN in decision.text
    assert (decision.source, decision.conflict) == ("meta", True)


def test_detection_beats_a_header_whose_decoding_is_mojibake():
    decision = decide_charset(CYRILLIC.encode("cp1251"), "iso-8859-1")
    assert decision.text == CYRILLIC and decision.source == "detected" and decision.conflict


def test_header_wins_over_meta_when_both_decode_cleanly():
    body = ('<meta charset="iso-8859-15">' + GERMAN).encode("cp1252")
    decision = decide_charset(body, "windows-1252")
    assert (decision.source, decision.conflict) == ("header", False)


def test_bom_against_a_header_is_a_conflict():
    decision = decide_charset(codecs.BOM_UTF8 + CYRILLIC.encode("utf-8"), "windows-1251")
    assert (decision.codec, decision.source, decision.conflict) == ("utf-8", "bom", True)


def test_no_header_is_never_a_conflict():
    assert decide_charset(CYRILLIC.encode("utf-8")).conflict is False
    assert decide_charset(b"").source == "default"


def test_badness_tells_mojibake_from_clean_text():
    assert badness(CYRILLIC + GERMAN + "<p>東京の天気 Việt Nam Łódź naïve</p>") == 0
    assert badness(GERMAN.encode("cp1252").decode("cp1251")) >= 3
    assert badness(CYRILLIC.encode("cp1251").decode("cp1252")) >= 3


def test_record_says_how_it_was_decoded():
    page = f"<html><head><title>Трамвай</title></head><body><h1>Трамвай</h1>{CYRILLIC * 3}</body></html>"
    record = extract_article(page.encode("utf-8"), "https://tram.test/a", encoding="windows-1251")
    assert record["title"] == "Трамвай"
    assert (record["charset"], record["charset_source"], record["charset_conflict"]) == ("utf-8", "utf8-valid", True)
    record = extract_article(page.encode("utf-8"), "https://tram.test/a", encoding="utf-8")
    assert (record["charset"], record["charset_source"], record["charset_conflict"]) == ("utf-8", "header", False)
