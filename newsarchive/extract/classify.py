"""What kind of page is this: an article, a listing (front, section, tag, author, archive pages) or other?

The generic crawler meets sites it has never seen, where URL shapes say little (`/id/44613978`,
`/magazine/content/10_34/b4192066630779.htm`, `?sid=42`) and some say the wrong thing (a
`/privacy-policy-and-cookie-notice` page looks like a slug). So the page decides, from signals that
hold across sites (docs/architecture.md, "Recognizing articles"):

- what the page says about itself: a JSON-LD Article/NewsArticle/BlogPosting node (not one inside an
  ItemList), CollectionPage/ItemList/AboutPage/ContactPage/ProfilePage nodes, `og:type`, a publication
  date in its meta tags;
- its shape: one headline with a byline or date near it, a block of long, link-free paragraphs (an
  article) against many headline links, many short teasers, many dates (a listing);
- known non-article pages by path and title: about, contact, privacy, terms, cookies, legal notices,
  search and login (other), tag, topic, category, author and archive pages (listing).

Every signal adds or takes points, and `PageVerdict.reasons` names each one, so a log line can say
why a page was or was not taken for an article. `classify_page` is a pure function of the bytes and
the URL (one lxml parse, no network); a spider weighs the verdict against what it knew before the
fetch (a feed listed the URL, a site spider's URL rule) in `decide`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from newsarchive.extract.charset import decode_html, repair_mojibake
from newsarchive.extract.document import parse_html
from newsarchive.extract.jsonld import ARTICLE_TYPES, jsonld_objects
from newsarchive.extract.meta import meta_tags

__all__ = ["ARTICLE", "LISTING", "OTHER", "PAGE_TYPES", "PageVerdict", "classify_page", "classify_tree",
           "non_article_path", "decide"]

ARTICLE, LISTING, OTHER = "article", "listing", "other"
PAGE_TYPES = (ARTICLE, LISTING, OTHER)

#: A page scoring this many points or more is an article.
ARTICLE_THRESHOLD = 3

# ------------------------------------------------------------------ what the page says about itself
_LISTING_LD_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog", "series",
                               "creativeworkseries", "periodical", "newsmediaorganization"})
_OTHER_LD_TYPES = frozenset({"aboutpage", "contactpage", "profilepage", "faqpage", "checkoutpage", "qapage",
                             "realestatelisting", "product", "event", "jobposting", "recipe"})
# A publication date in the meta tags: pages that have one are, nearly always, dated articles.
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "parsely-pub-date",
                   "sailthru.date", "dc.date.issued", "dcterms.issued", "publish-date", "publish_date", "pubdate",
                   "article.published", "cxenseparse:recs:publishtime", "originalpublicationdate")

# ------------------------------------------------------------------ what URLs and titles give away
# Path segments of pages that are never articles: policies, company pages, tools.
_OTHER_SEGMENT = re.compile(
    r"(?:about|about-us|about-the-\w+|who-we-are|our-team|team|staff|masthead|contact|contact-us|contacts|"
    r"privacy|privacy-policy|privacy-notice|privacy-statement|privacy-and-cookies|privacy-center|data-protection|"
    r"gdpr|ccpa|do-not-sell|cookies|cookie|cookie-policy|cookies-policy|cookie-notice|cookie-settings|terms|tos|"
    r"terms-of-service|terms-of-use|terms-and-conditions|terms-conditions|conditions|legal|legal-notice|imprint|"
    r"impressum|mentions-legales|disclaimer|accessibility|corrections|ethics|editorial-standards|code-of-conduct|"
    r"faq|faqs|help|support|careers|jobs|work-with-us|advertise|advertising|media-kit|licensing|permissions|"
    r"subscribe|subscription|subscriptions|newsletter|newsletters|login|log-in|signin|sign-in|signup|sign-up|"
    r"register|account|my-account|profile|search|sitemap|site-map|rss|feeds|apps|shop|store|donate|membership|"
    r"404|not-found|error)(?:\.(?:s?html?|php|aspx?|jsp))?",
    re.I)
# Words of the names of policy and company pages ("privacy-and-cookie-notice", "Terms of Service"): a
# slug or title made of these words only, one of them a head word, names such a page. A single word
# outside the list ("privacy-regulators-fine-...") makes it a story's.
_POLICY_HEADS = frozenset({
    "about", "contact", "contacts", "privacy", "cookie", "cookies", "terms", "legal", "imprint", "impressum",
    "disclaimer", "accessibility", "careers", "jobs", "faq", "faqs", "help", "support", "gdpr", "ccpa", "copyright",
    "advertise", "advertising", "subscribe", "subscription", "subscriptions", "newsletter", "newsletters",
    "masthead", "corrections", "ethics", "policy", "policies", "conditions", "sitemap", "login", "sell",
    "information"})
_POLICY_WORDS = _POLICY_HEADS | frozenset({
    "us", "our", "we", "the", "a", "and", "of", "for", "to", "with", "on", "in", "your", "my", "do", "not", "sell",
    "notice", "statement", "statements", "information", "info", "use", "usage", "service", "services", "data",
    "protection", "personal", "choices", "settings", "preferences", "rights", "center", "centre", "page", "team",
    "staff", "who", "is", "are", "editorial", "standards", "code", "conduct", "community", "guidelines", "rules",
    "agreement", "user", "site", "website", "ad", "ads", "opt", "out", "manage", "california", "eu", "uk",
    "frequently", "asked", "questions", "reprints", "permissions", "licensing", "media", "kit", "work", "sign",
    "up", "in", "log", "register", "account", "feedback", "tips", "tip", "news", "newsroom", "get", "touch"})
# Path segments whose page lists articles.
_LISTING_SEGMENT = re.compile(
    r"(?:tag|tags|topic|topics|category|categories|section|sections|author|authors|writer|writers|people|"
    r"contributor|contributors|columnist|columnists|profile|profiles|archive|archives|latest|page|index|"
    r"search|series|collections?|keyword|keywords|label|labels)(?:\.(?:s?html?|php|aspx?))?",
    re.I)
# Query arguments that make a page a listing (pagination, search, archives).
_LISTING_QUERY = frozenset({"page", "paged", "pg", "p_page", "start", "offset", "s", "q", "query", "tag", "cat",
                            "category", "author", "archive"})
_OTHER_TITLE = re.compile(
    r"^\W*(?:about(?:\s+us)?|contact(?:\s+us)?|privacy(?:\s+(?:policy|notice|statement|centre|center))?|"
    r"cookie(?:s)?(?:\s+(?:policy|notice|settings))?|terms(?:\s+(?:of\s+(?:use|service)|and\s+conditions))?|"
    r"legal(?:\s+notice)?|imprint|impressum|disclaimer|accessibility(?:\s+statement)?|"
    r"(?:frequently\s+asked\s+questions|faqs?)|careers|jobs|advertise(?:\s+with\s+us)?|subscribe|newsletters?|"
    r"(?:log|sign)\s*in|register|my\s+account|page\s+not\s+found|not\s+found|404\b|error\b|site\s*map)"
    r"(?:\s*$|\s*[|:\-\u2013\u2014\u00b7]|\s+(?:at|of|for)\s)",
    re.I)
_LISTING_TITLE = re.compile(
    r"^\W*(?:(?:latest|top|all|more|breaking)\s+(?:news|stories|articles|headlines|posts)|"
    r"(?:posts?|articles?|stories)\s+(?:by|about|tagged|in|from)\s|search\s+results?|results\s+for\s|"
    r"(?:tag|topic|category|author|section)\s*[:\u2013\u2014-]|(?:home(?:\s*page)?|archives?|page\s+\d+)"
    r"(?:\s*$|\s*[|:\-\u2013\u2014\u00b7]))",
    re.I)

# What separates a page's own title from the site's name in <title>.
_SEPARATOR = re.compile(r"\s+[|\-\u2013\u2014\u00b7:\u2022]\s+|\s*[|\u2022]\s*")

# ------------------------------------------------------------------ the page's shape
# Elements whose text is never the page's own content.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "form", "button", "select", "textarea",
                        "nav", "footer", "aside", "iframe", "object", "head", "menu", "dialog"})
# Class or id words of page furniture (menus, promos, "related", comments).
_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|menubar|footer|sidebar|side-bar|cookie|consent|banner|"
    r"advert|advertisement|ads?|promo|related|recommended|recommendations|more-stories|read-more|trending|"
    r"popular|most-read|mostread|newsletter|comments?|share|sharing|social|breadcrumbs?|masthead|site-header|"
    r"global-header|subscribe|outbrain|taboola|teaser-rail|rail)(?:$|[\s_-])",
    re.I)
_DATE_OR_BYLINE = re.compile(
    r"(?:^|[\s_-])(?:byline|by-line|author|authors|writer|dateline|date|dates|pubdate|published|publish-date|"
    r"timestamp|time|posted|posted-on|entry-date|article-date|story-date|meta|article-meta|post-meta|entry-meta|"
    r"story-meta|credit|credits)(?:$|[\s_-])",
    re.I)
_BY_WORD = re.compile(r"^\W*(?:by|von|par|por|door|di|av|af)\s+\S", re.I)
_BYLINE_TEXT = re.compile(r"^\W*(?:[Bb]y|BY|[Vv]on|[Pp]ar|[Pp]or|[Dd]oor)\s+\w+")
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE_TEXT = re.compile(
    rf"\b(?:{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d|\d{{1,2}}\.?\s+{_MONTH}\.?,?\s+(?:19|20)\d\d|"
    r"\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d)\b",
    re.I)
_WORD = re.compile(r"\w+", re.UNICODE)
# Scripts written without spaces between words (CJK, Thai, Lao, Khmer, Myanmar): count characters, two per
# word, instead.
_CJK = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
                  r"\uac00-\ud7af\uf900-\ufaff]")
_INLINE = frozenset({"a", "b", "i", "em", "strong", "span", "font", "small", "big", "u", "s", "sub", "sup", "br",
                     "abbr", "cite", "code", "q", "mark", "time", "wbr", "ins", "del", "tt", "var", "label"})


@dataclass(frozen=True)
class PageVerdict:
    """What a page is, with the points behind it."""

    kind: str  # ARTICLE, LISTING or OTHER
    score: int  # article points: ARTICLE_THRESHOLD or more makes an article
    reasons: tuple[str, ...] = field(default=())  # "+4 jsonld NewsArticle", "-4 non-article path /privacy", ...
    #: the page names itself a non-article (policy, company or tool page: by path, title or JSON-LD type)
    declared_other: bool = False

    @property
    def is_article(self) -> bool:
        return self.kind == ARTICLE

    def explain(self) -> str:
        return f"{self.kind} ({self.score:+d}: {', '.join(self.reasons) or 'no signal'})"


def classify_page(body: bytes, url: str, *, encoding: str | None = None) -> PageVerdict:
    """The verdict on one fetched HTML page (`encoding`: the charset the HTTP header declared). Never raises."""
    try:
        text, _ = decode_html(bytes(body or b""), encoding)
        tree = parse_html(repair_mojibake(text))
        return classify_tree(tree, url)
    except Exception:  # hostile bytes: a page that cannot be read is nothing to export
        return PageVerdict(OTHER, -10, ("-10 unreadable page",))


def classify_tree(tree, url: str) -> PageVerdict:
    """The verdict on a parsed page (an lxml tree from newsarchive.extract.document.parse_html)."""
    points = _Points()
    listing = 0  # evidence that a page which is no article lists articles
    declared_other = False

    # ---- the URL and the title: cheap, and decisive for the pages every site has
    path_kind, segment = non_article_path(url)
    if path_kind == "front":
        points.add(-4, "front page path")
        listing += 2
    elif path_kind == OTHER:
        points.add(-4, f"non-article path /{segment}")
        declared_other = True
    elif path_kind == LISTING:
        points.add(-3, f"listing path /{segment}")
        listing += 2
    title = _title(tree)
    if title and (_OTHER_TITLE.search(title) or names_policy_page(_SEPARATOR.split(title, 1)[0])):
        points.add(-3, f"non-article title {title[:40]!r}")
        declared_other = True
    elif title and _LISTING_TITLE.search(title):
        points.add(-2, f"listing title {title[:40]!r}")
        listing += 1

    # ---- what the page declares
    ld = _jsonld_signals(tree)
    if ld.article:
        points.add(4 if ld.article_count == 1 else 2, f"jsonld {ld.article}")
    if ld.article_count >= 3 or ld.listed_articles >= 2:
        points.add(-3, f"jsonld lists {max(ld.article_count, ld.listed_articles)} articles")
        listing += 2
    if ld.listing and not ld.article:
        points.add(-2, f"jsonld {ld.listing}")
        listing += 2
    if ld.other and not ld.article:
        points.add(-3, f"jsonld {ld.other}")
        declared_other = True
    tags = meta_tags(tree)
    og_type = (tags.get("og:type") or [""])[0].strip().lower()
    og_article = og_type.startswith(("article", "news"))
    dated_meta = any(tags.get(key) for key in _PUBLISHED_META)
    if og_article:
        points.add(2, "og:type article")
    elif og_type in ("website", "profile", "object", "blog", "book", "product") or og_type.startswith("video"):
        points.add(-1, f"og:type {og_type}")
    if dated_meta:
        points.add(2 if og_article else 1, "publication date in meta")

    # ---- the shape of the page
    shape = _shape(tree, title)
    words = shape.main_words
    if words >= 250:
        points.add(3, f"{words} words of running text")
    elif words >= 120:
        points.add(2, f"{words} words of running text")
    elif words >= 80:
        points.add(1, f"{words} words of running text")
    elif words < 40:
        points.add(-2, f"only {words} words of running text")
    if shape.long_paragraphs >= 3:
        points.add(1, f"{shape.long_paragraphs} long paragraphs")
    if shape.dated_headline:
        points.add(1, "byline or date by the headline")
    elif shape.dated_text:
        points.add(1, "a byline or a date in the text")
    if shape.headline_matches_title:
        points.add(1, "one headline, the title's")
    if not (shape.dated_headline or shape.dated_text or dated_meta or ld.article or shape.dates):
        points.add(-1, "no date or byline anywhere")
    teasers = shape.teasers
    # Teasers weigh against an article only when they outweigh its text: an article page with a
    # "more stories" strip is still an article.
    if teasers >= 5 and words < 150:
        points.add(-3, f"{teasers} headline links")
        listing += 2
    elif teasers >= 3 and words < 150 or teasers >= 10 and teasers >= 4 * max(shape.long_paragraphs, 1):
        points.add(-1, f"{teasers} headline links")
        listing += 1
    if shape.teaser_words > 2 * max(words, 40):
        points.add(-2, f"{shape.teaser_words} words of teaser text")
        listing += 1
    if shape.dates >= 5 and words < 150:
        points.add(-1, f"{shape.dates} dates")
        listing += 1
    if shape.short_articles >= 3 and words < 150:
        points.add(-2, f"{shape.short_articles} short <article> teasers")
        listing += 2

    score = points.total
    if score >= ARTICLE_THRESHOLD:
        kind = ARTICLE
    elif declared_other and listing < 3:
        kind = OTHER
    elif listing >= 2 or teasers >= 3:
        kind = LISTING
    else:
        kind = OTHER
    return PageVerdict(kind, score, tuple(points.reasons), declared_other)


def decide(verdict: PageVerdict, *, url_says_article: bool = False, listed_as_article: bool = False,
           url_rules_decide: bool = False) -> tuple[bool, str]:
    """Export the page as an article? Returns (yes or no, what decided: a PAGE_TYPES kind or a reason).

    - a site spider's URL rule, written for its site, wins (`url_rules_decide` and `url_says_article`);
    - otherwise the page decides, with what was known before the fetch as a thumb on the scale: a
      feed or news sitemap listing the URL (the site's own account) makes an article of any page that
      does not name itself a non-article; an article-shaped URL (the generic rules' first guess) makes
      one of a near miss, two points short at most, that does not either.
    """
    if url_rules_decide and url_says_article:
        return True, "url_rule"
    if verdict.is_article:
        return True, "page"
    if verdict.declared_other:
        return False, verdict.kind
    if listed_as_article:
        return True, "listed"
    if url_says_article and verdict.score >= ARTICLE_THRESHOLD - 2 and verdict.kind != LISTING:
        return True, "url_guess"
    return False, verdict.kind


def non_article_path(url: str) -> tuple[str | None, str | None]:
    """("front"|"other"|"listing", the segment) when the URL alone says the page is no article, else (None, None)."""
    try:
        parts = urlsplit(url or "")
    except ValueError:
        return None, None
    segments = [unquote(s) for s in parts.path.split("/") if s]
    arguments = [(k.lower(), v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = {k for k, _ in arguments}
    if not segments and not (query - _LISTING_QUERY):
        return ("front", "") if not query else (LISTING, "?" + parts.query)
    if segments and segments[-1].lower() in ("index.html", "index.htm", "index.php", "default.aspx", "home"):
        segments = segments[:-1]
        if not segments:
            return "front", ""
    for segment in segments:
        if _OTHER_SEGMENT.fullmatch(segment) or names_policy_page(re.sub(r"\.\w{2,5}$", "", segment)):
            return OTHER, segment
    last = segments[-1] if segments else ""
    numbered = last.isdigit() and len(last) >= 3 and len(segments) > 1 and segments[-2].lower() not in ("page", "p")
    if _LISTING_SEGMENT.fullmatch(last) or (any(_LISTING_SEGMENT.fullmatch(s) for s in segments[:-1])
                                            and not _looks_like_article_name(last) and not numbered):
        return LISTING, "/".join(segments[:2])
    # A page number or a search: ?page=2, ?s=ferry (not ?page=news_item, which names a page of the site).
    paged = any(k in ("page", "paged", "pg") and v.isdigit() or k in ("s", "q", "query") for k, v in arguments)
    if paged and not _has_id_argument(query):
        return LISTING, "?" + parts.query
    return None, None


def names_policy_page(name: str) -> bool:
    """True for a slug or title made only of policy-page words, one of them a head word ("privacy-and-cookie-notice")."""
    words = re.findall(r"[^\W\d_]+", name.lower())
    return 0 < len(words) <= 8 and all(w in _POLICY_WORDS for w in words) and any(w in _POLICY_HEADS for w in words)


def _looks_like_article_name(segment: str) -> bool:
    """A slug of several words or a long number: an article's own name, not a tag's or a page number."""
    return segment.count("-") + segment.count("_") >= 3 or bool(re.search(r"\d{5,}", segment))


def _has_id_argument(query: Iterable[str]) -> bool:
    return any(k in ("id", "sid", "aid", "story", "storyid", "article", "articleid", "p", "post") for k in query)


# ------------------------------------------------------------------ helpers


class _Points:
    def __init__(self) -> None:
        self.total = 0
        self.reasons: list[str] = []

    def add(self, value: int, reason: str) -> None:
        self.total += value
        self.reasons.append(f"{value:+d} {reason}")


def _title(tree) -> str:
    found = tree.find(".//title")
    text = found.text_content() if found is not None else ""
    return " ".join(text.split())


@dataclass
class _LdSignals:
    article: str = ""  # the type of the page's own article node
    article_count: int = 0  # distinct article nodes outside lists
    listed_articles: int = 0  # article nodes inside ItemList/CollectionPage parts
    listing: str = ""
    other: str = ""


def _types(obj: dict) -> list[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)]


def _jsonld_signals(tree) -> _LdSignals:
    try:
        objects = jsonld_objects(tree)
    except Exception:  # malformed JSON-LD says nothing either way
        return _LdSignals()
    listed: set[int] = set()
    signals = _LdSignals()
    for obj in objects:
        if {t.lower() for t in _types(obj)} & {"itemlist", "collectionpage", "searchresultspage"}:
            for key in ("itemListElement", "hasPart", "mainEntity"):
                for item in _as_list(obj.get(key)):
                    if not isinstance(item, dict):
                        continue
                    listed.add(id(item))
                    inner = item.get("item")
                    if isinstance(inner, dict):
                        listed.add(id(inner))
                        item = inner
                    if {t.lower() for t in _types(item)} & ARTICLE_TYPES:
                        signals.listed_articles += 1
    seen: set[str] = set()
    for obj in objects:
        types = _types(obj)
        lowered = {t.lower() for t in types}
        if lowered & ARTICLE_TYPES:
            if id(obj) in listed:
                continue
            key = str(obj.get("url") or obj.get("@id") or obj.get("headline") or id(obj))
            if key not in seen:
                seen.add(key)
                signals.article_count += 1
                signals.article = signals.article or next(t for t in types if t.lower() in ARTICLE_TYPES)
        elif lowered & _LISTING_LD_TYPES and not signals.listing:
            signals.listing = next(t for t in types if t.lower() in _LISTING_LD_TYPES)
        elif lowered & _OTHER_LD_TYPES and not signals.other:
            signals.other = next(t for t in types if t.lower() in _OTHER_LD_TYPES)
    return signals


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass
class _Shape:
    main_words: int = 0  # words of link-free running text in the best container without teasers
    long_paragraphs: int = 0  # paragraphs of 25 words or more, mostly not links
    teasers: int = 0  # headline links: headings that hold (or sit in) a link, links of five words or more
    teaser_words: int = 0  # running text in containers that hold headline links (teaser summaries)
    dates: int = 0  # <time> elements and itemprop dates
    short_articles: int = 0  # <article> elements of fewer than 80 words (teasers)
    dated_headline: bool = False
    dated_text: bool = False  # a short line of text that is a byline ("By Jane Doe") or holds a date
    headline_matches_title: bool = False


def _words(text: str) -> int:
    if not _CJK.search(text):
        return len(text.split())  # what spaces separate: 7x cheaper than a regex, and as good for prose
    cjk = len(_CJK.findall(text))
    return len(_WORD.findall(_CJK.sub(" ", text))) + (cjk + 1) // 2


def _furniture(element, page_chars: int) -> bool:
    if element.tag in _SKIP_TAGS:
        return True
    if element.tag == "header" and element.find(".//nav") is not None:
        return True
    marker = f'{element.get("class") or ""} {element.get("id") or ""}'
    role = element.get("role")
    if (marker.strip() and _FURNITURE.search(marker)) or role in _FURNITURE_ROLES:
        # A furniture word on an element that holds most of the page ("has-sidebar", "int-nav" on the
        # outermost wrapper) says nothing about the content inside it.
        return element.tag not in ("body", "html", "main", "article") and \
            len(element.text_content()) * 2 < page_chars
    return False


_FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "menu"})


def _content_elements(tree):
    """Every element outside page furniture, in document order (furniture subtrees are skipped whole)."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    page_chars = len(root.text_content())
    stack = [root]
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str):
            continue
        if element is not root and _furniture(element, page_chars):
            continue
        yield element
        stack.extend(reversed([child for child in element if isinstance(child.tag, str)]))


def _own_text(element) -> tuple[int, int]:
    """(words, words inside links) of an element's own running text: its text, its inline children, tails."""
    words = link_words = 0
    if element.text:
        words += _words(element.text)
    for child in element:
        if not isinstance(child.tag, str):
            if child.tail:
                words += _words(child.tail)
            continue
        if child.tag in _INLINE:
            inner = _words(child.text_content())
            words += inner
            if child.tag == "a" or child.find(".//a") is not None:
                link_words += inner if child.tag == "a" else sum(_words(a.text_content()) for a in child.iter("a"))
        if child.tail:
            words += _words(child.tail)
    return words, link_words


class _Measure:
    """Word counts of one page's elements, each taken once: asked for every paragraph and link of a
    container, an uncached count would make a page of N paragraphs cost N² (bench/classify.py).
    Keyed by the elements themselves, which keeps lxml's proxies (and so the keys) alive."""

    def __init__(self) -> None:
        self._own: dict = {}
        self._cards: dict = {}
        self._standalone: dict = {}

    def own_text(self, element) -> tuple[int, int]:
        found = self._own.get(element)
        if found is None:
            found = self._own[element] = _own_text(element)
        return found

    def standalone_headline_link(self, link) -> bool:
        """A link of five words or more that is its block's whole text: a teaser's headline (not a link in a sentence)."""
        found = self._standalone.get(link)
        if found is None:
            found = self._standalone[link] = self._standalone_headline_link(link)
        return found

    def _standalone_headline_link(self, link) -> bool:
        words = _words(link.text_content())
        if words < 5 or any(child.tag in _HEADINGS for child in link.iter() if isinstance(child.tag, str)):
            return False
        block = link.getparent()
        while block is not None and block.tag in _INLINE:
            block = block.getparent()
        if block is None:
            return True
        own, _ = self.own_text(block)
        return own <= words + 3

    def is_headline_link(self, element) -> bool:
        if element.tag in _HEADINGS:
            return element.find(".//a") is not None
        return element.tag == "a" and self.standalone_headline_link(element)

    def card(self, element) -> tuple[int, int, int]:
        """(words, paragraphs of 8 words or more, headline links) of a box that may be a teaser card."""
        found = self._cards.get(element)
        if found is None and len(element) > 12:  # a card is a small box: a big container is never one
            found = self._cards[element] = (1_000_000, 0, 0)
        if found is None:
            text = element.text_content()
            # Only small boxes can be cards (about 150 words): never count a big container's words.
            words = _words(text) if len(text) < 1500 else 1_000_000
            paragraphs = links = 0
            if words < 150:
                paragraphs = sum(1 for child in element if child.tag in _PARAGRAPHS and
                                 _words(child.text_content()) >= 8)
                links = sum(1 for e in element.iter("h2", "h3", "h4", "h5", "a") if self.is_headline_link(e))
            found = self._cards[element] = (words, paragraphs, links)
        return found

    def teaser_text(self, block) -> bool:
        """A teaser's summary: inside a link (a card), right after a headline link, or in a small card that holds one."""
        ancestor = block.getparent()
        for _ in range(3):
            if ancestor is None:
                break
            if ancestor.tag == "a":
                return True
            ancestor = ancestor.getparent()
        previous = block.getprevious()
        for _ in range(2):  # past a date or a kicker between the headline and its summary
            if previous is None or not isinstance(previous.tag, str):
                break
            if self.is_headline_link(previous) or (previous.tag in ("div", "header") and any(
                    self.is_headline_link(e) for e in previous.iter("h1", "h2", "h3", "h4", "h5"))):
                return True
            if previous.tag not in ("time", "span", "small", "div", "p") or self.own_text(previous)[0] > 12:
                break
            previous = previous.getprevious()
        # A card: a small box of one headline link and a summary of a paragraph or two.
        card = block.getparent()
        if card is None or card.tag not in ("div", "li", "article", "section", "td"):
            return False
        words, paragraphs, links = self.card(card)
        return words < 150 and links == 1 and paragraphs <= 2


def _shape(tree, title: str) -> _Shape:
    shape = _Shape()
    measure = _Measure()
    text_of: dict = {}  # container element -> words of running text outside teasers
    teaser_links: list = []
    headlines = []
    for element in _content_elements(tree):
        tag = element.tag
        if tag in _HEADINGS:
            parent = element.getparent()
            link = element.find(".//a")
            if link is None and parent is not None and parent.tag == "a":
                link = parent
            if link is not None:
                teaser_links.append(link)
            if tag == "h1":
                headlines.append(element)
        elif tag == "a" and measure.standalone_headline_link(element):
            teaser_links.append(element)
        if tag in _BLOCKS:
            words, link_words = measure.own_text(element)
            if words >= 8 and link_words * 2 < words:
                own = words - link_words
                if measure.teaser_text(element):
                    shape.teaser_words += own
                else:
                    # Paragraphs count toward their container; running text in a div counts toward the div.
                    container = element.getparent() if tag in _PARAGRAPHS else element
                    container = element if container is None else container
                    text_of[container] = text_of.get(container, 0) + own
                    if words >= 25 and tag != "li":
                        shape.long_paragraphs += 1
        if tag == "time" or (tag != "body" and element.get("itemprop") in ("datePublished", "dateCreated")):
            shape.dates += 1
        if tag == "article" and len(element.text_content()) < 500:  # about 80 words
            shape.short_articles += 1
        if not shape.dated_text:
            shape.dated_text = any(_is_date_or_byline(t) for t in (element.text, *(c.tail for c in element)) if t)
    shape.teasers = len(set(teaser_links))
    shape.main_words = max(text_of.values(), default=0)
    if len(headlines) == 1 or (headlines and len({_norm(h.text_content()) for h in headlines}) == 1):
        headline = headlines[0]
        text = _norm(headline.text_content())
        shape.headline_matches_title = len(text) >= 12 and text in _norm(title)
        shape.dated_headline = _dated_near(headline)
    return shape


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5"})


_PARAGRAPHS = frozenset({"p", "font", "span", "blockquote", "pre"})
_BLOCKS = _PARAGRAPHS | {"div", "td", "section", "article", "main", "dd", "li"}


def _is_date_or_byline(text: str) -> bool:
    text = text.strip()
    return 4 < len(text) <= 80 and bool(_BYLINE_TEXT.match(text) or _DATE_TEXT.search(text))


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _dated_near(headline) -> bool:
    """A date or a byline within the headline's own block (its parent and grandparent)."""
    scope = headline.getparent()
    for _ in range(2):
        if scope is None:
            return False
        for element in scope.iter():
            if not isinstance(element.tag, str) or element is headline:
                continue
            if element.tag == "time" or element.get("itemprop") in ("datePublished", "author", "dateCreated"):
                return True
            if element.get("rel") == "author":
                return True
            marker = f'{element.get("class") or ""} {element.get("id") or ""}'
            if marker.strip() and _DATE_OR_BYLINE.search(marker):
                return True
            if element.tag in ("p", "span", "div", "address") and element.text and _BY_WORD.match(element.text) \
                    and len(element.text) < 120:
                return True
        scope = scope.getparent()
        if scope is not None and scope.tag in ("body", "html"):
            break
    return False
