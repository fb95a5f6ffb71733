"""The article body as a list of blocks (paragraphs, headings, list items, quotes, table rows).

trafilatura finds the main content; it gets the already-parsed tree (it works on its own copy)
and no metadata work, which we do ourselves. Its output tree is read block by block, so the
text keeps paragraph and heading boundaries and the project's cleaning sees one block at a time.
"""
from __future__ import annotations

import logging
import warnings

from newsarchive.normalize.text import clean_inline

logger = logging.getLogger(__name__)

__all__ = ["body_blocks", "with_visible_standfirst"]


def body_blocks(tree, url: str | None = None, *, fast: bool = False) -> list[str]:
    """Blocks of main text, in order; [] when no content is found. Never raises."""
    import trafilatura

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = trafilatura.bare_extraction(
                tree, url=url, with_metadata=False, include_comments=False, include_tables=True,
                include_images=False, include_formatting=False, fast=fast, deduplicate=False,
            )
    except Exception:  # trafilatura is third-party code on hostile input: contain it
        logger.exception("body extraction failed for %s", url)
        return []
    if document is None or getattr(document, "body", None) is None:
        return []
    blocks: list[str] = []
    for element in document.body:
        _collect(element, blocks)
    return blocks


def _collect(element, blocks: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "list":
        for child in element:
            _collect(child, blocks)
        return
    if tag == "table":
        for row in element.iter("row"):
            cells = [clean_inline(" ".join(cell.itertext())) for cell in row]
            line = " | ".join(c for c in cells if c)
            if line:
                blocks.append(line)
        return
    if tag == "graphic":
        return
    for segment in _segments(element):
        if segment:
            blocks.append(segment)


def _segments(element) -> list[str]:
    """The text of a block, split at line breaks (<br>), each part one clean line."""
    parts: list[list[str]] = [[]]

    def walk(node) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag == "lb":
            parts.append([])
        elif tag in ("list", "item", "head", "p", "quote"):
            parts.append([])
            if node.text:
                parts[-1].append(node.text)
            for child in node:
                walk(child)
            parts.append([])
        else:
            if node.text:
                parts[-1].append(node.text)
            for child in node:
                walk(child)
        if node.tail:
            parts[-1].append(node.tail)

    if element.text:
        parts[-1].append(element.text)
    for child in element:
        walk(child)
    return [clean_inline(" ".join(p)) for p in parts]


def with_visible_standfirst(tree, blocks: list[str], description: str) -> list[str]:
    """Put the standfirst first when the page shows it above the body but the body extractor missed it.

    The description only counts when it is visible text of the page (not just a <meta>), so a
    summary written for search engines never enters the text.
    """
    head = clean_inline(description)
    if len(head.split()) < 6 or any(head[:60] in clean_inline(b) for b in blocks[:4]):
        return blocks
    probe = head[:40]
    if "'" in probe and '"' in probe:
        return blocks
    quote = '"' if "'" in probe else "'"
    for node in tree.xpath(f"//body//text()[contains(., {quote}{probe}{quote})]")[:3]:
        parent = node.getparent()
        if parent is None or parent.tag in ("script", "style", "noscript", "title", "meta"):
            continue
        if clean_inline(" ".join(parent.itertext())) == head:
            return [head, *blocks]
    return blocks
