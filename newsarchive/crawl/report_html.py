"""crawl.html: the crawl report as a page a person reads, beside crawl.json (crawl/report.py writes both).

One self-contained HTML file: inline CSS and inline SVG charts, no script, no font, no image, no
link that needs the network, so it opens from a USB stick years later. Every number on it comes from
the crawl.json dict it is given and carries a `data-key` naming where in crawl.json it came from, so
a test (or a person in the browser's inspector) can check one against the other. Every string from
the crawl (URLs, error kinds, sections) is escaped: they come from the network.
"""
from __future__ import annotations

from html import escape

BAR_HEIGHT = 22
CHART_WIDTH = 560
LABEL_WIDTH = 170

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d232b;background:#f6f7f9}
main{max-width:62rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.1rem;margin:2rem 0 .6rem;border-bottom:1px solid #d5d9df}
.sub{color:#56606b;margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.7rem;margin-top:1rem}
.card{background:#fff;border:1px solid #d5d9df;border-radius:6px;padding:.6rem .8rem}
.card .n{font-size:1.6rem;font-weight:600;display:block}.card .l{color:#56606b;font-size:.85rem}
.bad{color:#a3222b}.ok{color:#1f7a3d}
table{border-collapse:collapse;background:#fff;min-width:20rem}
th,td{border:1px solid #d5d9df;padding:.25rem .6rem;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
.two{display:grid;grid-template-columns:minmax(16rem,auto) 1fr;gap:1.2rem;align-items:start}
svg{background:#fff;border:1px solid #d5d9df;border-radius:6px;max-width:100%;height:auto}
svg text{font:12px system-ui,sans-serif;fill:#1d232b}
code{font-size:.85rem;word-break:break-all}
.none{color:#56606b;font-style:italic}
"""


def _num(value, key: str) -> str:
    return f'<span data-key="{escape(key)}">{escape(str(value))}</span>'


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def bar_chart(items: list[tuple[str, float]], *, title: str, maximum: float | None = None,
              value_text=lambda v: f"{v:g}", color: str = "#2f6db5") -> str:
    """A horizontal bar chart as inline SVG: one labelled bar per (label, value)."""
    if not items:
        return ""
    top = maximum if maximum else max(value for _, value in items) or 1
    height = BAR_HEIGHT * len(items) + 10
    span = CHART_WIDTH - LABEL_WIDTH - 70
    rows = []
    for n, (label, value) in enumerate(items):
        y = 5 + n * BAR_HEIGHT
        width = max(1.0, span * value / top) if value else 0
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label[:28])}</text>'
            f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 6}" fill="{color}">'
            f"<title>{escape(label)}: {escape(value_text(value))}</title></rect>"
            f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{escape(value_text(value))}</text>'
        )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
            f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}">{"".join(rows)}</svg>')


def _table(rows: list[tuple[str, object]], key_prefix: str, heading: tuple[str, str]) -> str:
    if not rows:
        return '<p class="none">none</p>'
    body = "".join(
        f'<tr><td>{escape(str(label))}</td><td class="num">{_num(value, key_prefix + str(label))}</td></tr>'
        for label, value in rows)
    return f"<table><thead><tr><th>{escape(heading[0])}</th><th>{escape(heading[1])}</th></tr></thead><tbody>{body}</tbody></table>"


def _card(value, key: str, label: str, css: str = "") -> str:
    return f'<div class="card"><span class="n {css}">{_num(value, key)}</span><span class="l">{escape(label)}</span></div>'


def render_report_html(report: dict) -> str:
    """The whole page for one crawl.json dict."""
    counts = report.get("counts") or {}
    requisites = report.get("requisites") or {}
    statuses = list((counts.get("responses_by_status") or {}).items())
    errors = list((report.get("errors") or {}).items())
    problems = list((report.get("problems") or {}).items())
    coverage = list((report.get("coverage") or {}).items())
    sections = sorted((report.get("articles_by_section") or {}).items(), key=lambda kv: (-kv[1], kv[0]))
    failed = counts.get("failed", 0)
    title = f"Crawl {report.get('crawl_id')} of {report.get('spider')}"

    cards = "".join([
        _card(counts.get("articles", 0), "counts.articles", "articles written"),
        _card(counts.get("responses", 0), "counts.responses", "responses fetched"),
        _card(requisites.get("archived", 0), "requisites.archived", "page requisites archived"),
        _card(counts.get("warc_records", 0), "counts.warc_records", "WARC records"),
        _card(failed, "counts.failed", "URLs failed", "bad" if failed else "ok"),
        _card(counts.get("new", 0), "counts.new", "new articles"),
        _card(counts.get("changed", 0), "counts.changed", "changed articles"),
        _card(counts.get("unchanged", 0), "counts.unchanged", "unchanged articles"),
    ])
    coverage_rows = "".join(
        f'<tr><td>{escape(field)}</td><td class="num"><span data-key="coverage.{escape(field)}" data-value="{share}">'
        f"{share:.0%}</span></td></tr>" for field, share in coverage)
    below = report.get("coverage_failed") or []
    paths = report.get("paths") or {}
    warc_rows = "".join(
        f'<tr><td><code>{escape(str(w.get("path")))}</code></td><td class="num">{escape(_size(int(w.get("bytes") or 0)))}</td></tr>'
        for w in paths.get("warc") or [])
    skipped = list((requisites.get("skipped") or {}).items())

    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body><main>
<h1>{escape(title)}</h1>
<p class="sub">{escape(str(report.get("finish_reason")))} · {escape(str(report.get("started_at")))} to
{escape(str(report.get("finished_at")))} · {escape(f"{report.get('duration_s') or 0:.1f}")} s ·
{escape(str(report.get("software")))}</p>
<div class="cards">{cards}</div>

<h2>Responses by HTTP status</h2>
<div class="two">{_table(statuses, "counts.responses_by_status.", ("status", "responses"))}
{bar_chart(statuses, title="responses by HTTP status")}</div>

<h2>Errors by kind</h2>
<div class="two">{_table(errors, "errors.", ("kind", "count"))}
{bar_chart(errors, title="errors by kind", color="#a3222b")}</div>
<h2>Bad input handled</h2>
{_table(problems, "problems.", ("kind", "count"))}

<h2>Field coverage</h2>
<div class="two"><table><thead><tr><th>field</th><th>articles with it</th></tr></thead><tbody>{coverage_rows}</tbody></table>
{bar_chart(coverage, title="field coverage", maximum=1.0, value_text=lambda v: f"{v:.0%}", color="#1f7a3d")}</div>
{"<p class='bad'>Below the floor: " + escape("; ".join(below)) + "</p>" if below else ""}

<h2>Articles per section</h2>
<div class="two">{_table(sections, "articles_by_section.", ("section", "articles"))}
{bar_chart(sections[:20], title="articles per section")}</div>

<h2>Page requisites</h2>
<p>{_num(requisites.get("archived", 0), "requisites.archived")} archived
({escape(_size(int(requisites.get("bytes") or 0)))}); budgets hit:
{escape(", ".join(f"{k} {v}" for k, v in (requisites.get("budget_hit") or {}).items()) or "none")}</p>
{_table(skipped, "requisites.skipped.", ("skipped because", "requisites"))}

<h2>Files</h2>
<table><tbody>
<tr><td>articles</td><td><code>{escape(str(paths.get("articles")))}</code></td></tr>
<tr><td>report</td><td><code>{escape(str(paths.get("report")))}</code></td></tr>
</tbody></table>
<table><thead><tr><th>WARC file</th><th>size</th></tr></thead><tbody>{warc_rows}</tbody></table>
</main></body></html>
"""
