"""The research commands over a real crawl of the demo site (the session's shared demo crawl)."""
from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.conftest import read_jsonl
from tests.research.conftest import jsonl

pytestmark = pytest.mark.slow


def test_every_record_of_a_real_crawl_is_indexed_and_leads_to_its_archived_bytes(demo_crawl, cli_bytes):
    def cli(*args: str) -> tuple[int, str, str]:
        code, out, err = cli_bytes(*args)
        return code, out.decode("utf-8"), err

    archive = demo_crawl.parent.parent
    records = read_jsonl(demo_crawl / "articles.jsonl")
    assert records, "the demo crawl wrote no records"
    code, out, err = cli("index", str(archive))
    assert code == 0, err
    code, out, _ = cli("query", "--archive", str(archive), "--all-revisions", "--format", "jsonl")
    assert sorted(r["url"] for r in jsonl(out)) == sorted(r["url"] for r in records)
    for record in records:
        code, payload, err = cli_bytes("show", record["warc"]["record_id"], "--raw", "--payload",
                                       "--archive", str(archive))
        assert code == 0, err
        digest = "sha1:" + base64.b32encode(hashlib.sha1(payload).digest()).decode("ascii")
        assert digest == record["warc"]["payload_digest"], record["url"]
    code, out, _ = cli("stats", "--archive", str(archive), "--json")
    assert json.loads(out)["articles"] == len({r["url"] for r in records})
