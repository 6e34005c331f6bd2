from django.utils import translation

from common.text import join_list


def test_names_are_joined_with_the_ideographic_comma_in_japanese():
    with translation.override("ja"):
        assert join_list(["佐藤", "鈴木"]) == "佐藤、鈴木"


def test_names_are_joined_with_a_comma_and_space_in_english():
    with translation.override("en"):
        assert join_list(["Sato", "Suzuki"]) == "Sato, Suzuki"
