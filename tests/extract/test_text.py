"""newsarchive.normalize.text: inline cleaning, chrome detection and block joining."""
from __future__ import annotations

import pytest

from newsarchive.normalize.copyright import normalize_copyright
from newsarchive.normalize.text import (
    clean_blocks,
    clean_inline,
    is_boilerplate,
    is_photo_credit,
    join_blocks,
    text_digest,
    word_count,
)


def test_clean_inline_normalizes_unicode_and_spaces():
    assert clean_inline("Cafe\u0301\u00a0au\u200b lait  \t\n soft\u00adware ") == "Café au lait software"


def test_join_blocks_separates_with_one_blank_line():
    assert join_blocks(["Heading", "", "Paragraph one."]) == "Heading\n\nParagraph one."


@pytest.mark.parametrize("line", [
    "Advertisement", "ADVERTISEMENT", "Story continues below advertisement", "Share", "Share this article",
    "Facebook Twitter Email", "Tweet", "Related: Why the bridge was closed", "READ MORE: The new timetable",
    "Read more", "See also: Earlier coverage", "Sign up for our newsletter", "Subscribe to our daily newsletter",
    "Get the best stories in your inbox", "Photo: Jane Roe/Getty Images", "Image credit: ACME Labs",
    "(Photo: Reuters)", "https://www.example.test/some/story", "Listen: https://pod.example.test/ep1",
    "Scientists warn of new storms [VIDEO]", "CLICK HERE TO GET THE APP", "Thank you",
])
def test_chrome_lines(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "The council said the newsletter it sends to residents would now arrive monthly.",
    "Share prices rose by four percent after the announcement on Tuesday.",
    "Related projects in other cities have taken longer than planned, the report said.",
    "Read the full statement below.",
    "The photo, taken in 1969, shows the original station building.",
    "A Quiet Launch in Lisbon",
    "The company updated its privacy policy in May.",
    "The best part, she said, was the subscription model.",
    "The report first appeared in the company's newsletter",
    "Watch this space, the mayor told reporters.",
])
def test_article_lines_are_kept(line):
    assert not is_boilerplate(line)


def test_photo_credit_needs_to_be_short():
    assert is_photo_credit("Photo: Ana Bello/Getty Images")
    assert not is_photo_credit("Photo: " + "a long sentence about the scene " * 6)


def test_clean_blocks_drops_title_byline_copyright_and_repeats():
    blocks = [
        "Bridge reopens after repairs",  # the headline repeated at the top
        "By Jane Roe",
        "The bridge reopened on Monday after eight months of repairs.",
        "Advertisement",
        "The bridge reopened on Monday after eight months of repairs.",
        "Traffic was light in the morning.",
        "ⓒ 2021 All rights reserved. Do not reproduce without permission.",
    ]
    kept = clean_blocks(blocks, title="Bridge reopens after repairs", byline="By Jane Roe", authors=["Jane Roe"],
                        is_copyright=lambda line: normalize_copyright(line) is not None)
    assert kept == ["The bridge reopened on Monday after eight months of repairs.", "Traffic was light in the morning."]


def test_clean_blocks_keeps_prose_that_mentions_copyright_or_authors():
    blocks = ["Jane Roe, who led the repairs, said the copyright on the original plans had expired in 2001."]
    assert clean_blocks(blocks, authors=["Jane Roe"], is_copyright=lambda l: normalize_copyright(l) is not None) \
        == blocks


def test_word_count_and_digest():
    assert word_count("One two, three-four.") == 4
    assert text_digest("") == "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ"  # SHA-1 of the empty string, base32
    assert text_digest("a") != text_digest("b")
