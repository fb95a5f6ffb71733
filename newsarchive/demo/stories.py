"""Hand-written demo stories that the generator cannot produce: each exercises one extraction case.

All text is written for this project.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    """A story: lead paragraphs, then (heading, paragraphs) sections."""

    title: str
    lead: tuple[str, ...]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    topic: str  # what the photo shows and the page is tagged with


# Shaped like a syndicated wire story: headline, lead paragraphs, two headed sections, and a bare
# copyright footer with the circled c, no holder and no byline.
SEED_LIKE = Story(
    title="Bluepeak Halts Work On Its European Battery Plant As Subsidy Talks Stall",
    lead=(
        "Bluepeak Devices has stopped construction at its planned battery plant outside Porto. The "
        "company says the pause is temporary, but suppliers are already looking for other customers.",
        "The decision follows months of negotiation over a regional subsidy package that Bluepeak had "
        "counted on when it chose the site. A statement released on Monday gave no date for talks to "
        "resume and did not say which terms were in dispute.",
        "For Bluepeak, which sells most of its tablets and e-readers in Europe, the plant was meant to "
        "cut shipping costs and shield the firm from delays at Asian ports. Without it, the company "
        "will keep importing cells for at least two more years.",
    ),
    sections=(
        (
            "Suppliers Left Waiting",
            (
                "Three component makers that signed letters of intent with Bluepeak confirmed they had "
                "received notice of the pause. One of them, a maker of cathode powder based in Aveiro, "
                "said it had already hired forty people for the contract.",
                "Local officials were more guarded. A regional economy spokesperson said the offer to "
                "Bluepeak was \"generous and still on the table\", and suggested the company was using "
                "the pause to extract better terms.",
                "Industry observers note that several battery projects in the region have slipped in "
                "the past year as interest rates rose and demand for consumer devices cooled.",
            ),
        ),
        (
            "A Second Site In Play",
            (
                "People familiar with the matter say Bluepeak has quietly toured an industrial park in "
                "northern Spain, where land is cheaper and grid connections are already in place.",
                "Bluepeak would not comment on other locations. \"Our commitment to manufacturing in "
                "Europe has not changed,\" a company representative said in an emailed reply.",
            ),
        ),
    ),
    topic="battery plant",
)

# Written for windows-1252: curly quotes, an em dash, an ellipsis and the euro sign all sit in the
# 0x80-0x9F range where cp1252 and latin-1 disagree, and none of them is valid UTF-8 on its own.
CP1252 = Story(
    title="Orbitale’s €129 e-reader — a “good enough” bargain",
    lead=(
        "Orbitale’s new e-reader costs €129, about half of what its rivals ask — and for most "
        "readers that is the whole story.",
        "The screen is sharp enough for novels, the page turns are quick, and the battery lasted "
        "“well over three weeks” in our testing… although we read mostly at night.",
    ),
    sections=(
        (
            "Where Orbitale saved money",
            (
                "There is no waterproofing, no warm light and no audiobook support. The case is thin "
                "plastic that creaks when squeezed — a fair trade at €129, we think.",
                "Orbitale’s store is small, but the device reads common formats, so a library "
                "card goes a long way.",
            ),
        ),
    ),
    topic="e-reader",
)
