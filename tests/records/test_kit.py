"""The offline emergency kit: made again when the roster changes, printed with the deputies in
order and their phone numbers, and the ISMS office told when its printed copy is out of date."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from bcp.services import plan, roster_admin
from isms_csirt.celery import app as celery_app
from notifications.models import Alert
from records import services
from records.models import EmergencyKit
from records.pdf import kit_path
from tests.factories import UserFactory
from tests.records.conftest import pdf_text

KIT = "/emergency-kit/"


@pytest.fixture
def eager():
    """Run the kit task in the test's process when the change commits."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture
def phones(decision_maker, deputy):
    decision_maker.display_name, decision_maker.phone = "山田 社長", "090-1111-0001"
    deputy.display_name, deputy.phone = "佐藤 副社長", "090-1111-0002"
    for user in (decision_maker, deputy):
        user.save()
    return decision_maker, deputy


def _add_third_deputy(organisation, isms_office):
    third = UserFactory(
        organisation=organisation, username="cfo", display_name="鈴木 部長", phone="090-1111-0003"
    )
    roster_admin.role_assignment_add(
        organisation=organisation,
        actor=isms_office,
        role=Role.DECISION_MAKER,
        user=third,
        priority=3,
    )
    return third


def test_the_kit_is_made_again_after_a_roster_change_and_carries_the_new_deputy(
    organisation, isms_office, phones, eager, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    first, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    with django_capture_on_commit_callbacks(execute=True):
        _add_third_deputy(organisation, isms_office)
    latest = EmergencyKit.objects.of(organisation.pk).first()
    assert latest.version == first.version + 1 and latest.reason == "roster"
    chain = latest.content["roles"][Role.DECISION_MAKER]
    assert [(p["rank"], p["name"], p["phone"]) for p in chain] == [
        (1, "山田 社長", "090-1111-0001"),
        (2, "佐藤 副社長", "090-1111-0002"),
        (3, "鈴木 部長", "090-1111-0003"),
    ]
    assert kit_path(latest).exists()  # the task kept the version's PDF under ISMS_VAR_DIR


def test_nothing_changed_makes_no_new_version(organisation, phones):
    first, made = services.kit_regenerate(organisation=organisation, reason="sweep")
    again, made_again = services.kit_regenerate(organisation=organisation, reason="sweep")
    assert made and not made_again and again.pk == first.pk


def test_the_kit_pdf_lists_the_deputies_in_order_with_their_phone_numbers(
    client, organisation, isms_office, phones
):
    _add_third_deputy(organisation, isms_office)
    services.kit_regenerate(organisation=organisation, reason="on_demand")
    client.force_login(isms_office)
    response = client.get(KIT + "kit.pdf", HTTP_ACCEPT_LANGUAGE="ja")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pdf_text(response.content)
    text = "\n".join(pages)
    order = [
        text.index(f"{label} {name} {phone}")
        for label, name, phone in (
            ("正", "山田 社長", "090-1111-0001"),
            ("代理者1", "佐藤 副社長", "090-1111-0002"),
            ("代理者2", "鈴木 部長", "090-1111-0003"),
        )
    ]
    assert order == sorted(order)
    assert all("第1版" in page for page in pages)  # the version on every page


def test_a_printed_copy_older_than_the_roster_reminds_the_isms_office(
    client, organisation, isms_office, phones
):
    kit, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    client.force_login(isms_office)
    assert client.post(KIT + "printed/").status_code == 302
    _add_third_deputy(organisation, isms_office)
    services.kit_regenerate(organisation=organisation, reason="roster")
    alert = Alert.objects.get(event="kit.outdated")
    assert alert.payload["version"] == kit.version + 1
    assert alert.payload["printed_version"] == kit.version
    page = client.get(KIT, HTTP_ACCEPT_LANGUAGE="ja")
    assert "印刷した控えが現在の版より古くなっています" in page.text


def test_only_the_isms_office_makes_the_kit_and_an_outsider_sees_none(
    client, organisation, decision_maker, outsider
):
    client.force_login(decision_maker)
    assert client.post(KIT + "regenerate/").status_code == 302
    assert not EmergencyKit.objects.exists()
    client.force_login(outsider)
    assert client.get(KIT).status_code == 404


def test_the_poster_carries_the_report_link_as_a_qr_code(client, isms_office, call_tree):
    client.force_login(isms_office)
    page = client.get(KIT + "poster/")
    assert page.status_code == 200 and "<svg" in page.text and "/report/" in page.text
    assert client.get(KIT + "poster/?format=pdf")["Content-Type"] == "application/pdf"


@pytest.fixture
def call_tree(organisation, isms_office):
    plan.call_tree_entry_add(
        organisation=organisation,
        actor=isms_office,
        caller_role=Role.ISMS_OFFICE,
        callee="情報システム担当",
        phone="03-0000-0000",
        order=1,
    )


def test_a_phone_number_edited_on_the_profile_makes_a_new_kit_version_at_once(
    organisation, phones, eager, django_capture_on_commit_callbacks, rf, settings, tmp_path
):
    from types import SimpleNamespace

    from django.contrib import admin

    from accounts.models import User

    settings.VAR_DIR = tmp_path
    first, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    decision_maker, _deputy = phones
    decision_maker.phone = "090-9999-0001"
    user_admin = admin.site._registry[User]
    with django_capture_on_commit_callbacks(execute=True):
        user_admin.save_model(
            rf.post("/"), decision_maker, SimpleNamespace(changed_data=["phone"]), True
        )
    latest = EmergencyKit.objects.of(organisation.pk).first()
    assert latest.version == first.version + 1
    chain = latest.content["roles"][Role.DECISION_MAKER]
    assert chain[0]["phone"] == "090-9999-0001"


def test_a_profile_edit_that_the_kit_does_not_print_makes_no_new_version(
    organisation, phones, eager, django_capture_on_commit_callbacks, rf
):
    from types import SimpleNamespace

    from django.contrib import admin

    from accounts.models import User

    first, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    decision_maker, _deputy = phones
    decision_maker.preferred_language = "en"
    user_admin = admin.site._registry[User]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user_admin.save_model(
            rf.post("/"), decision_maker, SimpleNamespace(changed_data=["preferred_language"]), True
        )
    assert callbacks == [] and EmergencyKit.objects.of(organisation.pk).first().pk == first.pk


def test_the_kit_prints_the_level_criteria_with_the_thresholds_in_force(
    client, organisation, isms_office, phones, eager, django_capture_on_commit_callbacks
):
    from risklevels.services import setup

    setup.levels_seed(organisation=organisation)
    first, _made = services.kit_regenerate(organisation=organisation, reason="on_demand")
    values = {"infected_threshold": 5, "external_comm_trigger": "CONFIRMED"}
    with django_capture_on_commit_callbacks(execute=True):
        setup.params_update(organisation=organisation, actor=isms_office, values=values)
    latest = EmergencyKit.objects.of(organisation.pk).first()
    assert latest.version == first.version + 1 and latest.reason == "rules"
    assert latest.content["rules"]["infected_threshold"] == 5
    client.force_login(isms_office)
    page = client.get(KIT, HTTP_ACCEPT_LANGUAGE="ja").text
    pdf = "\n".join(pdf_text(client.get(KIT + "kit.pdf", HTTP_ACCEPT_LANGUAGE="ja").content))
    for text in (page, pdf.replace("\n", "")):
        assert "感染したPCが 5 台以上（確定・疑いを含む） [L2-a]" in text
        assert "外部への不正通信（確定した時点で） [L2-d]" in text
        assert "[L3-b]" in text
