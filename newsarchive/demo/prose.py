"""Seeded tech-news prose from the demo vocabulary: the same seed always gives the same story."""
from __future__ import annotations

import random

from newsarchive.demo import vocabulary as vocab
from newsarchive.demo.stories import Story

def _fill(pattern: str, context: dict[str, str]) -> str:
    text = pattern.format(**context)
    return text[0].upper() + text[1:]


def _story_context(rng: random.Random, section: str, year: int) -> dict[str, str]:
    company, company2 = rng.sample(vocab.COMPANIES, 2)
    person = rng.choice(vocab.AUTHORS[::-1])[0].split()[0] + " " + rng.choice(
        ("Varga", "Okonkwo", "Lindqvist", "Moreau", "Haddad", "Kowalczyk", "Ibarra", "Sato")
    )
    thing = rng.choice(vocab.SECTIONS[section][1])
    return {
        "company": company,
        "company2": company2,
        "thing": thing,
        "a_thing": ("an " if thing[0] in "aeiou" else "a ") + thing,
        "adjective": rng.choice(vocab.ADJECTIVES),
        "feature": rng.choice(vocab.FEATURES),
        "month": rng.choice(vocab.MONTHS),
        "place": rng.choice(vocab.PLACES),
        "person": person,
        "role": rng.choice(vocab.ROLES),
        "number": str(rng.randint(3, 90)),
        "year": str(max(2012, year - rng.randint(1, 6))),
    }


class _Deck:
    """Sentence patterns dealt without repeats, so one story never says the same thing twice."""

    def __init__(self, rng: random.Random):
        self.rng, self.cards = rng, []

    def deal(self, count: int) -> list[str]:
        if len(self.cards) < count:
            self.cards = list(vocab.SENTENCE_PATTERNS)
            self.rng.shuffle(self.cards)
        dealt, self.cards = self.cards[:count], self.cards[count:]
        return dealt


def _paragraph(rng: random.Random, deck: _Deck, context: dict[str, str]) -> str:
    return " ".join(_fill(p, context) for p in deck.deal(rng.randint(2, 4)))


def generate_story(seed: str, section: str, year: int, *, with_headings: bool) -> Story:
    """A story for one article. `with_headings` gives two headed sections after the lead."""
    rng = random.Random(seed)
    context = _story_context(rng, section, year)
    title = _fill(rng.choice(vocab.TITLE_PATTERNS), context)
    deck = _Deck(rng)
    lead = tuple(_paragraph(rng, deck, context) for _ in range(rng.randint(2, 3)))
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if with_headings:
        headings = rng.sample(vocab.HEADING_PATTERNS, 2)
        sections = tuple(
            (_fill(h, context), tuple(_paragraph(rng, deck, context) for _ in range(rng.randint(1, 2))))
            for h in headings
        )
    else:
        lead += tuple(_paragraph(rng, deck, context) for _ in range(rng.randint(1, 2)))
    return Story(title, lead, sections, context["thing"])


def filler_paragraph(seed: str, section: str) -> str:
    """A reader comment or sidebar blurb, used to pad benchmark pages to a realistic size."""
    rng = random.Random(seed)
    return _paragraph(rng, _Deck(rng), _story_context(rng, section, 2024))
