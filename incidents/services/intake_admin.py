"""The ISMS office's intake settings: first-aid wording, the triage matrix, the reporting link."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import clock
from common.errors import InvalidInput
from incidents import access
from incidents.models import IdempotencyRecord, IntakeSettings, ReportingLink
from incidents.models.enums import Category, Impact, Priority

logger = logging.getLogger(__name__)


def _require_admin(actor: User, organisation: Organisation, action: str) -> None:
    access.require(
        access.can_manage_intake(actor) and actor.organisation_id == organisation.pk, action
    )


def _check_matrix(matrix: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Only known categories, impacts and P1–P4 cells; empty rows are dropped."""
    clean: dict[str, dict[str, str]] = {}
    for category, row in matrix.items():
        if category not in Category.values or not isinstance(row, dict):
            raise InvalidInput("invalid_matrix", _("Unknown category in the triage matrix."))
        for impact, priority in row.items():
            if impact not in Impact.values or priority not in Priority.values:
                raise InvalidInput(
                    "invalid_matrix", _("Each cell must be P1, P2, P3 or P4 for a known impact.")
                )
        if row:
            clean[category] = dict(row)
    return clean


@transaction.atomic
def intake_settings_update(
    *,
    organisation: Organisation,
    actor: User,
    first_aid_ja: str,
    first_aid_en: str,
    triage_matrix: dict[str, Any],
) -> IntakeSettings:
    """Save the first-aid wording and the matrix; blank wording falls back to the default."""
    _require_admin(actor, organisation, "manage the intake settings")
    matrix = _check_matrix(triage_matrix)
    intake, _created = IntakeSettings.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    intake.first_aid_ja = first_aid_ja.strip()
    intake.first_aid_en = first_aid_en.strip()
    intake.triage_matrix = matrix
    intake.save()
    logger.info("intake settings of organisation %s changed by user %s", organisation.pk, actor.pk)
    return intake


@transaction.atomic
def reporting_link_rotate(*, organisation: Organisation, actor: User) -> ReportingLink:
    """Issue a new reporting link and revoke the old one, so a leaked link stops working."""
    _require_admin(actor, organisation, "rotate the reporting link")
    # The organisation row lock orders concurrent rotations: the second one revokes the first's
    # new link instead of colliding with it on the one-active-link constraint.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).values_list("pk").get()
    now = clock.now()
    revoked = ReportingLink.objects.filter(
        organisation=organisation, revoked_at__isnull=True
    ).update(revoked_at=now)
    link = ReportingLink.objects.create(
        organisation=organisation, token=secrets.token_urlsafe(32), created_by=actor
    )
    logger.info(
        "reporting link of organisation %s rotated by user %s (%s revoked)",
        organisation.pk,
        actor.pk,
        revoked,
    )
    return link


def idempotency_records_purge(*, older_than: timedelta = timedelta(hours=24)) -> int:
    """Forget Idempotency-Key answers after a day: clients retry within minutes, not days."""
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=clock.now() - older_than).delete()
    return deleted
