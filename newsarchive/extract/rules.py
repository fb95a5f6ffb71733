"""Site rules: how a site spider overrides extraction for one field.

A rule set maps a record field to one of:
- an XPath string (starts with "/", "./" or "(");
- a CSS selector string (anything else);
- a callable taking the lxml tree and returning a string, a list of strings, or None.

Selectors give the text of the matched elements (an attribute XPath such as
"//meta[@name='x']/@content" gives the attribute). List fields (authors, tags) take every
match; text takes one block per match; other fields take the first non-empty match. A rule
that fails or matches nothing is logged and ignored, so the generic extractors still run.

    site_rules = {"authors": ".story-meta .author-name", "published": "//time[@class='pub']/@datetime",
                  "section": lambda tree: tree.findtext(".//nav/a[last()]")}
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from lxml.cssselect import CSSSelector

from newsarchive.extract.document import element_text

logger = logging.getLogger(__name__)

__all__ = ["apply_site_rules", "LIST_FIELDS"]

LIST_FIELDS = frozenset({"authors", "tags", "text"})
Rule = str | Callable[[Any], Any]


def apply_site_rules(tree, rules: Mapping[str, Rule] | None) -> dict[str, Any]:
    """{field: raw value} for each rule that matched; lists for LIST_FIELDS, strings otherwise."""
    values: dict[str, Any] = {}
    for field, rule in (rules or {}).items():
        try:
            found = _run(tree, rule)
        except Exception:  # a site rule is user code: a broken one must not stop extraction
            logger.exception("site rule for %r failed", field)
            continue
        found = [v for v in found if v]
        if not found:
            logger.debug("site rule for %r matched nothing", field)
            continue
        values[field] = found if field in LIST_FIELDS else found[0]
    return values


def _run(tree, rule: Rule) -> list[str]:
    if callable(rule):
        result = rule(tree)
        if result is None:
            return []
        if isinstance(result, (list, tuple)):
            return [_as_text(r) for r in result]
        return [_as_text(result)]
    if not isinstance(rule, str) or not rule.strip():
        raise ValueError(f"a site rule must be an XPath/CSS string or a callable, not {rule!r}")
    rule = rule.strip()
    if rule.startswith(("/", "./", "(")):
        matches = tree.xpath(rule)
        if not isinstance(matches, list):
            matches = [matches]
    else:
        matches = CSSSelector(rule)(tree)
    return [_as_text(m) for m in matches]


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "itertext"):
        return element_text(value)
    return str(value).strip() if value is not None else ""
