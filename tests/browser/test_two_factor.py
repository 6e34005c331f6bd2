"""Two-factor authentication in real Chromium: a phone enrols an authenticator app, a desktop
adds a security key (Chromium's virtual WebAuthn authenticator through CDP) and signs in with it.
"""

import re

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone
from playwright.sync_api import Page, expect

from isms_csirt import settings as project_settings
from tests.browser.conftest import open_menu, shoot, submit
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The home page exactly: a glob such as "**/" also matches the page being left.
HOME = re.compile(r"^https?://[^/]+/$")


@pytest.fixture(autouse=True)
def _policy_on(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = project_settings.TWO_FACTOR_REQUIRED_ROLES


def _password(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def _log_out(page: Page) -> None:
    submit(page.get_by_role("button", name="ログアウト"))


def _reauthenticate(page: Page) -> None:
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").first.click()


def test_a_phone_enrols_an_authenticator_app_and_signs_in_with_its_code(
    phone, csirt_lead, time_machine
):
    time_machine.move_to(timezone.now(), tick=True)
    _password(phone, "csirt")
    phone.wait_for_url(HOME)
    expect(phone.locator("main")).to_contain_text("二要素認証を設定する")
    phone.goto("/accounts/2fa/")
    shoot(phone, "2fa-index-phone")
    phone.goto("/accounts/2fa/totp/activate/")
    _reauthenticate(phone)
    phone.wait_for_url("**/accounts/2fa/totp/activate/")
    shoot(phone, "2fa-totp-activate-phone")
    secret = phone.locator("#authenticator_secret").input_value()
    phone.fill("input[name=code]", pyotp.TOTP(secret).now())
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/accounts/2fa/recovery-codes/**")
    shoot(phone, "2fa-recovery-codes-phone")
    assert Authenticator.objects.filter(user=csirt_lead, type="totp").exists()

    open_menu(phone)
    _log_out(phone)
    _password(phone, "csirt")
    phone.wait_for_url("**/accounts/2fa/authenticate/")
    shoot(phone, "2fa-authenticate-phone")
    time_machine.shift(30)  # the next code: a code is accepted once
    phone.fill("input[name=code]", pyotp.TOTP(secret).now())
    phone.locator("main form button[type=submit]").first.click()
    phone.wait_for_url(HOME)
    expect(phone.locator("header")).to_contain_text(str(csirt_lead))


def test_a_security_key_is_added_and_signs_in(desktop, csirt_lead):
    cdp = desktop.context.new_cdp_session(desktop)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "usb",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    _password(desktop, "csirt")
    desktop.wait_for_url(HOME)  # signed in before going on: a goto would cut the sign-in short
    desktop.goto("/accounts/2fa/webauthn/add/")
    _reauthenticate(desktop)
    desktop.wait_for_url("**/accounts/2fa/webauthn/add/")
    desktop.locator("#mfa_webauthn_add").click()
    desktop.wait_for_url("**/accounts/2fa/recovery-codes/**")
    assert Authenticator.objects.filter(user=csirt_lead, type="webauthn").exists()

    _log_out(desktop)
    _password(desktop, "csirt")
    desktop.wait_for_url("**/accounts/2fa/authenticate/")
    desktop.locator("#mfa_webauthn_authenticate").click()
    desktop.wait_for_url(HOME)
    expect(desktop.locator("header")).to_contain_text(str(csirt_lead))
