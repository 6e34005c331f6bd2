import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def test_root_redirects_anonymous_user_to_the_japanese_login_page(client, db):
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(f"{LOGIN}?next=/")
    assert response.status_code == 200
    assert 'lang="ja"' in response.text
    assert "ログイン" in response.text


def test_lang_parameter_shows_the_login_page_in_english(client, db):
    response = client.get(f"{LOGIN}?lang=en")
    assert 'lang="en"' in response.text
    assert "Log in" in response.text
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_login_page_leads_to_the_report_path_and_says_how_workers_without_an_account_report(
    client, db
):
    response = client.get(LOGIN)
    assert 'href="/report/"' in response.text
    assert "不審なメールを開いてしまったら" in response.text
    assert "掲示板のポスターのQRコード" in response.text


def test_valid_credentials_log_in_and_reach_the_dashboard(client, reporter):
    response = _login(client, "reporter", PASSWORD, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == reporter
    assert response.redirect_chain[-1][0] == "/"


def test_login_redirects_only_to_local_next_paths(client, reporter):
    response = client.post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "reporter", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", ["//evil.example/x", "/\\evil.example", "http:/x"])
def test_login_ignores_protocol_relative_and_scheme_next(client, reporter, target):
    response = client.post(LOGIN, {"username": "reporter", "password": PASSWORD, "next": target})
    assert response["Location"] == "/"


def test_login_follows_a_local_next_path(client, reporter):
    response = client.post(
        LOGIN, {"username": "reporter", "password": PASSWORD, "next": "/accounts/profile/"}
    )
    assert response["Location"] == "/accounts/profile/"


def test_repeated_failures_lock_out_the_username_from_that_address_only(client, reporter):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "reporter", "wrong-password")
    locked = _login(client, "reporter", PASSWORD)
    assert locked.status_code == 429
    assert not locked.wsgi_request.user.is_authenticated
    elsewhere = _login(client, "reporter", PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


def test_unknown_and_existing_usernames_get_the_same_answer(client, reporter):
    answers = []
    for username in ("reporter", "nobody-here"):
        for _ in range(settings.LOGIN_FAILURE_LIMIT + 1):
            response = _login(client, username, "wrong-password")
        answers.append(response.context["form"].non_field_errors())
    assert answers[0] == answers[1]


def test_password_reset_answers_the_same_for_unknown_addresses(client, reporter, mailoutbox):
    known = client.post(reverse("accounts:password_reset"), {"email": reporter.email})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mailoutbox) == 1


def test_password_reset_mail_is_rate_limited(client, reporter, mailoutbox):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_HOUR + 3):
        response = client.post(reverse("accounts:password_reset"), {"email": reporter.email})
        assert response.status_code == 302
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_HOUR


def test_language_switch_persists_for_the_user(client, reporter):
    client.force_login(reporter)
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    reporter.refresh_from_db()
    assert reporter.preferred_language == "en"
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert 'lang="en"' in client.get("/").text


def test_language_switch_rejects_external_next(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_logout_requires_post_and_ends_the_session(client, reporter):
    client.force_login(reporter)
    client.post(reverse("accounts:logout"))
    assert client.get("/").status_code == 302


def test_behind_a_trusted_proxy_the_lockout_keys_on_the_forwarded_client(
    client, reporter, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        _login(client, "reporter", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    locked = _login(client, "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert not locked.wsgi_request.user.is_authenticated
    other = _login(
        client, "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1", **proxy
    )
    assert other.status_code == 302
