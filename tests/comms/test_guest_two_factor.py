"""Two-factor authentication for outside responders where the organisation requires it
(TWO_FACTOR_REQUIRED_FOR_GUESTS): after the password on the one-time link, a TOTP is enrolled
(django-allauth's MFA) before the incident is seen; no grace period."""

from datetime import timedelta

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from comms.models import GuestInvitation
from isms_csirt import settings as project_settings
from tests.comms.test_guests import PASSWORD, _invite, _signed_in

ENROL = "/accounts/2fa/"
ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_GUESTS = True


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine


def _enrol(guest) -> pyotp.TOTP:
    page = guest.get(ACTIVATE)
    assert page.status_code == 200  # no second password prompt: it was set a moment ago
    app = pyotp.TOTP(page.context["form"].secret)
    assert guest.post(ACTIVATE, {"code": app.now()}).status_code == 302
    return app


def test_guests_need_a_second_factor_by_default():
    assert project_settings.TWO_FACTOR_REQUIRED_FOR_GUESTS is True


def test_a_guest_enrols_a_totp_before_seeing_the_incident(incident, csirt_lead, required, frozen):
    _invitation, token = _invite(incident, csirt_lead, role="CONTRIBUTE")
    guest = _signed_in(token)
    stopped = guest.get("/guest/")
    assert stopped.status_code == 302 and stopped["Location"] == ENROL
    assert guest.post("/guest/fact/", {"kind": "leak", "status": "SUSPECTED"})["Location"] == ENROL
    assert guest.get(f"/incidents/{incident.ref}/")["Location"] == ENROL
    app = _enrol(guest)
    user = GuestInvitation.objects.get().guest
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    frozen.shift(timedelta(seconds=30))
    verify = guest.get("/guest/")
    assert verify.status_code == 302 and verify["Location"].startswith(ENROL + "reauthenticate/")
    assert guest.post(verify["Location"], {"code": app.now()}).status_code == 302
    page = guest.get("/guest/")
    assert page.status_code == 200 and incident.title in page.text
    assert guest.get(f"/incidents/{incident.ref}/").status_code == 404


def test_a_wrong_code_enrols_nothing_and_the_incident_stays_hidden(incident, csirt_lead, required):
    _invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    guest.get(ACTIVATE)
    assert guest.post(ACTIVATE, {"code": "000000"}).status_code == 200
    assert not Authenticator.objects.exists()
    assert guest.get("/guest/")["Location"] == ENROL


def test_an_enrolled_guest_signs_in_again_with_password_and_code(
    incident, csirt_lead, required, frozen
):
    _invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    app = _enrol(guest)
    guest.post("/accounts/logout/")
    frozen.shift(timedelta(seconds=30))
    signed = guest.post("/accounts/login/", {"username": "sato@xyz.example", "password": PASSWORD})
    assert signed["Location"] == "/accounts/2fa/authenticate/"
    assert guest.post("/accounts/2fa/authenticate/", {"code": app.now()}).status_code == 302
    assert guest.get("/")["Location"] == "/guest/"
    assert guest.get("/guest/").status_code == 200


def test_without_the_setting_a_guest_goes_straight_to_the_incident(incident, csirt_lead):
    _invitation, token = _invite(incident, csirt_lead)
    guest = _signed_in(token)
    assert guest.get("/guest/").status_code == 200


def test_staff_roles_keep_their_grace_period_when_guests_need_the_factor_at_once(
    client, isms_office, required, settings
):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["ISMS_OFFICE"]
    client.force_login(isms_office)
    assert client.get("/").status_code == 200
