"""Error pages speak the user's language: no English "Not Found" on a Japanese screen."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def test_an_unknown_page_answers_404_in_japanese_with_a_way_back(client, db):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 404
    assert "ページが見つかりません" in response.text
    assert 'href="/"' in response.text
    assert "Not Found" not in response.text


def test_a_refused_page_answers_403_in_japanese(client, handler):
    client.force_login(handler)
    response = client.get("/intake/settings/", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 403
    assert "この操作は許可されていません" in response.text
    assert "Forbidden" not in response.text


@pytest.mark.parametrize(
    "language, text", [("ja", "エラーが発生しました"), ("en", "Something went wrong")]
)
def test_the_server_error_page_renders_without_a_request_and_says_how_to_report(language, text):
    with translation.override(language):
        html = render_to_string("500.html")
    assert text in html
    assert "{%" not in html and "None" not in html


def test_the_permission_denied_handler_uses_the_403_page(rf: RequestFactory, handler):
    from django.views.defaults import permission_denied

    request = rf.get("/x/")
    request.user = handler
    with translation.override("ja"):
        response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "この操作は許可されていません" in response.content.decode()
