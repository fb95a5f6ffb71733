"""Every subcommand answers --help, and usage errors exit 2."""
import pytest

from newsarchive.cli import build_parser, main

SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_the_cli_has_the_documented_commands():
    assert {"crawl", "demo", "spiders", "validate"} <= set(SUBCOMMANDS)


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_help_on_every_subcommand(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: newsarchive {command}")


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_crawl_rejects_a_bad_since_date(capsys):
    assert main(["crawl", "demo", "--since", "last tuesday"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize("count", ["0", "-3", "many"])
def test_crawl_rejects_a_max_articles_below_one(count, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["crawl", "demo", "--max-articles", count])
    assert exit_info.value.code == 2
    assert "--max-articles" in capsys.readouterr().err


def test_crawl_rejects_an_unknown_spider(capsys):
    assert main(["crawl", "no_such_spider"]) == 2
    assert "no spider named" in capsys.readouterr().err


@pytest.mark.parametrize("serve_only", [True, False])
def test_demo_on_a_taken_port_is_an_environment_error(serve_only, capsys):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert main(["demo", "--port", port, *(["--serve"] if serve_only else [])]) == 3
    assert f"cannot serve the demo site on 127.0.0.1:{port}" in capsys.readouterr().err


def test_a_closed_pipe_is_not_an_error():
    """`newsarchive spiders | head -1`: the reader leaves early; no traceback, exit 0."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    os.close(read_end)  # every write now fails with EPIPE, as after `head` exits
    try:
        proc = subprocess.run([sys.executable, "-m", "newsarchive", "spiders"], stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=60)
    finally:
        os.close(write_end)
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 0
