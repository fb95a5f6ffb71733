"""The custom contracts, each run on records that should pass and records that should fail."""
from __future__ import annotations

import pytest
import scrapy
from scrapy.exceptions import ContractFail

from newsarchive.crawl.contracts import (
    AuthorsContract,
    CopyrightContract,
    MinWordsContract,
    NoBoilerplateContract,
    PublishedIsoContract,
    boilerplate_in,
    is_iso8601,
)

GOOD = {
    "url": "https://site.example/a/",
    "authors": ["Marisol Quintero", "Dana Whitfield"],
    "byline": "By Marisol Quintero and Dana Whitfield",
    "published": "2026-07-23T09:14:00-04:00",
    "text": "The maintainers shipped a fix.\n\nOperators should upgrade soon.",
    "word_count": 160,
    "copyright": {"text": "© 2026 Tech Times. All rights reserved.", "years": [2026], "holder": "Tech Times",
                  "all_rights_reserved": True, "raw": "(c) 2026 Tech Times"},
}


class SiteSpider(scrapy.Spider):
    name = "site"

    def parse_article(self, response):
        """@url https://site.example/a/"""


callback = SiteSpider().parse_article  # contracts attach to a spider's bound callback


def check(contract_cls, record, *args):
    contract_cls(callback, *args).post_process([record])


@pytest.mark.parametrize("contract_cls,args", [
    (AuthorsContract, ()), (AuthorsContract, ("2",)), (PublishedIsoContract, ()), (MinWordsContract, ("150",)),
    (CopyrightContract, ()), (NoBoilerplateContract, ()),
])
def test_a_good_record_passes_every_contract(contract_cls, args):
    check(contract_cls, GOOD, *args)


@pytest.mark.parametrize("contract_cls,args,change,message", [
    (AuthorsContract, (), {"authors": []}, "expected at least 1 author"),
    (AuthorsContract, ("3",), {}, "expected at least 3 author"),
    (AuthorsContract, (), {"authors": ["By MARISOL QUINTERO, Staff Writer"]}, "not normalized"),
    (PublishedIsoContract, (), {"published": "July 23, 2026"}, "not ISO 8601"),
    (PublishedIsoContract, (), {"published": None}, "not ISO 8601"),
    (PublishedIsoContract, (), {"published": "2026-13-45"}, "not ISO 8601"),
    (MinWordsContract, ("200",), {}, "160 words, expected at least 200"),
    (MinWordsContract, ("many",), {}, "needs a number"),
    (CopyrightContract, (), {"copyright": None}, "no copyright notice"),
    (CopyrightContract, (), {"copyright": {"text": "All rights reserved.", "years": [], "holder": None}},
     "neither year nor holder"),
    (NoBoilerplateContract, (), {"text": "Body.\n\nAdvertisement\n\nMore body."}, "advertisement"),
    (NoBoilerplateContract, (), {"text": "Body. Sign up for our newsletter today."}, "sign up"),
    (NoBoilerplateContract, (), {"text": "Body.\n\n© 2026 Tech Times. All rights reserved."}, "copyright line"),
    (NoBoilerplateContract, (), {"text": "By Marisol Quintero\n\nBody."}, "byline line"),
])
def test_a_broken_record_fails_with_a_message_naming_the_problem(contract_cls, args, change, message):
    with pytest.raises(ContractFail, match=message) as caught:
        check(contract_cls, {**GOOD, **change}, *args)
    assert GOOD["url"] in str(caught.value)


def test_no_record_at_all_fails():
    with pytest.raises(ContractFail, match="no article record"):
        AuthorsContract(callback).post_process([])


def test_iso8601_and_boilerplate_helpers():
    assert is_iso8601("2026-07-23") and is_iso8601("2026-07-23T09:14:00Z") and is_iso8601("2026-07-23T09:14:00+05:30")
    assert not is_iso8601("23/07/2026") and not is_iso8601(20260723)
    # Ordinary prose that merely mentions words like "share" or "copyright law" is not boilerplate.
    assert boilerplate_in("Investors share the view that copyright law needs work, she said.") == []
