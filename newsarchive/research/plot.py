"""Articles per day per site as a PNG (matplotlib, Agg: no display needed).

Over a long span a per-day line is a comb of spikes, so the counts are summed per week beyond
three months and per month beyond two years; the title and axis say which.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from newsarchive.research.stats import ArchiveStats

DAILY_SPAN_DAYS = 92
WEEKLY_SPAN_DAYS = 731


def bin_start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def next_bin(start: date, unit: str) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=1)


def binned(per_day_site: dict[str, dict[str, int]]) -> tuple[str, list[date], dict[date, dict[str, int]]]:
    """(unit, every bin from first to last, counts per bin per site); an empty bin is a zero, not a gap."""
    if not per_day_site:
        return "day", [], {}
    first, last = date.fromisoformat(min(per_day_site)), date.fromisoformat(max(per_day_site))
    span = (last - first).days
    unit = "day" if span <= DAILY_SPAN_DAYS else "week" if span <= WEEKLY_SPAN_DAYS else "month"
    bins: list[date] = []
    current = bin_start(first, unit)
    while current <= last:
        bins.append(current)
        current = next_bin(current, unit)
    counts: dict[date, dict[str, int]] = {start: {} for start in bins}
    for day, sites in per_day_site.items():
        cell = counts[bin_start(date.fromisoformat(day), unit)]
        for site, n in sites.items():
            cell[site] = cell.get(site, 0) + n
    return unit, bins, counts


def plot_per_day(stats: ArchiveStats, out: Path, *, max_sites: int = 10) -> Path:
    """One line per site (the biggest max_sites, the rest summed as 'other'); returns the path written."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    unit, bins, counts = binned(stats.per_day_site)
    sites = list(stats.per_site)
    shown, rest = sites[:max_sites], set(sites[max_sites:])
    series = {site: [counts[b].get(site, 0) for b in bins] for site in shown}
    if rest:
        series["other"] = [sum(n for s, n in counts[b].items() if s in rest) for b in bins]

    figure = Figure(figsize=(10, 4.8), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for site, values in series.items():
        if any(values):
            axes.plot(bins, values, marker="o" if len(bins) <= 60 else None, markersize=3, linewidth=1.4,
                      label=site, drawstyle="steps-post" if unit != "day" else "default")
    axes.set_title(f"Articles per {unit} per site ({stats.articles} articles, {stats.undated} undated)")
    axes.set_xlabel(f"published ({unit} of the date stated by the site)")
    axes.set_ylabel(f"articles per {unit}")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, alpha=0.3)
    if series:
        axes.legend(loc="best", fontsize="small")
    figure.autofmt_xdate()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png")
    return out
