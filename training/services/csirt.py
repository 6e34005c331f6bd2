"""The CSIRT-function map: how the organisation delivers each function, and its STEP."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import CsirtStep, Organisation, User
from common import clock
from common.errors import InvalidInput
from training import access
from training.enums import DeliveryMode
from training.models import CsirtFunction, CsirtFunctionDelivery, CsirtMapChange

ONLY_EDITORS = _("Only the ISMS office and the CSIRT lead edit the CSIRT-function map.")


def csirt_map_ensure(*, organisation: Organisation) -> None:
    """Give the organisation a row per function, with the defaults (idempotent; reads only
    once every row exists, so pages may call it)."""
    have = CsirtFunctionDelivery.objects.filter(organisation=organisation).count()
    if have >= CsirtFunction.objects.count():
        return
    CsirtFunctionDelivery.objects.bulk_create(
        [
            CsirtFunctionDelivery(
                organisation=organisation,
                function=function,
                mode=function.default_mode,
                step=function.default_step,
            )
            for function in CsirtFunction.objects.all()
        ],
        ignore_conflicts=True,
    )


def _record(
    organisation: Organisation,
    actor: User,
    field: str,
    before: object,
    after: object,
    function: CsirtFunction | None = None,
) -> None:
    CsirtMapChange.objects.create(
        organisation=organisation,
        function=function,
        field=field,
        before="" if before is None else str(before)[:200],
        after="" if after is None else str(after)[:200],
        actor=actor,
        at=clock.now(),
    )


@transaction.atomic
def csirt_function_set(
    *,
    organisation: Organisation,
    function: CsirtFunction,
    actor: User,
    mode: str,
    provider: str = "",
    step: int | None = None,
    note: str = "",
) -> CsirtFunctionDelivery:
    """Record how a function is delivered; each changed field is kept as a change row."""
    access.require(access.can_edit_map(actor), ONLY_EDITORS)
    if mode not in DeliveryMode.values:
        raise InvalidInput("invalid_choice", _("Unknown delivery."), field="mode")
    provider = provider.strip()
    if mode == DeliveryMode.PLUS_ALPHA_OUTSOURCED and not provider:
        raise InvalidInput(
            "provider_required", _("Name who the function is outsourced to."), field="provider"
        )
    if step is not None and step not in CsirtStep.values:
        raise InvalidInput("invalid_step", _("A STEP is 1, 2 or 3."), field="step")
    csirt_map_ensure(organisation=organisation)
    row = CsirtFunctionDelivery.objects.select_for_update().get(
        organisation=organisation, function=function
    )
    after = {"mode": mode, "provider": provider, "step": step, "note": note}
    for name, value in after.items():
        if getattr(row, name) != value:
            _record(organisation, actor, name, getattr(row, name), value, function)
            setattr(row, name, value)
    row.assessed, row.updated_by = True, actor
    row.save()
    return row


@transaction.atomic
def csirt_step_set(*, organisation: Organisation, actor: User, step: int) -> Organisation:
    """Move the organisation to another STEP of the small start (STEP論)."""
    access.require(access.can_edit_map(actor), ONLY_EDITORS)
    if step not in CsirtStep.values:
        raise InvalidInput("invalid_step", _("A STEP is 1, 2 or 3."), field="step")
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.csirt_step != step:
        _record(locked, actor, "csirt_step", locked.csirt_step, step)
        locked.csirt_step = step
        locked.save(update_fields=["csirt_step", "updated_at"])
    return locked
