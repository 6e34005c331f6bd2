"""An organisation's single sign-on set-up: the secret at rest, the sign-in buttons, the entry
address, and who the email match may find (the full flow: tests/accounts/test_sso.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts import sso
from accounts.models import IdentityProvider
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def provider(organisation):
    return IdentityProvider.objects.create(
        organisation=organisation,
        slug="test-co",
        issuer_url="https://login.example.com/tenant/v2.0",
        client_id="client-1",
        client_secret_encrypted=sso.encrypt_secret("s3cret-value"),
    )


def test_the_client_secret_is_stored_encrypted_and_read_back(provider):
    stored = IdentityProvider.objects.values_list("client_secret_encrypted", flat=True).get()

    assert "s3cret-value" not in stored
    assert sso.client_secret(provider) == "s3cret-value"


def test_without_a_stored_secret_the_environment_gives_it(provider, monkeypatch):
    provider.client_secret_encrypted = ""
    monkeypatch.setenv("OIDC_CLIENT_SECRET_TEST_CO", "from-the-env")

    assert sso.client_secret(provider) == "from-the-env"


def test_the_admin_form_encrypts_a_new_secret_and_keeps_the_old_one_when_left_empty(
    provider, admin_client
):
    url = reverse("admin:accounts_identityprovider_change", args=[provider.pk])
    form = {
        "organisation": provider.organisation_id,
        "slug": "test-co",
        "label": "Entra ID",
        "issuer_url": provider.issuer_url,
        "client_id": "client-1",
        "is_enabled": "on",
        "client_secret": "",
    }
    assert admin_client.post(url, form).status_code == 302
    provider.refresh_from_db()
    assert sso.client_secret(provider) == "s3cret-value"

    assert admin_client.post(url, {**form, "client_secret": "rotated"}).status_code == 302
    provider.refresh_from_db()
    assert sso.client_secret(provider) == "rotated"
    assert "rotated" not in provider.client_secret_encrypted


def test_the_login_page_offers_the_organisation_s_sign_in_in_japanese(client, provider):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()

    assert "組織のアカウントでサインイン（テスト株式会社）" in page
    assert reverse("openid_connect_login", kwargs={"provider_id": "test-co"}) in page


def test_the_login_page_offers_no_disabled_provider(client, provider):
    provider.is_enabled = False
    provider.save()

    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Sign in with your organisation" not in page


def test_the_organisation_s_entry_address_shows_its_button(client, provider):
    page = client.get(reverse("accounts:sso_entry", args=["test-co"]), HTTP_ACCEPT_LANGUAGE="en")

    assert page.status_code == 200
    assert "account (テスト株式会社)</button>" in page.content.decode()


def test_an_unknown_entry_address_is_not_found(client, db):
    assert client.get(reverse("accounts:sso_entry", args=["nobody"])).status_code == 404


def test_the_match_finds_the_person_of_the_organisation_ignoring_case(provider, organisation):
    person = UserFactory(organisation=organisation, email="Hanako@Example.com")

    assert sso.user_for_sign_in(provider=provider, claims={"email": "hanako@example.com"}) == person


def test_the_match_never_finds_a_person_of_another_organisation(provider):
    UserFactory(organisation=OrganisationFactory(), email="hanako@example.com")

    with pytest.raises(sso.SignInRefused) as refused:
        sso.user_for_sign_in(provider=provider, claims={"email": "hanako@example.com"})
    assert refused.value.code == "unknown_user"


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({}, "no_email"),
        ({"email": "hanako@example.com", "email_verified": False}, "email_unverified"),
    ],
)
def test_no_or_an_unverified_address_is_refused(provider, organisation, claims, code):
    UserFactory(organisation=organisation, email="hanako@example.com")

    with pytest.raises(sso.SignInRefused) as refused:
        sso.user_for_sign_in(provider=provider, claims=claims)
    assert refused.value.code == code


def test_two_people_of_the_organisation_with_one_address_are_refused(provider, organisation):
    UserFactory(organisation=organisation, email="shared@example.com")
    UserFactory(organisation=organisation, email="shared@example.com")

    with pytest.raises(sso.SignInRefused) as refused:
        sso.user_for_sign_in(provider=provider, claims={"email": "shared@example.com"})
    assert refused.value.code == "ambiguous_user"
