"""The folding keys: each one's documented difference, and match_key as the research side has it."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.normalize.fold import alnum_key, fold_text, fold_word, match_key, name_key, title_key, word_key
from newsarchive.research.records import match_key as research_match_key


def test_match_key_example_from_the_research_side():
    assert match_key("JOSÉ  O'Brien.") == "jose o brien"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_match_key_behaves_as_the_research_copy(text):
    assert match_key(text) == research_match_key(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fold_text_keeps_indexes(text):
    assert len(fold_text(text)) == len(text)


def test_what_each_key_keeps_and_drops():
    assert fold_word("Publié") == "publie"  # accents go, punctuation stays
    assert fold_word("O'Brien-Lee") == "o'brien-lee"
    assert fold_text("Tous droits réservés") == "tous droits reserves"
    assert name_key("J.Doe") == name_key("j. doe") == "j. doe"
    assert word_key("Café — “Hello”, World!") == "café hello world"  # accents stay
    assert alnum_key("Florida Today") == alnum_key("florida-today") == "floridatoday"
    assert title_key("It’s “Here”: A Test") == "it s here a test"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_ascii_fast_path_agrees_with_the_general_fold(text):
    import unicodedata
    general = "".join(ch for ch in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(ch))
    assert fold_word(text) == unicodedata.normalize("NFC", general)


def test_hangul_folds_to_itself():
    # NFKD splits Hangul syllables into jamo, which are no marks: the fold recomposes them, so a
    # Korean word matches the same word in a vocabulary (it was left decomposed before).
    assert fold_word("기자") == "기자"
