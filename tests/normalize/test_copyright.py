"""normalize_copyright, copyright_from_structured and find_copyright_line on notices written for these tests."""
from __future__ import annotations

import pytest

from newsarchive import normalize_copyright
from newsarchive.normalize.copyright import copyright_from_structured, find_copyright_line

SEED = "ⓒ 2021 All rights reserved. Do not reproduce without permission."


def test_seed_line_golden():
    assert normalize_copyright(SEED) == {
        "text": "© 2021 All rights reserved. Do not reproduce without permission.",
        "years": [2021], "holder": None, "all_rights_reserved": True, "raw": SEED}


@pytest.mark.parametrize("sign", ["©", "ⓒ", "(c)", "(C)", "&copy;", "&#169;", "Copyright", "Copyright ©",
                                  "COPYRIGHT (C)", "© Copyright", "Copr.", "copyright"])
def test_sign_variants_become_one_sign(sign):
    got = normalize_copyright(f"{sign} 2022 Larkspur Media Ltd.")
    assert got["text"] == "© 2022 Larkspur Media Ltd."
    assert got["years"] == [2022]
    assert got["holder"] == "Larkspur Media Ltd"


@pytest.mark.parametrize(("raw", "text", "years"), [
    ("© 2010-2021 Larkspur Media", "© 2010–2021 Larkspur Media", [2010, 2021]),
    ("© 2010 - 2021 Larkspur Media", "© 2010–2021 Larkspur Media", [2010, 2021]),
    ("© 2010—2021 Larkspur Media", "© 2010–2021 Larkspur Media", [2010, 2021]),
    ("Copyright © 2003- Larkspur Media", "© 2003– Larkspur Media", [2003]),
    ("2001-2023 (c) Larkspur Media", "© 2001–2023 Larkspur Media", [2001, 2023]),
    ("© 2020-2020 Larkspur Media", "© 2020–2020 Larkspur Media", [2020]),
])
def test_year_ranges_use_an_en_dash(raw, text, years):
    got = normalize_copyright(raw)
    assert got["text"] == text and got["years"] == years and got["holder"] == "Larkspur Media"


@pytest.mark.parametrize("phrase", ["All Rights Reserved", "ALL RIGHTS RESERVED", "all rights reserved",
                                    "All rights reserved"])
def test_all_rights_reserved_in_any_case(phrase):
    got = normalize_copyright(f"© 2019 Larkspur Media. {phrase}.")
    assert got["text"] == "© 2019 Larkspur Media. All rights reserved."
    assert got["all_rights_reserved"] is True


@pytest.mark.parametrize("raw", ["© Larkspur Media GmbH – Alle Rechte vorbehalten.",
                                 "© Larkspur Media. Tous droits réservés.",
                                 "© Larkspur Media. TOUS DROITS RESERVES",
                                 "Copyright Larkspur Media. Todos os direitos reservados.",
                                 "© Larkspur Media - Todos los derechos reservados."])
def test_rights_phrase_in_other_languages(raw):
    got = normalize_copyright(raw)
    assert got["all_rights_reserved"] is True
    assert got["holder"].startswith("Larkspur Media")


@pytest.mark.parametrize(("raw", "holder"), [
    ("© 2018 Quillfeather Press, Inc. All Rights Reserved.", "Quillfeather Press, Inc"),
    ("© 2018 Quillfeather & Sons, LLC.", "Quillfeather & Sons, LLC"),
    ("Copyright © 2018 Brook, Fenwick & Co. Ltd. All rights reserved.", "Brook, Fenwick & Co. Ltd"),
    ("© 2018 Quillfeather Press. The Press is not responsible for external sites.", "Quillfeather Press"),
    ("© Quillfeather Media Limited 2016", "Quillfeather Media Limited"),
    ("© quillfeather.example, 2009", "quillfeather.example"),
    ("© Copyright of Quillfeather Media Limited 2016", "Quillfeather Media Limited"),
    ("© Quillfeather US, Inc. 42 Harbour Road, 3rd Floor, Portsmouth.", "Quillfeather US, Inc"),
    ("© Quillfeather Publishing Limited Harbour House, Portsmouth. All rights reserved.",
     "Quillfeather Publishing Limited"),
    ("Copyright © 2019, Quillfeather Media, Inc., Contact Us", "Quillfeather Media, Inc"),
    ("© The Quillfeather Gazette, a Larkspur Media Newspaper", "The Quillfeather Gazette"),
    ("© 2020 Quillfeather News and Media Limited or its affiliated companies.",
     "Quillfeather News and Media Limited or its affiliated companies"),
    ("© Quillfeather GmbH - eine Tochter der Larkspur Holding GmbH & Co. KG", "Quillfeather GmbH"),
    ("Privacy Policy © 2012 Quillfeather Inc. All rights reserved. Powered by SomeCMS", "Quillfeather Inc"),
    ("Copyright © 2015 Quillfeather Blog. Powered by SomeCMS and SomeTheme.", "Quillfeather Blog"),
    ("Copyright © 2004-2019 - Designed by Some Agency - Powered by SomeCMS", None),
    ("Impressum | © Quillfeather Verlag GmbH | Weitere Nachrichten", "Quillfeather Verlag GmbH"),
    ("QFN © 2014 以上内容与本站无关请勿转载谢谢合作", "QFN"),
    ("(Image: © Quillfeather Studio)", "Quillfeather Studio"),
    ("Titelbild: © ABC/xyz", "ABC/xyz"),
    ("© 2019 Quillfeather.info All Rights Reserved.", "Quillfeather.info"),
    ("Quillfeather Newspapers © Copyright Quillfeather Media Services, LLC", "Quillfeather Media Services, LLC"),
    ("© 2021 Quillfeather Pty Ltd und © 2021 Larkspur, Inc. Alle Rechte vorbehalten.", "Quillfeather Pty Ltd"),
    ("© 2017 Quillfeather - All rights reservedNot affiliated with anyone", "Quillfeather"),
    ("All Rights Reserved © 2018", None),
    ("© 2018", None),
    ("© | Terms and Conditions | Privacy Policy", None),
])
def test_holder_is_the_name_as_written(raw, holder):
    assert normalize_copyright(raw)["holder"] == holder


def test_cjk_rights_phrase_names_the_holder():
    got = normalize_copyright("羽毛笔日报版权所有")
    assert got["holder"] == "羽毛笔日报" and got["all_rights_reserved"] is True and got["text"].startswith("©")


@pytest.mark.parametrize(("raw", "text"), [
    ("QFN © 2014", "© 2014 QFN"),
    ("All Rights Reserved © 2018", "© 2018 All rights reserved"),
    ("All rights reserved.", "© All rights reserved."),
    ("Legal | Terms © 2019 Quillfeather Inc. All rights reserved. Careers | Jobs",
     "© 2019 Quillfeather Inc. All rights reserved."),
    ("Copyright 2023 Quillfeather TV Corp. All rights reserved. This material may not be published, "
     "broadcast, rewritten or redistributed.",
     "© 2023 Quillfeather TV Corp. All rights reserved. This material may not be published, "
     "broadcast, rewritten or redistributed."),
])
def test_text_is_the_notice_with_the_sign_first(raw, text):
    assert normalize_copyright(raw)["text"] == text


def test_years_only_from_the_notice_not_the_page():
    got = normalize_copyright("Meldung vom 19.10.2019 | © Quillfeather GmbH | Mehr aus 2018")
    assert got["years"] == [] and got["holder"] == "Quillfeather GmbH"
    assert normalize_copyright("© 2016 Quillfeather, Inc. All Rights Reserved. Data: Larkspur Inc. 2015.")["years"] == [2016]


@pytest.mark.parametrize("raw", [
    "", "   ", "Hello world", "Quillfeather Media GmbH", "Copyright Policy", "Copyright",
    "Read our copyright policy and terms", "The copyright holder sued the site in 2019.",
    "Copyright infringement claims rose", "(a) first (b) second (c) third", "Privacy | Terms | Contact",
])
def test_non_notices_give_none(raw):
    assert normalize_copyright(raw) is None


@pytest.mark.parametrize("bad", [None, 2021, b"(c) 2021", ["© 2021"]])
def test_non_strings_give_none(bad):
    assert normalize_copyright(bad) is None


def test_raw_is_kept_verbatim():
    raw = "  Copyright&nbsp;&copy;2019 Quillfeather Inc.  "
    got = normalize_copyright(raw)
    assert got["raw"] == raw and got["text"] == "© 2019 Quillfeather Inc."


# ---------------------------------------------------------------- structured sources


def test_structured_holder_and_year():
    assert copyright_from_structured(holder={"@type": "Organization", "name": "Quillfeather Media"}, year=2020) == {
        "text": "© 2020 Quillfeather Media", "years": [2020], "holder": "Quillfeather Media",
        "all_rights_reserved": False, "raw": "© 2020 Quillfeather Media"}


def test_structured_accepts_strings_lists_and_bad_values():
    got = copyright_from_structured(holder=[{"name": ""}, "Quillfeather Media"], year="2019")
    assert got["holder"] == "Quillfeather Media" and got["years"] == [2019]
    assert copyright_from_structured(holder=None, year="unknown") is None
    assert copyright_from_structured() is None
    assert copyright_from_structured(holder=42, year=True) is None
    assert copyright_from_structured(year=1066) is None


def test_meta_notice_is_parsed_and_completed_from_json_ld():
    got = copyright_from_structured(holder="Quillfeather Media", year=2022, meta="Copyright 2022. All rights reserved.")
    assert got["holder"] == "Quillfeather Media" and got["years"] == [2022] and got["all_rights_reserved"]
    assert got["raw"] == "Copyright 2022. All rights reserved."


def test_meta_that_is_only_a_name_is_the_holder():
    got = copyright_from_structured(meta="Quillfeather Media GmbH")
    assert got["holder"] == "Quillfeather Media GmbH" and got["text"] == "© Quillfeather Media GmbH"
    assert got["raw"] == "Quillfeather Media GmbH"


def test_find_copyright_line_prefers_the_site_notice():
    lines = [
        "Quillfeather launches a new gadget",
        "(Image: © Larkspur Photo Agency)",
        "We use the copyright holder's permission for quotes.",
        "© 2024 Quillfeather Media Inc. All rights reserved.",
        "Privacy | Terms",
    ]
    assert find_copyright_line(lines) == "© 2024 Quillfeather Media Inc. All rights reserved."
    assert find_copyright_line(["no notice here", "", None]) is None
    assert find_copyright_line([]) is None


def test_find_copyright_line_on_a_tie_takes_the_later_line():
    assert find_copyright_line(["© 2020 Quillfeather Inc", "© 2021 Quillfeather Inc"]) == "© 2021 Quillfeather Inc"


@pytest.mark.parametrize(("raw", "text", "holder"), [
    ("© 2024 Quillfeather Blog · Powered by SomeCMS", "© 2024 Quillfeather Blog", "Quillfeather Blog"),
    ("Copyright © 2024 · All Rights Reserved · Quillfeather Blog", "© 2024 All rights reserved", None),
    ("© 2024 Quillfeather Blog • Impressum", "© 2024 Quillfeather Blog", "Quillfeather Blog"),
    ("Droits réservés © Quillfeather 2024", "© Quillfeather 2024", "Quillfeather"),
])
def test_middle_dots_and_bullets_end_the_holder(raw, text, holder):
    got = normalize_copyright(raw)
    assert got["text"] == text and got["holder"] == holder


def test_some_rights_reserved_is_not_all_rights_reserved():
    got = normalize_copyright("© 2012–2024 Quillfeather Media Group. Some rights reserved.")
    assert got["all_rights_reserved"] is False and got["years"] == [2012, 2024]
