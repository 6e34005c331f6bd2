"""Single sign-on through an organisation's OpenID Connect provider, against a real provider:
django-oauth-toolkit in a second process (tests/oidc_provider), driven through the
authorization-code flow with PKCE by the site's test client and a requests session."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.test import Client
from django.urls import reverse

from accounts import sso
from accounts.models import IdentityProvider, User
from tests.common.stack import REPO_ROOT, free_port, stop, wait_until
from tests.factories import OrganisationFactory, UserFactory

CLIENT_ID = "isms-csirt-test"
CLIENT_SECRET = "test-client-secret-made-for-this-run"
PASSWORD = "provider-password-1"
SLUG_A = "org-a"
CALLBACK_A = f"http://testserver/accounts/oidc/{SLUG_A}/login/callback/"
PEOPLE = {
    "alice": "alice@a.example",  # in organisation A
    "bob": "bob@b.example",  # only in organisation B
    "nobody": "nobody@x.example",  # nowhere
}


@pytest.fixture(scope="module")
def provider_url(tmp_path_factory):
    """The provider's issuer URL; the process runs for this module and is stopped after it."""
    directory = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    config = {
        "dir": str(directory),
        "port": port,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [CALLBACK_A],
        "users": [
            {"username": name, "email": email, "password": PASSWORD}
            for name, email in PEOPLE.items()
        ],
    }
    (directory / "config.json").write_text(json.dumps(config))
    log = (directory / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(directory / "config.json")],
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    issuer = f"http://127.0.0.1:{port}/o"

    def answers() -> bool:
        assert process.poll() is None, (directory / "provider.log").read_text()
        try:
            return requests.get(f"{issuer}/.well-known/openid-configuration", timeout=5).ok
        except requests.ConnectionError:
            return False

    try:
        wait_until(answers, timeout=120, what=lambda: (directory / "provider.log").read_text())
        yield issuer
    finally:
        stop({"provider": process})
        log.close()


@pytest.fixture
def other_browser():
    return Client()


@pytest.fixture
def organisation_a(db, provider_url):
    organisation = OrganisationFactory(name="A株式会社")
    IdentityProvider.objects.create(
        organisation=organisation,
        slug=SLUG_A,
        label="Test IdP",
        issuer_url=provider_url,
        client_id=CLIENT_ID,
        client_secret_encrypted=sso.encrypt_secret(CLIENT_SECRET),
    )
    return organisation


@pytest.fixture
def alice(organisation_a):
    return UserFactory(organisation=organisation_a, username="alice-a", email="alice@a.example")


@pytest.fixture
def bob_in_b(db):
    return UserFactory(
        organisation=OrganisationFactory(name="B株式会社"), username="bob-b", email="bob@b.example"
    )


def provider_redirect(client) -> str:
    """Press the organisation's sign-in button; the address at the provider it sends us to."""
    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": SLUG_A}), {"process": "login"}
    )
    assert response.status_code == 302, response.content
    return response["Location"]


def sign_in_at_provider(authorize_url: str, username: str) -> str:
    """Sign in at the provider as ``username``; the callback address it sends the browser to."""
    browser = requests.Session()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(authorize_url))
    page = browser.get(f"{origin}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = browser.post(
        f"{origin}/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        headers={"Referer": f"{origin}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 302, signed_in.text
    answer = browser.get(authorize_url, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    callback = answer.headers["Location"]
    assert callback.startswith(CALLBACK_A), callback
    return callback


def come_back(client, callback: str, **headers):
    parts = urlsplit(callback)
    return client.get(f"{parts.path}?{parts.query}", **headers)


def signed_in_user_id(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_a_person_of_organisation_a_signs_in_through_a_s_provider_as_that_person(
    client, alice, provider_url
):
    callback = sign_in_at_provider(provider_redirect(client), "alice")

    response = come_back(client, callback)

    assert response.status_code == 302, response.content.decode()
    assert signed_in_user_id(client) == alice.pk
    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert page.wsgi_request.user.organisation == alice.organisation


def test_the_same_email_in_another_organisation_is_refused_and_nobody_is_created(
    client, organisation_a, bob_in_b
):
    users_before = User.objects.count()
    callback = sign_in_at_provider(provider_redirect(client), "bob")

    response = come_back(client, callback, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 403
    assert "No account with the email address bob@b.example exists in A株式会社" in (
        response.content.decode()
    )
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users_before
    assert not SocialAccount.objects.exists()


def test_the_refusal_is_in_japanese_for_a_japanese_browser(client, organisation_a, bob_in_b):
    callback = sign_in_at_provider(provider_redirect(client), "bob")

    response = come_back(client, callback, HTTP_ACCEPT_LANGUAGE="ja")

    assert response.status_code == 403
    assert "bob@b.example のアカウントは A株式会社 にありません" in response.content.decode()


def test_an_email_no_organisation_knows_is_refused(client, organisation_a, alice):
    users_before = User.objects.count()
    callback = sign_in_at_provider(provider_redirect(client), "nobody")

    response = come_back(client, callback)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users_before


def test_a_callback_with_a_state_this_browser_never_sent_is_refused(client, alice):
    callback = sign_in_at_provider(provider_redirect(client), "alice")
    forged = re.sub(r"state=[^&]+", "state=forged-state", callback)

    response = come_back(client, forged, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "Signing in with your organisation" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_callback_cannot_be_replayed_in_another_browser(client, other_browser, alice):
    """The state lives in the session of the browser that started: a stolen callback address
    opened elsewhere signs nobody in."""
    callback = sign_in_at_provider(provider_redirect(client), "alice")

    response = come_back(other_browser, callback)

    assert response.status_code == 400
    assert signed_in_user_id(other_browser) is None


def test_a_forged_code_is_refused(client, alice):
    callback = sign_in_at_provider(provider_redirect(client), "alice")
    forged = re.sub(r"code=[^&]+", "code=not-a-code-the-provider-gave", callback)

    response = come_back(client, forged)

    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_the_provider_is_asked_for_pkce(client, alice):
    query = parse_qs(urlsplit(provider_redirect(client)).query)

    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [CALLBACK_A]


def test_an_inactive_person_is_refused(client, alice):
    User.objects.filter(pk=alice.pk).update(is_active=False)
    callback = sign_in_at_provider(provider_redirect(client), "alice")

    response = come_back(client, callback)

    assert response.status_code == 403
    assert signed_in_user_id(client) is None


def test_a_disabled_provider_does_not_start_a_sign_in(client, alice):
    IdentityProvider.objects.update(is_enabled=False)

    response = client.post(
        reverse("openid_connect_login", kwargs={"provider_id": SLUG_A}), {"process": "login"}
    )

    assert response.status_code == 404


def test_the_site_s_second_factor_is_still_asked_after_the_provider(client, alice):
    """The provider's word (amr/acr) is not the site's second factor: an enrolled person
    passes the site's own before the session is signed in."""
    secret = pyotp.random_base32()
    TOTP.activate(alice, secret)
    callback = sign_in_at_provider(provider_redirect(client), "alice")

    response = come_back(client, callback)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    verified = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
    assert verified.status_code == 302
    assert signed_in_user_id(client) == alice.pk
