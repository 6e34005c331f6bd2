"""Channel secrets at rest: encrypted with a key derived from SECRET_KEY, rotation-safe."""

from __future__ import annotations

import pytest

from notifications import crypto


def test_a_value_round_trips_and_is_not_stored_in_clear():
    token = crypto.encrypt("https://hooks.example.com/secret-path")
    assert "secret-path" not in token
    assert crypto.decrypt(token) == "https://hooks.example.com/secret-path"


def test_values_written_before_a_key_rotation_still_open_with_the_fallback(settings):
    token = crypto.encrypt("value")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-key"
    assert crypto.decrypt(token) == "value"


def test_an_unknown_key_is_an_error_not_garbage(settings):
    token = crypto.encrypt("value")
    settings.SECRET_KEY = "another-key"
    with pytest.raises(ValueError):
        crypto.decrypt(token)


def test_empty_stays_empty():
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""
