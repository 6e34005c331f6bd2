"""The CSIRT-function map: the 17 functions seeded, delivery per organisation, the STEP page."""

import pytest
from django.urls import reverse

from common.errors import Forbidden, InvalidInput
from training.models import CsirtFunction, CsirtFunctionDelivery, CsirtMapChange
from training.selectors import step_page
from training.services import csirt


def test_the_seventeen_functions_are_seeded_with_first_and_iso_references(db):
    functions = list(CsirtFunction.objects.order_by("number"))
    assert [f.number for f in functions] == list(range(1, 18))
    handling = functions[0]
    assert handling.name_ja == "インシデントハンドリング"
    assert "Information security incident report acceptance" in handling.first_service
    assert handling.iso_controls == "5.24, 5.25, 5.26, 6.8"
    assert handling.default_step == 1
    assert functions[11].default_step is None  # tool development: usually not provided
    assert {f.group for f in functions} == {"REACTIVE", "PROACTIVE", "QUALITY"}


def test_delivery_is_recorded_per_organisation_with_a_change_row(organisation, isms_office):
    forensics = CsirtFunction.objects.get(number=3)
    csirt.csirt_function_set(
        organisation=organisation,
        function=forensics,
        actor=isms_office,
        mode="PLUS_ALPHA_OUTSOURCED",
        provider="株式会社フォレンジック",
        step=3,
    )
    row = CsirtFunctionDelivery.objects.get(organisation=organisation, function=forensics)
    assert (row.mode, row.provider, row.assessed) == (
        "PLUS_ALPHA_OUTSOURCED",
        "株式会社フォレンジック",
        True,
    )
    changes = {c.field: (c.before, c.after) for c in CsirtMapChange.objects.all()}
    assert changes == {
        "mode": ("NOT_PROVIDED", "PLUS_ALPHA_OUTSOURCED"),
        "provider": ("", "株式会社フォレンジック"),
    }
    assert CsirtFunctionDelivery.objects.filter(organisation=organisation).count() == 17


def test_outsourcing_names_the_provider(organisation, isms_office):
    with pytest.raises(InvalidInput) as refused:
        csirt.csirt_function_set(
            organisation=organisation,
            function=CsirtFunction.objects.get(number=9),
            actor=isms_office,
            mode="PLUS_ALPHA_OUTSOURCED",
        )
    assert refused.value.code == "provider_required"


def test_only_the_office_and_the_lead_edit_the_map(organisation, reporter):
    with pytest.raises(Forbidden):
        csirt.csirt_step_set(organisation=organisation, actor=reporter, step=2)


def test_the_step_page_shows_what_is_covered_missing_and_what_the_next_step_adds(
    organisation, csirt_lead
):
    csirt.csirt_map_ensure(organisation=organisation)
    csirt.csirt_function_set(
        organisation=organisation,
        function=CsirtFunction.objects.get(number=1),
        actor=csirt_lead,
        mode="PLUS_ALPHA_INHOUSE",
        step=1,
    )
    page = step_page(organisation)
    assert page.step == 1
    assert {r.function.number for r in page.covered} == {1, 13}  # 13 risk: within the ISMS
    assert {r.function.number for r in page.gaps} == {7, 16}
    assert {r.function.number for r in page.next_adds} == {2, 4, 8, 9, 10, 11, 14, 15}
    csirt.csirt_step_set(organisation=organisation, actor=csirt_lead, step=2)
    organisation.refresh_from_db()
    assert {r.function.number for r in step_page(organisation).next_adds} == {3, 5, 6, 17}
    assert CsirtMapChange.objects.filter(field="csirt_step", before="1", after="2").exists()


def test_map_pages(client, isms_office):
    client.force_login(isms_office)
    page = client.get(reverse("training:csirt_map"))
    assert page.status_code == 200
    assert "アーティファクトハンドリング" in page.content.decode()
    saved = client.post(
        reverse("training:csirt_function_edit", args=[16]),
        {
            "f16-mode": "PLUS_ALPHA_INHOUSE",
            "f16-step": "1",
            "f16-provider": "",
            "f16-note": "IPA TTX",
        },
    )
    assert saved.status_code == 302
    refused = client.post(
        reverse("training:csirt_function_edit", args=[3]),
        {"f3-mode": "PLUS_ALPHA_OUTSOURCED", "f3-step": "3"},
    )
    assert refused.status_code == 400
    one_page = client.get(reverse("training:csirt_one_page"))
    assert one_page.status_code == 200
    assert "STEP 2" in one_page.content.decode()
