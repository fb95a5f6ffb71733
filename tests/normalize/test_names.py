"""Name casing: all-caps and all-lowercase names are re-cased, mixed case is kept."""
from __future__ import annotations

import pytest

from newsarchive.normalize.names import name_key, needs_recasing, recase_name


@pytest.mark.parametrize(("raw", "want"), [
    ("JANE DOE", "Jane Doe"),
    ("jane doe", "Jane Doe"),
    ("PETER MCGREGOR", "Peter McGregor"),
    ("ROSA MCALLISTER-KEANE", "Rosa McAllister-Keane"),
    ("SEAN O'BRIEN", "Sean O'Brien"),
    ("sean o’brien", "Sean O’Brien"),
    ("LUCA D'ANGELO", "Luca D'Angelo"),
    ("JAN VAN DER BERG", "Jan van der Berg"),
    ("maria de la garza", "Maria de la Garza"),
    ("ANNA VON UND ZU HOHENSTEIN", "Anna von und zu Hohenstein"),
    ("LIN CHIEN-MING", "Lin Chien-Ming"),
    ("ELLA TREMAYNE-POLDARK", "Ella Tremayne-Poldark"),
    ("JAMES S.A. WRIGHT", "James S.A. Wright"),
    ("robert l. stone iii", "Robert L. Stone III"),
    ("NBC", "NBC"),
    ("JANE NG", "Jane Ng"),
])
def test_recase_fixes_all_caps_and_all_lowercase(raw, want):
    assert recase_name(raw) == want


@pytest.mark.parametrize(("raw", "want"), [
    ("DOUGLAS MACARTHUR", "Douglas MacArthur"),
    ("FIONA MACLEOD", "Fiona MacLeod"),
    # "Mac" is applied only to known Mac surnames: these are ordinary names.
    ("ANGUS MACK", "Angus Mack"),
    ("LUIS MACHADO", "Luis Machado"),
    ("ROSE MACY", "Rose Macy"),
    ("ELENA MACIAS", "Elena Macias"),
])
def test_mac_prefix_only_where_safe(raw, want):
    assert recase_name(raw) == want


@pytest.mark.parametrize("name", ["DeShawn Carter", "Chokri BENALI", "danah Boyd", "Jan de Vries", "ET Online",
                                  "Kees van Dongen", "McKenzie Fox"])
def test_mixed_case_names_are_kept_as_written(name):
    assert not needs_recasing(name)
    assert recase_name(name) == name


def test_name_key_ignores_case_and_accents():
    assert name_key("José Pérez") == name_key("JOSE PEREZ")
    assert name_key("J.S. Wright") == name_key("j. s. wright")
