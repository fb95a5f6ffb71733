"""Property tests for normalize_copyright: never raises, sane fields, stable on its own text."""
from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsarchive import normalize_copyright
from newsarchive.normalize.copyright import find_copyright_line

_PARTS = ["©", "ⓒ", "(c)", "(C)", "&copy;", "Copyright", "Copr.", "2019", "1999-2021", "2000 -", "1850", "2150",
          "99999", "Quillfeather", "Media", "Inc.", "GmbH", "& Co. KG", ",", ".", "|", " - ", "All Rights Reserved",
          "alle Rechte vorbehalten", "版权所有", "Powered by", "Privacy Policy", "(Image:", ")", "of", "a", "\n"]

notice_like = st.lists(st.one_of(st.sampled_from(_PARTS), st.text(max_size=5)), max_size=12).map(" ".join)
any_text = st.one_of(st.text(max_size=200), notice_like)
# Footer-like lines made of notice parts only: the canonical text must parse back to itself.
footer_like = st.lists(st.sampled_from(_PARTS), max_size=12).map(" ".join)
_KEYS = {"text", "years", "holder", "all_rights_reserved", "raw"}


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
@example("ⓒ 2021 All rights reserved. Do not reproduce without permission.")
@example("© 2150 and 1850")
def test_never_raises_and_fields_are_sane(raw):
    got = normalize_copyright(raw)
    if got is None:
        return
    assert set(got) == _KEYS
    assert got["raw"] == raw
    assert isinstance(got["text"], str) and got["text"].startswith("©")
    assert "  " not in got["text"]
    assert all(isinstance(y, int) and 1900 <= y <= 2100 for y in got["years"])
    assert len(got["years"]) <= 2 and got["years"] == sorted(got["years"])
    assert got["holder"] is None or (got["holder"].strip() == got["holder"] and got["holder"]
                                      and not got["holder"].endswith((".", ",", ";", ":")))
    assert isinstance(got["all_rights_reserved"], bool)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(footer_like)
def test_own_text_is_a_notice_with_the_same_years(raw):
    got = normalize_copyright(raw)
    if got is None:
        return
    again = normalize_copyright(got["text"])
    assert again is not None
    assert again["text"] == got["text"]
    assert again["years"] == got["years"]
    assert again["all_rights_reserved"] == got["all_rights_reserved"]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(any_text, max_size=6))
def test_find_copyright_line_returns_one_of_the_notices(lines):
    best = find_copyright_line(lines)
    if best is not None:
        assert best in [line.strip() for line in lines]
        assert normalize_copyright(best) is not None
