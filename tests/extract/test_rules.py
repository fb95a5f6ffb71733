"""Site rules override single fields with XPath, CSS or a callable; broken rules are ignored."""
from __future__ import annotations

from newsarchive.extract import extract_article
from newsarchive.extract.rules import apply_site_rules
from newsarchive.extract.document import parse_html

PAGE = b"""<html><head><meta property="og:title" content="Generic title">
<meta name="author" content="Cleo Marsh"></head><body>
<h1>Visible headline</h1>
<div class="who"><span class="name">Ada Quill</span> and <span class="name">Ben Sorrel</span></div>
<span class="stamp" data-when="2022-07-01T12:00:00+02:00">1 July</span>
<p class="lede">The lede paragraph of the story.</p><p class="lede">The second paragraph of the story.</p>
</body></html>"""


def test_rules_override_fields_and_record_site_provenance():
    rules = {
        "authors": ".who .name",
        "published": "//span[@class='stamp']/@data-when",
        "title": lambda tree: tree.findtext(".//h1").upper(),
        "text": "//p[@class='lede']",
        "section": "nav a",  # matches nothing: the generic extractors keep the field
    }
    record = extract_article(PAGE, "https://rules.test/a", site_rules=rules)
    assert record["authors"] == ["Ada Quill", "Ben Sorrel"]
    assert record["published"] == "2022-07-01T12:00:00+02:00"
    assert record["title"] == "VISIBLE HEADLINE"
    assert record["text"] == "The lede paragraph of the story.\n\nThe second paragraph of the story."
    assert record["section"] is None
    for field in ("authors", "published", "title", "text"):
        assert record["provenance"][field] == "site", field


def test_broken_rules_are_ignored(caplog):
    def explode(tree):
        raise RuntimeError("site changed its markup")

    rules = {"title": explode, "authors": "//*[", "tags": 42}
    record = extract_article(PAGE, "https://rules.test/a", site_rules=rules)
    assert record["title"] == "Generic title"  # the generic choice, as if there were no rule
    assert record["authors"] == ["Cleo Marsh"]
    assert "site rule for 'title' failed" in caplog.text


def test_apply_site_rules_list_and_scalar_fields():
    tree = parse_html(PAGE.decode())
    values = apply_site_rules(tree, {"tags": ".who .name", "description": ".who .name"})
    assert values == {"tags": ["Ada Quill", "Ben Sorrel"], "description": "Ada Quill"}
