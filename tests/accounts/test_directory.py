"""People and departments kept in the app by the ISMS office (issue 15 item 7): invitation by
email with a set-password link, deactivation instead of deletion, the last holder of the
never-empty roles kept, departments added, renamed, moved and retired only when empty."""

import logging
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from accounts import directory
from accounts.models import OrganisationUnit
from accounts.roles import Role
from common.errors import Conflict, Forbidden, InvalidInput
from tests.factories import RoleAssignmentFactory, UserFactory

User = get_user_model()
PEOPLE = "/accounts/users/"
UNITS = "/accounts/departments/"
BASE = "http://testserver"


@pytest.fixture
def sales(organisation):
    return OrganisationUnit.objects.create(organisation=organisation, name="営業部")


def _logs_in(client, username: str, password: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    client.logout()
    return response.status_code == 302


def _invite(organisation, actor, email="new.person@example.com", **more):
    return directory.user_invite(
        organisation=organisation, actor=actor, email=email, base_url=BASE, **more
    )


# --- Invitation ---------------------------------------------------------------------------------


def test_an_invited_person_gets_an_account_without_password_and_a_link_that_sets_one(
    client, organisation, isms_office, sales, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _invite(
            organisation,
            isms_office,
            "Hanako.Sato@Example.COM",
            display_name="佐藤 花子",
            unit=sales,
        )
    user.refresh_from_db()
    assert (user.organisation, user.unit, user.username) == (
        organisation,
        sales,
        "hanako.sato@example.com",
    )
    assert user.is_active and not user.has_usable_password()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["Hanako.Sato@example.com"]
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "a-long-new-passphrase", "new_password2": "a-long-new-passphrase"},
    )
    user.refresh_from_db()
    assert user.check_password("a-long-new-passphrase")
    assert _logs_in(client, "hanako.sato@example.com", "a-long-new-passphrase")


def test_the_invitation_is_written_in_the_language_chosen_for_it(
    organisation, isms_office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(organisation, isms_office, "a@example.com", preferred_language="ja")
        _invite(organisation, isms_office, "b@example.com", preferred_language="en")
    ja, en = mail.outbox
    assert "パスワード" in ja.body and organisation.name in ja.subject
    assert "password" in en.body and "パスワード" not in en.body


def test_an_address_that_already_has_an_account_is_refused_whatever_its_case(
    organisation, isms_office
):
    UserFactory(organisation=organisation, username="taken", email="taken@example.com")
    with pytest.raises(Conflict) as refused:
        _invite(organisation, isms_office, "TAKEN@example.com")
    assert refused.value.code == "EMAIL_TAKEN"
    assert not User.objects.filter(username="taken@example.com").exists()


def test_only_the_isms_office_of_the_organisation_invites(organisation, csirt_lead, outsider):
    for actor in (csirt_lead, outsider):
        with pytest.raises(Forbidden):
            _invite(organisation, actor)
    assert not User.objects.filter(email="new.person@example.com").exists()


def test_a_department_of_another_organisation_or_retired_one_is_refused(
    organisation, isms_office, outsider, sales
):
    theirs = OrganisationUnit.objects.create(organisation=outsider.organisation, name="他社")
    OrganisationUnit.objects.filter(pk=sales.pk).update(is_active=False)
    sales.refresh_from_db()
    for unit in (theirs, sales):
        with pytest.raises(InvalidInput) as refused:
            _invite(organisation, isms_office, unit=unit)
        assert refused.value.code == "invalid_unit"


def test_the_invitation_is_audited_with_its_actor(organisation, isms_office, caplog):
    with caplog.at_level(logging.INFO, logger="accounts.directory"):
        user = _invite(organisation, isms_office)
    (record,) = [r for r in caplog.records if getattr(r, "audit", "") == "people.user_invited"]
    assert record.user == user.pk and f"by {isms_office.pk}" in record.getMessage()


def test_the_page_invites_and_redirects_with_a_message(
    client, organisation, isms_office, sales, django_capture_on_commit_callbacks
):
    client.force_login(isms_office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PEOPLE,
            {
                "email": "page@example.com",
                "display_name": "",
                "unit": sales.pk,
                "preferred_language": "ja",
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == PEOPLE
    assert "page@example.com" in response.content.decode()
    assert len(mail.outbox) == 1


def test_a_refused_invitation_shows_why_on_the_field(client, organisation, isms_office):
    client.force_login(isms_office)
    UserFactory(organisation=organisation, email="dup@example.com")
    response = client.post(PEOPLE, {"email": "dup@example.com", "preferred_language": "en"})
    assert response.status_code == 409
    assert "このメールアドレスのアカウントはすでにあります。" in response.content.decode()


# --- The list and who may see it ----------------------------------------------------------------


def test_the_list_shows_people_with_their_roles_and_departments_but_not_api_keys(
    client, organisation, isms_office, decision_maker, sales
):
    from accounts.services import api_key_create

    api_key_create(organisation=organisation, actor=isms_office, name="EDR", scope="READ")
    decision_maker.unit = sales
    decision_maker.save()
    isms_office.preferred_language = "en"
    isms_office.save()
    client.force_login(isms_office)
    html = client.get(PEOPLE).content.decode()
    assert str(decision_maker) in html and "営業部" in html
    assert "Decision maker" in html and "DECISION_MAKER" not in html
    assert "API: EDR" not in html


def test_others_of_the_organisation_get_403_and_outsiders_404_for_our_people(
    client, organisation, isms_office, csirt_lead, outsider
):
    client.force_login(csirt_lead)
    assert client.get(PEOPLE).status_code == 403
    assert client.post(f"/accounts/users/{isms_office.pk}/deactivate/").status_code == 403
    theirs_office = UserFactory(organisation=outsider.organisation)
    RoleAssignmentFactory(user=theirs_office, role=Role.ISMS_OFFICE)
    client.force_login(theirs_office)
    assert client.post(f"/accounts/users/{csirt_lead.pk}/deactivate/").status_code == 404
    assert client.post(f"/accounts/departments/{_unit(organisation).pk}/").status_code == 404
    csirt_lead.refresh_from_db()
    assert csirt_lead.is_active


def _unit(organisation):
    return OrganisationUnit.objects.create(organisation=organisation, name="総務部")


# --- Deactivation -------------------------------------------------------------------------------


def test_a_deactivated_person_cannot_log_in_and_comes_back_when_reactivated(
    client, organisation, isms_office, reporter
):
    directory.user_deactivate(user=reporter, actor=isms_office)
    assert not _logs_in(client, "reporter", "correct-horse-battery")
    assert User.objects.filter(pk=reporter.pk).exists()
    directory.user_reactivate(user=reporter, actor=isms_office)
    assert _logs_in(client, "reporter", "correct-horse-battery")


def test_a_deactivation_ends_the_sessions_already_open(client, organisation, isms_office, reporter):
    client.force_login(reporter)
    assert client.get("/accounts/profile/").status_code == 200
    directory.user_deactivate(user=reporter, actor=isms_office)
    assert client.get("/accounts/profile/").status_code == 302


def test_the_office_cannot_deactivate_itself(organisation, isms_office):
    with pytest.raises(Conflict) as refused:
        directory.user_deactivate(user=isms_office, actor=isms_office)
    assert refused.value.code == "CANNOT_DEACTIVATE_SELF"


def test_the_last_decision_maker_cannot_be_deactivated_but_one_with_a_deputy_can(
    organisation, isms_office, decision_maker
):
    with pytest.raises(Conflict) as refused:
        directory.user_deactivate(user=decision_maker, actor=isms_office)
    assert refused.value.code == "LAST_HOLDER"
    decision_maker.refresh_from_db()
    assert decision_maker.is_active
    RoleAssignmentFactory(
        user=UserFactory(organisation=organisation), role=Role.DECISION_MAKER, priority=2
    )
    directory.user_deactivate(user=decision_maker, actor=isms_office)
    decision_maker.refresh_from_db()
    assert not decision_maker.is_active


def test_a_deactivated_deputy_does_not_count_as_another_holder(
    organisation, isms_office, decision_maker, deputy
):
    second_office = UserFactory(organisation=organisation)
    RoleAssignmentFactory(user=second_office, role=Role.ISMS_OFFICE, priority=2)
    directory.user_deactivate(user=deputy, actor=second_office)
    with pytest.raises(Conflict):
        directory.user_deactivate(user=decision_maker, actor=isms_office)


def test_the_refusal_comes_back_to_the_list_as_a_message(
    client, organisation, isms_office, decision_maker
):
    isms_office.preferred_language = "en"
    isms_office.save()
    client.force_login(isms_office)
    response = client.post(f"/accounts/users/{decision_maker.pk}/deactivate/", follow=True)
    assert response.redirect_chain[-1][0] == PEOPLE
    assert "needs at least one holder" in response.content.decode()


def test_the_link_can_be_sent_again_until_a_password_is_set(
    organisation, isms_office, reporter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invited = _invite(organisation, isms_office)
        directory.user_invite_resend(user=invited, actor=isms_office, base_url=BASE)
    assert len(mail.outbox) == 2
    with pytest.raises(Conflict) as refused:
        directory.user_invite_resend(user=reporter, actor=isms_office, base_url=BASE)
    assert refused.value.code == "PASSWORD_ALREADY_SET"


# --- Departments --------------------------------------------------------------------------------


def test_departments_are_added_renamed_and_moved(organisation, isms_office, sales):
    first = directory.unit_create(
        organisation=organisation, actor=isms_office, name="第一課", parent=sales
    )
    assert str(first) == "営業部 / 第一課"
    moved = directory.unit_update(unit=first, actor=isms_office, name="第二課", parent=None)
    assert (moved.name, moved.parent) == ("第二課", None)


def test_a_department_name_is_unique_among_its_siblings_even_at_the_top(
    organisation, isms_office, sales
):
    with pytest.raises(Conflict) as refused:
        directory.unit_create(organisation=organisation, actor=isms_office, name="営業部")
    assert refused.value.code == "UNIT_NAME_TAKEN"


def test_a_department_cannot_be_moved_under_its_own_section(organisation, isms_office, sales):
    section = directory.unit_create(
        organisation=organisation, actor=isms_office, name="第一課", parent=sales
    )
    with pytest.raises(InvalidInput) as refused:
        directory.unit_update(unit=sales, actor=isms_office, name="営業部", parent=section)
    assert refused.value.code == "UNIT_CYCLE"


def test_a_department_with_people_in_it_is_not_deactivated(organisation, isms_office, sales):
    member = UserFactory(organisation=organisation, unit=sales)
    with pytest.raises(Conflict) as refused:
        directory.unit_deactivate(unit=sales, actor=isms_office)
    assert refused.value.code == "UNIT_NOT_EMPTY"
    assert "1" in str(refused.value.message)
    member.is_active = False
    member.save()
    assert not directory.unit_deactivate(unit=sales, actor=isms_office).is_active


def test_a_department_with_people_to_train_is_not_deactivated(organisation, isms_office, sales):
    from datetime import date

    from training.models import Person

    Person.objects.create(
        organisation=organisation,
        employee_no="E1",
        name="派遣 一郎",
        population="DISPATCHED",
        unit=sales,
        start_date=date(2020, 1, 1),
    )
    with pytest.raises(Conflict) as refused:
        directory.unit_deactivate(unit=sales, actor=isms_office)
    assert refused.value.code == "UNIT_NOT_EMPTY"


def test_a_department_with_an_active_section_is_not_deactivated(organisation, isms_office, sales):
    directory.unit_create(organisation=organisation, actor=isms_office, name="第一課", parent=sales)
    with pytest.raises(Conflict) as refused:
        directory.unit_deactivate(unit=sales, actor=isms_office)
    assert refused.value.code == "UNIT_HAS_SECTIONS"


def test_the_department_pages_add_and_refuse_with_a_clear_message(
    client, organisation, isms_office, sales
):
    UserFactory(organisation=organisation, unit=sales)
    client.force_login(isms_office)
    response = client.post(UNITS, {"name": "総務部", "parent": ""}, follow=True)
    assert response.redirect_chain[-1][0] == UNITS
    assert OrganisationUnit.objects.filter(organisation=organisation, name="総務部").exists()
    response = client.post(f"/accounts/departments/{sales.pk}/deactivate/", follow=True)
    assert "営業部" in response.content.decode()
    sales.refresh_from_db()
    assert sales.is_active
    response = client.post(f"/accounts/departments/{sales.pk}/", {"name": "営業本部", "parent": ""})
    assert response.status_code == 302
    sales.refresh_from_db()
    assert sales.name == "営業本部"
