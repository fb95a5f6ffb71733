"""URL rules from examples: the regexes `newsarchive genspider` writes into a new site spider (pure functions).

A site's article URLs share a shape: `/gadgets/2024/05/01/some-story/`, `/id/44613978`,
`/magazine/content/10_34/b4192066630779.htm`, `/story.php?id=123`. Each path segment is read as a
kind (a year, two digits, a number, a slug with hyphens, a word, a file name, an id), the sampled
article URLs are grouped by their sequence of kinds, and each group becomes one regex that generalizes
what varies and keeps what is structural (`news`, `article`, `page`). A regex must match every article
of its group and none of the pages known not to be articles (listings, about pages); when it matches
one, it is tightened (the words seen instead of any word, slugs with hyphens only), and a group that
cannot be told apart is left out and reported. Listing pages get the same treatment the other way round.

The regexes are searched (NewsSpider.is_article_url), so each is anchored: `^https?://[^/]+/...$`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

#: Words that are structure, not content: kept as they are in a pattern.
STRUCTURAL_WORDS = frozenset({
    "news", "article", "articles", "story", "stories", "post", "posts", "blog", "blogs", "p", "page", "pages",
    "amp", "id", "content", "magazine", "feature", "features", "opinion", "review", "reviews", "video", "videos",
    "a", "s", "n", "tag", "tags", "category", "categories", "section", "sections", "topic", "topics",
})
HOST_PREFIX = r"^https?://[^/]+"

_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DIGITS = re.compile(r"^\d+$")
_WORD = re.compile(r"^[A-Za-z]+$")
_SLUG = re.compile(r"^[\w.%~+]*[-_][\w.%~+-]*$")
_FILE = re.compile(r"^(.+)\.([A-Za-z0-9]{2,5})$")


@dataclass(frozen=True)
class Shape:
    kinds: tuple[str, ...]  # one per path segment
    slash: bool  # the path ends in "/"
    query: tuple[str, ...]  # sorted query keys
    extension: str | None  # the file extension of the last segment, if any

    def describe(self) -> str:
        return "/" + "/".join(self.kinds) + ("/" if self.slash and self.kinds else "") + (
            "?" + "&".join(self.query) if self.query else "")


def segment_kind(segment: str) -> str:
    if _YEAR.match(segment):
        return "year"
    if _DIGITS.match(segment):
        return "2digits" if len(segment) == 2 else "number"
    file_match = _FILE.match(segment)
    if file_match and not _DIGITS.match(file_match.group(1)):
        return "file"
    if _WORD.match(segment):
        return "word"
    if _SLUG.match(segment):
        return "slug"
    return "id"


def path_segments(url: str) -> list[str]:
    return [s for s in urlsplit(url).path.split("/") if s]


def shape_of(url: str) -> Shape:
    parts = urlsplit(url)
    segments = path_segments(url)
    kinds = tuple(segment_kind(s) for s in segments)
    extension = None
    if segments and kinds[-1] == "file":
        extension = _FILE.match(segments[-1]).group(2).lower()
    query = tuple(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return Shape(kinds, parts.path.endswith("/") and bool(segments), query, extension)


def _segment_regex(kind: str, values: list[str], *, strict: bool) -> str:
    distinct = sorted(set(values))
    if kind == "year":
        return r"\d{4}"
    if kind == "2digits":
        return r"\d{2}"
    if kind == "number":
        return r"\d+"  # ids grow longer over the years
    if kind == "word":
        if len(distinct) == 1 and (distinct[0].lower() in STRUCTURAL_WORDS or strict):
            return re.escape(distinct[0])
        if strict:
            return "(?:" + "|".join(re.escape(v) for v in distinct) + ")"
        return r"[A-Za-z][A-Za-z0-9_-]*"
    if kind == "file":
        extensions = sorted({_FILE.match(v).group(2) for v in values})
        stem = r"[^/]*[-_][^/]*" if strict else r"[^/]+"
        return stem + r"\." + ("(?:" + "|".join(map(re.escape, extensions)) + ")" if len(extensions) > 1
                               else re.escape(extensions[0]))
    if kind == "slug":
        return r"[^/]*-[^/]*-[^/]+" if strict else r"[^/]+"
    return r"[^/]+"


def pattern_for(urls: list[str], *, strict: bool = False) -> str:
    """One anchored regex for URLs of one shape (the caller groups them)."""
    shape = shape_of(urls[0])
    columns = list(zip(*(path_segments(u) for u in urls))) if shape.kinds else []
    path = "/".join(_segment_regex(kind, list(column), strict=strict) for kind, column in zip(shape.kinds, columns))
    regex = HOST_PREFIX + "/" + path
    if shape.kinds:
        slashes = {urlsplit(u).path.endswith("/") for u in urls}
        regex += "/" if slashes == {True} else ("/?" if len(slashes) == 2 else "")
    if shape.query:
        pairs = [dict(parse_qsl(urlsplit(u).query, keep_blank_values=True)) for u in urls]
        parts = []
        for key in shape.query:
            values = [p.get(key, "") for p in pairs]
            value = r"\d+" if all(_DIGITS.match(v) for v in values) else r"[^&#]+"
            parts.append(re.escape(key) + "=" + value)
        regex += r"\?" + "&".join(parts) if len(parts) == 1 else r"\?(?=.*\b" + r")(?=.*\b".join(parts) + r").*"
    return regex + "$"


@dataclass
class Inferred:
    patterns: list[str]
    unmatched: list[str]  # positive examples no pattern covers (their group could not be separated)
    notes: list[str]


def infer_patterns(positives: list[str], negatives: list[str], *, max_patterns: int = 6) -> Inferred:
    """Regexes that match every positive URL and no negative one, one per URL shape, the most common first."""
    groups: dict[Shape, list[str]] = {}
    for url in dict.fromkeys(positives):
        groups.setdefault(shape_of(url), []).append(url)
    patterns, unmatched, notes = [], [], []
    for shape, urls in sorted(groups.items(), key=lambda item: -len(item[1])):
        chosen = None
        for strict in (False, True):
            regex = pattern_for(urls, strict=strict)
            compiled = re.compile(regex)
            wrong = [u for u in negatives if compiled.search(u)]
            if not wrong:
                chosen = regex
                if strict:
                    notes.append(f"URLs shaped {shape.describe()} needed a tighter rule to keep other pages out: "
                                 f"{regex} (check it against more of the site)")
                break
        if chosen is None:
            unmatched += urls
            notes.append(f"URLs shaped {shape.describe()} ({len(urls)}, e.g. {urls[0]}) look like other pages "
                         f"(e.g. {wrong[0]}); no rule written for them")
            continue
        if len(patterns) >= max_patterns:
            unmatched += urls
            notes.append(f"more than {max_patterns} URL shapes; {shape.describe()} ({len(urls)}) left out")
            continue
        if chosen not in patterns:
            patterns.append(chosen)
    return Inferred(patterns, unmatched, notes)


def matches(patterns: list[str], url: str) -> bool:
    return any(re.search(p, url) for p in patterns)
