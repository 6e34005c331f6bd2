"""Two-factor authentication (django-allauth's MFA) and the policy that requires it."""

import json
import re
from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from bcp.services import decisions
from isms_csirt import settings as project_settings
from tests.bcp.conftest import PHISH, file_report, incident  # noqa: F401
from tests.conftest import PASSWORD

LOGIN = "/accounts/login/"
AUTHENTICATE = "/accounts/2fa/authenticate/"
ENROL = "/accounts/2fa/"
STEP = timedelta(seconds=30)


@pytest.fixture(autouse=True)
def _policy_on(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = project_settings.TWO_FACTOR_REQUIRED_ROLES
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = project_settings.TWO_FACTOR_REQUIRED_FOR_STAFF


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def _totp(user) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return pyotp.TOTP(secret)


def _password(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "next": "/"})


def _reauthenticate(client):
    """allauth asks for the password again before a factor is added or shown."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def _decide(client, decision):
    body = {"outcome": "APPROVED", "scope": "PARTIAL", "rationale": "営業部のみ切り離す"}
    page = f"http://testserver/decisions/{decision.pk}/"
    return client.post(f"/decisions/{decision.pk}/decide/", body, HTTP_REFERER=page)


@pytest.fixture
def decision(incident):  # noqa: F811
    return decisions.decision_open(incident=incident, decision_type="ACTIVATE_CYBER_BCP")


def test_the_policy_defaults_to_decision_makers_the_isms_office_the_csirt_lead_and_staff():
    assert set(project_settings.TWO_FACTOR_REQUIRED_ROLES) == {
        "DECISION_MAKER",
        "ISMS_OFFICE",
        "CSIRT_LEAD",
    }
    assert project_settings.TWO_FACTOR_REQUIRED_FOR_STAFF is True
    assert project_settings.TWO_FACTOR_GRACE_DAYS == 7


# --- Signing in ---------------------------------------------------------------------------------


def test_an_enrolled_user_is_not_signed_in_by_the_password_alone(client, decision_maker, clock):
    _totp(decision_maker)
    response = _password(client, "president")
    assert response.status_code == 302
    assert response["Location"] == AUTHENTICATE
    assert client.get("/").status_code == 302  # still anonymous
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_totp_login_end_to_end_with_an_authenticator_code(client, decision_maker, clock):
    app = _totp(decision_maker)
    _password(client, "president")
    wrong = client.post(AUTHENTICATE, {"code": "000000"})
    assert wrong.status_code == 200
    assert not wrong.wsgi_request.user.is_authenticated
    response = client.post(AUTHENTICATE, {"code": app.now()})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == decision_maker


def test_a_recovery_code_signs_in_once(client, decision_maker, clock):
    _totp(decision_maker)
    code = RecoveryCodes.activate(decision_maker).get_unused_codes()[0]
    _password(client, "president")
    assert client.post(AUTHENTICATE, {"code": code})["Location"] == "/"
    client.post("/accounts/logout/")
    _password(client, "president")
    reused = client.post(AUTHENTICATE, {"code": code})
    assert reused.status_code == 200
    assert not reused.wsgi_request.user.is_authenticated


def test_a_user_without_a_factor_signs_in_with_the_password(client, reporter):
    assert _password(client, "reporter")["Location"] == "/"


# --- Acceptance: deciding needs the second factor -----------------------------------------------


def test_a_decision_maker_signed_in_by_password_only_cannot_decide(
    client, decision_maker, decision, clock
):
    _totp(decision_maker)
    client.force_login(decision_maker)  # a session without the second factor (e.g. the admin's)
    response = _decide(client, decision)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")
    decision.refresh_from_db()
    assert decision.status == "OPEN" and decision.decided_by is None


def test_an_unenrolled_decision_maker_in_the_grace_period_cannot_decide(
    client, decision_maker, decision
):
    client.force_login(decision_maker)
    assert client.get("/").status_code == 200  # the grace period lets them in
    response = _decide(client, decision)
    assert response["Location"] == ENROL
    decision.refresh_from_db()
    assert decision.decided_by is None


def test_a_decision_maker_decides_after_passing_the_second_factor(
    client, decision_maker, decision, clock
):
    app = _totp(decision_maker)
    _password(client, "president")
    client.post(AUTHENTICATE, {"code": app.now()})
    response = _decide(client, decision)
    assert response["Location"] == f"/decisions/{decision.pk}/"
    decision.refresh_from_db()
    assert decision.decided_by == decision_maker


def test_verifying_later_in_the_session_unlocks_deciding(client, decision_maker, decision, clock):
    app = _totp(decision_maker)
    client.force_login(decision_maker)
    back = f"/decisions/{decision.pk}/"
    verify = _decide(client, decision)["Location"]
    assert verify == f"/accounts/2fa/reauthenticate/?next={back.replace('/', '%2F')}"
    assert client.post(verify, {"code": app.now()})["Location"] == back
    clock.shift(STEP)
    assert _decide(client, decision)["Location"] == back
    decision.refresh_from_db()
    assert decision.decided_by == decision_maker


def test_the_rule_follows_the_role_setting(client, decision_maker, decision, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["ISMS_OFFICE"]
    client.force_login(decision_maker)
    _decide(client, decision)
    decision.refresh_from_db()
    assert decision.decided_by == decision_maker


# --- The grace period and enrolment --------------------------------------------------------------


def test_within_the_grace_period_pages_open_with_a_reminder(client, isms_office):
    client.force_login(isms_office)
    response = client.get("/")
    assert response.status_code == 200
    assert "二要素認証" in response.text
    isms_office.refresh_from_db()
    assert isms_office.two_factor_required_since is not None


def test_after_the_grace_period_every_page_leads_to_enrolment(client, isms_office, clock):
    _password(client, "isms")
    client.get("/")
    clock.shift(timedelta(days=7, seconds=1))
    for page in ("/", "/dashboard/incidents/", "/accounts/profile/"):
        assert client.get(page)["Location"] == ENROL
    assert client.get(ENROL).status_code == 200
    # allauth asks for the password again before a factor is added
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )


def test_the_grace_period_is_a_setting(client, isms_office, clock, settings):
    settings.TWO_FACTOR_GRACE_DAYS = 1
    client.force_login(isms_office)
    client.get("/")
    clock.shift(timedelta(days=1, seconds=1))
    assert client.get("/")["Location"] == ENROL


def test_someone_the_policy_does_not_cover_is_never_sent_to_enrolment(client, reporter, clock):
    client.force_login(reporter)
    clock.shift(timedelta(days=30))
    response = client.get("/")
    assert response.status_code == 200
    assert "二要素認証を設定" not in response.text


def test_enrolling_totp_with_an_authenticator_app_code(client, csirt_lead, clock):
    _password(client, "csirt")
    _reauthenticate(client)
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text
    secret = page.context["form"].secret
    response = client.post(
        "/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()}, follow=True
    )
    assert response.status_code == 200
    assert Authenticator.objects.filter(user=csirt_lead, type="totp").exists()
    assert Authenticator.objects.filter(user=csirt_lead, type="recovery_codes").exists()


def test_the_enrolment_page_is_the_site_s_page_in_japanese_and_english(client, csirt_lead):
    _password(client, "csirt")
    japanese = client.get(ENROL).text
    assert 'href="/static/css/app.css"' in japanese
    assert "二要素認証" in japanese
    assert 'name="viewport"' in japanese
    english = client.get(f"{ENROL}?lang=en").text
    assert "Two-Factor Authentication" in english


def test_the_webauthn_registration_options_are_rendered_for_the_browser_script(client, csirt_lead):
    _password(client, "csirt")
    _reauthenticate(client)
    page = client.get("/accounts/2fa/webauthn/add/")
    assert page.status_code == 200
    data = re.search(r'<script id="js_data" type="application/json">(.*?)</script>', page.text)
    assert data is not None
    options = json.loads(data.group(1))["creation_options"]["publicKey"]
    assert options["rp"] == {"name": "isms-csirt", "id": "testserver"}
    assert options["challenge"]
    assert options["user"]["displayName"] == str(csirt_lead)
    # Only external scripts and JSON data blocks: the CSP (script-src 'self') holds.
    for tag in re.findall(r"<script[^>]*>", page.text):
        assert "src=" in tag or 'type="application/json"' in tag, tag


# --- Other sign-in paths -------------------------------------------------------------------------


def test_the_admin_login_of_an_enrolled_staff_user_still_asks_for_the_second_factor(
    client, db, clock
):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    _totp(admin)
    client.post("/admin/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_a_session_api_call_without_the_second_factor_gets_a_403(client, decision_maker, clock):
    _totp(decision_maker)
    client.force_login(decision_maker)
    response = client.get("/api/v1/incidents/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"


@pytest.mark.parametrize("path", ["/accounts/email/", "/accounts/password/set/"])
def test_allauth_pages_the_site_does_not_offer_are_not_found(client, reporter, path):
    client.force_login(reporter)
    assert client.get(path).status_code == 404


def test_nobody_signs_themselves_up(client, db):
    client.post("/accounts/signup/", {"username": "intruder", "password1": "Xy7!long-password-9"})
    from accounts.models import User

    assert not User.objects.filter(username="intruder").exists()
