"""Services of the intake settings: the wording, the matrix and the reporting link."""

import pytest

from common.errors import InvalidInput
from incidents.access import PermissionDeniedError
from incidents.models import IntakeSettings, ReportingLink
from incidents.services import intake_admin


def test_rotation_issues_a_fresh_token_and_revokes_the_previous(organisation, isms_office):
    first = intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    second = intake_admin.reporting_link_rotate(organisation=organisation, actor=isms_office)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None
    assert len(second.token) >= 43
    assert ReportingLink.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize("who", ["handler", "reporter", "outsider"])
def test_only_the_own_isms_office_may_rotate(request, organisation, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDeniedError):
        intake_admin.reporting_link_rotate(organisation=organisation, actor=actor)
    assert ReportingLink.objects.count() == 0


def test_an_isms_office_of_another_organisation_may_not_rotate(organisation, outsider):
    from accounts.roles import Role
    from tests.factories import RoleAssignmentFactory

    RoleAssignmentFactory(organisation=outsider.organisation, user=outsider, role=Role.ISMS_OFFICE)
    with pytest.raises(PermissionDeniedError):
        intake_admin.reporting_link_rotate(organisation=organisation, actor=outsider)


def test_settings_keep_only_known_cells(organisation, isms_office):
    saved = intake_admin.intake_settings_update(
        organisation=organisation,
        actor=isms_office,
        first_aid_ja="  抜線  ",
        first_aid_en="",
        triage_matrix={"RANSOMWARE": {"LOW": "P1"}, "OTHER": {}},
    )
    assert saved.first_aid_ja == "抜線"
    assert saved.triage_matrix == {"RANSOMWARE": {"LOW": "P1"}}


@pytest.mark.parametrize(
    "matrix",
    [{"NOPE": {"LOW": "P1"}}, {"RANSOMWARE": {"HUGE": "P1"}}, {"RANSOMWARE": {"LOW": "P0"}}],
)
def test_an_invalid_matrix_is_refused_and_nothing_is_saved(organisation, isms_office, matrix):
    with pytest.raises(InvalidInput):
        intake_admin.intake_settings_update(
            organisation=organisation,
            actor=isms_office,
            first_aid_ja="",
            first_aid_en="",
            triage_matrix=matrix,
        )
    assert not IntakeSettings.objects.exists()
