"""Language from the text (newsarchive/extract/language.py), the declared language beside it."""
from __future__ import annotations

import pytest

from newsarchive.extract import extract_article
from newsarchive.extract.language import identify_language, language_fields, primary_subtag

# Written for these tests: a few sentences of news prose in each language.
TEXTS = {
    "en": "The city council approved the new budget on Tuesday after a long debate about school funding "
          "and road repairs. The mayor said the plan would be reviewed again in the spring.",
    "de": "Der Stadtrat hat am Dienstag nach einer langen Debatte über Schulen und Straßen den neuen "
          "Haushalt beschlossen. Der Bürgermeister sagte, der Plan werde im Frühjahr erneut geprüft.",
    "fr": "Le conseil municipal a adopté mardi le nouveau budget après un long débat sur le financement "
          "des écoles et la réparation des routes. Le maire a déclaré que le plan serait revu au printemps.",
    "es": "El ayuntamiento aprobó el martes el nuevo presupuesto tras un largo debate sobre la financiación "
          "de las escuelas y el arreglo de las calles. El alcalde dijo que el plan se revisará en primavera.",
    "pt": "A câmara municipal aprovou na terça-feira o novo orçamento depois de um longo debate sobre o "
          "financiamento das escolas e a reparação das estradas. O presidente disse que o plano será revisto.",
    "it": "Il consiglio comunale ha approvato martedì il nuovo bilancio dopo un lungo dibattito sul "
          "finanziamento delle scuole e sulla riparazione delle strade. Il sindaco ha detto che il piano sarà rivisto.",
}


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_the_language_of_a_text_is_identified_with_its_probability(code):
    found, probability = identify_language(TEXTS[code])
    assert found == code and 0.9 <= probability <= 1


@pytest.mark.parametrize("text", ["", "Photo: AP", "12 345 678 910 11 12 13 14 15 16 17 18 19 20 21 22 23 24", "© 2026"])
def test_a_text_too_short_or_without_words_tells_nothing(text):
    assert identify_language(text) is None


def test_primary_subtags():
    assert [primary_subtag(t) for t in ("en-US", "pt_BR", "DE", "fil", " fr ", "x", "english!", None)] == [
        "en", "pt", "de", "fil", "fr", None, None, None]


def test_the_text_wins_over_a_wrong_declaration_and_the_declaration_is_kept():
    provenance = {"language": "html"}
    fields = language_fields(TEXTS["de"], "en-US", provenance)
    assert fields["language"] == "de" and fields["language_declared"] == "en-US"
    assert fields["language_confidence"] > 0.9
    assert provenance == {"language": "text", "language_declared": "html"}


def test_a_short_text_falls_back_to_the_declared_primary_subtag_and_a_site_rule_always_wins():
    provenance = {"language": "meta"}
    assert language_fields("Photo: AP", "pt_BR", provenance) == {
        "language": "pt", "language_declared": "pt_BR", "language_confidence": None}
    assert provenance == {"language": "meta", "language_declared": "meta"}
    provenance = {"language": "site"}
    assert language_fields(TEXTS["de"], "fr", provenance)["language"] == "fr"
    assert language_fields("", None, {}) == {"language": None, "language_declared": None, "language_confidence": None}


def test_extract_article_reads_the_language_off_the_body_not_the_cms_default():
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in TEXTS["fr"].split(". "))
    page = (f'<html lang="en"><head><title>Budget adopté</title></head><body><article><h1>Budget adopté</h1>'
            f"{paragraphs}</article></body></html>").encode("utf-8")
    record = extract_article(page, "https://mairie.example/budget")
    assert (record["language"], record["language_declared"]) == ("fr", "en")
    assert record["provenance"]["language"] == "text" and record["provenance"]["language_declared"] == "html"
