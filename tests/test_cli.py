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


def test_crawl_rejects_an_unknown_spider(capsys):
    assert main(["crawl", "no_such_spider"]) == 2
    assert "no spider named" in capsys.readouterr().err
