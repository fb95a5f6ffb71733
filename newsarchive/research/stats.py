"""What an archive holds: articles per site and per day, top authors, and field coverage.

Counts are over the records a query matches (by default the latest capture of every URL), so
`stats --site x` describes one site. Coverage is the share of those records that have a field.
"""
from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass, field

from newsarchive.research.query import Query, execute

LONG_TEXT_WORDS = 150


@dataclass
class ArchiveStats:
    articles: int = 0
    per_site: dict[str, int] = field(default_factory=dict)
    per_language: dict[str, int] = field(default_factory=dict)  # identified from the text; '?' unknown
    per_day: dict[str, int] = field(default_factory=dict)
    per_day_site: dict[str, dict[str, int]] = field(default_factory=dict)
    undated: int = 0
    top_authors: list[tuple[str, int]] = field(default_factory=list)
    coverage: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def compute_stats(conn: sqlite3.Connection, query: Query, *, top: int = 10) -> ArchiveStats:
    ids_sql, params = query.sql("a.id")
    conn.execute("DROP TABLE IF EXISTS temp.hits")
    execute(conn, query, f"CREATE TEMP TABLE hits AS {ids_sql}", params)
    try:
        return aggregate(conn, top)
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.hits")


def aggregate(conn: sqlite3.Connection, top: int) -> ArchiveStats:
    stats = ArchiveStats()
    matched = "FROM articles a JOIN temp.hits h ON h.id = a.id"
    stats.articles = conn.execute(f"SELECT count(*) {matched}").fetchone()[0]
    stats.per_site = dict(conn.execute(
        f"SELECT coalesce(a.site, '?'), count(*) AS n {matched} GROUP BY 1 ORDER BY n DESC, 1").fetchall())
    stats.per_language = dict(conn.execute(
        f"SELECT coalesce(a.language, '?'), count(*) AS n {matched} GROUP BY 1 ORDER BY n DESC, 1").fetchall())
    for day, site, n in conn.execute(
            f"SELECT a.published_day, coalesce(a.site, '?'), count(*) {matched} "
            "WHERE a.published_day IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"):
        stats.per_day_site.setdefault(day, {})[site] = n
        stats.per_day[day] = stats.per_day.get(day, 0) + n
    stats.undated = stats.articles - sum(stats.per_day.values())
    stats.top_authors = [(usual_spelling(conn, key), n) for key, n in conn.execute(
        "SELECT au.author_key, count(*) AS n FROM article_authors au JOIN temp.hits h ON h.id = au.article_id "
        "GROUP BY au.author_key ORDER BY n DESC, 1 LIMIT ?", (top,)).fetchall()]
    if stats.articles:
        authors, published, language, copyright_, long_text = conn.execute(
            "SELECT count(DISTINCT au.article_id), "
            f" (SELECT count(*) {matched} WHERE a.published IS NOT NULL),"
            f" (SELECT count(*) {matched} WHERE a.language IS NOT NULL),"
            f" (SELECT count(*) {matched} WHERE a.has_copyright),"
            f" (SELECT count(*) {matched} WHERE a.word_count > ?) "
            "FROM article_authors au JOIN temp.hits h ON h.id = au.article_id", (LONG_TEXT_WORDS,)).fetchone()
        stats.coverage = {
            "authors": authors / stats.articles,
            "published": published / stats.articles,
            "language": language / stats.articles,
            "copyright": copyright_ / stats.articles,
            f"text_over_{LONG_TEXT_WORDS}_words": long_text / stats.articles,
        }
    return stats


def usual_spelling(conn: sqlite3.Connection, author_key: str) -> str:
    """The most frequent spelling of an author among the matches ('Priya Raman' over 'PRIYA RAMAN' on a tie)."""
    return conn.execute(
        "SELECT au.author FROM article_authors au JOIN temp.hits h ON h.id = au.article_id WHERE au.author_key = ? "
        "GROUP BY au.author ORDER BY count(*) DESC, au.author = upper(au.author), au.author LIMIT 1",
        (author_key,)).fetchone()[0]


def format_stats(stats: ArchiveStats, *, max_days: int = 31) -> str:
    lines = [f"{stats.articles} articles"]
    if not stats.articles:
        return lines[0]
    lines += ["", "per site:"] + [f"  {site:<32} {n:>8}" for site, n in stats.per_site.items()]
    lines += ["", "per language (from the text):"] + [f"  {code:<32} {n:>8}" for code, n in stats.per_language.items()]
    days = list(stats.per_day.items())
    lines += ["", f"per day (published){', last ' + str(max_days) if len(days) > max_days else ''}:"]
    lines += [f"  {day:<32} {n:>8}" for day, n in days[-max_days:]]
    if stats.undated:
        lines.append(f"  {'(no date)':<32} {stats.undated:>8}")
    lines += ["", "top authors:"] + [f"  {name:<32} {n:>8}" for name, n in stats.top_authors]
    lines += ["", "field coverage:"] + [f"  {name:<32} {share:>7.1%}" for name, share in stats.coverage.items()]
    return "\n".join(lines)
