"""The cast of the readiness tests: departments, people of each population, and a course."""

from datetime import date

import pytest

from accounts.models import OrganisationUnit
from tests.incidents.conftest import file_report  # noqa: F401
from training.models import Person


@pytest.fixture
def units(organisation):
    """総務部, 営業部/第一課, 開発部/第一課 (so 第一課 alone is ambiguous)."""
    soumu = OrganisationUnit.objects.create(organisation=organisation, name="総務部")
    eigyo = OrganisationUnit.objects.create(organisation=organisation, name="営業部")
    kaihatsu = OrganisationUnit.objects.create(organisation=organisation, name="開発部")
    return {
        "総務部": soumu,
        "営業部": eigyo,
        "営業部/第一課": OrganisationUnit.objects.create(
            organisation=organisation, parent=eigyo, name="第一課"
        ),
        "開発部": kaihatsu,
        "開発部/第一課": OrganisationUnit.objects.create(
            organisation=organisation, parent=kaihatsu, name="第一課"
        ),
    }


@pytest.fixture
def make_person(organisation, units):
    counter = iter(range(1, 10_000))

    def _make(name=None, population="EMPLOYEE", unit="総務部", start=date(2024, 4, 1), **extra):
        n = next(counter)
        return Person.objects.create(
            organisation=organisation,
            employee_no=extra.pop("employee_no", f"E{n:04d}"),
            name=name or f"社員{n}",
            population=population,
            unit=units[unit],
            start_date=start,
            **extra,
        )

    return _make


@pytest.fixture
def basics_course(organisation, isms_office):
    """The basic behaviour course, required for everyone, valid for 12 months, with a quiz."""
    from training.services import courses

    return courses.course_create(
        organisation=organisation,
        actor=isms_office,
        code="BASIC",
        title="標的型攻撃メールの基本動作",
        topics=["TARGETED_EMAIL_BASICS"],
        validity_months=12,
        required_for=["EMPLOYEE", "DISPATCHED", "CONTRACTOR", "EXECUTIVE"],
        required_since=date(2024, 4, 1),
        due_within_days=30,
        pass_score=80,
    )
