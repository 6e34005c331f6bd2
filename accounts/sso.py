"""Single sign-on through an organisation's OpenID Connect provider, on django-allauth.

allauth's ``openid_connect`` provider runs the authorization-code flow (state, PKCE, the ID
token's issuer and audience); this module decides who the person is:

* each ``IdentityProvider`` row becomes an allauth app whose ``provider_id`` is its slug, so the
  callback knows the organisation before anyone is looked up;
* the email the provider asserts is matched to an existing, active person of THAT organisation
  only. Nobody is created, and the same address in another organisation is never matched;
* the site's two-factor policy still applies: allauth asks an enrolled person for the second
  factor after the provider, and ``accounts.two_factor`` counts only the site's own factor
  (what the provider says in ``amr``/``acr`` is not taken as proof).
"""

from __future__ import annotations

import os
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from allauth.socialaccount.providers.base import AuthProcess
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.models import IdentityProvider, User
from common import crypto

PROVIDER = "openid_connect"
_SECRET_PURPOSE = b"isms-csirt single sign-on client secrets v1"


class SignInRefused(Exception):
    """The provider vouched for someone this organisation does not know (or not clearly)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def encrypt_secret(secret: str) -> str:
    return crypto.encrypt(secret, purpose=_SECRET_PURPOSE)


def client_secret(provider: IdentityProvider) -> str:
    """The stored (encrypted) secret, else the environment's ``OIDC_CLIENT_SECRET_<SLUG>``."""
    if provider.client_secret_encrypted:
        return crypto.decrypt(provider.client_secret_encrypted, purpose=_SECRET_PURPOSE)
    return os.environ.get(secret_env_name(provider.slug), "")


def secret_env_name(slug: str) -> str:
    return "OIDC_CLIENT_SECRET_" + slug.upper().replace("-", "_")


def as_app(provider: IdentityProvider) -> SocialApp:
    """The provider as an allauth app (in memory, never saved: the secret stays encrypted)."""
    return SocialApp(
        provider=PROVIDER,
        provider_id=provider.slug,
        name=provider.label or provider.organisation.name,
        client_id=provider.client_id,
        secret=client_secret(provider),
        settings={"server_url": provider.issuer_url, "oauth_pkce_enabled": True},
    )


def enabled_providers():
    return IdentityProvider.objects.filter(is_enabled=True).select_related("organisation")


def claims_of(sociallogin: SocialLogin) -> dict[str, Any]:
    """The userinfo answer, falling back to the ID token (allauth keeps both)."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def user_for_sign_in(*, provider: IdentityProvider, claims: dict[str, Any]) -> User:
    """The existing active person of the provider's organisation with the asserted email.

    Raises SignInRefused when there is no such person (even if the address exists in another
    organisation), when the provider gives no address or says it is unverified, or when two
    people of the organisation share it.
    """
    email = (claims.get("email") or "").strip()
    if not email:
        raise SignInRefused(
            "no_email", _("Your organisation's sign-in service did not give an email address.")
        )
    if claims.get("email_verified") in (False, "false"):
        raise SignInRefused(
            "email_unverified",
            _("Your organisation's sign-in service says this email address is not verified."),
        )
    candidates = list(
        User.objects.filter(
            organisation_id=provider.organisation_id,
            email__iexact=email,
            is_active=True,
            api_key__isnull=True,
        )[:2]
    )
    if not candidates:
        raise SignInRefused(
            "unknown_user",
            _(
                "No account with the email address %(email)s exists in %(organisation)s. "
                "Ask your ISMS office to create one."
            )
            % {"email": email, "organisation": provider.organisation.name},
        )
    if len(candidates) > 1:
        raise SignInRefused(
            "ambiguous_user",
            _(
                "More than one account in %(organisation)s has this email address. "
                "Ask your ISMS office to correct it."
            )
            % {"organisation": provider.organisation.name},
        )
    return candidates[0]


def refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "accounts/sso_refused.html", {"message": message}, status=status)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """allauth's single sign-on, bound to the organisations' provider rows."""

    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        rows = enabled_providers()
        if provider and provider != PROVIDER:
            rows = rows.filter(slug=provider)
        if client_id:
            rows = rows.filter(client_id=client_id)
        return [as_app(row) for row in rows]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Replace whatever allauth found with the organisation's own answer, or refuse."""
        provider = enabled_providers().filter(slug=sociallogin.account.provider).first()
        # Only signing in: no "connect" (which would tie the provider's account to whoever is
        # signed in) and no bare "redirect".
        if provider is None or sociallogin.state.get("process") != AuthProcess.LOGIN:
            message = _("Single sign-on is not set up for this organisation.")
            raise ImmediateHttpResponse(refusal(request, message, status=403))
        try:
            user = user_for_sign_in(provider=provider, claims=claims_of(sociallogin))
        except SignInRefused as refused:
            raise ImmediateHttpResponse(refusal(request, refused.message, status=403)) from None
        sociallogin.user = user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: str | None = None,
        exception: Exception | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        """A failed exchange (bad state, a refused or forged code, a bad token): one answer."""
        message = _(
            "Signing in with your organisation's account failed. Start again from the sign-in page."
        )
        raise ImmediateHttpResponse(refusal(request, message, status=400))
