"""Several reasons on one line use the reader's separator: no ASCII "; " inside Japanese."""

from django.utils import translation

from risklevels.explain import join_reasons


def test_reasons_are_joined_with_a_full_width_separator_in_japanese():
    with translation.override("ja"):
        assert join_reasons(["感染PC 2 台", "新たな感染"]) == "感染PC 2 台；新たな感染"


def test_reasons_are_joined_with_a_semicolon_in_english():
    with translation.override("en"):
        assert join_reasons(["two PCs", "a new infection"]) == "two PCs; a new infection"
