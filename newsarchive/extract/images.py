"""Article images with captions: the lead image from metadata, then figures in the page."""
from __future__ import annotations

from urllib.parse import urljoin

from newsarchive.extract.document import element_text
from newsarchive.extract.meta import IMAGE_KEYS

__all__ = ["find_images"]

MAX_IMAGES = 30


def find_images(tree, jsonld: dict, tags: dict[str, list[str]], base_url: str) -> list[dict]:
    """[{url, caption}] without duplicates; relative URLs resolved; data: URLs skipped."""
    found: list[dict] = []
    seen: set[str] = set()

    def add(url: str | None, caption: str | None = None) -> None:
        if not url or len(found) >= MAX_IMAGES:
            return
        url = url.strip()
        if not url or url.startswith("data:"):
            return
        try:
            url = urljoin(base_url, url)
        except ValueError:
            return
        if url in seen:
            for image in found:
                if image["url"] == url and caption and not image["caption"]:
                    image["caption"] = caption
            return
        seen.add(url)
        found.append({"url": url, "caption": caption or None})

    for url in jsonld.get("images") or []:
        add(url)
    for key in IMAGE_KEYS:
        for url in tags.get(key, [])[:1]:
            add(url)
    for figure in tree.xpath("//article//figure | //main//figure")[:MAX_IMAGES]:
        image = figure.xpath(".//img")
        if not image:
            continue
        src = image[0].get("src") or image[0].get("data-src") or image[0].get("data-original")
        captions = figure.xpath(".//figcaption")
        add(src, element_text(captions[0]) if captions else (image[0].get("alt") or None))
    return found
