"""The forms bylines and copyright lines take on the demo site, each with the answer it should give.

Real sites write the same facts in many shapes; the demo rotates through these so that extraction
and normalization meet each shape, and tests read the expected answer from the same place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable

# A byline style: (people as (full name, handle), published) -> (visible byline, normalized names).
BylineStyle = Callable[[list[tuple[str, str]], datetime], tuple[str, list[str]]]


def _staff_writers(people, published):
    (a, _), (b, _) = people[:2]
    return f"By {a.upper()} and {b}, Staff Writers", [a, b]


def _name_pipe_title(people, published):
    name = people[0][0]
    return f"{name} | Senior Editor", [name]


def _posted_by_handle(people, published):
    handle = people[0][1]
    return f"Posted by {handle} on {published:%b} {published.day}, {published.year}", [handle]


def _three_names(people, published):
    (a, _), (b, _), (c, _) = people[:3]
    return f"By {a}, {b} and {c}", [a, b, c]


def _written_by_dash_role(people, published):
    name = people[0][0]
    return f"Written by {name} — Science Correspondent", [name]


def _lowercase_with_handle(people, published):
    name, handle = people[0]
    return f"by {name.lower()} | @{handle}", [name]


def _special_to(people, published):
    name = people[0][0]
    return f"By {name}, Special to Demo Tech News", [name]


def _plain_pair(people, published):
    (a, _), (b, _) = people[:2]
    return f"{a} and {b}", [a, b]


BYLINE_STYLES: tuple[tuple[str, int, BylineStyle], ...] = (
    # (name, how many people it names, style)
    ("staff_writers", 2, _staff_writers),
    ("name_pipe_title", 1, _name_pipe_title),
    ("posted_by_handle", 1, _posted_by_handle),
    ("three_names", 3, _three_names),
    ("written_by_dash_role", 1, _written_by_dash_role),
    ("lowercase_with_handle", 1, _lowercase_with_handle),
    ("special_to", 1, _special_to),
    ("plain_pair", 2, _plain_pair),
)


@dataclass(frozen=True)
class CopyrightLine:
    """A copyright notice as shown (`text`), as written in HTML (`html`), and its expected parts."""

    text: str
    html: str
    years: tuple[int, ...]
    holder: str | None
    all_rights_reserved: bool


def copyright_line(style: int, year: int) -> CopyrightLine:
    """One of five house styles for the footer notice of a page published in `year`."""
    forms = (
        (f"© {year} Demo Media Group, Inc. All Rights Reserved.", None, (year,), "Demo Media Group, Inc.", True),
        (f"Copyright (c) 2010-{year} Demo Tech News Ltd.", None, (2010, year), "Demo Tech News Ltd.", False),
        (f"© {year} Demo Tech News", f"&copy; {year} Demo Tech News", (year,), "Demo Tech News", False),
        (f"Copyright © {year} by Demo Media Group. All rights reserved.", f"Copyright &#169; {year} by Demo Media "
         "Group. All rights reserved.", (year,), "Demo Media Group", True),
        (f"© Demo Media Group {year}", None, (year,), "Demo Media Group", False),
    )
    text, html_form, years, holder, reserved = forms[style % len(forms)]
    return CopyrightLine(text, html_form or text, years, holder, reserved)


SEED_LIKE_COPYRIGHT = CopyrightLine(
    text="ⓒ 2021 All rights reserved. Do not reproduce without permission.",
    html="ⓒ 2021 All rights reserved. Do not reproduce without permission.",
    years=(2021,),
    holder=None,
    all_rights_reserved=True,
)
