"""The commands of the incident page. Each one validates a form, calls one service, redirects.

An invalid form, or a refusal by the service (a failed lifecycle guard, a conflict, a file too
large), redirects back to the page with the message and what was typed (``common.prg``), so a
reload never posts it again; nothing is written. A permission refused by the service is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import prg
from common.errors import DomainError
from incidents import selectors
from incidents.forms.case import IncidentEditForm
from incidents.forms.records import (
    AffectedAssetAddForm,
    AffectedAssetUpdateForm,
    EvidenceUploadForm,
    IndicatorAddForm,
    IndicatorBlockForm,
    MailMessageAddForm,
    RelationAddForm,
    TaskCreateForm,
    TaskFinishForm,
    TransitionForm,
)
from incidents.models import Incident
from incidents.models.enums import IncidentStatus
from incidents.services import (
    assets,
    evidence,
    indicators,
    records,
    relations,
    tasks,
    transitions,
)
from incidents.services import messages as mail_messages
from incidents.views.incidents import incident_page, incident_url

Command = Callable[[Any], str]
# Where the page scrolls back to after a command, by form key (without the row id).
ANCHORS = {
    "case": "#case",
    "asset": "#assets",
    "asset_add": "#assets",
    "indicator": "#indicators",
    "indicator_add": "#indicators",
    "task": "#tasks",
    "task_add": "#tasks",
    "evidence": "#evidence",
    "message_add": "#mail",
    "relation_add": "#relations",
    "relation": "#relations",
}


def _incident(request: HttpRequest, ref: str) -> Incident:
    return selectors.incident_get(user=request.user, ref=ref)


def _run(
    request: HttpRequest, incident: Incident, key: str, form: forms.Form, command: Command
) -> HttpResponse:
    """Validate ``form``, run ``command(form)``; back to the page either way (PRG)."""
    page = incident_url(incident, ANCHORS.get(key.rstrip("0123456789"), ""))
    if not form.is_valid():
        return prg.refuse(request, to=page, key=key)
    try:
        done = command(form)
    except DomainError as error:
        if error.status_code == 403:  # not a form to fix: a permission
            incident.refresh_from_db()
            return incident_page(request, incident, status=403, error=str(error.message))
        return prg.refuse_error(request, to=page, key=key, error=error)
    messages.success(request, done)
    return HttpResponseRedirect(page)


@login_required
@require_POST
def transition(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: TransitionForm) -> str:
        moved = transitions.incident_transition(
            incident=incident,
            target=form.cleaned_data["target"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
        return _("Status: %(status)s.") % {"status": IncidentStatus(moved.status).label}

    return _run(request, incident, "transition", TransitionForm(request.POST), command)


@login_required
@require_POST
def asset_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: AffectedAssetAddForm) -> str:
        with transaction.atomic():  # the new asset row goes too if the incident refuses it
            asset = assets.asset_upsert(
                organisation_id=incident.organisation_id, **form.asset_fields()
            )
            assets.affected_asset_add(
                incident=incident,
                actor=request.user,
                asset=asset,
                observed_at=form.learned_at(),
                **form.changes(),
            )
        return _("Asset %(tag)s recorded.") % {"tag": asset.asset_tag}

    form = AffectedAssetAddForm(request.POST, auto_id="asset_new_%s")
    return _run(request, incident, "asset_add", form, command)


@login_required
@require_POST
def asset_update(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    incident = _incident(request, ref)
    affected = get_object_or_404(incident.affected_assets.select_related("asset"), pk=pk)

    def command(form: AffectedAssetUpdateForm) -> str:
        assets.affected_asset_update(
            affected=affected,
            actor=request.user,
            changes=form.changes(),
            observed_at=form.learned_at(),
        )
        return _("Asset %(tag)s updated.") % {"tag": affected.asset.asset_tag}

    form = AffectedAssetUpdateForm(request.POST, auto_id=f"asset{pk}_%s")
    return _run(request, incident, f"asset{pk}", form, command)


@login_required
@require_POST
def indicator_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: IndicatorAddForm) -> str:
        indicators.indicator_add(incident=incident, actor=request.user, **form.cleaned_data)
        return _("Indicator added.")

    form = IndicatorAddForm(request.POST, auto_id="ind_new_%s")
    return _run(request, incident, "indicator_add", form, command)


@login_required
@require_POST
def indicator_block(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    incident = _incident(request, ref)
    indicator = get_object_or_404(incident.indicators, pk=pk)

    def command(form: IndicatorBlockForm) -> str:
        indicators.indicator_block(
            indicator=indicator, actor=request.user, blocked_by=form.cleaned_data["blocked_by"]
        )
        return _("Indicator marked as blocked.")

    form = IndicatorBlockForm(request.POST, auto_id=f"indicator{pk}_%s")
    return _run(request, incident, f"indicator{pk}", form, command)


@login_required
@require_POST
def task_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: TaskCreateForm) -> str:
        data = form.cleaned_data
        tasks.task_create(
            incident=incident, actor=request.user, title=data["title"], due_at=data["due_at"]
        )
        return _("Task added.")

    form = TaskCreateForm(request.POST, auto_id="task_new_%s")
    return _run(request, incident, "task_add", form, command)


@login_required
@require_POST
def task_finish(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    incident = _incident(request, ref)
    task = get_object_or_404(incident.tasks, pk=pk)

    def command(form: TaskFinishForm) -> str:
        data = form.cleaned_data
        tasks.task_finish(task=task, actor=request.user, status=data["status"], note=data["note"])
        return _("Task finished.")

    form = TaskFinishForm(request.POST, auto_id=f"task{pk}_%s")
    return _run(request, incident, f"task{pk}", form, command)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: EvidenceUploadForm) -> str:
        data = form.cleaned_data
        item = evidence.evidence_upload(
            incident=incident,
            actor=request.user,
            upload=data["file"],
            kind=data["kind"],
            description=data["description"],
        )
        return _("Evidence stored (SHA-256 %(sha)s).") % {"sha": item.sha256}

    form = EvidenceUploadForm(request.POST, request.FILES, auto_id="evidence_%s")
    return _run(request, incident, "evidence", form, command)


@login_required
@require_POST
def incident_edit(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)
    form = IncidentEditForm(request.POST, people=selectors.people_of(incident), auto_id="case_%s")

    def command(form: IncidentEditForm) -> str:
        changes = form.changes(incident)
        records.incident_update(incident=incident, actor=request.user, changes=changes)
        return _("%(n)s changes recorded.") % {"n": len(changes)} if changes else _("No change.")

    return _run(request, incident, "case", form, command)


@login_required
@require_POST
def message_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: MailMessageAddForm) -> str:
        mail_messages.message_add(
            incident=incident, actor=request.user, mail=mail_messages.Mail(**form.cleaned_data)
        )
        return _("The email was added to the campaign.")

    form = MailMessageAddForm(request.POST, auto_id="message_new_%s")
    return _run(request, incident, "message_add", form, command)


@login_required
@require_POST
def relation_add(request: HttpRequest, ref: str) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: RelationAddForm) -> str:
        other = selectors.incident_get(user=request.user, ref=form.cleaned_data["incident"].strip())
        relations.incident_relate(
            incident=incident,
            related=other,
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        return _("Linked to %(ref)s.") % {"ref": other.ref}

    form = RelationAddForm(request.POST, auto_id="relation_new_%s")
    return _run(request, incident, "relation_add", form, command)


@login_required
@require_POST
def relation_remove(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    incident = _incident(request, ref)

    def command(form: forms.Form) -> str:
        relations.incident_unrelate(
            relation=selectors.relation_get(incident=incident, pk=pk), actor=request.user
        )
        return _("The link was removed.")

    return _run(request, incident, f"relation{pk}", forms.Form(request.POST), command)
