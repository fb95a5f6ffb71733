"""PhraseFinder: the earliest, then longest, phrase at a word start; word ends when asked."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.normalize.phrases import PhraseFinder


def test_earliest_then_longest_at_a_word_start():
    finder = PhraseFinder(("edited by", "edit", "updated"))
    match = finder.search("jane doe, edited by john; updated")
    assert (match.group(), match.start(), match.end()) == ("edited by", 10, 19)
    assert finder.search("jane doe reedited by x") is None  # not at a word start


def test_word_end_is_required_only_when_asked():
    assert PhraseFinder(("via",)).search("viaduct works").group() == "via"
    assert PhraseFinder(("via",), word_end=True).search("viaduct works") is None
    assert PhraseFinder(("via",), word_end=True).search("photo via agency").start() == 6


def test_cjk_phrases_need_no_word_start():
    assert PhraseFinder(("版权所有",)).search("中国日报版权所有").start() == 4


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab dy.", max_size=40))
def test_agrees_with_a_plain_scan(text):
    phrases = ("ab", "a b", "by", "dy")
    finder = PhraseFinder(phrases)
    got = finder.search(text)
    expected = None
    for pos in range(len(text)):
        if pos and (text[pos - 1].isalpha()):
            continue
        hits = [p for p in sorted(phrases, key=len, reverse=True) if text.startswith(p, pos)]
        if hits:
            expected = (hits[0], pos)
            break
    assert (got.group(), got.start()) == expected if expected else got is None
