"""The notice grammar's parts on invented notices: sign said twice, where the legal tail starts,
brackets in names, CJK company names, and the time a long input takes to read."""
from __future__ import annotations

import pytest

from newsarchive import normalize_copyright


@pytest.mark.parametrize("raw", [
    "© 2023 - Copyright Larkspur Media Group, all rights reserved.",
    "© 2023 | Copyright Larkspur Media Group. All rights reserved.",
    "Copyright © 2023, © Larkspur Media Group. All Rights Reserved.",
])
def test_sign_said_again_after_the_years(raw):
    got = normalize_copyright(raw)
    assert (got["years"], got["holder"], got["all_rights_reserved"]) == ([2023], "Larkspur Media Group", True)


@pytest.mark.parametrize(("raw", "holder"), [
    ("Copyright 2004-2023 Larkspur Media LLC unless otherwise noted", "Larkspur Media LLC"),
    ("© 2023 Larkspur Media Ltd, registered in Wales under number 0000000", "Larkspur Media Ltd"),
    ("© 2023 Larkspur Media except where stated", "Larkspur Media"),
    # Lowercase words that belong to names stay in them.
    ("© 2023 Gazeta do Porto e da Ribeira", "Gazeta do Porto e da Ribeira"),
    ("© 2023 Larkspur Media Limited or its affiliated companies. All rights reserved.",
     "Larkspur Media Limited or its affiliated companies"),
    # A holder that starts in lowercase says nothing by its case: read to the year.
    ("© kite review 2023", "kite review"),
])
def test_legal_tail_starts_at_the_first_lowercase_word_that_is_no_connector(raw, holder):
    assert normalize_copyright(raw)["holder"] == holder


@pytest.mark.parametrize(("raw", "holder"), [
    ("Copyright © 2023 Larkspur Information Agency, Lowland（LIA）", "Larkspur Information Agency, Lowland（LIA）"),
    ("© 2023 Larkspur Media (Lowland Holdings). All rights reserved.", "Larkspur Media (Lowland Holdings)"),
])
def test_closed_brackets_stay_in_the_name_in_either_width(raw, holder):
    assert normalize_copyright(raw)["holder"] == holder


def test_cjk_company_name_is_a_holder_but_a_cjk_sentence_is_not():
    assert normalize_copyright("© 2023 ラークスパー出版株式会社")["holder"] == "ラークスパー出版株式会社"
    assert normalize_copyright("© 2023 本サイトに掲載された記事の無断転載を禁止します")["holder"] is None


def test_a_notice_deep_in_a_long_footer_is_found():
    footer = "Links and more links. " * 3000 + "© 2023 Larkspur Media. All rights reserved."
    got = normalize_copyright(footer)
    assert (got["years"], got["holder"], got["all_rights_reserved"]) == ([2023], "Larkspur Media", True)


def test_emoji_presentation_selector_after_the_sign():
    got = normalize_copyright("©\ufe0f 2023 Larkspur Media")
    assert (got["text"], got["years"], got["holder"]) == ("© 2023 Larkspur Media", [2023], "Larkspur Media")


def test_rights_phrase_right_after_a_separator_belongs_to_the_notice():
    assert normalize_copyright("© 2023 Larkspur Media | All Rights Reserved")["all_rights_reserved"] is True
    # ...but not past other page chrome
    assert normalize_copyright("© 2023 Larkspur Media | Privacy | All rights reserved")["all_rights_reserved"] is False


def test_sentence_glued_after_a_legal_suffix_ends_the_holder():
    got = normalize_copyright("© 2023 Larkspur Media Inc.Larkspur is a registered trademark of Larkspur Media Inc.")
    assert got["holder"] == "Larkspur Media Inc"
    assert normalize_copyright("Copyright Gazeta de S.Paulo. All rights reserved.")["holder"] == "Gazeta de S.Paulo"
