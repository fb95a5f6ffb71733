"""Each extractor on its own, on small pages written for the case."""
from __future__ import annotations

from newsarchive.extract.authors import choose_authors
from newsarchive.extract.body import body_blocks, with_visible_standfirst
from newsarchive.extract.byline import credit_from_text, visible_byline
from newsarchive.extract.copyright import copyright_lines, find_copyright
from newsarchive.extract.document import parse_html
from newsarchive.extract.images import find_images
from newsarchive.extract.jsonld import article_fields, find_article, jsonld_objects
from newsarchive.extract.meta import meta_tags
from newsarchive.extract.title import choose_title, strip_site_name


def tree_of(html: str):
    return parse_html(html)


def test_jsonld_repairs_trailing_commas_comments_and_picks_the_article():
    tree = tree_of("""<html><head>
    <script type="application/ld+json"><!-- {"@type": "WebSite", "name": "Site",} --></script>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "Other story",
       "url": "https://s.test/other"}</script>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "This story",
       "url": "https://s.test/this", "datePublished": "2022-01-02", "author": {"name": "Ada Quill"},
       "articleBody": "Line one.",}</script>
    <script type="application/ld+json">{ broken</script></head></html>""")
    objects = jsonld_objects(tree)
    assert {o.get("headline") for o in objects} >= {"Other story", "This story"}
    article = find_article(objects, "https://s.test/this")
    fields = article_fields(article, objects)
    assert fields["title"] == "This story" and fields["authors"] == ["Ada Quill"]
    assert fields["published"] == "2022-01-02" and fields["body"] == "Line one."


def test_meta_tags_read_parsely_page_json():
    tree = tree_of("""<html><head><meta name="parsely-page" content='{"title": "T", "author": "Bo Lind",
        "pub_date": "2020-05-06T07:08:09Z", "section": "Tech"}'><meta property="OG:Title" content=" Spaced  title "></head></html>""")
    tags = meta_tags(tree)
    assert tags["parsely-author"] == ["Bo Lind"] and tags["parsely-pub-date"] == ["2020-05-06T07:08:09Z"]
    assert tags["og:title"] == ["Spaced title"]


def test_strip_site_name():
    names = ["Circuit Ledger", "circuit-ledger.test"]
    assert strip_site_name("Router deal ends | Circuit Ledger", names) == "Router deal ends"
    assert strip_site_name("Circuit Ledger - Router deal ends", names) == "Router deal ends"
    assert strip_site_name("Ferries: the new timetable", names) == "Ferries: the new timetable"
    assert strip_site_name("渡轮时刻表更新-环球网", ["huanqiu.test"]) == "渡轮时刻表更新-环球网"


def test_title_prefers_the_headline_span_of_a_kicker_h1():
    tree = tree_of('<html><head><title>Ferries | Harbour News</title></head><body><h1>'
                   '<span class="kicker">Timetables</span><span class="headline">Ferries run later in summer</span>'
                   '</h1></body></html>')
    title, source = choose_title(tree, [("meta", "Ferries run later in summer - Timetables")], ["Harbour News"])
    assert (title, source) == ("Ferries run later in summer", "html")


def test_title_ignores_a_breadcrumb_h1():
    tree = tree_of('<html><body><h1 class="breadcrumb">Home: News: Ferries run later</h1></body></html>')
    assert choose_title(tree, [("meta", "Ferries run later in summer")], []) == ("Ferries run later in summer", "meta")


def test_visible_byline_reads_author_links_in_a_busy_box():
    tree = tree_of('<html><body><div class="byline">By <a href="/author/ada-quill/">Ada Quill</a> '
                   'View author archive email the author follow on twitter Get author RSS feed Name Email Comment'
                   ' Submit and more words here</div></body></html>')
    assert visible_byline(tree) == ("By Ada Quill", ["Ada Quill"])


def test_visible_byline_skips_photo_credits_and_related_boxes():
    tree = tree_of('<html><body><figure><img src="x.jpg"><span class="author">Photo: Ben Sorrel</span></figure>'
                   '<div class="related"><span class="author">Cleo Marsh</span></div>'
                   '<p class="article-author">Von Dora Pilz</p></body></html>')
    assert visible_byline(tree) == ("Von Dora Pilz", ["Dora Pilz"])


def test_agency_credit_from_dateline_or_closing_line():
    assert credit_from_text(["HAMBURG (dpa) – The port reopened.", "More text."]) == ("dpa", ["dpa"])
    assert credit_from_text(["Text.", "The port reopened on Monday. (AFP)"]) == ("AFP", ["AFP"])
    assert credit_from_text(["The port (which is old) reopened.", "More."]) == (None, [])


def test_choose_authors_prefers_the_list_the_page_confirms():
    structured = [("jsonld", ["Web Producer"]), ("meta", ["Ada Quill", "Ben Sorrel"])]
    names, _, source = choose_authors(structured, ["Ada Quill"], "By Ada Quill and Ben Sorrel", [])
    assert (names, source) == (["Ada Quill", "Ben Sorrel"], "meta")
    # An author list that only names the site is no byline.
    names, _, source = choose_authors([("jsonld", ["Harbour News"])], ["Ada Quill"], "Ada Quill", ["Harbour News"])
    assert (names, source) == (["Ada Quill"], "html")


def test_copyright_lines_and_structured_fallback():
    tree = tree_of('<html><body><p>Story text about copyright law.</p><footer><p>© 2019–2023 <a>Harbour News Ltd</a>. '
                   'All rights reserved.</p></footer></body></html>')
    # Inline markup inside the notice is joined as the reader sees it.
    assert copyright_lines(tree) == ["Story text about copyright law.", "© 2019–2023 Harbour News Ltd. All rights reserved."]
    notice, _, source = find_copyright(tree, {}, {})
    assert source == "html" and notice["years"] == [2019, 2023] and notice["all_rights_reserved"]
    bare = tree_of("<html><body><p>No notice here.</p></body></html>")
    notice, _, source = find_copyright(bare, {"copyright_holder": {"name": "Harbour News"}, "copyright_year": 2020}, {})
    assert source == "jsonld" and notice["holder"] == "Harbour News" and notice["years"] == [2020]


def test_images_are_resolved_and_deduplicated():
    tree = tree_of('<html><body><article><figure><img src="/a.jpg"><figcaption>Quay at dawn</figcaption></figure>'
                   '<figure><img src="data:image/png;base64,xx"></figure></article></body></html>')
    images = find_images(tree, {"images": ["https://h.test/a.jpg"]}, {}, "https://h.test/news/x")
    assert images == [{"url": "https://h.test/a.jpg", "caption": "Quay at dawn"}]


def test_body_blocks_keep_headings_and_split_line_breaks():
    paragraph = "A sentence about the quay and the ferries that use it every day. " * 4
    tree = tree_of(f"<html><body><article><p>{paragraph}</p><h2>Later sailings</h2>"
                   f"<p>{paragraph}<br>Second line of the same paragraph block here.</p></article></body></html>")
    blocks = body_blocks(tree, "https://h.test/x")
    assert "Later sailings" in blocks
    assert "Second line of the same paragraph block here." in blocks


def test_visible_standfirst_is_prepended_only_when_shown():
    dek = "Ferries will run two hours later every evening from June."
    shown = tree_of(f"<html><body><p class='dek'>{dek}</p><p>Body.</p></body></html>")
    hidden = tree_of(f"<html><head><meta name='description' content='{dek}'></head><body><p>Body.</p></body></html>")
    assert with_visible_standfirst(shown, ["Body."], dek) == [dek, "Body."]
    assert with_visible_standfirst(hidden, ["Body."], dek) == ["Body."]


def test_without_metadata_the_heading_that_is_part_of_the_html_title_wins():
    # The site name is unknown (no og:site_name) and the shorter edge of <title> is the headline.
    tree = tree_of("<html><head><title>Quay repairs – Harbourside Community Gazette</title></head>"
                   "<body><h1>Quay repairs</h1></body></html>")
    assert choose_title(tree, [], ["gazette.test", "gazette"]) == ("Quay repairs", "html")
    # A blog theme's <h1> links home with the blog's name; the post title is hAtom's entry-title.
    tree = tree_of("<html><head><title>Tidal Notes: Why the ferry timetable changed</title></head><body>"
                   "<h1 class='title'><a href='https://tidalnotes.test/'>Tidal Notes</a></h1>"
                   "<h3 class='post-title entry-title'>Why the ferry timetable changed</h3></body></html>")
    assert choose_title(tree, [], ["tidalnotes.test", "tidalnotes"]) == ("Why the ferry timetable changed", "html")


def test_an_html_title_edge_that_shares_words_with_the_h1_is_not_a_site_name():
    tree = tree_of("<html><head><title>Ferry timetable (summer) - later sailings and fares</title></head>"
                   "<body><h1>Ferry timetable - later sailings until September</h1></body></html>")
    title, _ = choose_title(tree, [], ["ferries.test", "ferries"])
    assert title == "Ferry timetable (summer) - later sailings and fares"


def test_a_metadata_title_that_is_only_the_site_name_is_ignored():
    tree = tree_of("<html><head><title>Quay repairs | Harbour News</title></head><body>"
                   "<h1>Quay repairs</h1></body></html>")
    assert choose_title(tree, [("meta", "Harbour News")], ["Harbour News"]) == ("Quay repairs", "html")


def test_strip_site_name_recognises_the_domain_brand():
    assert strip_site_name("Quay repairs begin - HARBOUR中文网", ["harbour.test", "harbour"]) == "Quay repairs begin"
    assert strip_site_name("Quay repairs begin | The Daily Quay", ["dailyquay.test", "dailyquay"]) == "Quay repairs begin"
    # A short last part that only contains the brand word later is headline text.
    assert strip_site_name("Tides rise - Full harbour", ["harbour.test", "harbour"]) == "Tides rise - Full harbour"


def test_choose_authors_drops_the_site_name_glued_to_or_after_a_person():
    names, _, _ = choose_authors([], ["Ada Quill Harbour Today"], "Ada Quill Harbour Today Published 2:16 AM",
                                 ["harbourtoday.test", "harbourtoday"])
    assert names == ["Ada Quill"]
    names, _, _ = choose_authors([("meta", ["Ada Quill", "Harbour News"])], [], None, ["Harbour News"])
    assert names == ["Ada Quill"]


def test_choose_authors_takes_the_visible_form_of_a_name_with_an_appended_affiliation():
    names, _, source = choose_authors([("meta", ["Ada Quill. Harbour International"])], ["Ada Quill"], "Ada Quill", [])
    assert (names, source) == (["Ada Quill"], "meta")


# ---------------------------------------------------------------- bylines without byline markup

from newsarchive.extract.byline import visible_byline  # noqa: E402
from newsarchive.extract.document import parse_html  # noqa: E402


def _byline_of(body: str):
    return visible_byline(parse_html(f"<html><body><h1>Harbour cranes go electric</h1>{body}"
                                     "<p>The port replaced four diesel cranes this spring.</p></body></html>"))


def test_by_word_then_an_element_with_the_name():
    assert _byline_of('<div class="x1"><span>By </span><a href="/p/mira-castellane">Mira Castellane</a></div>') == (
        "By Mira Castellane", ["Mira Castellane"])
    assert _byline_of('<p class="q7">By <a href="/t/cranes">Mira Castellane</a> and others</p>')[1] == [
        "Mira Castellane"]


def test_short_block_that_starts_with_a_by_word():
    raw, names = _byline_of('<p class="zz">By Mira Castellane - May 6, 2024 at 6:02PM</p>')
    assert names == ["Mira Castellane"] and raw.startswith("By Mira")


def test_by_words_in_menus_and_prose_name_nobody():
    assert _byline_of('<ul class="menu"><li><a>By Region Harbour News</a></li></ul>') == (None, [])
    assert _byline_of("<p>By clicking subscribe you agree to the terms.</p>") == (None, [])


def test_layout_modifier_classes_are_no_skipped_region():
    body = '<div class="withSidebar"><div class="byline">By Mira Castellane</div></div>'
    assert _byline_of(body)[1] == ["Mira Castellane"]
    assert _byline_of('<div class="sidebar"><div class="byline">By Mira Castellane</div></div>') == (None, [])


def test_separated_text_keeps_boxes_apart_and_inline_words_whole():
    from newsarchive.extract.document import separated_text

    tree = parse_html('<html><body><div id="b"><div><a href="/p/mc">Mira Castellane</a></div>'
                      '<div>Updated <b>2</b> hours ago</div><span>Senior</span> <span>Editor</span></div></body></html>')
    assert separated_text(tree.get_element_by_id("b")) == "Mira Castellane | Updated 2 hours ago | Senior Editor"


def test_byline_box_with_a_name_and_a_date_in_separate_boxes():
    raw, names = _byline_of('<div class="byline"><div>Mira Castellane</div><div>Harbour Desk</div>'
                            "<div>Updated 2 hours ago</div></div>")
    assert names == ["Mira Castellane"] and " | " in raw
