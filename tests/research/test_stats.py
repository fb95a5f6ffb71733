"""`newsarchive stats`: the numbers for the test archive, and the --plot PNG."""
from __future__ import annotations

import json

import matplotlib.image


def test_stats_numbers(archive, cli):
    code, out, _ = cli("stats", "--archive", str(archive.root), "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["articles"] == 7
    assert stats["per_site"] == {"gadgetwire.test": 3, "bytebulletin.test": 2, "cloudcourier.test": 1,
                                 "orbitdaily.test": 1}
    assert stats["per_day"] == {"2026-11-01": 1, "2026-11-02": 1, "2026-11-03": 1, "2026-11-05": 1,
                                "2026-11-06": 1, "2026-11-07": 1}
    assert stats["undated"] == 1
    assert stats["top_authors"][:2] == [["Jane Doe", 3], ["Priya Raman", 2]]
    assert stats["coverage"]["authors"] == 6 / 7
    assert stats["coverage"]["published"] == 6 / 7
    assert stats["coverage"]["copyright"] == 5 / 7
    long_texts = sum(1 for r in archive.records if r["fetched_at"] != "2026-11-01T08:01:00Z" and r["word_count"] > 150)
    assert stats["coverage"]["text_over_150_words"] == long_texts / 7


def test_stats_with_filters_and_all_revisions(archive, cli):
    code, out, _ = cli("stats", "--archive", str(archive.root), "--json", "--site", "gadgetwire.test",
                       "--all-revisions")
    stats = json.loads(out)
    assert stats["articles"] == 4
    assert stats["per_day"]["2026-11-01"] == 2
    assert stats["top_authors"] == [["Jane Doe", 3], ["José Álvarez", 1], ["Priya Raman", 1]]


def test_stats_text_report(archive, cli):
    code, out, _ = cli("stats", "--archive", str(archive.root))
    assert out.startswith("7 articles")
    assert "gadgetwire.test" in out and "(no date)" in out
    assert "text_over_150_words" in out and "85.7%" in out


def test_plot_writes_a_png(archive, cli, tmp_path):
    png = tmp_path / "plots" / "per-day.png"
    code, _, err = cli("stats", "--archive", str(archive.root), "--plot", str(png))
    assert code == 0 and f"wrote {png}" in err
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    height, width, _ = matplotlib.image.imread(png).shape
    assert (width, height) == (1000, 480)


def test_no_match_exits_1(archive, cli):
    code, out, _ = cli("stats", "--archive", str(archive.root), "--site", "nowhere.test")
    assert code == 1 and out.strip() == "0 articles"


def test_long_spans_are_binned_by_week_then_month():
    from datetime import date

    from newsarchive.research.plot import binned

    unit, bins, counts = binned({"2026-11-01": {"a": 1}, "2026-11-03": {"a": 2, "b": 1}})
    assert unit == "day" and bins == [date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 3)]
    assert counts[date(2026, 11, 2)] == {}
    unit, bins, counts = binned({"2026-01-05": {"a": 1}, "2026-01-07": {"a": 2}, "2026-06-01": {"b": 1}})
    assert unit == "week" and counts[date(2026, 1, 5)] == {"a": 3} and bins[-1] == date(2026, 6, 1)
    unit, bins, counts = binned({"2019-03-27": {"a": 1}, "2026-11-29": {"a": 1}, "2026-11-02": {"a": 4}})
    assert unit == "month" and bins[0] == date(2019, 3, 1) and counts[date(2026, 11, 1)] == {"a": 5}
    assert len(bins) == 12 * 7 + 9
