"""An archive with a hostile record for the search page tests, and `newsarchive serve` run for real."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.research.archive_factory import build_archive

HOSTILE_TITLE = "<script>document.title='pwned'</script>Zanzibar <b>ferry</b> & \"quotes\""
HOSTILE_URL = "https://evil.test/2026/11/ferry"


def hostile_archive(root: Path) -> Path:
    """The factory's archive plus one crawl whose only record has markup everywhere a page controls."""
    archive = build_archive(root)
    record = dict(archive.records[0])
    record.update(
        url=HOSTILE_URL, canonical_url="javascript:alert(1)", site="evil.test", spider="evil",
        crawl_id="20261120T000000Z", title=HOSTILE_TITLE, authors=["<i>Mallory</i> Moriarty"],
        description="<img src=x onerror=\"document.title='pwned'\">",
        text="The Zanzibar ferry <img src=x onerror=\"document.title='pwned'\"> sails at dawn.\x02\x03\n\n"
             "A second paragraph with </p><script>document.title='pwned'</script> in it.",
        copyright={"text": "© 2026 <script>document.title='pwned'</script>Evil Corp", "years": [2026],
                   "holder": "Evil Corp", "all_rights_reserved": True, "raw": None},
        language="en", revision=None)
    folder = root / "evil" / "20261120T000000Z"
    folder.mkdir(parents=True)
    (folder / "articles.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return root


class Server:
    """`newsarchive serve ARCHIVE --port 0` in a child process; `url` is where it listens."""

    def __init__(self, archive: Path, *extra: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "newsarchive", "serve", str(archive), "--port", "0", *extra],
                                     cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        match = re.search(r"http://\S+/", line)
        if not match:
            self.proc.kill()
            raise AssertionError(f"serve did not start: {line}{self.proc.stderr.read()}")
        self.url = match.group(0)

    def stop(self) -> None:
        from tests.conftest import stop_process

        stop_process(self.proc)
        self.proc.stdout.close()
        self.proc.stderr.close()
