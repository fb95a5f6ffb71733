"""Every subcommand, walked with bad input: one clear line on stderr and exit 2 (bad arguments) or 3 (the
environment), never a traceback. Each subcommand must have at least one case here."""
from __future__ import annotations

import gzip
import sys

import pytest

from newsarchive.cli import main
from tests.test_cli import SUBCOMMANDS

MISSING = "/nonexistent/newsarchive-archive"
UNWRITABLE = "/proc/newsarchive-cannot-write-here"


@pytest.fixture
def places(tmp_path):
    archive = tmp_path / "archive"
    (archive / "demo" / "20260101T000000Z").mkdir(parents=True)
    (archive / "demo" / "20260101T000000Z" / "crawl.json").write_text("{not json")
    (archive / "demo" / "state.sqlite").write_text("not a database")
    not_warc = tmp_path / "not-a-warc.warc.gz"
    not_warc.write_bytes(gzip.compress(b"HTTP/1.1 200 OK\r\n\r\nhello"))
    return {"archive": str(archive), "not_warc": str(not_warc), "tmp": str(tmp_path)}


# (argv with {archive}, {not_warc}, {tmp} placeholders, exit code, a phrase the one line says)
CASES = [
    (["crawl", "news"], 2, "needs a start URL"),
    (["crawl", "news", "--url", "not-a-url"], 2, "http:// or https:// URL"),
    (["crawl", "news", "--url", "file:///etc/passwd"], 2, "http:// or https:// URL"),
    (["crawl", "news", "--url", "http://[oops/"], 2, "is not a URL"),
    (["crawl", "demo", "--set", "CONCURRENT_REQUESTS=abc"], 2, "takes a whole number"),
    (["crawl", "demo", "--set", "ROBOTSTXT_OBEY=perhaps"], 2, "takes a boolean"),
    (["crawl", "demo", "--set", "FIELD_COVERAGE_MIN=[1"], 2, "takes a JSON object"),
    (["crawl", "demo", "--set", "no-equals-sign"], 2, "NAME=VALUE"),
    (["crawl", "demo", "--set", "ADDRESS_GUARD=loopback"], 2, "ADDRESS_GUARD_ALLOW"),
    (["crawl", "demo", "--allow-address", "localhost"], 2, "not an IP address"),
    (["crawl", "demo", "--crawl-id", "../../x"], 2, "not a safe name"),
    (["crawl", "demo", "--crawl-id", "a\nb"], 2, "not a safe name"),
    (["crawl", "demo", "--set", "WARC_PREFIX=../x"], 2, "not a safe name"),
    (["crawl", "demo", "--since", "2026-02-30"], 2, "YYYY-MM-DD"),
    (["crawl", "demo", "--max-articles", "0"], 2, "--max-articles"),
    (["crawl", "demo", "--resume", "--archive", "{tmp}"], 2, "no unfinished crawl"),
    (["crawl", "demo", "--archive", UNWRITABLE], 3, "cannot write the archive"),
    (["crawl", "no_such_spider"], 2, "no spider named"),
    (["crawl", "demo", "--max-pages", "0"], 2, "--max-pages"),
    (["crawl", "demo", "--max-time", "soon"], 2, "--max-time"),
    (["crawl", "demo", "--set", "CRAWL_MAX_BYTES=lots"], 2, "CRAWL_MAX_BYTES"),
    (["crawl", "demo", "--notify", "ftp://news.example/"], 2, "notify target"),
    (["crawl", "demo", "--notify-on", "sometimes"], 2, "NOTIFY_ON"),
    (["crawl", "news", "--url", "http://a.example/", "--url", "http://b.example/"], 2, "need a distributed crawl"),
    (["crawl", "news", "--url", "http://a.example/", "--redis", "redis://127.0.0.1:1/0", "--max-articles", "5"], 2,
     "do not apply to a distributed crawl"),
    (["crawl", "news", "--url", "http://a.example/", "--redis", "redis://127.0.0.1:1/0"], 3, "cannot reach Redis"),
    (["crawl", "news", "--url", "http://a.example/", "--redis", "redis://127.0.0.1:1/0", "--max-pages", "5"], 2,
     "do not apply to a distributed crawl"),
    (["demo", "--port", "99999"], 2, "0 to 65535"),
    (["demo", "--port", "http"], 2, "port number"),
    (["export", "--format", "parquet", "--out", "-", "--archive", "{archive}"], 2, "Parquet needs a file"),
    (["export", "--format", "csv", "--out", UNWRITABLE + "/x.csv", "--archive", "{archive}"], 3, "No such file"),
    (["export", "--format", "csv", "--out", "x.csv", "--archive", MISSING], 3, "no archive at"),
    (["genspider", "no-dashes", "https://news.example/"], 2, "a spider name is"),
    (["genspider", "site", "ftp://news.example/"], 2, "http:// or https://"),
    (["genspider", "site", "https://news.example/", "--samples", "0"], 2, "--samples"),
    (["genspider", "techcrunch", "https://news.example/", "--out", "{tmp}"], 2, "already"),
    (["genspider", "site", "https://news.example/", "--allow-address", "localhost"], 2, "not an IP address"),
    (["history", "https://news.example/a/", "--archive", MISSING], 3, "no archive at"),
    (["history", "https://news.example/a/", "--archive", "{archive}"], 3, "cannot read the state"),
    (["index", MISSING], 3, "no archive at"),
    (["package", MISSING, "--out", "{tmp}/x.wacz"], 3, "does not exist"),
    (["package", "{archive}"], 2, "--out"),
    (["replay", MISSING], 3, "does not exist"),
    (["replay", "--port", "99999"], 2, "1-65535"),
    (["notify-test"], 2, "no target"),
    (["notify-test", "--notify", "gopher://news.example/"], 2, "notify target"),
    (["package", "{archive}", "--out", "{tmp}/crawl.zip"], 2, "--out must end in .wacz"),
    (["replay", "--port", "0", "{archive}"], 2, "--port must be 1-65535"),
    (["query", "--since", "2026-02-30", "--archive", "{archive}"], 2, "one that exists"),
    (["query", "--until", "2026-13-01", "--archive", "{archive}"], 2, "one that exists"),
    (["query", "--since", "2026-03-01", "--until", "2026-02-01", "--archive", "{archive}"], 2, "is after"),
    (["query", "--text", '"unbalanced', "--archive", "{archive}"], 2, ""),
    (["query", "--limit", "-1", "--archive", "{archive}"], 2, "--limit"),
    (["query", "--fields", ",", "--archive", "{archive}"], 2, "--fields"),
    (["query", "--archive", MISSING], 3, "no archive at"),
    (["reextract", MISSING, "--out", "{tmp}/x.jsonl"], 3, "no such WARC file"),
    (["reextract", "{not_warc}", "--out", UNWRITABLE + "/x.jsonl"], 3, "cannot write"),
    (["report", "--window", "0", "--archive", "{archive}"], 2, "--window"),
    (["report", "--coverage-drop", "2", "--archive", "{archive}"], 2, "fraction"),
    (["report", "--archive", MISSING], 3, "no archive folder"),
    (["report", "--archive", "{archive}"], 3, "no crawl reports"),
    (["schedule", "demo", "--every", "7m"], 2, "regular times"),
    (["schedule", "demo", "--every", "1h", "--archive", "/srv/x\n* * * * * rm -rf ~"], 2, "control characters"),
    (["schedule", "demo", "--every", "1h", "--url", "http://a/\nb"], 2, "control characters"),
    (["schedule", "demo", "--every", "1h", "--name", "../unit"], 2, "not a safe name"),
    (["serve", "--port", "99999", "{archive}"], 2, "0 to 65535"),
    (["serve", MISSING], 3, "no archive at"),
    (["serve", "{archive}"], 3, "no index at"),
    (["show", "https://news.example/a/", "--payload", "--archive", "{archive}"], 2, "--payload goes with --raw"),
    (["show", "1", "--archive", MISSING], 3, "no archive at"),
    (["spiders", "--no-such-option"], 2, "unrecognized arguments"),
    (["stats", "--top", "-1", "--archive", "{archive}"], 2, "--top"),
    (["stats", "--since", "2026-02-30", "--archive", "{archive}"], 2, "one that exists"),
    (["stats", "--archive", MISSING], 3, "no archive at"),
    (["validate", MISSING], 3, "no such WARC file"),
    (["status", "--redis", "redis://:secret@127.0.0.1:1/0"], 3, "cannot reach Redis at redis://:***@127.0.0.1:1/0"),
    (["status", "--redis", "not-a-url"], 2, "is not a Redis URL"),
    (["worker", "news", "--redis", "redis://127.0.0.1:1/0"], 3, "cannot reach Redis"),
    (["worker", "news", "--redis", "redis://127.0.0.1:1/0", "--idle-exit", "-1"], 2, "0 or more seconds"),
    (["worker", "no_such_spider", "--redis", "redis://127.0.0.1:1/0"], 2, "no spider named"),
]


@pytest.mark.parametrize("argv,code,phrase", CASES, ids=[" ".join(c[0])[:60] for c in CASES])
def test_bad_input_is_one_line_and_a_meaningful_exit(argv, code, phrase, places, capsys, monkeypatch):
    import newsarchive.crawl.runner

    def no_crawl(*args, **kwargs):
        raise AssertionError("bad input started a crawl")

    monkeypatch.setattr(newsarchive.crawl.runner, "run_crawl", no_crawl)
    monkeypatch.chdir(places["tmp"])
    argv = [arg.format(**places) for arg in argv]
    try:
        status = main(argv)
    except SystemExit as exit_info:  # argparse's own usage errors
        status = exit_info.code
    err = capsys.readouterr().err
    assert status == code, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    message = [line for line in lines if line.startswith((f"newsarchive {argv[0]}:", "newsarchive: error:"))]
    assert len(message) == 1, err  # the one line that says what is wrong (argparse adds its usage above it)
    assert phrase in message[0]


def test_every_subcommand_is_walked():
    walked = {argv[0] for argv, _, _ in CASES}
    assert set(SUBCOMMANDS) <= walked, f"no bad-input case for {set(SUBCOMMANDS) - walked}"


def test_missing_optional_dependencies_are_environment_errors(tmp_path):
    """`stats --plot` without matplotlib and Parquet without pyarrow: exit 3 with a line saying what to install."""
    import subprocess

    from tests.conftest import REPO

    fake = tmp_path / "site"
    for name in ("matplotlib", "pyarrow"):
        (fake / name).mkdir(parents=True)
        (fake / name / "__init__.py").write_text(f"raise ImportError('no module named {name} (test)')\n")
    (tmp_path / "archive").mkdir()
    env = {"PYTHONPATH": f"{fake}:{REPO}", "PATH": "/usr/bin:/bin"}
    for argv, needed in ((["stats", "--plot", str(tmp_path / "x.png")], "matplotlib"),
                         (["export", "--format", "parquet", "--out", str(tmp_path / "x.parquet")], "pyarrow")):
        proc = subprocess.run([sys.executable, "-m", "newsarchive", *argv, "--archive", str(tmp_path / "archive")],
                              capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
        assert proc.returncode == 3 and needed in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
