"""paragraph_diff: what changed between two versions of an article text, paragraph by paragraph."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsarchive.state.revisions import paragraph_diff, paragraphs, summarize_diff

OLD = "Opening paragraph.\n\nA middle paragraph about the vote.\n\nClosing paragraph."


def test_identical_texts_have_no_changes():
    diff = paragraph_diff(OLD, OLD)
    assert diff["counts"] == {"added": 0, "removed": 0, "changed": 0, "unchanged": 3}
    assert diff["added"] == diff["removed"] == diff["changed"] == []


def test_changed_added_and_removed_paragraphs_are_told_apart():
    new = "Opening paragraph.\n\nA middle paragraph about the recount.\n\nClosing paragraph.\n\nAn update at noon."
    diff = paragraph_diff(OLD, new)
    assert diff["counts"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 2}
    assert diff["changed"] == [{"index": 1, "before": "A middle paragraph about the vote.",
                                "after": "A middle paragraph about the recount."}]
    assert diff["added"] == [{"index": 3, "text": "An update at noon."}]

    shorter = paragraph_diff(OLD, "Opening paragraph.\n\nClosing paragraph.")
    assert shorter["counts"] == {"added": 0, "removed": 1, "changed": 0, "unchanged": 2}
    assert shorter["removed"] == [{"index": 1, "text": "A middle paragraph about the vote."}]


def test_replacing_two_paragraphs_by_three_pairs_two_and_adds_one():
    diff = paragraph_diff("a\n\nb\n\nc", "a\n\nB1\n\nB2\n\nB3")
    assert diff["counts"] == {"added": 1, "removed": 0, "changed": 2, "unchanged": 1}
    assert [c["after"] for c in diff["changed"]] == ["B1", "B2"] and diff["added"][0]["text"] == "B3"


def test_first_version_and_empty_texts():
    assert paragraph_diff(None, "One.\n\nTwo.")["counts"] == {"added": 2, "removed": 0, "changed": 0, "unchanged": 0}
    assert paragraph_diff("One.", "")["counts"]["removed"] == 1
    assert paragraphs("  \n\nOne.\n\n\n\nTwo.  \n\n") == ["One.", "Two."]


def test_summary_line():
    diff = paragraph_diff(OLD, OLD.replace("vote", "recount"))
    assert summarize_diff(diff) == "+0 added, -0 removed, ~1 changed, 2 unchanged paragraphs"
    assert summarize_diff(None) == "+0 added, -0 removed, ~0 changed, 0 unchanged paragraphs"


block = st.text(alphabet="abc xyz.", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(block, max_size=8), st.lists(block, max_size=8))
def test_every_paragraph_is_accounted_for(old, new):
    diff = paragraph_diff("\n\n".join(old), "\n\n".join(new))
    counts = diff["counts"]
    assert counts["unchanged"] + counts["changed"] + counts["removed"] == len(old)
    assert counts["unchanged"] + counts["changed"] + counts["added"] == len(new)
    assert all(new[c["index"]] == c["after"] for c in diff["changed"])
    assert all(new[a["index"]] == a["text"] for a in diff["added"])
    assert all(old[r["index"]] == r["text"] for r in diff["removed"])
