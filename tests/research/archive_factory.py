"""Builds a small, realistic archive for the research tests: WARC/1.1 files and matching articles.jsonl.

Three spiders, four sites, two crawls of one spider (the second finds one article changed: a
revision), dates with and without offsets, accented author names, a gzip-encoded response, a
Latin-1 page, an article without authors or date, and (on request) a torn last line. Every word
of the text is written here for the tests.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SENTENCES = (
    "The team shipped the update after a long week of testing in three labs.",
    "Engineers said the new design uses less power and runs cooler under load.",
    "Early reviewers liked the screen but asked for a longer warranty.",
    "The company did not say how many units it expects to sell this year.",
    "Analysts expect rivals to answer with cheaper models before the holidays.",
    "A spokesperson promised regular patches for at least five years.",
    "The project started as a side experiment in a small office above a bakery.",
    "Developers can try the beta today, and a stable release is planned for spring.",
)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def body_text(lead: str, paragraphs: int) -> str:
    """The lead sentence, then `paragraphs` paragraphs of the shared sentences, blank-line separated."""
    chunks = [lead]
    for number in range(paragraphs):
        chunks.append(" ".join(SENTENCES[(number + k) % len(SENTENCES)] for k in range(4)))
    return "\n\n".join(chunks)


@dataclass
class Story:
    spider: str
    crawl_id: str
    url: str
    site: str
    title: str
    lead: str
    paragraphs: int
    fetched_at: str
    published: str | None
    authors: list[str] = field(default_factory=list)
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    holder: str | None = None
    gzip_body: bool = False
    charset: str = "utf-8"
    revision: int | None = None


STORIES = [
    Story("gadgetwire", "20261101T080000Z", "https://gadgetwire.test/2026/11/quasar-phone", "gadgetwire.test",
          "Quasar phone folds twice", "The Quasar phone folds twice and still fits in a jeans pocket.", 3,
          "2026-11-01T08:01:00Z", "2026-11-01T09:15:00+01:00", ["Jane Doe"], "Gadgets", ["phones", "Foldables"],
          "Gadget Wire Media, Inc.", gzip_body=True),
    Story("gadgetwire", "20261101T080000Z", "https://gadgetwire.test/2026/11/solid-state-battery",
          "gadgetwire.test", "A solid state battery for laptops",
          "A solid state battery promises laptops that last two full days.", 3,
          "2026-11-01T08:02:00Z", "2026-11-02", ["José Álvarez", "Jane Doe"], "Hardware", ["batteries"],
          "Gadget Wire Media, Inc."),
    Story("gadgetwire", "20261101T080000Z", "https://gadgetwire.test/2026/11/telescope-app", "gadgetwire.test",
          "Telescope app maps the night sky", "A telescope app now streams telemetry from backyard mounts.", 1,
          "2026-11-01T08:03:00Z", "2026-11-03T23:30:00-05:00", ["Priya Raman"], "Science", ["space", "apps"],
          None),
    Story("gadgetwire", "20261115T080000Z", "https://gadgetwire.test/2026/11/quasar-phone", "gadgetwire.test",
          "Quasar phone folds twice, ships in December",
          "The Quasar phone folds twice and ships in December, the maker confirmed.", 3,
          "2026-11-15T08:01:00Z", "2026-11-01T09:15:00+01:00", ["Jane Doe"], "Gadgets", ["phones", "Foldables"],
          "Gadget Wire Media, Inc.", revision=1),
    Story("bytebulletin", "20261110T120000Z", "https://www.bytebulletin.test/news/router-recall",
          "bytebulletin.test", "Mesh router recall widens", "A mesh router recall now covers two more models sold in Curaçao.", 2,
          "2026-11-10T12:00:30Z", "2026-11-05T08:00:00Z", ["PRIYA RAMAN", "Wire Service"], "Security",
          ["routers", "recalls"], "Byte Bulletin Ltd", charset="iso-8859-1"),
    Story("bytebulletin", "20261110T120000Z", "https://www.bytebulletin.test/news/editor-release",
          "bytebulletin.test", "Code editor adds offline mode",
          "The code editor adds an offline mode and a café-friendly battery saver.", 1,
          "2026-11-10T12:01:00Z", "2026-11-06T10:00:00+02:00", [], "Software", ["editors"], None),
    Story("news", "20261112T060000Z", "https://orbitdaily.test/lunar-lander-delay", "orbitdaily.test",
          "Lunar lander launch slips a week", "The lunar lander launch slips a week because of a valve test.", 4,
          "2026-11-12T06:00:10Z", None, ["Ngozi Okafor"], "Science", ["space"], "Orbit Daily"),
    Story("news", "20261112T060000Z", "https://cloudcourier.test/posts/storage-prices", "cloudcourier.test",
          "Cloud storage prices fall again", "Cloud storage prices fall again as two providers cut rates.", 2,
          "2026-11-12T06:00:20Z", "2026-11-07", ["Jane Doe"], "Cloud", ["storage", "pricing"],
          "Cloud Courier"),
]


def page_html(story: Story, text: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    html = (f'<!doctype html><html><head><meta charset="{story.charset}"><title>{story.title}</title></head>'
            f"<body><article><h1>{story.title}</h1>{paragraphs}</article></body></html>")
    return html.encode(story.charset)


def article_record(story: Story, text: str, warc: dict, previous_digest: str | None) -> dict:
    notice = None
    if story.holder:
        notice = {"text": f"© 2026 {story.holder}", "years": [2026], "holder": story.holder,
                  "all_rights_reserved": True, "raw": f"(c) 2026 {story.holder}"}
    return {
        "url": story.url, "canonical_url": story.url, "site": story.site, "spider": story.spider,
        "crawl_id": story.crawl_id, "fetched_at": story.fetched_at, "extracted_at": story.fetched_at,
        "title": story.title, "description": story.lead, "authors": story.authors,
        "byline": ("By " + " and ".join(story.authors)) if story.authors else None,
        "published": story.published, "modified": None, "published_raw": story.published,
        "section": story.section, "tags": story.tags, "language": "en", "language_declared": "en-US",
        "language_confidence": 0.99, "text": text,
        "word_count": len(text.split()), "copyright": notice,
        "images": [{"url": story.url + "/hero.jpg", "caption": f"{story.title} (photo)"}],
        "warc": warc,
        "revision": {"number": story.revision, "previous_text_digest": previous_digest} if story.revision else None,
        "text_digest": sha1_b32(text.encode("utf-8")),
        "provenance": {"title": "json-ld", "authors": "meta", "text": "heuristic"},
    }


def write_response(writer: WARCWriter, fh, story: Story, body: bytes) -> dict:
    headers = [("Content-Type", f"text/html; charset={story.charset}")]
    payload = body
    if story.gzip_body:
        payload = gzip.compress(body, mtime=0)
        headers.append(("Content-Encoding", "gzip"))
    headers.append(("Content-Length", str(len(payload))))
    record = writer.create_warc_record(
        story.url, "response", payload=io.BytesIO(payload),
        http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": story.fetched_at},
    )
    offset = fh.tell()
    writer.write_record(record)
    digest = record.rec_headers.get_header("WARC-Payload-Digest")
    assert digest == sha1_b32(payload), "warcio and the factory disagree on the payload digest"
    return {"filename": None, "offset": offset, "length": fh.tell() - offset,
            "record_id": record.rec_headers.get_header("WARC-Record-ID"), "payload_digest": digest}


@dataclass
class SampleArchive:
    root: Path
    records: list[dict]
    bodies: dict[str, bytes]  # record_id -> decoded page bytes as served (before Content-Encoding)

    def jsonl(self, spider: str, crawl_id: str) -> Path:
        return self.root / spider / crawl_id / "articles.jsonl"


def build_archive(root: Path, *, torn: bool = False) -> SampleArchive:
    """Write the STORIES archive under root; with torn=True, the news crawl ends with half a record."""
    root.mkdir(parents=True, exist_ok=True)
    records: list[dict] = []
    bodies: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    crawls: dict[tuple[str, str], list[Story]] = {}
    for story in STORIES:
        crawls.setdefault((story.spider, story.crawl_id), []).append(story)
    for (spider, crawl_id), stories in crawls.items():
        crawl_dir = root / spider / crawl_id
        (crawl_dir / "warc").mkdir(parents=True, exist_ok=True)
        filename = f"TEST-{crawl_id[:8]}120000000-00000-testhost-1.warc.gz"
        lines = []
        with open(crawl_dir / "warc" / filename, "wb") as fh:
            writer = WARCWriter(fh, gzip=True, warc_version="1.1")
            writer.write_record(writer.create_warcinfo_record(filename, {"software": "tests", "spider": spider}))
            for story in stories:
                text = body_text(story.lead, story.paragraphs)
                body = page_html(story, text)
                warc = write_response(writer, fh, story, body)
                warc["filename"] = filename
                record = article_record(story, text, warc, digests.get(story.url))
                digests[story.url] = record["text_digest"]
                bodies[warc["record_id"]] = body
                records.append(record)
                lines.append(json.dumps(record, ensure_ascii=False))
        content = "".join(line + "\n" for line in lines)
        if torn and spider == "news":
            content += TORN_LINE
        (crawl_dir / "articles.jsonl").write_text(content, encoding="utf-8")
    return SampleArchive(root, records, bodies)


TORN_RECORD = {
    "url": "https://orbitdaily.test/comet-survey", "site": "orbitdaily.test", "spider": "news",
    "crawl_id": "20261112T060000Z", "fetched_at": "2026-11-12T06:00:30Z", "title": "Comet survey finds a visitor",
    "authors": ["Ngozi Okafor"], "published": "2026-11-08", "section": "Science", "tags": ["space"],
    "text": "A comet survey found an interstellar visitor near Jupiter.", "word_count": 9, "copyright": None,
    "warc": None, "revision": None,
}
TORN_FULL_LINE = json.dumps(TORN_RECORD) + "\n"
TORN_LINE = TORN_FULL_LINE[: len(TORN_FULL_LINE) // 2]


def complete_torn_line(archive: SampleArchive) -> None:
    """Finish the half-written last line, as the crawl writing it would."""
    with open(archive.jsonl("news", "20261112T060000Z"), "a", encoding="utf-8") as fh:
        fh.write(TORN_FULL_LINE[len(TORN_LINE):])
