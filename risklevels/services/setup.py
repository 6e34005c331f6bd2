"""Per-organisation configuration: seeded level texts and checklists, versioned parameters."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from common import events
from common.errors import Conflict, InvalidInput
from risklevels import evaluator, seed
from risklevels.models import ChecklistTemplate, EscalationParams, LevelDefinition

PARAM_FIELDS = (
    "infected_threshold",
    "trend_rule",
    "external_comm_trigger",
    "leak_trigger",
    "personal_data_store_rule",
)


@transaction.atomic
def levels_seed(*, organisation: Organisation) -> None:
    """Create the level texts and checklist templates an organisation lacks (idempotent)."""
    existing = set(
        LevelDefinition.objects.filter(organisation=organisation).values_list("level", flat=True)
    )
    LevelDefinition.objects.bulk_create(
        [
            LevelDefinition(organisation=organisation, **row)
            for row in seed.LEVELS
            if row["level"] not in existing
        ]
    )
    codes = set(
        ChecklistTemplate.objects.filter(organisation=organisation).values_list("track", "code")
    )
    templates = [
        ChecklistTemplate(
            organisation=organisation,
            track=track,
            code=code,
            level=level,
            title_ja=ja,
            title_en=en,
            owner_role=role,
            refs=refs,
            target_minutes=seed.TARGET_MINUTES.get(code),
            order=i,
        )
        for track, rows in (
            (ChecklistTemplate.Track.MAIL, seed.MAIL_CHECKLIST),
            (ChecklistTemplate.Track.GENERIC, seed.GENERIC_CHECKLIST),
        )
        for i, (code, level, ja, en, role, refs) in enumerate(rows)
        if (track, code) not in codes
    ]
    ChecklistTemplate.objects.bulk_create(templates)


def params_current(*, organisation: Organisation) -> EscalationParams:
    current = (
        EscalationParams.objects.filter(organisation=organisation).order_by("-version").first()
    )
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return EscalationParams.objects.create(organisation=organisation, version=1)
    except IntegrityError:  # created concurrently
        return EscalationParams.objects.get(organisation=organisation, version=1)


@transaction.atomic
def params_update(
    *, organisation: Organisation, actor: User, values: dict[str, Any]
) -> EscalationParams:
    """Write a new version; evaluations record the version they used."""
    unknown = set(values) - set(PARAM_FIELDS)
    if unknown:
        raise InvalidInput("field_not_editable", _("Unknown parameters."), fields=sorted(unknown))
    current = params_current(organisation=organisation)
    fresh = EscalationParams(
        organisation=organisation,
        version=current.version + 1,
        created_by=actor,
        **{f: values.get(f, getattr(current, f)) for f in PARAM_FIELDS},
    )
    fresh.full_clean(exclude=["organisation", "created_by"])
    fresh.save()
    # The emergency kit prints the thresholds in force (records regenerates it after commit).
    events.publish("plan.changed", organisation_id=organisation.pk, what="rules")
    return fresh


@transaction.atomic
def checklist_template_save(*, template: ChecklistTemplate, actor: User) -> ChecklistTemplate:
    """Save an added or edited checklist item; its code is unique on its track (409)."""
    clash = ChecklistTemplate.objects.filter(
        organisation_id=template.organisation_id, track=template.track, code=template.code
    ).exclude(pk=template.pk)
    if clash.exists():
        raise _code_exists(template)
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:  # the same code saved at the same moment
        raise _code_exists(template) from None
    # The emergency kit prints the checklists (records regenerates it after commit).
    events.publish("plan.changed", organisation_id=template.organisation_id, what="checklists")
    return template


def _code_exists(template: ChecklistTemplate) -> Conflict:
    return Conflict(
        "checklist_code_exists",
        _("This track already has an item with the code %(code)s.") % {"code": template.code},
        track=template.track,
        code=template.code,
    )


def as_evaluator_params(params: EscalationParams) -> evaluator.Params:
    return evaluator.Params(
        version=params.version,
        infected_threshold=params.infected_threshold,
        trend_rule=params.trend_rule,
        external_comm_trigger=params.external_comm_trigger,
        leak_trigger=params.leak_trigger,
        personal_data_store_rule=params.personal_data_store_rule,
    )
